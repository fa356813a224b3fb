import Foundation
import UpliftDSP

/// One-shot drum sounds, rendered once per track and mixed in at every hit.
enum DrumShots {
    /// Sine kick: pitch falling from 160 Hz to 50 Hz, 120 ms decay, a 2 ms click on top.
    static func kick(sampleRate sr: Double, random: inout SynthRandom) -> [Float] {
        let n = Int(0.32 * sr)
        var out = [Float](repeating: 0, count: n)
        var phase = 0.0
        for i in 0..<n {
            let t = Double(i) / sr
            let f = 50 + 110 * exp(-t / 0.025)
            phase += f / sr
            let amp = min(1, t / 0.001) * exp(-t / 0.12)
            let click = Double(random.bipolar()) * 0.35 * exp(-t / 0.0015)
            out[i] = Float(sin(2 * .pi * phase) * amp + click)
        }
        fadeOut(&out, seconds: 0.01, sampleRate: sr)
        return out
    }

    /// Open hi-hat: noise high-passed twice at 7 kHz (or 0.35 × the rate), 60 ms decay.
    static func openHat(sampleRate sr: Double, random: inout SynthRandom) -> [Float] {
        noiseShot(seconds: 0.22, sampleRate: sr, random: &random,
                  filters: [.highPass, .highPass], frequencyHz: min(7000, 0.35 * sr), q: 0.7) { t in exp(-t / 0.06) }
    }

    /// Closed hi-hat: like the open one, 15 ms decay.
    static func closedHat(sampleRate sr: Double, random: inout SynthRandom) -> [Float] {
        noiseShot(seconds: 0.06, sampleRate: sr, random: &random,
                  filters: [.highPass, .highPass], frequencyHz: min(8000, 0.38 * sr), q: 0.7) { t in exp(-t / 0.015) }
    }

    /// Clap: three 8 ms-spaced noise bursts and a 50 ms tail, band-passed around 1.8 kHz.
    static func clap(sampleRate sr: Double, random: inout SynthRandom) -> [Float] {
        noiseShot(seconds: 0.25, sampleRate: sr, random: &random,
                  filters: [.bandPass], frequencyHz: 1800, q: 1.2) { t in
            if t < 0.024 { return exp(-(t.truncatingRemainder(dividingBy: 0.008)) / 0.003) }
            return exp(-(t - 0.024) / 0.05)
        }
    }

    /// Snare: a 190 Hz body and band-passed noise around 3 kHz.
    static func snare(sampleRate sr: Double, random: inout SynthRandom) -> [Float] {
        var out = noiseShot(seconds: 0.25, sampleRate: sr, random: &random,
                            filters: [.bandPass], frequencyHz: min(3000, 0.4 * sr), q: 0.8) { t in exp(-t / 0.07) * 1.4 }
        for i in 0..<out.count {
            let t = Double(i) / sr
            out[i] += Float(sin(2 * .pi * 190 * t) * exp(-t / 0.05) * 0.6)
        }
        return out
    }

    private enum FilterKind { case highPass, bandPass }

    private static func noiseShot(seconds: Double, sampleRate sr: Double, random: inout SynthRandom,
                                  filters: [FilterKind], frequencyHz: Double, q: Double,
                                  envelope: (Double) -> Double) -> [Float] {
        let n = Int(seconds * sr)
        var out = [Float](repeating: 0, count: n)
        var sections = filters.map { kind -> Biquad in
            switch kind {
            case .highPass: return Biquad(BiquadCoefficients(.highPass, frequencyHz: frequencyHz, q: q, sampleRate: sr))
            case .bandPass: return Biquad(BiquadCoefficients(.bandPass, frequencyHz: frequencyHz, q: q, sampleRate: sr))
            }
        }
        for i in 0..<n {
            var x = Double(random.bipolar())
            for s in sections.indices { x = sections[s].process(x) }
            out[i] = Float(x * envelope(Double(i) / sr))
        }
        fadeOut(&out, seconds: 0.005, sampleRate: sr)
        return out
    }

    static func fadeOut(_ x: inout [Float], seconds: Double, sampleRate: Double) {
        let n = min(x.count, Int(seconds * sampleRate))
        guard n > 0 else { return }
        for i in 0..<n { x[x.count - 1 - i] *= Float(i) / Float(n) }
    }
}

/// Band-limited saw with polyBLEP edges; `phase` in [0, 1).
@inline(__always)
func polyBLEPSaw(phase t: Double, increment dt: Double) -> Double {
    var v = 2 * t - 1
    if t < dt {
        let x = t / dt; v -= x + x - x * x - 1
    } else if t > 1 - dt {
        let x = (t - 1) / dt; v -= x * x + x + x + 1
    }
    return v
}

/// Band-limited square from two saws half a cycle apart.
@inline(__always)
func polyBLEPSquare(phase t: Double, increment dt: Double) -> Double {
    var t2 = t + 0.5
    if t2 >= 1 { t2 -= 1 }
    return polyBLEPSaw(phase: t, increment: dt) - polyBLEPSaw(phase: t2, increment: dt)
}

/// Topology-preserving-transform state-variable filter (Zavalishin / Simper): stable under fast
/// cutoff modulation, which the pad filter opening needs.
struct StateVariableFilter {
    private var a1 = 0.0, a2 = 0.0, a3 = 0.0
    private var ic1 = 0.0, ic2 = 0.0

    mutating func set(cutoffHz: Double, q: Double, sampleRate: Double) {
        let g = tan(Double.pi * min(cutoffHz, 0.45 * sampleRate) / sampleRate)
        let k = 1 / q
        a1 = 1 / (1 + g * (g + k)); a2 = g * a1; a3 = g * a2
    }

    /// Returns (low-pass, band-pass).
    @inline(__always)
    mutating func process(_ x: Double) -> (Double, Double) {
        let v3 = x - ic2
        let v1 = a1 * ic1 + a2 * v3
        let v2 = ic2 + a2 * ic1 + a3 * v3
        ic1 = 2 * v1 - ic1
        ic2 = 2 * v2 - ic2
        return (v2, v1)
    }
}

/// Four one-pole TPT low-pass stages with global feedback, solved without a unit delay (a linear
/// zero-delay-feedback ladder). `feedback` 0…4; 4 self-oscillates.
struct LadderFilter {
    private var s1 = 0.0, s2 = 0.0, s3 = 0.0, s4 = 0.0
    private var g = 0.0, bigG = 0.0
    var feedback = 0.0

    mutating func set(cutoffHz: Double, sampleRate: Double) {
        g = tan(Double.pi * min(cutoffHz, 0.45 * sampleRate) / sampleRate)
        bigG = g / (1 + g)
    }

    @inline(__always)
    mutating func process(_ x: Double) -> Double {
        let gg = bigG, inv = 1 / (1 + g)
        // Output of the chain as an affine function of its input u: y4 = G⁴u + S.
        let sum = gg * gg * gg * s1 * inv + gg * gg * s2 * inv + gg * s3 * inv + s4 * inv
        let y4 = (gg * gg * gg * gg * x + sum) / (1 + feedback * gg * gg * gg * gg)
        var u = x - feedback * y4
        u = tanh(u)  // the 303's input stage saturates; keeps high resonance bounded
        var v = (u - s1) * gg; let y1 = v + s1; s1 = y1 + v
        v = (y1 - s2) * gg; let y2 = v + s2; s2 = y2 + v
        v = (y2 - s3) * gg; let y3 = v + s3; s3 = y3 + v
        v = (y3 - s4) * gg; let y = v + s4; s4 = y + v
        return y
    }
}

@inline(__always) func dbToGain(_ db: Double) -> Double { pow(10, db / 20) }
@inline(__always) func midiToHz(_ note: Double) -> Double { 440 * pow(2, (note - 69) / 12) }
