import Foundation
import Testing
import UpliftDSP
@testable import UpliftSimilarity

/// The augmentations on tones whose frequency and level are known.
@Suite("Augmentation")
struct AugmentationTests {
    static let sampleRate = 22_050.0
    static func sine(_ hz: Double, seconds: Double = 2, amplitude: Float = 0.5) -> [Float] {
        let n = Int(seconds * sampleRate)
        var out = [Float](repeating: 0, count: 2 * n)
        for i in 0..<n {
            let v = amplitude * Float(sin(2 * Double.pi * hz * Double(i) / sampleRate))
            out[2 * i] = v; out[2 * i + 1] = v
        }
        return out
    }
    /// Frequency from positive-going zero crossings of the left channel, away from the edges.
    static func frequency(_ samples: [Float]) -> Double {
        let left = stride(from: 0, to: samples.count, by: 2).map { samples[$0] }
        let from = left.count / 4, to = 3 * left.count / 4
        var crossings: [Double] = []
        for i in from..<to where left[i - 1] < 0 && left[i] >= 0 {
            crossings.append(Double(i - 1) + Double(-left[i - 1] / (left[i] - left[i - 1])))
        }
        return sampleRate * Double(crossings.count - 1) / (crossings.last! - crossings.first!)
    }

    @Test("pitch +3 st moves 440 Hz to 523 Hz and keeps the length (Rubber Band)")
    func pitch() {
        let out = Augmentation.pitch(semitones: 3).apply(to: Self.sine(440), sampleRate: Self.sampleRate, seed: 1)
        #expect(abs(out.count - Self.sine(440).count) < 2 * 1024)
        let f = Self.frequency(out)
        #expect(abs(f - 440 * pow(2, 3.0 / 12)) < 2, "measured \(f) Hz")
    }

    @Test("stretch ×1.1 shortens by 1/1.1 and keeps the pitch")
    func stretch() {
        let input = Self.sine(440)
        let out = Augmentation.stretch(rate: 1.1).apply(to: input, sampleRate: Self.sampleRate, seed: 1)
        let ratio = Double(out.count) / Double(input.count)
        #expect(abs(ratio - 1 / 1.1) < 0.02, "length ratio \(ratio)")
        #expect(abs(Self.frequency(out) - 440) < 2)
    }

    @Test("a composed copy shifts the pitch and stretches in one pass, then applies the gain")
    func composed() {
        let input = Self.sine(440)
        let out = Augmentation.apply([.pitch(semitones: 3), .stretch(rate: 1.1), .gain(dB: -6)], to: input,
                                     sampleRate: Self.sampleRate, seed: 1)
        let ratio = Double(out.count) / Double(input.count)
        #expect(abs(ratio - 1 / 1.1) < 0.02, "length ratio \(ratio)")
        let f = Self.frequency(out)
        #expect(abs(f - 440 * pow(2, 3.0 / 12)) < 2, "measured \(f) Hz")
        let peak = out[(out.count / 4)..<(3 * out.count / 4)].map { abs($0) }.max() ?? 0
        #expect(abs(Double(peak) - 0.5 * pow(10, -6.0 / 20)) < 0.05, "peak \(peak)")
        // Nothing to render: the input itself.
        #expect(Augmentation.apply([], to: input, sampleRate: Self.sampleRate, seed: 1) == input)
    }

    @Test("gain and noise: exact gain, noise of the asked RMS, same seed same noise")
    func gainAndNoise() {
        let input = Self.sine(440)
        let louder = Augmentation.gain(dB: 3).apply(to: input, sampleRate: Self.sampleRate, seed: 1)
        #expect(abs(louder[101] / input[101] - Float(pow(10, 3.0 / 20))) < 1e-5)
        let silence = [Float](repeating: 0, count: 40_000)
        let a = Augmentation.noise(amplitude: 0.01).apply(to: silence, sampleRate: Self.sampleRate, seed: 7)
        let b = Augmentation.noise(amplitude: 0.01).apply(to: silence, sampleRate: Self.sampleRate, seed: 7)
        #expect(a == b)
        let rms = (a.reduce(0) { $0 + Double($1 * $1) } / Double(a.count)).squareRoot()
        #expect(abs(rms - 0.01) < 0.0005)
    }

    @Test("random augmentations stay inside the safe ranges")
    func ranges() {
        var random = SeededRandom(seed: 3)
        for _ in 0..<200 {
            for kind in Augmentation.Kind.allCases {
                switch Augmentation.random(kind, using: &random) {
                case .pitch(let s): #expect(abs(s) >= 1 && abs(s) <= 3)
                case .stretch(let r): #expect(r >= 0.9 && r <= 1.1 && abs(r - 1) >= 0.03)
                case .noise(let a): #expect(a >= 0.001 && a <= 0.015)
                case .gain(let g): #expect(g >= -6 && g <= 3)
                }
            }
        }
    }
}
