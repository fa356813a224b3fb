import Foundation
import Testing
import UpliftSynth

@Suite("Conformance tones")
struct TonesTests {
    func rms(_ x: [Float], channel: Int) -> Double {
        var sum = 0.0
        for i in stride(from: channel, to: x.count, by: 2) { sum += Double(x[i]) * Double(x[i]) }
        return (sum / Double(x.count / 2)).squareRoot()
    }

    @Test("a sine has its stated peak, frequency, length and placement")
    func sine() {
        let x = Tones.sine(frequencyHz: 1000, levelDBFS: -6, durationS: 0.5, sampleRate: 48_000)
        #expect(x.count == 48_000)
        let peak = x.map { abs($0) }.max()!
        #expect(abs(20 * log10(Double(peak)) - -6) < 0.01)
        // 1 kHz at 48 kHz: 48 samples per period, so sample 12 is the crest.
        #expect(abs(Double(x[2 * 12]) - pow(10, -6.0 / 20)) < 1e-6)
        #expect(abs(rms(x, channel: 0) - pow(10, -6.0 / 20) / 2.0.squareRoot()) < 1e-4)
        let inverted = Tones.sine(frequencyHz: 100, levelDBFS: 0, durationS: 0.1, sampleRate: 8000, placement: .antiPhase)
        #expect(stride(from: 0, to: inverted.count, by: 2).allSatisfy { inverted[$0] == -inverted[$0 + 1] })
        let left = Tones.sine(frequencyHz: 100, levelDBFS: 0, durationS: 0.1, sampleRate: 8000, placement: .leftOnly)
        #expect(rms(left, channel: 1) == 0 && rms(left, channel: 0) > 0.7)
    }

    @Test("noise is seeded, at its stated RMS level, and independent per side when asked")
    func noise() {
        let a = Tones.whiteNoise(levelDBFS: -20, durationS: 1, sampleRate: 44_100, seed: 7)
        let b = Tones.whiteNoise(levelDBFS: -20, durationS: 1, sampleRate: 44_100, seed: 7)
        let c = Tones.whiteNoise(levelDBFS: -20, durationS: 1, sampleRate: 44_100, seed: 8)
        #expect(a == b)
        #expect(a != c)
        #expect(abs(20 * log10(rms(a, channel: 0)) - -20) < 0.01)
        #expect(abs(20 * log10(rms(a, channel: 1)) - -20) < 0.01)
        var cross = 0.0
        for i in stride(from: 0, to: a.count, by: 2) { cross += Double(a[i]) * Double(a[i + 1]) }
        #expect(abs(cross / Double(a.count / 2)) / pow(rms(a, channel: 0), 2) < 0.02)
        let pink = Tones.pinkNoise(levelDBFS: -14, durationS: 1, sampleRate: 44_100, seed: 3)
        #expect(pink == Tones.pinkNoise(levelDBFS: -14, durationS: 1, sampleRate: 44_100, seed: 3))
        #expect(abs(20 * log10(rms(pink, channel: 0)) - -14) < 0.01)
    }

    @Test("pink noise falls about 3 dB per octave, white noise is flat")
    func pinkSlope() {
        // Energy in [f, 2f) via the difference of a one-pole split is awkward; use sums of
        // first differences instead: for pink noise, high-passed energy is a small share.
        func highShare(_ x: [Float]) -> Double {
            var total = 0.0, diff = 0.0
            for i in stride(from: 2, to: x.count, by: 2) {
                total += Double(x[i]) * Double(x[i])
                let d = Double(x[i] - x[i - 2])
                diff += d * d
            }
            return diff / total
        }
        let white = Tones.whiteNoise(levelDBFS: -20, durationS: 1, sampleRate: 44_100, seed: 1)
        let pink = Tones.pinkNoise(levelDBFS: -20, durationS: 1, sampleRate: 44_100, seed: 1)
        // A first difference has gain 4 sin²(πf/fs): white noise → 2.0 on average, pink far less.
        #expect(abs(highShare(white) - 2) < 0.05)
        #expect(highShare(pink) < 0.5)
    }

    @Test("silence is all zeros of the stated length")
    func silence() {
        let s = Tones.silence(durationS: 0.25, sampleRate: 8000)
        #expect(s.count == 4000 && s.allSatisfy { $0 == 0 })
    }
}
