import Foundation
import Testing
@testable import UpliftGaps

/// Uplift's models of EQ Eight, Utility, a compressor and the Limiter against responses computed
/// independently: each RBJ cookbook design is the bilinear transform of an analog prototype
/// (prewarped at the band's frequency), so the prototype evaluated at Ω = tan(πf/fs) / tan(πf0/fs)
/// is the digital response; a Butterworth cut of order n is |H|² = 1 / (1 + Ω^∓2n) under the same map.
@Suite struct DeviceModelTests {
    static let sampleRate = 48_000.0
    static let frequencies: [Double] = (0..<60).map { 20 * pow(2, Double($0) / 6) }.filter { $0 < 22_000 }

    /// |H(jΩ)| of an analog biquad (b2 s² + b1 s + b0) / (a2 s² + a1 s + a0), dB.
    func analogDB(_ b: (Double, Double, Double), _ a: (Double, Double, Double), omega w: Double) -> Double {
        let nr = b.0 - b.2 * w * w, ni = b.1 * w
        let dr = a.0 - a.2 * w * w, di = a.1 * w
        return 10 * log10((nr * nr + ni * ni) / (dr * dr + di * di))
    }

    func omega(_ f: Double, _ f0: Double) -> Double { tan(Double.pi * f / Self.sampleRate) / tan(Double.pi * f0 / Self.sampleRate) }

    /// The RBJ analog prototypes (Audio EQ Cookbook), A = 10^(gain/40).
    func prototypeDB(_ kind: EQEightBand.Kind, f: Double, f0: Double, gainDB g: Double, q: Double) -> Double {
        let a = pow(10, g / 40), w = omega(f, f0), sa = a.squareRoot()
        switch kind {
        case .bell: return analogDB((1, a / q, 1), (1, 1 / (a * q), 1), omega: w)
        case .notch: return analogDB((1, 0, 1), (1, 1 / q, 1), omega: w)
        case .lowShelf: return 20 * log10(a) + analogDB((a, sa / q, 1), (1, sa / q, a), omega: w)
        case .highShelf: return 20 * log10(a) + analogDB((1, sa / q, a), (a, sa / q, 1), omega: w)
        default: fatalError("not a cookbook shape")
        }
    }

    @Test(arguments: [EQEightBand.Kind.bell, .lowShelf, .highShelf, .notch])
    func cookbookShapesMatchTheirPrototypesWithinATenthOfADB(kind: EQEightBand.Kind) {
        var worst = 0.0
        for f0 in [60.0, 250, 1000, 4000, 12_000] {
            for gain in kind == .notch ? [0.0] : [-12.0, -6, -1.5, 3, 9, 15] {
                for q in [0.3, 0.71, 1.4, 4, 10] {
                    let band = EQEightBand(kind, frequencyHz: f0, gainDB: gain, q: q)
                    for f in Self.frequencies where abs(f - f0) > 0.01 {
                        let expected = prototypeDB(kind, f: f, f0: f0, gainDB: gain, q: q)
                        guard expected > -60 else { continue } // the notch's floor: only its depth, not its exact value, matters
                        worst = max(worst, abs(band.responseDB(atHz: f, sampleRate: Self.sampleRate) - expected))
                    }
                }
            }
        }
        #expect(worst < 0.1, "\(kind): worst departure \(worst) dB")
    }

    @Test(arguments: [(EQEightBand.Kind.lowCut12, 2), (.lowCut48, 8), (.highCut12, 2), (.highCut48, 8)])
    func cutsAreButterworthOfTheirOrder(kind: EQEightBand.Kind, order: Int) {
        var worst = 0.0
        for fc in [30.0, 120, 1000, 8000] {
            let band = EQEightBand(kind, frequencyHz: fc, q: 0.5.squareRoot())
            for f in Self.frequencies {
                let w = omega(f, fc)
                let x = kind == .lowCut12 || kind == .lowCut48 ? 1 / w : w
                let expected = -10 * log10(1 + pow(x, Double(2 * order)))
                guard expected > -120 else { continue }
                worst = max(worst, abs(band.responseDB(atHz: f, sampleRate: Self.sampleRate) - expected))
            }
            // −3 dB at the cutoff, and the slope an octave further into the stop band.
            #expect(abs(band.responseDB(atHz: fc, sampleRate: Self.sampleRate) + 3.01) < 0.05)
        }
        #expect(worst < 0.1, "\(kind): worst departure \(worst) dB")
        let deep = EQEightBand(kind, frequencyHz: 1000, q: 0.5.squareRoot())
        let far = kind == .lowCut12 || kind == .lowCut48 ? 125.0 : 8000.0 // three octaves into the stop band
        let slope = -deep.responseDB(atHz: far, sampleRate: Self.sampleRate) / 3
        #expect(abs(slope - 6 * Double(order)) < (kind == .highCut48 || kind == .highCut12 ? 8 : 1), "\(kind): \(slope) dB/oct")
    }

    /// The processing path, not only the coefficients: a steady sine through the model comes out at the response.
    @Test func processedSinesComeOutAtTheResponse() {
        let bands = [EQEightBand(.bell, frequencyHz: 1000, gainDB: -6, q: 1.2), EQEightBand(.lowCut48, frequencyHz: 40),
                     EQEightBand(.highShelf, frequencyHz: 6000, gainDB: 3)]
        for f in [50.0, 300, 1000, 2500, 9000] {
            var model = EQEightModel(bands: bands, sampleRate: Self.sampleRate)
            let n = Int(Self.sampleRate)
            var x = [Float](repeating: 0, count: 2 * n)
            for i in 0..<n { let v = Float(0.5 * sin(2 * Double.pi * f * Double(i) / Self.sampleRate)); x[2 * i] = v; x[2 * i + 1] = v }
            let input = x
            model.process(&x, range: 0..<x.count, firstFrame: 0)
            func rms(_ v: [Float]) -> Double {
                let tail = v[(v.count / 2)...]
                return (tail.reduce(0.0) { $0 + Double($1 * $1) } / Double(tail.count)).squareRoot()
            }
            let measured = 20 * log10(rms(x) / rms(input))
            let expected = bands.reduce(0) { $0 + $1.responseDB(atHz: f, sampleRate: Self.sampleRate) }
            #expect(abs(measured - expected) < 0.1, "\(f) Hz: \(measured) vs \(expected) dB")
        }
    }

    /// A known mid/side signal: mid a 440 Hz sine, side a 660 Hz sine (and a 50 Hz one for Bass Mono).
    @Test func utilityScalesTheSideAndLeavesTheMid() {
        let n = Int(Self.sampleRate)
        func signal() -> [Float] {
            var x = [Float](repeating: 0, count: 2 * n)
            for i in 0..<n {
                let t = Double(i) / Self.sampleRate
                let m = 0.4 * sin(2 * Double.pi * 440 * t), s = 0.2 * sin(2 * Double.pi * 660 * t) + 0.2 * sin(2 * Double.pi * 50 * t)
                x[2 * i] = Float(m + s); x[2 * i + 1] = Float(m - s)
            }
            return x
        }
        /// Amplitude of a sine at `hz` in mid or side over the second half (projection).
        func amplitude(_ x: [Float], hz: Double, side: Bool) -> Double {
            var c = 0.0, s = 0.0
            for i in (n / 2)..<n {
                let v = side ? Double(x[2 * i] - x[2 * i + 1]) / 2 : Double(x[2 * i] + x[2 * i + 1]) / 2
                let p = 2 * Double.pi * hz * Double(i) / Self.sampleRate
                c += v * cos(p); s += v * sin(p)
            }
            return 2 * (c * c + s * s).squareRoot() / Double(n - n / 2)
        }
        for width in [0.0, 50, 150, 200] {
            var u = UtilityModel(widthPercent: width, gainDB: -6, sampleRate: Self.sampleRate)
            var x = signal()
            u.process(&x, range: 0..<x.count, firstFrame: 0)
            let g = pow(10, -6.0 / 20)
            #expect(abs(amplitude(x, hz: 440, side: false) - 0.4 * g) < 1e-3)
            #expect(abs(amplitude(x, hz: 660, side: true) - 0.2 * g * width / 100) < 1e-3, "width \(width)")
            #expect(amplitude(x, hz: 440, side: true) < 1e-3 && amplitude(x, hz: 660, side: false) < 1e-3)
        }
        var mono = UtilityModel(bassMonoHz: 120, sampleRate: Self.sampleRate)
        var x = signal()
        mono.process(&x, range: 0..<x.count, firstFrame: 0)
        #expect(20 * log10(amplitude(x, hz: 50, side: true) / 0.2) < -12, "the side at 50 Hz goes (nearly) mono below 120 Hz")
        #expect(abs(20 * log10(amplitude(x, hz: 660, side: true) / 0.2)) < 0.3, "the side at 660 Hz stays")
    }

    @Test func compressorFollowsItsStaticCurveAndBallistics() {
        let sr = Self.sampleRate
        for (threshold, ratio) in [(-20.0, 4.0), (-10, 2), (-30, 10)] {
            for inputDB in stride(from: -40.0, through: 0, by: 5) {
                var c = CompressorModel(thresholdDB: threshold, ratio: ratio, attackMS: 1, releaseMS: 50, sampleRate: sr)
                let level = Float(pow(10, inputDB / 20))
                var x = [Float](repeating: level, count: 2 * Int(0.2 * sr))
                c.process(&x, range: 0..<x.count, firstFrame: 0)
                let out = 20 * log10(Double(x[x.count - 1]))
                let expected = inputDB <= threshold ? inputDB : threshold + (inputDB - threshold) / ratio
                #expect(abs(out - expected) < 0.05, "T \(threshold) R \(ratio): in \(inputDB) out \(out), curve \(expected)")
                #expect(abs(c.staticOutputDB(inputDB: inputDB) - expected) < 1e-9)
            }
        }
        // Attack: 63 % of the reduction reached after the attack time.
        var c = CompressorModel(thresholdDB: -20, ratio: 4, attackMS: 10, releaseMS: 100, sampleRate: sr)
        var x = [Float](repeating: 1, count: 2 * Int(0.1 * sr))
        c.process(&x, range: 0..<x.count, firstFrame: 0)
        let atAttack = -20 * log10(Double(x[2 * Int(0.010 * sr)]))
        #expect(abs(atAttack - 15 * (1 - exp(-1))) < 0.3, "\(atAttack) dB after 10 ms")
        // A key signal drives the gain: a quiet input under a loud key is ducked.
        let key = [Float](repeating: 1, count: Int(0.2 * sr))
        var keyed = CompressorModel(thresholdDB: -20, ratio: 4, attackMS: 1, releaseMS: 50, key: key, sampleRate: sr)
        var quiet = [Float](repeating: 0.01, count: 2 * Int(0.2 * sr))
        keyed.process(&quiet, range: 0..<quiet.count, firstFrame: 0)
        #expect(abs(20 * log10(Double(quiet.last!) / 0.01) + 15) < 0.1)
    }

    @Test func limiterHoldsTheCeiling() {
        let sr = Self.sampleRate
        var l = LimiterModel(gainDB: 6, ceilingDB: -1, sampleRate: sr)
        var x = (0..<Int(sr)).flatMap { i -> [Float] in
            let v = Float(0.9 * sin(2 * Double.pi * 100 * Double(i) / sr) * (i % 4800 < 200 ? 1 : 0.3))
            return [v, -v]
        }
        l.process(&x, range: 0..<x.count, firstFrame: 0)
        let peak = x.map { abs(Double($0)) }.max()!
        #expect(20 * log10(peak) <= -1 + 1e-6, "peak \(20 * log10(peak)) dBFS")
        #expect(20 * log10(peak) > -2, "the limiter does not pull everything far below the ceiling")
    }
}
