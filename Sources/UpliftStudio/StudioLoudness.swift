import UpliftAnalysis
import UpliftDSP

/// The loudness meter the studio's Loudness pane shows, for every source (file, device, pipe):
/// the BS.1770 `LoudnessMeter` in live mode (bounded histograms, no per-track storage).
/// `LiveAnalyzer` feeds it hops and copies its readings into each snapshot.
public enum StudioLoudness {
    public static func meter(sampleRate: Double) -> (any LiveLoudnessSource)? {
        guard let format = try? STFTFormat(sampleRate: sampleRate) else { return nil }
        return LoudnessMeter(format: format, expectedFrames: nil)
    }
}
