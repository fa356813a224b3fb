import Foundation
import Testing
import UpliftDSP

@Suite("True-peak interpolator")
struct TruePeakInterpolatorTests {
    /// The interpolated peak of a sine whose samples miss its crest must find the crest.
    @Test("finds the crest of sines between samples up to 0.35 fs", arguments: [0.01, 0.05, 0.125, 0.2, 0.25, 0.3, 0.35])
    func findsCrest(fraction: Double) {
        let n = 1024
        let interpolator = TruePeakInterpolator(maxFrames: n)
        var worst: Float = 1
        // Several phase offsets so the crest falls at different places between samples.
        for phase in stride(from: 0.0, to: 1.0, by: 0.125) {
            let samples = (0..<n).map { Float(sin(2 * Double.pi * (fraction * Double($0) + phase))) }
            let peak = samples.withUnsafeBufferPointer { interpolator.peak(of: $0.baseAddress!, from: 64, to: n) }
            worst = min(worst, peak)
            #expect(peak < 1.012, "\(fraction) fs phase \(phase): overshoot \(peak)")
        }
        // Four points per sample period land within 45° (of the sample period) of the crest.
        #expect(20 * log10(worst) > -0.4, "\(fraction) fs: \(worst)")
        // And the sample peak alone can be far lower: the interpolation is doing the work.
    }

    @Test("reads +3 dB where the samples of an fs/4 sine at 45° read 0 dBFS")
    func interSamplePeak() {
        let interpolator = TruePeakInterpolator(maxFrames: 512)
        let samples = (0..<600).map { Float(1.41 * sin(Double.pi / 2 * Double($0) + Double.pi / 4)) }
        let samplePeak = samples.map { abs($0) }.max()!
        let truePeak = samples.withUnsafeBufferPointer { interpolator.peak(of: $0.baseAddress!, from: 64, to: 576) }
        #expect(abs(20 * log10(samplePeak)) < 0.05)
        #expect(abs(20 * log10(truePeak) - 3) < 0.2)
    }

    @Test("the gain bound really bounds every phase")
    func gainBound() {
        let interpolator = TruePeakInterpolator(maxFrames: 16)
        #expect(interpolator.gainBound >= 1 && interpolator.gainBound < 2, "\(interpolator.gainBound)")
        // Worst case input for each phase: ±1 with the signs of that phase's taps.
        for p in 0..<4 {
            // Output at index 15 reads samples 15 - j for tap j.
            var samples = [Float](repeating: 0, count: 16)
            for j in 0..<16 { samples[15 - j] = interpolator.tap(phase: p, index: j) >= 0 ? 1 : -1 }
            let peak = samples.withUnsafeBufferPointer { interpolator.peak(of: $0.baseAddress!, from: 15, to: 16) }
            #expect(peak <= interpolator.gainBound)
            #expect(peak > 1.05, "phase \(p): the bound is reachable, not loose by construction")
        }
    }
}
