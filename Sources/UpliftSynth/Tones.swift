import Foundation
import UpliftDSP

/// Conformance tones whose every parameter is known by construction: sines at a stated level,
/// seeded white and pink noise, silence. Output is interleaved stereo `Float` (L R L R …).
///
/// Levels: a sine's `levelDBFS` is its peak amplitude (0 dBFS = amplitude 1, the EBU Tech 3341
/// convention: a stereo 1 kHz sine at −23 dBFS reads −23 LUFS). Noise `levelDBFS` is RMS.
public enum Tones {
    /// How a tone occupies the two channels.
    public enum Placement: Sendable, Equatable {
        /// The same signal on both sides (correlation +1).
        case dualMono
        case leftOnly
        case rightOnly
        /// Right is the negated left (correlation −1).
        case antiPhase
        /// Noise: an independent draw per side (correlation ≈ 0). Sine: right lags 90°.
        case independent
    }

    public static func frameCount(durationS: Double, sampleRate: Double) -> Int {
        max(0, Int((durationS * sampleRate).rounded()))
    }

    /// A sine of `frequencyHz` with peak `levelDBFS`, starting at `phaseDegrees` (0 = sin(0)).
    public static func sine(frequencyHz: Double, levelDBFS: Double, durationS: Double, sampleRate: Double,
                            placement: Placement = .dualMono, phaseDegrees: Double = 0) -> [Float] {
        let frames = frameCount(durationS: durationS, sampleRate: sampleRate)
        let amplitude = pow(10, levelDBFS / 20)
        let step = 2 * Double.pi * frequencyHz / sampleRate
        let phase0 = phaseDegrees * Double.pi / 180
        var out = [Float](repeating: 0, count: frames * 2)
        for n in 0..<frames {
            // Phase from the frame index (not accumulated) so long tones do not drift.
            let x = step * Double(n) + phase0
            let left = amplitude * sin(x)
            let right: Double = switch placement {
            case .dualMono: left
            case .leftOnly: 0
            case .rightOnly: left
            case .antiPhase: -left
            case .independent: amplitude * sin(x - Double.pi / 2)
            }
            out[2 * n] = placement == .rightOnly ? 0 : Float(left)
            out[2 * n + 1] = Float(right)
        }
        return out
    }

    /// Gaussian-ish white noise (sum of uniforms), exactly `levelDBFS` RMS per channel, from `seed`.
    public static func whiteNoise(levelDBFS: Double, durationS: Double, sampleRate: Double,
                                  placement: Placement = .independent, seed: UInt64 = 1) -> [Float] {
        let frames = frameCount(durationS: durationS, sampleRate: sampleRate)
        var random = SeededRandom(seed: seed)
        var left = [Double](repeating: 0, count: frames)
        var right = [Double](repeating: 0, count: frames)
        for n in 0..<frames { left[n] = random.gaussianish() }
        if placement == .independent { for n in 0..<frames { right[n] = random.gaussianish() } }
        return interleave(left: left, right: right, levelDBFS: levelDBFS, placement: placement)
    }

    /// Pink noise (−3 dB per octave, Paul Kellet's filter on seeded white noise), `levelDBFS` RMS per channel.
    public static func pinkNoise(levelDBFS: Double, durationS: Double, sampleRate: Double,
                                 placement: Placement = .independent, seed: UInt64 = 1) -> [Float] {
        let frames = frameCount(durationS: durationS, sampleRate: sampleRate)
        var random = SeededRandom(seed: seed)
        func pink(_ count: Int) -> [Double] {
            var filter = PinkFilter()
            // Let the slowest pole settle before keeping samples, so the start is not quieter.
            for _ in 0..<4096 { _ = filter.process(random.gaussianish()) }
            return (0..<count).map { _ in filter.process(random.gaussianish()) }
        }
        let left = pink(frames)
        let right = placement == .independent ? pink(frames) : [Double](repeating: 0, count: frames)
        return interleave(left: left, right: right, levelDBFS: levelDBFS, placement: placement)
    }

    public static func silence(durationS: Double, sampleRate: Double) -> [Float] {
        [Float](repeating: 0, count: frameCount(durationS: durationS, sampleRate: sampleRate) * 2)
    }

    /// One stereo 1 kHz sine segment per `(levelDBFS, durationS)`, joined end to end with
    /// continuous phase: the multi-level EBU Tech 3341/3342 sequences.
    public static func sineSequence(frequencyHz: Double = 1000, segments: [(levelDBFS: Double, durationS: Double)],
                                    sampleRate: Double) -> [Float] {
        var out: [Float] = []
        var frameOffset = 0
        let step = 2 * Double.pi * frequencyHz / sampleRate
        for segment in segments {
            let frames = frameCount(durationS: segment.durationS, sampleRate: sampleRate)
            let amplitude = pow(10, segment.levelDBFS / 20)
            out.reserveCapacity(out.count + frames * 2)
            for n in 0..<frames {
                let value = Float(amplitude * sin(step * Double(frameOffset + n)))
                out.append(value); out.append(value)
            }
            frameOffset += frames
        }
        return out
    }

    private static func interleave(left: [Double], right: [Double], levelDBFS: Double, placement: Placement) -> [Float] {
        let frames = left.count
        func rms(_ x: [Double]) -> Double {
            guard !x.isEmpty else { return 1 }
            return (x.reduce(0) { $0 + $1 * $1 } / Double(x.count)).squareRoot()
        }
        let target = pow(10, levelDBFS / 20)
        let leftGain = target / max(rms(left), 1e-30)
        let rightGain = placement == .independent ? target / max(rms(right), 1e-30) : leftGain
        var out = [Float](repeating: 0, count: frames * 2)
        for n in 0..<frames {
            let l = left[n] * leftGain
            let r: Double = switch placement {
            case .dualMono, .rightOnly: l
            case .leftOnly: 0
            case .antiPhase: -l
            case .independent: right[n] * rightGain
            }
            out[2 * n] = placement == .rightOnly ? 0 : Float(l)
            out[2 * n + 1] = Float(r)
        }
        return out
    }
}

private extension SeededRandom {
    /// Uniform in [-1, 1).
    mutating func uniform() -> Double { unit() * 2 - 1 }

    /// Sum of four uniforms: bell-shaped, zero mean, bounded (no rare huge peaks).
    mutating func gaussianish() -> Double { uniform() + uniform() + uniform() + uniform() }
}

/// Paul Kellet's "refined" pink-noise filter: seven one-pole sections summed, accurate to
/// ±0.05 dB above 9.2 Hz at 44.1 kHz (the coefficients are his published ones).
private struct PinkFilter {
    var b0 = 0.0, b1 = 0.0, b2 = 0.0, b3 = 0.0, b4 = 0.0, b5 = 0.0, b6 = 0.0
    mutating func process(_ white: Double) -> Double {
        b0 = 0.99886 * b0 + white * 0.0555179
        b1 = 0.99332 * b1 + white * 0.0750759
        b2 = 0.96900 * b2 + white * 0.1538520
        b3 = 0.86650 * b3 + white * 0.3104856
        b4 = 0.55000 * b4 + white * 0.5329522
        b5 = -0.7616 * b5 - white * 0.0168980
        let out = b0 + b1 + b2 + b3 + b4 + b5 + b6 + white * 0.5362
        b6 = white * 0.115926
        return out
    }
}
