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

    /// Largest |sample| (silence check), measured as the frames were stored.
    public let samplePeak: Float

    /// Converts (and frees) `floats`, interleaved stereo at `sampleRate`.
    public init(name: String, floats: UnsafeMutablePointer<Float>, frames: Int, sampleRate: Double, sourceRate: Double) {
        self.name = name; self.frames = frames
        self.sampleRate = sampleRate; self.sourceRate = sourceRate
        samples = .allocate(capacity: max(1, frames * 2))
        samplePeak = Self.quantize(floats, count: frames * 2, into: samples)
        floats.deallocate()
    }

    /// Takes `samples` (interleaved stereo, already quantized, at least `frames × 2` long) as they are.
    init(name: String, quantized samples: UnsafeMutablePointer<Int16>, frames: Int, peak: Float, sampleRate: Double, sourceRate: Double) {
        self.name = name; self.frames = frames; self.samples = samples; self.samplePeak = peak
        self.sampleRate = sampleRate; self.sourceRate = sourceRate
    }

    /// Floats → the slot's 16-bit steps (non-finite values become silence); returns the largest |value| stored.
    /// Rounds half away from zero by truncating after ±0.5 (one instruction, where `rounded()` is a libm call).
    static func quantize(_ floats: UnsafePointer<Float>, count: Int, into out: UnsafeMutablePointer<Int16>) -> Float {
        let inverse = 1 / scale
        var peak: Int32 = 0
        for i in 0..<count {
            var v = floats[i] * inverse
            if v.isNaN { v = 0 }
            v = v < -32_768 ? -32_768 : (v > 32_767 ? 32_767 : v)
            let q = Int32(v < 0 ? v - 0.5 : v + 0.5)
            out[i] = Int16(truncatingIfNeeded: max(-32_768, min(32_767, q)))
            peak = max(peak, abs(q))
        }
        return Float(min(peak, 32_768)) * scale
    }

    /// `track`'s frames with `frames` replaced by `floats` (interleaved stereo at the track's rate): an
    /// audition's first seconds rendered into a copy of the mix, without quantizing the mix again.
    public init(name: String, copying track: ABTrack, replacing frames: Range<Int>, with floats: [Float]) {
        self.name = name; self.frames = track.frames
        self.sampleRate = track.sampleRate; self.sourceRate = track.sourceRate
        let copy = UnsafeMutablePointer<Int16>.allocate(capacity: max(1, track.frames * 2))
        copy.update(from: track.samples, count: track.frames * 2)
        let range = frames.clamped(to: 0..<track.frames)
        var peak = track.samplePeak
        if !range.isEmpty {
            let count = min(2 * range.count, floats.count)
            peak = max(peak, floats.withUnsafeBufferPointer { ABTrack.quantize($0.baseAddress!, count: count, into: copy + 2 * range.lowerBound) })
        }
        samples = copy
        samplePeak = peak
    }

    /// Copies interleaved stereo `interleaved` at `rate`, resampled to `outputRate`.
    public convenience init(name: String, interleaved: [Float], rate: Double, outputRate: Double) throws(AudioError) {
        let frames = interleaved.count / 2
        if rate == outputRate {
            let samples = UnsafeMutablePointer<Int16>.allocate(capacity: max(1, frames * 2))
            let peak = interleaved.withUnsafeBufferPointer { Self.quantize($0.baseAddress!, count: frames * 2, into: samples) }
            self.init(name: name, quantized: samples, frames: frames, peak: peak, sampleRate: outputRate, sourceRate: rate)
            return
        }
        let result: (samples: UnsafeMutablePointer<Float>, frames: Int)
        do {
            result = try interleaved.withUnsafeBufferPointer { buffer throws(AudioError) in
                try Resampler.resampleStereo(buffer.baseAddress!, frames: frames, fromRate: rate, toRate: outputRate)
            }
        }
        self.init(name: name, floats: result.samples, frames: result.frames, sampleRate: outputRate, sourceRate: rate)
    }

    /// Decodes `path` completely and resamples it to `outputRate`. At the file's own rate the frames go
    /// straight into the 16-bit slot a block at a time (no whole-file float copy: a third of the memory
    /// traffic); the header's length only sizes the first allocation, capped at 20 minutes.
    public static func load(path: String, outputRate: Double) throws(AudioError) -> ABTrack {
        let reader = try AudioFileReader(path: path, blockFrames: 8192)
        let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        let firstCapacity = max(1, min(reader.frameCount, Int(reader.sampleRate * 1200)))
        if reader.sampleRate == outputRate {
            var capacity = firstCapacity
            var samples = UnsafeMutablePointer<Int16>.allocate(capacity: capacity * 2)
            let block = UnsafeMutablePointer<Float>.allocate(capacity: 8192 * 2)
            defer { block.deallocate() }
            var filled = 0
            var peak: Float = 0
            do {
                while true {
                    let got = try reader.read(into: block, maxFrames: 8192)
                    if got == 0 { break }
                    if filled + got > capacity {
                        let bigger = UnsafeMutablePointer<Int16>.allocate(capacity: (capacity * 2 + 8192) * 2)
                        bigger.update(from: samples, count: filled * 2)
                        samples.deallocate()
                        samples = bigger
                        capacity = capacity * 2 + 8192
                    }
                    peak = max(peak, quantize(block, count: got * 2, into: samples + filled * 2))
                    filled += got
                }
            } catch {
                samples.deallocate()
                throw error
            }
            guard filled > 0 else {
                samples.deallocate()
                throw AudioError(.empty, "no audio in the file", path: path)
            }
            return ABTrack(name: name, quantized: samples, frames: filled, peak: peak, sampleRate: outputRate, sourceRate: reader.sampleRate)
        }
        var capacity = firstCapacity
        var buffer = UnsafeMutablePointer<Float>.allocate(capacity: capacity * 2)
        defer { buffer.deallocate() }
        var filled = 0
        while true {
            // Grow only when full (the header's length usually fits exactly).
            if filled == capacity {
                let bigger = UnsafeMutablePointer<Float>.allocate(capacity: (capacity * 2 + 8192) * 2)
                bigger.update(from: buffer, count: filled * 2)
                buffer.deallocate()
                buffer = bigger
                capacity = capacity * 2 + 8192
            }
            let got = try reader.read(into: buffer + filled * 2, maxFrames: min(8192, capacity - filled))
            if got == 0 { break }
            filled += got
        }
        guard filled > 0 else { throw AudioError(.empty, "no audio in the file", path: path) }
        let resampled = try Resampler.resampleStereo(buffer, frames: filled, fromRate: reader.sampleRate, toRate: outputRate)
        return ABTrack(name: name, floats: resampled.samples, frames: resampled.frames, sampleRate: outputRate,
                       sourceRate: reader.sampleRate)
    }

    deinit { samples.deallocate() }
}
