/// Live input compares each rolling window with the profile's nearest sub-style cluster, but a window of intro
/// sits nearer another cluster than the drop after it: switching every four bars would swap the references under
/// the producer (the same gap read "7.5 dB less air", then "2.1 dB more air"), and a fix being followed would be
/// judged against other figures. The cluster chosen first is held until another one is nearest for
/// `switchAfter` refreshes in a row (16 bars).
public struct LiveClusterHold: Sendable, Equatable {
    public static let switchAfter = 4

    public private(set) var held: Int?
    private var candidate: Int?
    private var count = 0

    public init() {}

    /// The cluster to compare this window with, given the one nearest to it; `switched` when the held one changed
    /// (not on the first choice).
    public mutating func decide(nearest: Int?) -> (use: Int?, switched: Bool) {
        guard let nearest else { return (held, false) }
        guard let current = held else {
            held = nearest
            return (nearest, false)
        }
        if nearest == current {
            candidate = nil; count = 0
            return (current, false)
        }
        if nearest == candidate { count += 1 } else { candidate = nearest; count = 1 }
        guard count >= Self.switchAfter else { return (current, false) }
        held = nearest; candidate = nil; count = 0
        return (nearest, true)
    }
}
