import Foundation
import UpliftDSP

/// BS.1770 loudness of an A/B slot's frames as they play (stereo at the output rate, so a mono
/// file counts as dual mono): K-weighted 400 ms blocks every 100 ms, gated at −70 LUFS and
/// −10 LU for the integrated figure; true peak by the 4× interpolator of `UpliftDSP`.
public enum ABLoudness {
    public struct Reading: Sendable, Equatable {
        public var loudnessLUFS: Double
        public var truePeakDBTP: Double
        public init(loudnessLUFS: Double, truePeakDBTP: Double) { self.loudnessLUFS = loudnessLUFS; self.truePeakDBTP = truePeakDBTP }
    }

    /// Gated loudness of `range` (frames; the whole track when `nil`) and its true peak.
    public static func measure(_ track: ABTrack, range: Range<Int>? = nil) -> Reading {
        let span = (range ?? 0..<track.frames).clamped(to: 0..<track.frames)
        let rate = track.sampleRate
        let shelf = KWeighting.shelf(sampleRate: rate), highPass = KWeighting.highPass(sampleRate: rate)
        var filters = [Biquad(shelf), Biquad(highPass), Biquad(shelf), Biquad(highPass)]
        let step = max(1, Int(rate / 10))
        var stepPowers: [Double] = []
        var sum = 0.0, filled = 0
        for frame in span {
            let l = filters[1].process(filters[0].process(Double(track.sample(2 * frame))))
            let r = filters[3].process(filters[2].process(Double(track.sample(2 * frame + 1))))
            sum += l * l + r * r
            filled += 1
            if filled == step { stepPowers.append(sum / Double(step)); sum = 0; filled = 0 }
        }
        var blocks: [Double] = []
        if stepPowers.count >= 4 {
            for i in 3..<stepPowers.count { blocks.append((stepPowers[i - 3] + stepPowers[i - 2] + stepPowers[i - 1] + stepPowers[i]) / 4) }
        } else if !stepPowers.isEmpty {
            blocks = [stepPowers.reduce(0, +) / Double(stepPowers.count)]
        }
        func lufs(_ power: Double) -> Double { power > 0 ? -0.691 + 10 * log10(power) : -.infinity }
        let absolute = blocks.filter { lufs($0) > -70 }
        var loudness = -Double.infinity
        if !absolute.isEmpty {
            let gate = lufs(absolute.reduce(0, +) / Double(absolute.count)) - 10
            let gated = absolute.filter { lufs($0) > gate }
            if !gated.isEmpty { loudness = lufs(gated.reduce(0, +) / Double(gated.count)) }
        }
        return Reading(loudnessLUFS: loudness, truePeakDBTP: truePeak(track, span))
    }

    static func truePeak(_ track: ABTrack, _ span: Range<Int>) -> Double {
        let block = 4096, history = TruePeakInterpolator.tapsPerPhase - 1
        let interpolator = TruePeakInterpolator(maxFrames: block)
        var channel = [Float](repeating: 0, count: block + history)
        var peak: Float = 0
        for c in 0..<2 {
            for i in 0..<history { channel[i] = 0 }
            var start = span.lowerBound
            while start < span.upperBound {
                let n = min(block, span.upperBound - start)
                for i in 0..<n { channel[history + i] = track.sample(2 * (start + i) + c) }
                channel.withUnsafeBufferPointer { peak = max(peak, interpolator.peak(of: $0.baseAddress!, from: history, to: history + n)) }
                for i in 0..<history { channel[i] = channel[n + i] }
                start += n
            }
        }
        return peak > 0 ? 20 * log10(Double(peak)) : -.infinity
    }
}
