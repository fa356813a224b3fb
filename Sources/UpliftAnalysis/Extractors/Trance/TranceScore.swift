import Foundation
import UpliftModel

/// The trance score (Key Finding 3 of the research synthesis): nine components, each mapped to
/// 0…1 by a documented curve, combined with the synthesis's weights into 0–100.
///
/// A pure function of `TrackAnalysis`. Features that could not be measured pull their component
/// down: a missing section scores 0, and every beat-derived component is multiplied by the tempo
/// confidence factor, so a beatless track cannot earn "confident" rhythm points.
public enum TranceScore {
    /// The synthesis's WEIGHTS, in its order; they sum to 1.
    public static let weights: [(name: String, weight: Double)] = [
        ("tempo", 0.20), ("pumping", 0.15), ("energy_progression", 0.15), ("four_on_floor", 0.12),
        ("supersaw", 0.10), ("acid_303", 0.08), ("offbeat_hihat", 0.08), ("brightness", 0.07),
        ("tempo_stability", 0.05),
    ]

    public static func evaluate(_ a: TrackAnalysis) -> TrackAnalysis.Trance {
        let beat = beatConfidence(a.tempo)
        let components = weights.map { entry -> TrackAnalysis.TranceComponent in
            let (value, reason) = component(entry.name, a, beat: beat)
            return TrackAnalysis.TranceComponent(name: entry.name, value: value, weight: entry.weight, reason: reason,
                                                 measured: isMeasured(entry.name, a))
        }
        let score = 100 * components.reduce(0) { $0 + $1.value * $1.weight }
        return TrackAnalysis.Trance(score: score, components: components)
    }

    /// Whether the feature a component reads was measured at all; an unmeasured one scores 0 but
    /// says "not measured" rather than "absent".
    static func isMeasured(_ name: String, _ a: TrackAnalysis) -> Bool {
        switch name {
        case "tempo", "tempo_stability": return a.tempo != nil
        case "pumping": return a.pumping != nil
        case "energy_progression": return !(a.sections?.isEmpty ?? true)
        case "four_on_floor", "offbeat_hihat": return a.rhythm != nil
        case "supersaw": return a.supersaw != nil
        case "acid_303": return a.acid != nil
        case "brightness": return a.brightness != nil
        default: return false
        }
    }

    static func component(_ name: String, _ a: TrackAnalysis, beat: Double) -> (Double, String) {
        switch name {
        case "tempo": return tempo(a.tempo, beat: beat)
        case "pumping": return pumping(a.pumping, beat: beat)
        case "energy_progression": return energyProgression(a.sections, a.energy)
        case "four_on_floor": return fourOnFloor(a.rhythm, beat: beat)
        case "supersaw": return supersaw(a.supersaw)
        case "acid_303": return acid(a.acid)
        case "offbeat_hihat": return offbeatHihat(a.rhythm, beat: beat)
        case "brightness": return brightness(a.brightness)
        case "tempo_stability": return tempoStability(a.tempo, beat: beat)
        default: return (0, "unknown component")
        }
    }

    // MARK: - Curves

    /// Linear from 0 at the lower bound to 1 at the upper bound, clamped.
    public static func ramp(_ x: Double, from low: Double, to high: Double) -> Double {
        guard x.isFinite else { return 0 }
        return max(0, min(1, (x - low) / (high - low)))
    }

    /// Piecewise linear through (x, y) anchors sorted by x; flat beyond the ends.
    public static func piecewise(_ x: Double, _ anchors: [(Double, Double)]) -> Double {
        guard x.isFinite, let first = anchors.first, let last = anchors.last else { return 0 }
        if x <= first.0 { return first.1 }
        if x >= last.0 { return last.1 }
        for (p, q) in zip(anchors, anchors.dropFirst()) where x <= q.0 {
            return p.1 + (q.1 - p.1) * (x - p.0) / (q.0 - p.0)
        }
        return last.1
    }

    /// Tempo confidence → 0…1 trust in every beat-derived figure: 0 up to 0.1 (a guess), full from
    /// 0.4 (one periodicity clearly dominates), linear between.
    public static func beatConfidence(_ tempo: TrackAnalysis.Tempo?) -> Double {
        guard let tempo else { return 0 }
        return ramp(tempo.confidence, from: 0.1, to: 0.4)
    }

    /// Why: trance lives at 128–150 BPM with its heart at 138–140, so 1 on 138–140, 0.6 at the edges
    /// of the trance range, 0 by 120 and 160 (house, drum & bass); times beat confidence.
    public static let tempoAnchors: [(Double, Double)] = [(120, 0), (128, 0.6), (138, 1), (140, 1), (150, 0.6), (160, 0)]

    static func tempo(_ t: TrackAnalysis.Tempo?, beat: Double) -> (Double, String) {
        guard let t else { return (0, "no tempo measured") }
        let curve = piecewise(t.bpm, tempoAnchors)
        let value = curve * beat
        let bpm = String(format: "%.1f BPM", t.bpm)
        let place: String
        if t.bpm >= 138 && t.bpm <= 140 { place = "in the 138–140 optimum" }
        else if t.bpm >= 128 && t.bpm <= 150 { place = "inside the 128–150 trance range" }
        else { place = "outside the 128–150 trance range" }
        return (value, beat < 1 ? "\(bpm) \(place), beat confidence \(String(format: "%.2f", t.confidence)) lowers it"
                                : "\(bpm) \(place)")
    }

    /// Why: the seed's table — under 4 dB is no pumping, 4–8 dB moderate, over 8 dB heavy (the trance
    /// norm): 0 at 1 dB, 0.5 at 4 dB, 1 from 8 dB; times a regularity factor (1 at CV ≤ 0.15, the
    /// table's bound, down to 0.2 at CV 0.5: irregular ducking is not a sidechain) and beat confidence.
    public static let pumpingDepthAnchors: [(Double, Double)] = [(1, 0), (4, 0.5), (8, 1)]
    public static let pumpingRegularityAnchors: [(Double, Double)] = [(0.15, 1), (0.5, 0.2)]

    static func pumping(_ p: TrackAnalysis.Pumping?, beat: Double) -> (Double, String) {
        guard let p else { return (0, "no pumping measured (no beat grid)") }
        let depth = piecewise(p.depthDB, pumpingDepthAnchors)
        let regularity = piecewise(p.regularity, pumpingRegularityAnchors)
        let value = depth * regularity * beat
        // The class reads as a phrase: "no pumping", "moderate pumping", "heavy pumping".
        let kind = p.class == .none ? "no" : p.class.rawValue
        return (value, String(format: "%@ pumping, %.1f dB deep, regularity CV %.2f%@", kind, p.depthDB,
                              p.regularity, beat < 1 ? ", beat uncertain" : ""))
    }

    /// Why: a trance arrangement is a breakdown that falls away and a drop that lands: a quarter for
    /// having a breakdown, a quarter for a buildup leading into a drop, half for the drop standing
    /// 2→6 dB (0→full) above the track's quietest bars (10th percentile of the per-bar RMS, which
    /// is the breakdown even when its boundary was missed). No drop, no progression.
    public static let energyContrastDB: ClosedRange<Double> = 2...6

    static func energyProgression(_ sections: [TrackAnalysis.Section]?, _ energy: TrackAnalysis.Energy?) -> (Double, String) {
        guard let sections, !sections.isEmpty else { return (0, "no sections measured") }
        let hasDrop = sections.contains { $0.kind == .drop }
        let hasBreakdown = sections.contains { $0.kind == .breakdown }
        let buildupIntoDrop = zip(sections, sections.dropFirst()).contains { $0.kind == .buildup && $1.kind == .drop }
        guard hasDrop else { return (0, "no drop found: no energy progression") }
        var contrastDB: Double?
        if let curve = energy?.curve {
            let levels = curve.map(\.rmsDB).filter(\.isFinite).sorted()
            let drop = curve.filter { p in
                p.rmsDB.isFinite && sections.contains { $0.kind == .drop && p.tS >= $0.startS && p.tS < $0.endS }
            }
            if !levels.isEmpty, !drop.isEmpty {
                let quietest = levels[Int(Double(levels.count - 1) * 0.1)]
                contrastDB = drop.reduce(0) { $0 + $1.rmsDB } / Double(drop.count) - quietest
            }
        }
        let contrast = contrastDB.map { ramp($0, from: energyContrastDB.lowerBound, to: energyContrastDB.upperBound) } ?? 0
        let value = 0.25 * (hasBreakdown ? 1 : 0) + 0.25 * (buildupIntoDrop ? 1 : 0) + 0.5 * contrast
        var parts = ["drop"]
        if hasBreakdown { parts.append("breakdown") }
        if buildupIntoDrop { parts.append("buildup into drop") }
        let contrastText = contrastDB.map { String(format: ", drop %.1f dB over the quietest bars", $0) } ?? ", no energy curve"
        return (value, parts.joined(separator: " + ") + contrastText)
    }

    /// Why: a kick on every beat is the trance pulse, but breakdowns and intros without a kick are part
    /// of trance too (the rhythm figure counts the whole track): below 0.3 it is not four-on-the-floor,
    /// from 0.6 (a kick on every beat for 60 % of the track) full marks, linear between; times beat
    /// confidence.
    public static let fourOnFloorRange: ClosedRange<Double> = 0.3...0.6

    static func fourOnFloor(_ r: TrackAnalysis.Rhythm?, beat: Double) -> (Double, String) {
        guard let r else { return (0, "no rhythm measured") }
        let value = ramp(r.fourOnFloor, from: fourOnFloorRange.lowerBound, to: fourOnFloorRange.upperBound) * beat
        return (value, String(format: "kick regularity %.2f%@", r.fourOnFloor, beat < 1 ? ", beat uncertain" : ""))
    }

    /// Why: the seed's typical supersaw ranges (width 0.3–0.8, correlation 0.3–0.7, detune 10–40 cents)
    /// score 1 inside and fall linearly to 0 at the margins (mono or out-of-phase, no detune or a
    /// chorus mess); the component is the mean of the three.
    public static let supersawWidthAnchors: [(Double, Double)] = [(0, 0), (0.3, 1), (0.8, 1), (1.1, 0)]
    public static let supersawCorrelationAnchors: [(Double, Double)] = [(0, 0), (0.3, 1), (0.7, 1), (1.0, 0)]
    public static let supersawDetuneAnchors: [(Double, Double)] = [(0, 0), (10, 1), (40, 1), (80, 0)]

    static func supersaw(_ s: TrackAnalysis.Supersaw?) -> (Double, String) {
        guard let s else { return (0, "no pad/lead band content measured") }
        let width = piecewise(s.width, supersawWidthAnchors)
        let correlation = piecewise(s.correlation, supersawCorrelationAnchors)
        // No detuned tonal cluster found is no supersaw detune: it scores 0 but reads "not found".
        let detune = s.detuneCents.map { piecewise($0, supersawDetuneAnchors) } ?? 0
        let detuneText = s.detuneCents.map { String(format: "%.0f cents", $0) } ?? "not found"
        return ((width + correlation + detune) / 3,
                String(format: "width %.2f (0.3–0.8), correlation %.2f (0.3–0.7), detune %@ (10–40 cents)",
                       s.width, s.correlation, detuneText as NSString))
    }

    /// Why: the composite is already 0…1, but most non-acid material leaves a little filter movement
    /// and accent noise, so 0.15 is "no acid" and from 0.6 a 303 line is unmistakable.
    public static let acidRange: ClosedRange<Double> = 0.15...0.6

    static func acid(_ a: TrackAnalysis.Acid?) -> (Double, String) {
        guard let a else { return (0, "no acid measurement") }
        let value = ramp(a.score, from: acidRange.lowerBound, to: acidRange.upperBound)
        return (value, String(format: "acid %.2f (sweep %.2f, resonance %.2f, glide %.2f, accent %.2f)",
                              a.score, a.sweep, a.resonance, a.glide, a.accent))
    }

    /// Why: the open hat between kicks is the trance off-beat: 0.1 is no preference for the off-beat,
    /// 0.35 a clear one on the rhythm extractor's whole-track scale (linear between), times beat
    /// confidence.
    public static let offbeatRange: ClosedRange<Double> = 0.1...0.35

    static func offbeatHihat(_ r: TrackAnalysis.Rhythm?, beat: Double) -> (Double, String) {
        guard let r else { return (0, "no rhythm measured") }
        let value = ramp(r.offbeatHihat, from: offbeatRange.lowerBound, to: offbeatRange.upperBound) * beat
        return (value, String(format: "off-beat hat emphasis %.2f%@", r.offbeatHihat, beat < 1 ? ", beat uncertain" : ""))
    }

    /// Why: trance is bright (supersaws, open hats): a magnitude-weighted centroid (to 10 kHz) of
    /// 1 kHz is dull (pads and bass alone), 2 kHz fully bright, linear between. An estimate from the
    /// synthesizer (whole tracks ~1.6–1.8 kHz); to be recalibrated on real references.
    public static let brightnessRangeHz: ClosedRange<Double> = 1000...2000

    static func brightness(_ b: TrackAnalysis.Brightness?) -> (Double, String) {
        guard let b else { return (0, "no brightness measured (silence)") }
        let value = ramp(b.centroidHz, from: brightnessRangeHz.lowerBound, to: brightnessRangeHz.upperBound)
        return (value, String(format: "centroid %.0f Hz, %.0f %% energy above 4 kHz", b.centroidHz, 100 * b.highRatio))
    }

    /// Why: trance runs on a machine grid; 0.5 stability is a drifting live band, 0.95 a DAW grid
    /// (linear between), times beat confidence.
    public static let stabilityRange: ClosedRange<Double> = 0.5...0.95

    static func tempoStability(_ t: TrackAnalysis.Tempo?, beat: Double) -> (Double, String) {
        guard let t else { return (0, "no tempo measured") }
        let value = ramp(t.stability, from: stabilityRange.lowerBound, to: stabilityRange.upperBound) * beat
        return (value, String(format: "stability %.2f%@", t.stability, beat < 1 ? ", beat uncertain" : ""))
    }
}
