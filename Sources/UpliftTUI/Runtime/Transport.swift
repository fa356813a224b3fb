/// A stretch of the file to play over and over.
public struct LoopRegion: Sendable, Equatable {
    public var startS: Double
    public var endS: Double
    public init(startS: Double, endS: Double) { self.startS = startS; self.endS = endS }
}

/// What the run loop asks the audio side to do. The wiring in `uplift` implements it over the real
/// transport; the UI never touches audio itself. Calls must return at once (no waiting for the audio thread).
public protocol TransportControl: AnyObject {
    func togglePlayback()
    /// Moves the play position by `seconds` (negative = back), clamped to the file.
    func seek(bySeconds seconds: Double)
    /// Starts looping `region`, or stops looping with `nil`.
    func setLoop(_ region: LoopRegion?)
}
