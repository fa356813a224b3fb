import Foundation
import UpliftModel

/// The mix-bus rules a mastering engineer would insist on, with numbers: loudness moves sized with
/// their true-peak consequence, the −1 dBTP ceiling, over- and under-compression, a mono low end.
extension GapAnalyzer {
    /// Largest loudness move of one fix, dB (clamped, and the fix says so).
    public static let maxLoudnessMoveDB = 12.0
    /// Bass Mono frequency for a too-wide sub (and the floor below which nothing is widened).
    public static let bassMonoSubHz = 120.0
    /// Bass Mono frequency for a too-wide bass band (60–250 Hz): mono below 150 Hz is the trance norm.
    public static let bassMonoBassHz = 150.0

    struct Proposal {
        var fixes: [(FixAction, FixScope, String, Double?, Double, Bool, Double?)] // action, scope, effect, expected, confidence, advice, expected TP
        var fixability: Double
        var how: String
        var adviceOnly: Bool
    }

    /// Loudness: move the level by `amount` of the departure (clamped to ±12 dB). With headroom to spare
    /// a Utility gain does it; otherwise the mix-bus Limiter takes the gain with its Ceiling at −1 dBTP.
    func loudnessProposal(value: Double, median: Double, truePeak: Double?) -> Proposal {
        let raw = sizer.amount * (median - value)
        let g = min(max(raw, -Self.maxLoudnessMoveDB), Self.maxLoudnessMoveDB)
        let clampNote = abs(raw) > Self.maxLoudnessMoveDB ? " (clamped to ±\(Int(Self.maxLoudnessMoveDB)) dB in one move)" : ""
        let lufs = "integrated loudness \(fmt(value)) → about \(fmt(value + g)) LUFS\(clampNote)"
        let ceiling = GapJudgement.truePeakCeilingDBTP
        if let tp = truePeak, tp.isFinite, tp + g <= ceiling {
            let effect = "\(lufs): \(String(format: "%+.1f", g)) dB on the mix-bus Utility Gain; true peak \(String(format: "%+.1f", tp)) → \(String(format: "%+.1f", tp + g)) dBTP (headroom enough: no limiting needed)"
            return Proposal(fixes: [(.gain(gainDB: (g * 10).rounded() / 10), .mixBus, effect, value + g, 0.8, false, tp + g)],
                            fixability: Self.fixabilityParameter, how: "the mix-bus gain moves it", adviceOnly: false)
        }
        let without = truePeak.map { " (\(String(format: "%+.1f", $0 + g)) dBTP without it)" } ?? ""
        let limited = truePeak.map { max(0, $0 + g - ceiling) } ?? 0
        let effect = "\(lufs): the mix-bus Limiter's Gain \(String(format: "%+.1f", g)) dB with its Ceiling at \(String(format: "%.1f", ceiling)) dB (True Peak mode); "
            + "true peak held at \(String(format: "%.1f", ceiling)) dBTP\(without)"
            + (limited > 0.05 ? "; the limiter takes about \(String(format: "%.1f", limited)) dB off the peaks, so the peak-to-loudness ratio falls by as much" : "")
        return Proposal(fixes: [(.limiter(gainDB: (g * 10).rounded() / 10, ceilingDB: ceiling), .mixBus, effect, value + g, 0.7, false, ceiling)],
                        fixability: Self.fixabilityParameter, how: "the mix-bus Limiter's gain moves it", adviceOnly: false)
    }

    /// Live input: the drops' level against the references' drops. Lowering is the mix-bus Utility's Gain; raising
    /// goes through the Limiter with its ceiling, since the live window measures no true peak to prove the headroom.
    func dropLevelProposal(value: Double, median: Double) -> (FixAction, String, Double?, Double, Bool) {
        let raw = sizer.amount * (median - value)
        let g = (min(max(raw, -Self.maxLoudnessMoveDB), Self.maxLoudnessMoveDB) * 10).rounded() / 10
        let clampNote = abs(raw) > Self.maxLoudnessMoveDB ? " (clamped to ±\(Int(Self.maxLoudnessMoveDB)) dB in one move)" : ""
        let level = "drop level \(fmt(value)) → about \(fmt(value + g)) dB bar RMS\(clampNote)"
        if g < 0 {
            return (.gain(gainDB: g), "\(level): \(String(format: "%+.1f", g)) dB on the mix-bus Utility Gain", value + g, 0.75, false)
        }
        let ceiling = GapJudgement.truePeakCeilingDBTP
        return (.limiter(gainDB: g, ceilingDB: ceiling),
                "\(level): the mix-bus Limiter's Gain \(String(format: "%+.1f", g)) dB with its Ceiling at \(String(format: "%.1f", ceiling)) dB (True Peak mode); "
                    + "check the export's loudness and true peak after (the live input measures neither over a whole track)", value + g, 0.65, false)
    }

    /// Over-compressed (PLR below the references) or under-compressed (above): the compressor's threshold and
    /// ratio named with numbers, and the Limiter's gain as the mapped alternative.
    func dynamicsProposal(value: Double, median: Double, p10: Double, p90: Double) -> Proposal {
        let move = (sizer.amount * abs(median - value) * 10).rounded() / 10
        let refs = "references \(fmt(p10))–\(fmt(p90)) dB, median \(fmt(median)) dB"
        if value < median {
            let text = "over-compressed: the peaks stand \(fmt(value)) dB above the loudness (\(refs)): raise the mix-bus compressor's Threshold by about "
                + "\(String(format: "%.1f", move)) dB and bring its Ratio down to 2:1 (Glue Compressor: 2:1), or lower the Limiter's Gain by \(String(format: "%.1f", move)) dB; "
                + "loudness falls by about as much: re-check the loudness gap after"
            return Proposal(fixes: [
                (.advice(text), .mixBus, "peak-to-loudness ratio \(fmt(value)) → about \(fmt(value + move)) dB", value + move, 0.5, true, nil),
                (.limiter(gainDB: -move, ceilingDB: GapJudgement.truePeakCeilingDBTP), .mixBus,
                 "peak-to-loudness ratio \(fmt(value)) → about \(fmt(value + move)) dB if the Limiter does the squashing; loudness −\(String(format: "%.1f", move)) LU",
                 value + move, 0.4, false, GapJudgement.truePeakCeilingDBTP),
            ], fixability: Self.fixabilityDecision, how: "the mix-bus compressor's threshold and ratio move it (numbers given)", adviceOnly: false)
        }
        let text = "less compressed than the references: the peaks stand \(fmt(value)) dB above the loudness (\(refs)): a mix-bus Glue Compressor at 2:1 "
            + "with its Threshold set for about \(String(format: "%.1f", move)) dB of gain reduction, or the Limiter's Gain up \(String(format: "%.1f", move)) dB "
            + "with its Ceiling at −1.0 dB"
        return Proposal(fixes: [
            (.advice(text), .mixBus, "peak-to-loudness ratio \(fmt(value)) → about \(fmt(value - move)) dB", value - move, 0.5, true, nil),
        ], fixability: Self.fixabilityDecision, how: "the mix-bus compressor's threshold and ratio move it (numbers given)", adviceOnly: true)
    }

    /// A low end wider than the references: Utility Bass Mono. `nil` when it is narrower: a mono
    /// low end is right, and nothing is widened below 120 Hz.
    func bassWidthProposal(band: String, value: Double, median: Double) -> Proposal? {
        guard value > median else { return nil }
        let hz = band == "sub" ? Self.bassMonoSubHz : Self.bassMonoBassHz
        // The share of the band (log-frequency) below the Bass Mono frequency goes mono.
        let range = (band == "sub" ? TrackAnalysis.Band.sub : TrackAnalysis.Band.bass).rangeHz
        let monoShare = min(1, max(0, log(hz / range.lowerBound) / log(range.upperBound / range.lowerBound)))
        let expected = value * (1 - monoShare)
        let effect = "\(band) side/mid \(fmt(value)) → about \(fmt(expected)) (references' median \(fmt(median))): Utility Bass Mono on below \(hzText(hz)) on the mix bus"
        return Proposal(fixes: [(.bassMono(frequencyHz: hz), .mixBus, effect, expected, 0.75, false, nil)],
                        fixability: Self.fixabilityParameter, how: "Utility Bass Mono on the mix bus moves it", adviceOnly: false)
    }

    /// Safety, not statistics: a true peak above −1 dBTP is a gap (above 0 dBTP the mix clips), whatever
    /// the references do; a true peak below −1 dBTP never is (the loudness gap says whether to go louder).
    func truePeakGap(truePeak tp: Double, stats: Profile.FeatureStats?, profile: Profile) -> Gap? {
        let ceiling = GapJudgement.truePeakCeilingDBTP
        guard tp.isFinite, tp > ceiling else { return nil }
        let name = "loudness.true_peak_dbtp"
        let gapID = StableID.make([profile.name, name, ""])
        let s = Profile.FeatureStats(n: stats?.n ?? 0, mean: ceiling, std: 0, median: ceiling, p10: ceiling - 1, p25: ceiling, p75: ceiling,
                                     p90: ceiling, min: ceiling, max: ceiling)
        var position = RobustPosition(value: tp, stats: s, references: nil, spreadFloor: 0.3)
        position.severity = (tp - ceiling) / 0.3
        let effect = "true peak \(String(format: "%+.1f", tp)) → at most \(String(format: "%.1f", ceiling)) dBTP: the Limiter's Ceiling at \(String(format: "%.1f", ceiling)) dB "
            + "(True Peak mode) as the last device on the mix bus; loudness falls by at most \(String(format: "%.1f", tp - ceiling)) LU"
        let fix = Fix(id: StableID.make([profile.name, name, "", "limiter"]), gapID: gapID, action: .limiter(gainDB: 0, ceilingDB: ceiling), scope: .mixBus,
                      expectedEffect: effect, expectedValue: ceiling, confidence: 0.9, adviceOnly: false, expectedTruePeakDBTP: ceiling)
        var gap = makeGap(id: gapID, kind: .feature, feature: name, section: nil, value: tp, unit: "dBTP", stats: s, position: position,
                          importance: FeatureCatalog.entry(name)!.importance, importanceSource: "safety rule", fixability: Self.fixabilityParameter,
                          how: "the mix-bus Limiter's ceiling moves it", label: "true peak", fixes: [fix], adviceOnly: false)
        gap.reason = "true peak \(String(format: "%+.2f", tp)) dBTP is above the −1 dBTP safety ceiling\(tp > 0 ? " and above 0 dBTP: the mix clips" : "")"
            + " (safety rule: the references' true peaks are not a target\(stats.map { ", theirs \(fmt($0.p10))–\(fmt($0.p90)) dBTP" } ?? ""))"
            + " · importance \(String(format: "%.2f", gap.importance)) (safety rule) · fixability \(String(format: "%.2f", gap.fixability)) (the mix-bus Limiter's ceiling moves it)"
        return gap
    }

    /// "The references clip": said once, so nobody takes their peaks as a target.
    static func clippingReferencesWarning(_ sources: [Profile.Source]) -> String? {
        let peaks = sources.compactMap { $0.features["loudness.true_peak_dbtp"] }
        let clipping = peaks.filter { $0 > 0 }.count
        guard clipping > 0 else { return nil }
        return "\(clipping) of \(peaks.count) references peak above 0 dBTP (up to \(String(format: "%+.1f", peaks.max()!)) dBTP): their true peak is not a target; every fix keeps the mix at or below −1 dBTP"
    }

    /// By-hand advice states the current value and the target.
    static func withNumbers(_ text: String, value: Double, unit: String, stats s: Profile.FeatureStats) -> String {
        let u = unit.isEmpty || unit == "ratio" ? "" : " \(unit)"
        return "\(text) (now \(fmt(value))\(u); target the references' median \(fmt(s.median))\(u), their range \(fmt(s.p10))–\(fmt(s.p90))\(u))"
    }

    /// "bars 3–6 and 23–30": where the sections of a kind are, for automation by hand.
    static func barRanges(of kind: TrackAnalysis.SectionKind, in mix: TrackAnalysis) -> String? {
        guard let sections = mix.sections?.filter({ $0.kind == kind }), !sections.isEmpty else { return nil }
        let secondsPerBar: Double = {
            if let bpm = mix.tempo?.bpm, bpm.isFinite, bpm > 0 { return 240 / bpm }
            return 2
        }()
        let ranges = sections.map { s -> String in
            let first = Int((s.startS / secondsPerBar).rounded()) + 1, last = max(first, Int((s.endS / secondsPerBar).rounded()))
            return "\(first)–\(last)"
        }
        return "bar\(ranges.count == 1 && !ranges[0].contains("–") ? "" : "s") " + ranges.joined(separator: ", ")
    }
}
