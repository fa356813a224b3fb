import Foundation

/// Music-like material for the studio's benchmark and end-to-end tests, so the panes move as in
/// real use: a 138 BPM kick, off-beat noise hats (quieter on the right) and a three-note pad whose
/// chord changes every two bars, ducked by the kick.
public enum StudioMusic {
    /// Interleaved stereo float32.
    public static func stereo(seconds: Double, sampleRate: Int = 44_100) -> [Float] {
        let frames = Int(seconds * Double(sampleRate))
        var samples = [Float](repeating: 0, count: frames * 2)
        let beatS = 60.0 / 138
        var noise: UInt32 = 0x1234_5678
        for n in 0..<frames {
            let t = Double(n) / Double(sampleRate)
            let beatPhase = t.truncatingRemainder(dividingBy: beatS)
            let kick = 0.6 * exp(-beatPhase * 18) * sin(2 * .pi * (45 + 80 * exp(-beatPhase * 30)) * beatPhase)
            noise = noise &* 1_664_525 &+ 1_013_904_223
            let white = Double(Int32(bitPattern: noise)) / Double(Int32.max)
            let hatPhase = (t + beatS / 2).truncatingRemainder(dividingBy: beatS)
            let hat = 0.15 * white * exp(-hatPhase * 60)
            let root = Int(t / (8 * beatS)) % 2 == 0 ? 220.0 : 174.6
            let pad = 0.08 * (sin(2 * .pi * root * t) + sin(2 * .pi * root * 1.26 * t) + sin(2 * .pi * root * 1.5 * t))
            let duck = 1 - 0.7 * exp(-beatPhase * 8)
            samples[2 * n] = Float(kick + hat + pad * duck)
            samples[2 * n + 1] = Float(kick + 0.8 * hat + pad * duck * 0.9)
        }
        return samples
    }
}
