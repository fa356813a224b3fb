import Foundation
import UpliftAudio
import UpliftDSP
import UpliftModel

/// Interleaved stereo float audio in memory.
public struct StereoAudio: Sendable, Equatable {
    public var samples: [Float]
    public var sampleRate: Double
    public init(samples: [Float], sampleRate: Double) { self.samples = samples; self.sampleRate = sampleRate }
    public var frameCount: Int { samples.count / 2 }
    public var durationS: Double { Double(frameCount) / sampleRate }
}

/// One of Uplift's device models with its settings, as a fix turns it.
public enum DeviceSetting: Sendable, Equatable {
    case eqEight(bands: [EQEightBand], outputGainDB: Double)
    case utility(widthPercent: Double, gainDB: Double, bassMonoHz: Double?)
    /// `keyTrack`: the stem whose signal keys it (the kick), nil for the input itself.
    case compressor(thresholdDB: Double, ratio: Double, attackMS: Double, releaseMS: Double, keyTrack: String?)
    case limiter(gainDB: Double, ceilingDB: Double)
    /// A gain over time ranges (automation of a Utility Gain), with 10 ms ramps.
    case gainOver(rangesS: [ClosedRange<Double>], gainDB: Double)

    func processor(sampleRate: Double, key: [Float]?) -> any StereoProcessor {
        switch self {
        case let .eqEight(bands, out): return EQEightModel(bands: bands, outputGainDB: out, sampleRate: sampleRate)
        case let .utility(w, g, mono): return UtilityModel(widthPercent: w, gainDB: g, bassMonoHz: mono, sampleRate: sampleRate)
        case let .compressor(t, r, a, rel, _):
            return CompressorModel(thresholdDB: t, ratio: r, attackMS: a, releaseMS: rel, key: key, sampleRate: sampleRate)
        case let .limiter(g, c): return LimiterModel(gainDB: g, ceilingDB: c, sampleRate: sampleRate)
        case let .gainOver(ranges, g): return SectionGainModel(rangesS: ranges, gainDB: g, sampleRate: sampleRate)
        }
    }

    /// `EQ Eight: bell 120 Hz −2.5 dB Q 1.2`.
    public var summary: String {
        switch self {
        case let .eqEight(bands, out):
            return "EQ Eight: " + bands.map { b in
                "\(b.kind.rawValue.replacingOccurrences(of: "_", with: " ")) \(hzText(b.frequencyHz))"
                    + ([.bell, .lowShelf, .highShelf].contains(b.kind) ? " \(String(format: "%+.1f", b.gainDB)) dB" : "")
                    + " Q \(String(format: "%.2g", b.q))"
            }.joined(separator: ", ") + (out != 0 ? ", output \(String(format: "%+.1f", out)) dB" : "")
        case let .utility(w, g, mono):
            var parts: [String] = []
            if w != 100 { parts.append("width \(Int(w.rounded())) %") }
            if g != 0 { parts.append("gain \(String(format: "%+.1f", g)) dB") }
            if let mono { parts.append("bass mono below \(hzText(mono))") }
            return "Utility: " + (parts.isEmpty ? "unchanged" : parts.joined(separator: ", "))
        case let .compressor(t, r, a, rel, key):
            return "Compressor: threshold \(String(format: "%.1f", t)) dB, \(String(format: "%.1f", r)):1, attack \(fmt(a)) ms, release \(Int(rel)) ms"
                + (key.map { ", keyed from \($0)" } ?? "")
        case let .limiter(g, c): return "Limiter: gain \(String(format: "%+.1f", g)) dB, ceiling \(String(format: "%.1f", c)) dB"
        case let .gainOver(ranges, g):
            return "Utility gain \(String(format: "%+.1f", g)) dB over \(ranges.count) section\(ranges.count == 1 ? "" : "s")"
        }
    }
}

/// Gain over time ranges with short ramps: section-level automation.
struct SectionGainModel: StereoProcessor {
    let ranges: [Range<Int>]
    let gain: Double
    let ramp: Int

    init(rangesS: [ClosedRange<Double>], gainDB: Double, sampleRate: Double) {
        ranges = rangesS.map { Int($0.lowerBound * sampleRate)..<Int($0.upperBound * sampleRate) }
        gain = pow(10, gainDB / 20)
        ramp = max(1, Int(0.010 * sampleRate))
    }

    func weight(_ frame: Int) -> Double {
        var w = 0.0
        for r in ranges where frame >= r.lowerBound - ramp && frame < r.upperBound + ramp {
            let into = Double(frame - (r.lowerBound - ramp)) / Double(ramp), out = Double(r.upperBound + ramp - frame) / Double(ramp)
            w = max(w, min(1, into, out))
        }
        return w
    }

    mutating func process(_ samples: inout [Float], range: Range<Int>, firstFrame: Int) {
        var i = range.lowerBound, frame = firstFrame
        while i + 1 < range.upperBound {
            let w = weight(frame)
            if w > 0 {
                let g = Float(1 + w * (gain - 1))
                samples[i] *= g; samples[i + 1] *= g
            }
            i += 2; frame += 1
        }
    }
}

/// What a device-agnostic fix does, as Uplift's device models on the mix or on one stem.
public struct AuditionPlan: Sendable, Equatable {
    /// `nil`: on the mix; otherwise the stem (track name) the fix acts on: the rendered mix is the mix
    /// plus the difference the fix makes to that stem (exact when the mix is the sum of its stems).
    public var stem: String?
    public var devices: [DeviceSetting]
    public var fixID: String
    public var gapID: String

    /// One line: `Uplift's model of EQ Eight: bell 120 Hz −2.5 dB Q 1.2, on the mix`.
    public var summary: String {
        "Uplift's model of " + devices.map(\.summary).joined(separator: " → ") + (stem.map { ", on the \($0) stem" } ?? ", on the mix")
    }

    /// The stems a rendering needs (the fix's stem and a sidechain key).
    public var neededStems: [String] {
        var names: [String] = []
        if let stem { names.append(stem) }
        for case let .compressor(_, _, _, _, key?) in devices where !names.contains(key) { names.append(key) }
        return names
    }

    /// A fix that cannot be heard before it is applied, and why (in the producer's words).
    public struct Unavailable: Error, Sendable, Equatable, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
    }

    /// The plan for `fix`, or why it cannot be auditioned. `mix` gives the section times for a
    /// section-level fix; `stems` names the tracks whose stems were given (`--stems`); `roles` maps a
    /// role onto one of them.
    public static func make(for fix: Fix, mix: TrackAnalysis?, stems: [String] = [], roleTrack: (String) -> String? = { _ in nil })
        throws(Unavailable) -> AuditionPlan {
        var stem: String?
        switch fix.scope {
        case .mixBus: stem = nil
        case .song: throw Unavailable(reason: "a song setting (\(fix.action.summary)) is not a sound to audition: set it in Live and listen")
        case let .track(t):
            guard stems.contains(t) else { throw Unavailable(reason: "the fix acts on track \(t): give its stem (--stems DIR) to hear it") }
            stem = t
        case let .role(r):
            guard let t = roleTrack(r), stems.contains(t) else {
                throw Unavailable(reason: "the fix acts on the \(r) alone: give the stems (--stems DIR, one file per track) to hear it on the \(r) and not on the whole mix")
            }
            stem = t
        }
        var devices: [DeviceSetting]
        switch fix.action {
        case let .eq(shape, f, g, q):
            let kind: EQEightBand.Kind = shape == .bell ? .bell : (shape == .lowShelf ? .lowShelf : .highShelf)
            devices = [.eqEight(bands: [EQEightBand(kind, frequencyHz: f, gainDB: g, q: q)], outputGainDB: fix.trimDB ?? 0)]
        case let .utility(w):
            // A widening on the mix bus comes with Bass Mono, as the fix says.
            devices = [.utility(widthPercent: w, gainDB: 0, bassMonoHz: w > 100 && stem == nil ? FixMapper.bassMonoHz : nil)]
        case let .gain(g): devices = [.utility(widthPercent: 100, gainDB: g, bassMonoHz: nil)]
        case let .bassMono(f): devices = [.utility(widthPercent: 100, gainDB: 0, bassMonoHz: f)]
        case let .limiter(g, c): devices = [.limiter(gainDB: g, ceilingDB: c)]
        case let .compressor(t, r):
            guard stem != nil else { throw Unavailable(reason: "a sidechain compressor acts on one track: give the stems (--stems DIR) to hear it") }
            let kick = roleTrack("kick").flatMap { stems.contains($0) ? $0 : nil }
            devices = [.compressor(thresholdDB: t, ratio: r, attackMS: 1, releaseMS: FixMapper.sidechainReleaseMS(bpm: mix?.tempo?.bpm ?? 138),
                                   keyTrack: kick)]
        case let .sectionGain(section, g):
            let ranges = (mix?.sections ?? []).filter { $0.kind.rawValue == section }.map { $0.startS...$0.endS }
            guard !ranges.isEmpty else { throw Unavailable(reason: "no \(section) was found in the mix's sections: nothing to render the level change over") }
            devices = [.gainOver(rangesS: ranges, gainDB: g)]
        case .restoreStereo:
            throw Unavailable(reason: "a mix folded to mono cannot be unfolded from the audio: the fix names the setting to undo (the Utility's Mono off, Width 100 %); undo it in Live and re-export")
        case .tempo: throw Unavailable(reason: "a tempo change is a musical decision: set it in Live and listen")
        case let .advice(text): throw Unavailable(reason: "advice, nothing to render: \(text)")
        }
        return AuditionPlan(stem: stem, devices: devices, fixID: fix.id, gapID: fix.gapID)
    }
}

/// Renders a plan onto the mix. Pure: the same inputs give the same samples; any range can be rendered
/// on its own (with a pre-roll so filters and envelopes have settled), so the section around the
/// playhead is ready before the rest.
public struct FixRenderer: Sendable {
    public let plan: AuditionPlan
    public let mix: StereoAudio
    /// The stems the plan needs, by track name, at the mix's rate and length.
    public let stems: [String: StereoAudio]
    /// Seconds rendered before a range and thrown away, so the devices' state matches a whole render.
    public static let preRollS = 2.0

    public init(plan: AuditionPlan, mix: StereoAudio, stems: [String: StereoAudio] = [:]) throws(AuditionPlan.Unavailable) {
        for name in plan.neededStems {
            guard let s = stems[name] else { throw AuditionPlan.Unavailable(reason: "stem \(name) is missing") }
            guard s.sampleRate == mix.sampleRate else {
                throw AuditionPlan.Unavailable(reason: "stem \(name) is at \(Int(s.sampleRate)) Hz, the mix at \(Int(mix.sampleRate)) Hz: export both at one rate")
            }
        }
        self.plan = plan; self.mix = mix; self.stems = stems
    }

    /// The whole mix with the fix.
    public func renderAll() -> [Float] { render(frames: 0..<mix.frameCount) }

    /// Frames `frames` of the mix with the fix, interleaved stereo.
    public func render(frames: Range<Int>) -> [Float] {
        let lo = max(0, min(frames.lowerBound, mix.frameCount)), hi = max(lo, min(frames.upperBound, mix.frameCount))
        let preRoll = Int(Self.preRollS * mix.sampleRate)
        let start = max(0, lo - preRoll)
        let source = plan.stem.map { stems[$0]! } ?? mix
        let key: [Float]? = plan.devices.lazy.compactMap { d -> [Float]? in
            guard case let .compressor(_, _, _, _, k?) = d, let keyAudio = stems[k] else { return nil }
            return (0..<keyAudio.frameCount).map { max(abs(keyAudio.samples[2 * $0]), abs(keyAudio.samples[2 * $0 + 1])) }
        }.first
        var processors = plan.devices.map { $0.processor(sampleRate: mix.sampleRate, key: key) }
        let latency = processors.reduce(0) { $0 + $1.latencyFrames }
        // The source from `start` to `hi + latency` (zeros past its end), processed in place.
        let end = hi + latency
        var work = [Float](repeating: 0, count: 2 * (end - start))
        let available = max(0, min(end, source.frameCount) - start)
        if available > 0 { work.replaceSubrange(0..<(2 * available), with: source.samples[(2 * start)..<(2 * (start + available))]) }
        for k in processors.indices { processors[k].process(&work, range: 0..<work.count, firstFrame: start) }
        // Drop the pre-roll and the look-ahead.
        let from = 2 * (lo - start + latency)
        var out = Array(work[from..<(from + 2 * (hi - lo))])
        if plan.stem != nil {
            // Mix plus the difference the fix makes to the stem.
            for f in 0..<(hi - lo) {
                let m = 2 * (lo + f)
                let s0 = m < source.samples.count ? source.samples[m] : 0, s1 = m + 1 < source.samples.count ? source.samples[m + 1] : 0
                out[2 * f] = mix.samples[m] + out[2 * f] - s0
                out[2 * f + 1] = mix.samples[m + 1] + out[2 * f + 1] - s1
            }
        }
        return out
    }
}

/// K-weighted mean-square loudness (ungated), dB, of interleaved stereo: enough to match two versions
/// of one mix by level (the A/B view plays the fix at the loudness of the original).
public enum LoudnessMatch {
    public static func kWeightedDB(_ samples: ArraySlice<Float>, sampleRate: Double) -> Double {
        var shelfL = Biquad(KWeighting.shelf(sampleRate: sampleRate)), shelfR = shelfL
        var hpL = Biquad(KWeighting.highPass(sampleRate: sampleRate)), hpR = hpL
        var sum = 0.0
        var i = samples.startIndex
        while i + 1 < samples.endIndex {
            let l = hpL.process(shelfL.process(Double(samples[i]))), r = hpR.process(shelfR.process(Double(samples[i + 1])))
            sum += l * l + r * r
            i += 2
        }
        return 10 * log10(max(sum / Double(max(1, samples.count / 2)), 1e-20)) - 0.691
    }

    /// Gain (dB) that brings `b` to the loudness of `a`.
    public static func gainDB(a: ArraySlice<Float>, b: ArraySlice<Float>, sampleRate: Double) -> Double {
        kWeightedDB(a, sampleRate: sampleRate) - kWeightedDB(b, sampleRate: sampleRate)
    }
}

extension StereoAudio {
    /// Decodes a whole file into memory, as stereo (mono doubled, more channels folded down).
    public static func load(path: String) throws -> StereoAudio {
        let reader = try AudioFileReader(path: path)
        var samples: [Float] = []
        samples.reserveCapacity(2 * max(0, reader.frameCount))
        let block = 4096
        var buffer = [Float](repeating: 0, count: 2 * block)
        while true {
            let got = try buffer.withUnsafeMutableBufferPointer { try reader.read(into: $0.baseAddress!, maxFrames: block) }
            if got == 0 { break }
            samples += buffer[0..<(2 * got)]
        }
        guard !samples.isEmpty else { throw GapsError(.badArgument, "\(path): no audio could be decoded") }
        return StereoAudio(samples: samples, sampleRate: reader.sampleRate)
    }

    /// Writes 32-bit float WAV atomically (nothing clipped: the level the fix leaves is kept).
    public func write(to path: String) throws {
        try AudioFileWriter.write(samples, channels: 2, sampleRate: Int(sampleRate.rounded()), format: .wavFloat32, to: path)
    }
}
