import Foundation

/// One A/B slot's audio: the whole file decoded to stereo (a mono file becomes dual mono, as it
/// plays on two speakers) and resampled to the output rate, ahead of time, off the audio thread.
/// Immutable once built; the mixer's callback reads `samples` through a raw pointer.
public final class ABTrack: @unchecked Sendable {
    public let name: String
    public let sampleRate: Double
    /// The file's own rate before resampling.
    public let sourceRate: Double
    public let frames: Int
    /// Interleaved stereo, `frames × 2`.
    public let samples: UnsafeMutablePointer<Float>

    public var durationS: Double { Double(frames) / sampleRate }
    /// Bytes this slot holds.
    public var memoryBytes: Int { frames * 2 * MemoryLayout<Float>.size }

    /// Takes ownership of `samples`.
    public init(name: String, samples: UnsafeMutablePointer<Float>, frames: Int, sampleRate: Double, sourceRate: Double) {
        self.name = name; self.samples = samples; self.frames = frames
        self.sampleRate = sampleRate; self.sourceRate = sourceRate
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
        self.init(name: name, samples: result.samples, frames: result.frames, sampleRate: outputRate, sourceRate: rate)
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
        return ABTrack(name: name, samples: resampled.samples, frames: resampled.frames, sampleRate: outputRate,
                       sourceRate: reader.sampleRate)
    }

    /// Largest |sample| (silence check).
    public var samplePeak: Float {
        var peak: Float = 0
        for i in 0..<(frames * 2) { peak = max(peak, abs(samples[i])) }
        return peak
    }

    deinit { samples.deallocate() }
}
