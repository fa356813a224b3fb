import Foundation
import UpliftModel

/// What a listener can hear: the smallest change of each measure (its just-noticeable difference,
/// JND) and the smallest move worth proposing. A departure below its JND is not a gap; a fix that
/// moves less than `minimumMoveDB` (or the width by less than 10 %) is not worth a turn of a knob.
///
/// | measure | JND | source / reasoning |
/// |---|---|---|
/// | broadband level (loudness, section level, contrast, PLR, LRA, pumping depth) | 1 dB | intensity discrimination of broadband sound ≈ 0.5–1 dB (Zwicker & Fastl, *Psychoacoustics*, ch. 7); 1 dB is the usual mixing rule |
/// | spectral run ≥ 2 octaves | 1 dB | broad tilts are heard like level (Bücklein 1981, "The audibility of frequency response irregularities", JAES 29(3)) |
/// | spectral run 1–2 octaves | 1.5 dB | Bücklein 1981; Toole & Olive 1988 (broad resonances audible at ≈ 1–2 dB) |
/// | spectral run ½–1 octave | 2 dB | Bücklein 1981 (peaks of Q ≈ 1–2 on music) |
/// | spectral run < ½ octave | 3 dB | Bücklein 1981: narrow peaks need ≈ 3 dB on music |
/// | narrow dips (run < 1 octave, cut) | +1 dB | dips are harder to hear than peaks (Bücklein 1981; Moore, Oldfield & Dooley 1989, JASA 85) |
/// | stereo width (side/mid energy) | 10 % width = 0.83 dB of side/mid | width changes under ≈ 10 % are not reported by listeners (our rule; ILD JND ≈ 1 dB, Blauert, *Spatial Hearing*) |
/// | (width floor) | side/mid under 0.01 counts as 0.01 | side 20 dB under mid is mono to the ear; our rule |
/// | L/R correlation | 0.05 | follows width; our rule |
/// | tempo | 1 % | below the 2–5 % perceptual Weber fraction (Drake & Botte 1993, Perception & Psychophysics 54): a DJ mixes by the BPM, so 138 vs 140 matters |
/// | spectral centroid (brightness) | 5 % | our rule from the 1/6-octave spectrum's resolution |
/// | energy above 4 kHz | 1 dB of the ratio | level JND applied to the ratio |
/// | a section's bass share | 0.05 (5 % of the energy) | linear: breakdowns without bass have a share near 0, where a ratio in dB means nothing |
/// | section length | 2 bars | a quarter of a trance phrase (8 bars); our rule |
/// | 0…1 scores (four-on-the-floor, off-beat hats, acid, supersaw correlation, regularity, stability) | 0.1 | no perceptual data; our rule |
/// | supersaw detune | 3 cents | detuned-unison differences below ≈ 3 cents blur into one another; our rule |
///
/// The table is a judgement built on those sources, not a measurement of them: narrow-band JNDs on
/// dense trance mixes are, if anything, larger.
public enum Audibility {
    /// Smallest EQ/gain move worth proposing, dB.
    public static let minimumMoveDB = 0.5
    /// Smallest width move worth proposing (fraction of the current width).
    public static let minimumWidthChange = 0.10
    /// 10 % width in side/mid energy: 20·log10(1.1).
    public static let widthJNDDB = 20 * log10(1.1)
    public static let levelJNDDB = 1.0
    /// Side/mid energy below which a signal is mono to the ear (side 20 dB under mid).
    public static let monoSideMid = 0.01

    /// How the measure's departure from the references' median is counted.
    public enum Scale: Sendable, Equatable {
        /// Departure in the feature's unit, JND in that unit.
        case linear(jnd: Double)
        /// Departure as a ratio (dB of value / median); JND in dB. Values under `floor` count as `floor`:
        /// 10 % more of almost nothing is still almost nothing (a side/mid under 0.01 is mono to the ear).
        case logRatio(jndDB: Double, floor: Double)
        /// Departure relative to the median (fraction); JND as a fraction.
        case relative(jnd: Double)
    }

    /// JND of a spectral run, by its width in octaves and direction (dips need more).
    public static func spectralJND(widthOctaves: Double, boost: Bool) -> Double {
        let base: Double
        switch widthOctaves {
        case 2...: base = 1.0
        case 1..<2: base = 1.5
        case 0.5..<1: base = 2.0
        default: base = 3.0
        }
        return base + (!boost && widthOctaves < 1 ? 1.0 : 0)
    }

    /// The scale of a scalar or section feature; `nil` for features judged otherwise (true peak: a safety rule).
    public static func scale(for feature: String) -> Scale? {
        switch feature {
        case "loudness.integrated_lufs", "loudness.plr_db", "loudness.lra_lu", "section.relative_rms_db", "section.rms_db",
             "arrangement.drop_breakdown_contrast_db", "pumping.depth_db":
            return .linear(jnd: levelJNDDB)
        case "loudness.true_peak_dbtp": return nil
        case "stereo.side_mid_ratio", "section.side_mid_ratio", "supersaw.width": return .logRatio(jndDB: widthJNDDB, floor: monoSideMid)
        case "stereo.correlation": return .linear(jnd: 0.05)
        case "tempo.bpm": return .relative(jnd: 0.01)
        case "brightness.centroid_hz", "section.centroid_hz": return .relative(jnd: 0.05)
        case "brightness.high_ratio": return .logRatio(jndDB: levelJNDDB, floor: 0.001)
        case "section.bass_ratio": return .linear(jnd: 0.05)
        case "arrangement.bars": return .linear(jnd: 2)
        case "supersaw.detune_cents": return .linear(jnd: 3)
        default:
            if feature.hasPrefix("stereo.bands.") { return .logRatio(jndDB: widthJNDDB, floor: monoSideMid) }
            if feature.hasPrefix("spectrum.balance_db.") {
                let band = TrackAnalysis.Band(rawValue: String(feature.split(separator: ".").last!))
                let octaves = band.map { log2($0.rangeHz.upperBound / $0.rangeHz.lowerBound) } ?? 2
                return .linear(jnd: spectralJND(widthOctaves: octaves, boost: true))
            }
            return .linear(jnd: 0.1)
        }
    }

    /// Departure from the references' median in JNDs (≥ 0).
    public static func steps(feature: String, value: Double, median: Double) -> Double {
        guard let scale = scale(for: feature) else { return 0 }
        switch scale {
        case let .linear(jnd): return abs(value - median) / jnd
        case let .logRatio(jndDB, floor):
            // An energy ratio: dB = 10·log10, both ends held at the floor.
            return abs(10 * log10(max(value, floor) / max(median, floor))) / jndDB
        case let .relative(jnd):
            guard median != 0 else { return 0 }
            return abs(value / median - 1) / jnd
        }
    }

    /// The JND expressed in the feature's unit near `median` (for the spread floor).
    public static func jndInUnits(feature: String, median: Double) -> Double {
        guard let scale = scale(for: feature) else { return 0 }
        switch scale {
        case let .linear(jnd): return jnd
        case let .logRatio(jndDB, floor): return max(abs(median), floor) * (pow(10, jndDB / 10) - 1)
        case let .relative(jnd): return abs(median) * jnd
        }
    }

    /// Spread floor of a feature: the measurement's own repeatability and the JND, added as independent
    /// errors (root of the sum of squares). Near-identical references cannot shrink the spread below
    /// what a listener hears, so fractions of a dB never turn into many spreads.
    public static func spreadFloor(feature: String, repeatability: Double, median: Double) -> Double {
        let jnd = jndInUnits(feature: feature, median: median)
        return (repeatability * repeatability + jnd * jnd).squareRoot()
    }

    /// Whether a fix's move is big enough to hear: EQ and gain moves of 0.5 dB or more, width moves of 10 % or more.
    public static func moveIsAudible(_ action: FixAction) -> Bool {
        switch action {
        case let .eq(_, _, g, _): return abs(g) >= minimumMoveDB
        case let .sectionGain(_, g): return abs(g) >= minimumMoveDB
        case let .gain(g): return abs(g) >= minimumMoveDB
        case .limiter: return true // a ceiling move is a safety rule; a loudness gain is ≥ 0.7 dB by construction
        case let .utility(w): return abs(w / 100 - 1) >= minimumWidthChange
        case .compressor, .tempo, .bassMono, .restoreStereo, .advice: return true
        }
    }
}
