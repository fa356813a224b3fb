import Foundation

/// One A/B slot's audio: the whole file decoded to stereo (a mono file becomes dual mono, as it
/// plays on two speakers) and resampled to the output rate, ahead of time, off the audio thread.
/// Immutable once built; the mixer's callback reads `samples` through a raw pointer.
///
/// Frames are kept as 16-bit integers scaled to ±2.0 (6 dB of headroom above full scale for
/// hot masters and inter-sample overs; rounding noise ~−96 dB under full scale): a five-minute
/// slot at 48 kHz is 58 MB instead of 115 MB as floats.
public final class ABTrack: @unchecked Sendable {
    public let name: String
    public let sampleRate: Double
    /// The file's own rate before resampling.
    public let sourceRate: Double
    public let frames: Int
    /// Interleaved stereo, `frames × 2`, each `value / scale` rounded (read them with `sample(_:)`).
    public let samples: UnsafeMutablePointer<Int16>
    /// What one step of `samples` is worth.
    public static let scale: Float = 1.0 / 16_384

    public var durationS: Double { Double(frames) / sampleRate }
    /// Bytes this slot holds.
    public var memoryBytes: Int { frames * 2 * MemoryLayout<Int16>.size }

    /// Sample `index` of the interleaved frames (frame × 2 + channel), as a float.
    @inline(__always)
    public func sample(_ index: Int) -> Float { Float(samples[index]) * Self.scale }

    /// Converts (and frees) `floats`, interleaved stereo at `sampleRate`.
    public init(name: String, floats: UnsafeMutablePointer<Float>, frames: Int, sampleRate: Double, sourceRate: Double) {
        self.name = name; self.frames = frames
        self.sampleRate = sampleRate; self.sourceRate = sourceRate
        samples = .allocate(capacity: max(1, frames * 2))
        let inverse = 1 / Self.scale
        for i in 0..<(frames * 2) {
            let v = (floats[i] * inverse).rounded()
            samples[i] = Int16(max(-32_768, min(32_767, v.isFinite ? v : 0)))
        }
        floats.deallocate()
    }

    /// Copies interleaved stereo `interleaved` at `rate`, resampled to `outputRate`.
    public convenience init(name: String, interleaved: [Float], rate: Double, outputRate: Double) throws(AudioError) {
        let frames = interleaved.count / 2
        let result: (samples: UnsafeMutablePointer<Float>, frames: Int)
        do {
            result = try interleaved.withUnsafeBufferPointer { buffer throws(AudioError) in
                try Resampler.resampleStereo(buffer.baseAddress!, frames: frames, fromRate: rate, toRate: outputRate)
            }
        }
        self.init(name: name, floats: result.samples, frames: result.frames, sampleRate: outputRate, sourceRate: rate)
    }

    /// Decodes `path` completely and resamples it to `outputRate`.
    public static func load(path: String, outputRate: Double) throws(AudioError) -> ABTrack {
        let reader = try AudioFileReader(path: path, blockFrames: 8192)
        var capacity = max(reader.frameCount, 1)
        var buffer = UnsafeMutablePointer<Float>.allocate(capacity: capacity * 2)
        defer { buffer.deallocate() }
        var filled = 0
        while true {
            if filled + 8192 > capacity {
                let bigger = UnsafeMutablePointer<Float>.allocate(capacity: (capacity * 2 + 8192) * 2)
                bigger.update(from: buffer, count: filled * 2)
                buffer.deallocate()
                buffer = bigger
                capacity = capacity * 2 + 8192
            }
            let got = try reader.read(into: buffer + filled * 2, maxFrames: 8192)
            if got == 0 { break }
            filled += got
        }
        guard filled > 0 else { throw AudioError(.empty, "no audio in the file", path: path) }
        let resampled = try Resampler.resampleStereo(buffer, frames: filled, fromRate: reader.sampleRate, toRate: outputRate)
        let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        return ABTrack(name: name, floats: resampled.samples, frames: resampled.frames, sampleRate: outputRate,
                       sourceRate: reader.sampleRate)
    }

    /// Largest |sample| (silence check).
    public var samplePeak: Float {
        var peak: Float = 0
        for i in 0..<(frames * 2) { peak = max(peak, abs(sample(i))) }
        return peak
    }

    deinit { samples.deallocate() }
}
