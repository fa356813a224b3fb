import UpliftAnalysis

/// The loudness meter the studio's Loudness pane shows, for every source (file, device, pipe).
/// `LiveAnalyzer` feeds it hops and copies its readings into each snapshot.
enum StudioLoudness {
    /// `nil` until the BS.1770 meter (issue 2's `LoudnessMeter`, conforming to `LiveLoudnessSource`)
    /// is in the build: return it from here and every session's Loudness pane shows it.
    static func meter(sampleRate: Double) -> (any LiveLoudnessSource)? {
        nil
    }
}
