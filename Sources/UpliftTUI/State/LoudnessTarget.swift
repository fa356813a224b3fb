/// What the Loudness pane marks on its meters: the profile's references (their p10–p90 short-term
/// maximum and integrated loudness) or one chosen level (`--target-lufs`).
public struct LoudnessTarget: Sendable, Equatable {
    /// Short-term loudness the loud parts should reach, LUFS (a single level is a zero-width range).
    public var shortTermLUFS: ClosedRange<Double>
    public var integratedLUFS: ClosedRange<Double>
    /// Where the numbers come from, for the pane: `refs` or `target`.
    public var label: String

    public init(shortTermLUFS: ClosedRange<Double>, integratedLUFS: ClosedRange<Double>, label: String) {
        self.shortTermLUFS = shortTermLUFS; self.integratedLUFS = integratedLUFS; self.label = label
    }

    /// One chosen level for both readings.
    public static func level(_ lufs: Double) -> LoudnessTarget {
        LoudnessTarget(shortTermLUFS: lufs...lufs, integratedLUFS: lufs...lufs, label: "target")
    }
}
