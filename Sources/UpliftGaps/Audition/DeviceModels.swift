import Foundation
import UpliftDSP

// Uplift's own models of the Live devices a fix turns, so a fix can be heard before Live is touched.
// They model the documented behaviour (filter types, width, static curve and ballistics), not
// Ableton's exact implementation: the audition says "Uplift's model of EQ Eight", never "EQ Eight".

/// One band of EQ Eight: its filter type, frequency, gain (bell and shelves) and Q.
public struct EQEightBand: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case bell, lowShelf = "low_shelf", highShelf = "high_shelf", notch
        /// 12 dB/oct: a 2nd-order high-pass; 48 dB/oct: an 8th-order one (four sections).
        case lowCut12 = "low_cut_12", lowCut48 = "low_cut_48", highCut12 = "high_cut_12", highCut48 = "high_cut_48"
    }

    public var kind: Kind
    public var frequencyHz: Double
    public var gainDB: Double
    public var q: Double

    public init(_ kind: Kind, frequencyHz: Double, gainDB: Double = 0, q: Double = 0.71) {
        self.kind = kind; self.frequencyHz = frequencyHz; self.gainDB = gainDB; self.q = q
    }

    /// The band's second-order sections at `sampleRate`. Bell and shelves are the RBJ cookbook designs
    /// (`UpliftDSP`); the 48 dB/oct cuts are Butterworth cascades whose section Qs are scaled by the
    /// band's Q over 1/√2, so Q 0.71 is the flat (Butterworth) response and a higher Q adds resonance.
    public func sections(sampleRate: Double) -> [BiquadCoefficients] {
        let f = min(max(frequencyHz, 10), 0.49 * sampleRate)
        let q = max(q, 0.05)
        switch kind {
        case .bell: return [BiquadCoefficients(.peaking(gainDB: gainDB), frequencyHz: f, q: q, sampleRate: sampleRate)]
        case .lowShelf: return [BiquadCoefficients(.lowShelf(gainDB: gainDB), frequencyHz: f, q: q, sampleRate: sampleRate)]
        case .highShelf: return [BiquadCoefficients(.highShelf(gainDB: gainDB), frequencyHz: f, q: q, sampleRate: sampleRate)]
        case .notch: return [Self.notch(frequencyHz: f, q: q, sampleRate: sampleRate)]
        case .lowCut12: return [BiquadCoefficients(.highPass, frequencyHz: f, q: q, sampleRate: sampleRate)]
        case .highCut12: return [BiquadCoefficients(.lowPass, frequencyHz: f, q: q, sampleRate: sampleRate)]
        case .lowCut48, .highCut48:
            let scale = q / 0.5.squareRoot()
            return Self.butterworthSectionQs(order: 8).map { sq in
                BiquadCoefficients(kind == .lowCut48 ? .highPass : .lowPass, frequencyHz: f, q: sq * scale, sampleRate: sampleRate)
            }
        }
    }

    /// Qs of the second-order sections of an even-order Butterworth filter: 1 / (2 cos θk),
    /// θk = (2k − 1)π / (2n), k = 1 … n/2.
    public static func butterworthSectionQs(order n: Int) -> [Double] {
        (1...(n / 2)).map { k in 1 / (2 * cos(Double(2 * k - 1) * Double.pi / Double(2 * n))) }
    }

    /// RBJ cookbook notch (UpliftDSP has no notch shape).
    static func notch(frequencyHz: Double, q: Double, sampleRate: Double) -> BiquadCoefficients {
        let w0 = 2 * Double.pi * frequencyHz / sampleRate
        let alpha = sin(w0) / (2 * q), cosw = cos(w0), a0 = 1 + alpha
        return BiquadCoefficients(b0: 1 / a0, b1: -2 * cosw / a0, b2: 1 / a0, a1: -2 * cosw / a0, a2: (1 - alpha) / a0)
    }

    /// The band's magnitude response at `hz`, dB, from its sections' transfer functions.
    public func responseDB(atHz hz: Double, sampleRate: Double) -> Double {
        sections(sampleRate: sampleRate).reduce(0) { $0 + Self.magnitudeDB($1, hz: hz, sampleRate: sampleRate) }
    }

    static func magnitudeDB(_ c: BiquadCoefficients, hz: Double, sampleRate: Double) -> Double {
        let w = 2 * Double.pi * hz / sampleRate
        // H(e^jw) = (b0 + b1 e^-jw + b2 e^-2jw) / (1 + a1 e^-jw + a2 e^-2jw)
        let nr = c.b0 + c.b1 * cos(w) + c.b2 * cos(2 * w), ni = -(c.b1 * sin(w) + c.b2 * sin(2 * w))
        let dr = 1 + c.a1 * cos(w) + c.a2 * cos(2 * w), di = -(c.a1 * sin(w) + c.a2 * sin(2 * w))
        return 10 * log10((nr * nr + ni * ni) / (dr * dr + di * di))
    }
}

/// A stereo chain of processors over interleaved float blocks. `process` keeps its state between
/// calls, so a long signal can be rendered block by block.
public protocol StereoProcessor: Sendable {
    /// Processes interleaved stereo `samples[range]` in place; `firstFrame` is the frame index of
    /// `range.lowerBound` in the whole signal (for a sidechain key).
    mutating func process(_ samples: inout [Float], range: Range<Int>, firstFrame: Int)
    /// Frames the output lags the input by (look-ahead).
    var latencyFrames: Int { get }
}

extension StereoProcessor {
    public var latencyFrames: Int { 0 }
}

/// EQ Eight with its active bands, in series; stereo mode, the same curve on both channels.
public struct EQEightModel: StereoProcessor {
    public let bands: [EQEightBand]
    public let outputGainDB: Double
    private var left: [Biquad], right: [Biquad]

    public init(bands: [EQEightBand], outputGainDB: Double = 0, sampleRate: Double) {
        self.bands = bands; self.outputGainDB = outputGainDB
        let sections = bands.flatMap { $0.sections(sampleRate: sampleRate) }
        left = sections.map(Biquad.init); right = sections.map(Biquad.init)
    }

    public mutating func process(_ samples: inout [Float], range: Range<Int>, firstFrame: Int) {
        let g = pow(10, outputGainDB / 20)
        var i = range.lowerBound
        while i + 1 < range.upperBound {
            var l = Double(samples[i]), r = Double(samples[i + 1])
            for k in left.indices { l = left[k].process(l); r = right[k].process(r) }
            samples[i] = Float(l * g); samples[i + 1] = Float(r * g)
            i += 2
        }
    }
}

/// Utility: Width (0–400 %, side scaled by width / 100), Gain, and Bass Mono (the side removed below a
/// frequency: a 4th-order Linkwitz–Riley high-pass on the side, two 12 dB Butterworth sections).
public struct UtilityModel: StereoProcessor {
    public let widthPercent: Double
    public let gainDB: Double
    public let bassMonoHz: Double?
    private var sideHP: [Biquad]

    public init(widthPercent: Double = 100, gainDB: Double = 0, bassMonoHz: Double? = nil, sampleRate: Double) {
        self.widthPercent = widthPercent; self.gainDB = gainDB; self.bassMonoHz = bassMonoHz
        if let hz = bassMonoHz {
            let c = BiquadCoefficients(.highPass, frequencyHz: hz, q: 0.5.squareRoot(), sampleRate: sampleRate)
            sideHP = [Biquad(c), Biquad(c)]
        } else { sideHP = [] }
    }

    public mutating func process(_ samples: inout [Float], range: Range<Int>, firstFrame: Int) {
        let g = pow(10, gainDB / 20), w = max(0, widthPercent) / 100
        var i = range.lowerBound
        while i + 1 < range.upperBound {
            let l = Double(samples[i]), r = Double(samples[i + 1])
            let mid = (l + r) / 2
            var side = (l - r) / 2 * w
            for k in sideHP.indices { side = sideHP[k].process(side) }
            samples[i] = Float((mid + side) * g); samples[i + 1] = Float((mid - side) * g)
            i += 2
        }
    }
}

/// A feed-forward compressor: hard knee, peak detection (stereo-linked, or from an external key),
/// attack and release as one-pole smoothing of the gain reduction in dB, makeup gain.
public struct CompressorModel: StereoProcessor {
    public let thresholdDB: Double
    public let ratio: Double
    public let attackMS: Double
    public let releaseMS: Double
    public let makeupDB: Double
    private let attack: Double, release: Double
    private var reductionDB = 0.0
    /// The sidechain key (mono, one value a frame, from frame 0 of the rendered signal); nil: the input itself.
    private let key: [Float]?

    public init(thresholdDB: Double, ratio: Double, attackMS: Double = 1, releaseMS: Double = 100, makeupDB: Double = 0,
                key: [Float]? = nil, sampleRate: Double) {
        self.thresholdDB = thresholdDB; self.ratio = max(1, ratio); self.attackMS = attackMS; self.releaseMS = releaseMS
        self.makeupDB = makeupDB; self.key = key
        attack = attackMS > 0 ? exp(-1 / (attackMS / 1000 * sampleRate)) : 0
        release = releaseMS > 0 ? exp(-1 / (releaseMS / 1000 * sampleRate)) : 0
    }

    /// The static curve: output level (dB) for a steady input level (dB), before makeup.
    public func staticOutputDB(inputDB x: Double) -> Double {
        x <= thresholdDB ? x : thresholdDB + (x - thresholdDB) / ratio
    }

    public mutating func process(_ samples: inout [Float], range: Range<Int>, firstFrame: Int) {
        let makeup = pow(10, makeupDB / 20)
        var i = range.lowerBound, frame = firstFrame
        while i + 1 < range.upperBound {
            let level: Double
            if let key, frame < key.count { level = Double(abs(key[frame])) }
            else { level = Double(max(abs(samples[i]), abs(samples[i + 1]))) }
            let inDB = 20 * log10(max(level, 1e-9))
            let target = inDB - staticOutputDB(inputDB: inDB)
            let coefficient = target > reductionDB ? attack : release
            reductionDB = target + coefficient * (reductionDB - target)
            let g = pow(10, -reductionDB / 20) * makeup
            samples[i] = Float(Double(samples[i]) * g); samples[i + 1] = Float(Double(samples[i + 1]) * g)
            i += 2; frame += 1
        }
    }
}

/// Live's Limiter, as a model: input gain, then a peak limiter at the ceiling with 1.5 ms look-ahead
/// (the gain is already down when the peak arrives) and 50 ms release.
public struct LimiterModel: StereoProcessor {
    public let gainDB: Double
    public let ceilingDB: Double
    private let lookahead: Int
    private let release: Double
    private var delay: [Float]
    private var peaks: [Double]
    private var write = 0
    private var gain = 1.0

    public init(gainDB: Double, ceilingDB: Double, sampleRate: Double) {
        self.gainDB = gainDB; self.ceilingDB = ceilingDB
        lookahead = max(1, Int(0.0015 * sampleRate))
        release = exp(-1 / (0.050 * sampleRate))
        delay = [Float](repeating: 0, count: 2 * lookahead)
        peaks = [Double](repeating: 0, count: lookahead)
    }

    /// The limiter delays its output by its look-ahead; the renderer compensates (`latencyFrames`).
    public var latencyFrames: Int { lookahead }

    public mutating func process(_ samples: inout [Float], range: Range<Int>, firstFrame: Int) {
        let inGain = pow(10, gainDB / 20), ceiling = pow(10, ceilingDB / 20)
        var i = range.lowerBound
        while i + 1 < range.upperBound {
            let l = Double(samples[i]) * inGain, r = Double(samples[i + 1]) * inGain
            // The outgoing sample counts too: every sample in the delay line is under the gain it leaves with.
            let outgoing = Double(max(abs(delay[2 * write]), abs(delay[2 * write + 1])))
            peaks[write] = max(abs(l), abs(r))
            let worst = max(peaks.max() ?? 0, outgoing)
            let needed = worst > ceiling ? ceiling / worst : 1
            gain = needed < gain ? needed : needed + release * (gain - needed)
            let outL = Double(delay[2 * write]) * gain, outR = Double(delay[2 * write + 1]) * gain
            delay[2 * write] = Float(l); delay[2 * write + 1] = Float(r)
            write = (write + 1) % lookahead
            samples[i] = Float(outL); samples[i + 1] = Float(outR)
            i += 2
        }
    }
}
