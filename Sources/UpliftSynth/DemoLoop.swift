import Foundation

/// A simple four-on-the-floor loop (kick, side-chained pad chord, off-beat bass and hats) for the
/// bundled samples and the benchmark, until the full trance synthesizer lands.
///
/// Every sample is a pure function of its frame index, so any stretch can be rendered on its
/// own (`render(into:frameCount:startFrame:)`): a 5-minute benchmark signal streams to disk in
/// blocks instead of sitting in memory.
public struct DemoLoop: Sendable {
    public var bpm: Double
    public var sampleRate: Double
    /// Frequencies of the pad chord (default A minor: A3 C4 E4).
    public var chordHz: [Double]
    public var bassHz: Double
    /// Duck depth of the pad under each kick, in dB (0 = no sidechain).
    public var sidechainDepthDB: Double
    /// Overall gain in dB applied to the mix.
    public var gainDB: Double
    public var includeHats: Bool

    public init(bpm: Double = 138, sampleRate: Double = 44_100, chordHz: [Double] = [220.0, 261.63, 329.63],
                bassHz: Double = 55, sidechainDepthDB: Double = 9, gainDB: Double = -6, includeHats: Bool = true) {
        self.bpm = bpm; self.sampleRate = sampleRate; self.chordHz = chordHz; self.bassHz = bassHz
        self.sidechainDepthDB = sidechainDepthDB; self.gainDB = gainDB; self.includeHats = includeHats
    }

    public var framesPerBeat: Double { sampleRate * 60 / bpm }

    /// Renders `frameCount` interleaved stereo frames starting at absolute frame `startFrame`.
    public func render(into stereo: UnsafeMutablePointer<Float>, frameCount: Int, startFrame: Int) {
        let gain = pow(10, gainDB / 20)
        let duckFloor = pow(10, -sidechainDepthDB / 20)
        let beatFrames = framesPerBeat
        for i in 0..<frameCount {
            let frame = startFrame + i
            let t = Double(frame) / sampleRate
            let beatPosition = Double(frame) / beatFrames
            let sinceBeatS = (beatPosition - beatPosition.rounded(.down)) * beatFrames / sampleRate
            let beatFraction = beatPosition - beatPosition.rounded(.down)

            // Kick: a pitch sweep 150 → 45 Hz with a fast exponential decay; its phase is the
            // integral of the sweep so it starts at zero on the beat (no click).
            let sweepTau = 0.03
            let kickPhase = 2 * Double.pi * (45 * sinceBeatS + 105 * sweepTau * (1 - exp(-sinceBeatS / sweepTau)))
            let kick = 0.9 * sin(kickPhase) * exp(-sinceBeatS / 0.18)

            // Sidechain: the pad drops to the duck floor on the beat and recovers over ~ a beat.
            let recovery = 1 - exp(-sinceBeatS / 0.12)
            let duck = duckFloor + (1 - duckFloor) * recovery

            // Pad: each chord note as a band-limited saw (6 harmonics), detuned ±6 cents L/R.
            var padLeft = 0.0, padRight = 0.0
            for f in chordHz {
                for h in 1...6 {
                    let hf = Double(h)
                    let amplitude = 1 / hf
                    guard f * hf < sampleRate * 0.45 else { break }
                    padLeft += amplitude * sin(2 * Double.pi * f * 0.99654 * hf * t)
                    padRight += amplitude * sin(2 * Double.pi * f * 1.00347 * hf * t)
                }
            }
            let padGain = 0.06 * duck

            // Bass: a sine on the off-beat eighth (half a beat long), also ducked.
            let bassGate = beatFraction >= 0.5 ? sin(Double.pi * (beatFraction - 0.5) * 2) : 0
            let bass = 0.35 * bassGate * sin(2 * Double.pi * bassHz * t)

            // Hats: short noise bursts on the off-beat, from a per-frame hash (deterministic).
            var hat = 0.0
            if includeHats, beatFraction >= 0.5 {
                let sinceHatS = (beatFraction - 0.5) * beatFrames / sampleRate
                hat = 0.08 * Self.noise(frame) * exp(-sinceHatS / 0.02)
            }

            let left = kick + padGain * padLeft + bass + hat
            let right = kick + padGain * padRight + bass + hat
            stereo[2 * i] = Float(gain * left)
            stereo[2 * i + 1] = Float(gain * right)
        }
    }

    /// Renders `durationS` seconds from the start.
    public func render(durationS: Double) -> [Float] {
        let frames = Tones.frameCount(durationS: durationS, sampleRate: sampleRate)
        var out = [Float](repeating: 0, count: frames * 2)
        out.withUnsafeMutableBufferPointer { render(into: $0.baseAddress!, frameCount: frames, startFrame: 0) }
        return out
    }

    /// Uniform noise in [-1, 1) from a frame index (SplitMix64 finalizer).
    private static func noise(_ frame: Int) -> Double {
        var z = UInt64(truncatingIfNeeded: frame) &* 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Double(z >> 11) * 0x1p-53 * 2 - 1
    }
}
