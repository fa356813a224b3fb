import Foundation
import UpliftDSP
import UpliftModel
internal import CRubberband

/// A change a producer's copy of a track may have gone through that must not make it "another
/// track" (Key Finding 5's safe ranges): pitch ±3 st and time-stretch 0.9–1.1 through Rubber Band
/// (offline, channels together), Gaussian noise of amplitude 0.001–0.015, gain −6…+3 dB.
public enum Augmentation: Sendable, Equatable, CustomStringConvertible {
    case pitch(semitones: Double)
    /// Playback-rate factor: 1.1 = 10 % faster, the pitch unchanged.
    case stretch(rate: Double)
    case noise(amplitude: Double)
    case gain(dB: Double)

    public enum Kind: String, Sendable, CaseIterable { case pitch, stretch, noise, gain }

    public var kind: Kind {
        switch self {
        case .pitch: .pitch
        case .stretch: .stretch
        case .noise: .noise
        case .gain: .gain
        }
    }

    public var description: String {
        switch self {
        case .pitch(let s): "pitch \(s >= 0 ? "+" : "")\(NumberFormat.fixed(s, 2)) st"
        case .stretch(let r): "stretch ×\(NumberFormat.fixed(r, 2))"
        case .noise(let a): "noise \(NumberFormat.fixed(a, 3))"
        case .gain(let g): "gain \(g >= 0 ? "+" : "")\(NumberFormat.fixed(g, 2)) dB"
        }
    }

    /// A random augmentation of `kind` within the safe range.
    public static func random(_ kind: Kind, using random: inout SeededRandom) -> Augmentation {
        let u = random.unit()
        switch kind {
        case .pitch:
            // ±1…3 semitones: never (almost) none.
            let s = 1 + 2 * u
            return .pitch(semitones: random.unit() < 0.5 ? -s : s)
        case .stretch: return .stretch(rate: random.unit() < 0.5 ? 0.9 + 0.07 * u : 1.03 + 0.07 * u)
        case .noise: return .noise(amplitude: 0.001 + 0.014 * u)
        case .gain: return .gain(dB: -6 + 9 * u)
        }
    }

    /// The augmented copy of interleaved stereo `samples` (never written anywhere).
    public func apply(to samples: [Float], sampleRate: Double, seed: UInt64) -> [Float] {
        switch self {
        case .gain(let db):
            let g = Float(pow(10, db / 20))
            return samples.map { $0 * g }
        case .noise(let amplitude):
            var random = SeededRandom(seed: seed)
            return samples.map { $0 + Float(amplitude * random.gaussian()) }
        case .pitch(let semitones):
            return Self.rubberBand(samples, sampleRate: sampleRate, timeRatio: 1, pitchScale: pow(2, semitones / 12))
        case .stretch(let rate):
            return Self.rubberBand(samples, sampleRate: sampleRate, timeRatio: 1 / rate, pitchScale: 1)
        }
    }

    /// Several augmentations as one copy (SimCLR's composition of augmentations): every pitch shift
    /// and stretch in **one** Rubber Band pass (a pitch shift is a stretch plus a resampling: one
    /// pass costs what one of them does), then noise, then gain, in the order given.
    public static func apply(_ list: [Augmentation], to samples: [Float], sampleRate: Double, seed: UInt64) -> [Float] {
        var pitchScale = 1.0, timeRatio = 1.0
        for a in list {
            if case .pitch(let s) = a { pitchScale *= pow(2, s / 12) }
            if case .stretch(let r) = a { timeRatio /= r }
        }
        var out = pitchScale != 1 || timeRatio != 1
            ? rubberBand(samples, sampleRate: sampleRate, timeRatio: timeRatio, pitchScale: pitchScale) : samples
        var random = SeededRandom(seed: seed)
        for a in list where a.kind == .noise || a.kind == .gain { out = a.apply(to: out, sampleRate: sampleRate, seed: random.next()) }
        return out
    }

    static func rubberBand(_ samples: [Float], sampleRate: Double, timeRatio: Double, pitchScale: Double) -> [Float] {
        let frames = samples.count / 2
        guard frames > 0 else { return samples }
        var left = [Float](repeating: 0, count: frames), right = [Float](repeating: 0, count: frames)
        for i in 0..<frames { left[i] = samples[2 * i]; right[i] = samples[2 * i + 1] }
        // One thread: processing happens inside `process` (no worker to wait for), the same output every run.
        let options = RubberBandOptions(RubberBandOptionProcessOffline.rawValue | RubberBandOptionChannelsTogether.rawValue | RubberBandOptionThreadingNever.rawValue)
        guard let state = rubberband_new(UInt32(sampleRate.rounded()), 2, options, timeRatio, pitchScale) else { return samples }
        defer { rubberband_delete(state) }
        let chunk = 8192
        rubberband_set_expected_input_duration(state, UInt32(frames))
        rubberband_set_max_process_size(state, UInt32(chunk))
        var outLeft: [Float] = [], outRight: [Float] = []
        outLeft.reserveCapacity(Int(Double(frames) * timeRatio) + chunk)
        outRight.reserveCapacity(Int(Double(frames) * timeRatio) + chunk)
        var bufferL = [Float](repeating: 0, count: chunk), bufferR = [Float](repeating: 0, count: chunk)
        func drain() {
            while true {
                let available = Int(rubberband_available(state))
                guard available > 0 else { return }
                let n = min(available, chunk)
                bufferL.withUnsafeMutableBufferPointer { l in
                    bufferR.withUnsafeMutableBufferPointer { r in
                        var outputs: [UnsafeMutablePointer<Float>?] = [l.baseAddress, r.baseAddress]
                        _ = outputs.withUnsafeMutableBufferPointer { rubberband_retrieve(state, $0.baseAddress!, UInt32(n)) }
                    }
                }
                outLeft += bufferL[0..<n]; outRight += bufferR[0..<n]
            }
        }
        left.withUnsafeBufferPointer { l in
            right.withUnsafeBufferPointer { r in
                for pass in 0..<2 {
                    var start = 0
                    while start < frames {
                        let n = min(chunk, frames - start)
                        let final: Int32 = start + n >= frames ? 1 : 0
                        var inputs: [UnsafePointer<Float>?] = [l.baseAddress! + start, r.baseAddress! + start]
                        inputs.withUnsafeMutableBufferPointer { p in
                            if pass == 0 {
                                rubberband_study(state, p.baseAddress!, UInt32(n), final)
                            } else {
                                rubberband_process(state, p.baseAddress!, UInt32(n), final)
                            }
                        }
                        if pass == 1 { drain() }
                        start += n
                    }
                }
            }
        }
        drain()
        var out = [Float](repeating: 0, count: 2 * outLeft.count)
        for i in 0..<outLeft.count { out[2 * i] = outLeft[i]; out[2 * i + 1] = outRight[i] }
        return out
    }
}

