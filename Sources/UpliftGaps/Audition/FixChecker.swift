import Foundation
import UpliftAnalysis
import UpliftModel

/// Side effects before approval: renders a fix onto the mix, re-analyses the result and compares
/// both analyses with the profile. Says how much of its own gap the fix closes in the audio, which
/// other features it pushes outside p10–p90, and whether it widens other gaps by more than it closes
/// its own ("hurts more than it helps").
public struct FixChecker: Sendable {
    public let profile: Profile
    public let options: GapAnalyzer.Options

    public init(profile: Profile, options: GapAnalyzer.Options = .init()) {
        var o = options
        o.includeInaudible = true // both sides judged on everything, so a gap cannot vanish by becoming inaudible
        self.profile = profile; self.options = o
    }

    /// A rise of another gap smaller than this (spreads) is measurement noise, not a side effect.
    public static let noiseSpreads = 0.15

    /// Renders, re-analyses and judges. `mix` is the analysis the gap came from.
    public func check(fix: Fix, gap: Gap, mix: TrackAnalysis, renderer: FixRenderer) throws -> FixCheck {
        let rendered = renderer.renderAll()
        let after = try TrackAnalyzer().analyze(interleaved: rendered, sampleRate: renderer.mix.sampleRate, name: mix.file + " (with fix)")
        return try judge(fix: fix, gap: gap, mix: mix, rendered: after, summary: renderer.plan.summary)
    }

    /// The judgement alone, from the analysis of the rendered result.
    public func judge(fix: Fix, gap: Gap, mix: TrackAnalysis, rendered: TrackAnalysis, summary: String) throws -> FixCheck {
        let analyzer = GapAnalyzer(options: options)
        let beforeReport = try analyzer.analyze(mix: mix, profile: profile)
        let afterReport = try analyzer.analyze(mix: rendered, profile: profile)
        let afterValue = afterReport.measured[GapProgress.measuredKey(gap)]
        let median = gap.profileP50
        let departure = gap.value - median
        let closed = afterValue.map { a in abs(departure) > 1e-12 ? (gap.value - a) / departure : 0 }
        let promised = fix.expectedValue.map { e in abs(departure) > 1e-12 ? (gap.value - e) / departure : 0 }
        // Its own gap, in spreads: from the measured value (spectrum ids may shift when the run changes).
        let spread = gap.severity > 1e-9 ? abs(gap.outsideAmount) / gap.severity : 1
        let outsideAfter = afterValue.map { a in a > gap.profileP90 ? a - gap.profileP90 : (a < gap.profileP10 ? gap.profileP10 - a : 0) }
        let ownGain = outsideAfter.map { gap.severity - min(GapAnalyzer.severityCap, $0 / max(spread, 1e-12)) } ?? 0

        var pushed: [FixCheck.Change] = [], widened: [FixCheck.Change] = []
        var harm = 0.0
        let before = beforeReport.gaps.filter { !Self.same($0, gap) }
        for a in afterReport.gaps where !Self.same(a, gap) {
            let b = before.first { Self.same($0, a) }
            let rise = a.severity - (b?.severity ?? 0)
            guard rise > Self.noiseSpreads else { continue }
            harm += rise
            let change = FixCheck.Change(gapID: a.id, feature: a.feature, label: Self.label(a), before: b?.value, after: a.value,
                                         profileP10: a.profileP10, profileP90: a.profileP90,
                                         severityBefore: b?.severity ?? 0, severityAfter: a.severity)
            if b == nil { pushed.append(change) } else { widened.append(change) }
        }
        pushed.sort { $0.severityAfter > $1.severityAfter }
        widened.sort { $0.severityAfter - $0.severityBefore > $1.severityAfter - $1.severityBefore }
        let hurts = harm > 2 * Self.noiseSpreads && harm > max(0, ownGain)

        var parts: [String] = []
        if let closed {
            parts.append("closes \(Int((closed * 100).rounded())) % of the gap in the rendered audio"
                         + (promised.map { " (promised \(Int(($0 * 100).rounded())) %)" } ?? "")
                         + (afterValue.map { ": \(fmt(gap.value)) → \(fmt($0))\(gap.unit.isEmpty || gap.unit == "ratio" ? "" : " " + gap.unit)" } ?? ""))
        } else {
            parts.append("its feature could not be measured on the rendered audio")
        }
        for c in pushed.prefix(3) {
            parts.append("pushes \(c.label) \(c.after > c.profileP90 ? "above p90" : "below p10") (\(fmt(c.after)) vs \(fmt(c.profileP10))–\(fmt(c.profileP90)))")
        }
        for c in widened.prefix(2) { parts.append("widens \(c.label) (\(fmt(c.before ?? c.after)) → \(fmt(c.after)))") }
        if hurts { parts.append("hurts more than it helps: ranked down") }
        return FixCheck(fixID: fix.id, rendered: summary, before: gap.value, after: afterValue, closedShare: closed, promisedShare: promised,
                        pushedOutside: pushed, widened: widened, hurtsMoreThanHelps: hurts, summary: parts.joined(separator: "; "))
    }

    /// Same gap in two reports: the same id, or for spectrum runs the same direction over overlapping bands.
    static func same(_ a: Gap, _ b: Gap) -> Bool {
        if a.id == b.id { return true }
        guard let x = a.band, let y = b.band, a.direction == b.direction else { return false }
        return x.lowHz < y.highHz && y.lowHz < x.highHz
    }

    static func label(_ g: Gap) -> String { (g.label ?? g.feature) + (g.section.map { " in the \($0)s" } ?? "") }

    /// Puts checks into a report: each checked fix carries its check; a gap whose first fix hurts more
    /// than it helps offers an alternative first when it has one that does not, and otherwise sinks
    /// (priority halved, said in its reason) so it is not offered first.
    public static func apply(_ checks: [FixCheck], to report: GapReport) -> GapReport {
        var report = report
        let byFix = Dictionary(checks.map { ($0.fixID, $0) }, uniquingKeysWith: { a, _ in a })
        for g in report.gaps.indices {
            for f in report.gaps[g].fixes.indices { if let c = byFix[report.gaps[g].fixes[f].id] { report.gaps[g].fixes[f].check = c } }
            guard let first = report.gaps[g].fixes.first, first.check?.hurtsMoreThanHelps == true else { continue }
            if let k = report.gaps[g].fixes.indices.dropFirst().first(where: {
                let f = report.gaps[g].fixes[$0]; return !f.adviceOnly && f.check?.hurtsMoreThanHelps != true
            }) {
                let alternative = report.gaps[g].fixes.remove(at: k)
                report.gaps[g].fixes.insert(alternative, at: 0)
                report.gaps[g].reason += " · \(first.action.summary) offered second: rendering it hurts more than it helps"
            } else {
                report.gaps[g].priority *= 0.5
                // Its symptoms would lift it back (a cause weighs as much as its largest symptom): they sink with it.
                let id = report.gaps[g].id
                for k in report.gaps.indices where report.gaps[k].causedBy == id { report.gaps[k].priority *= 0.5 }
                report.gaps[g].reason += " · ranked down (priority halved): rendering its fix hurts more than it helps (\(first.check!.summary))"
            }
        }
        report.gaps = GapJudgement.rank(report.gaps)
        return report
    }
}
