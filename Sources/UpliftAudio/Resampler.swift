import Foundation
internal import CSoxr

/// Sample-rate conversion of interleaved stereo float audio by libsoxr at its "high quality"
/// setting (20-bit, passband to 91 % of Nyquist, linear phase). It runs ahead of time, off the
/// audio thread: the A/B mixer only ever reads frames already at the output device's rate.
public enum Resampler {
    /// `frames` stereo frames at `fromRate` → the same audio at `toRate` (a copy when the rates agree).
    /// The output length is `round(frames × toRate / fromRate)`.
    public static func resampleStereo(_ input: UnsafePointer<Float>, frames: Int, fromRate: Double, toRate: Double)
        throws(AudioError) -> (samples: UnsafeMutablePointer<Float>, frames: Int)
    {
        guard fromRate > 0, toRate > 0 else { throw AudioError(.invalidArgument, "sample rates must be positive") }
        let outFrames = Int((Double(frames) * toRate / fromRate).rounded())
        let out = UnsafeMutablePointer<Float>.allocate(capacity: max(1, outFrames) * 2)
        out.initialize(repeating: 0, count: max(1, outFrames) * 2)
        if fromRate == toRate {
            out.update(from: input, count: frames * 2)
            return (out, frames)
        }
        var io = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I)
        var quality = soxr_quality_spec(UInt(SOXR_HQ), 0)
        var done = 0
        let error = soxr_oneshot(fromRate, toRate, 2, input, frames, nil, out, outFrames, &done, &io, &quality, nil)
        if let error {
            out.deallocate()
            throw AudioError(.invalidArgument, "resampling \(Int(fromRate)) → \(Int(toRate)) Hz failed: \(String(cString: error))")
        }
        return (out, outFrames)
    }
}
