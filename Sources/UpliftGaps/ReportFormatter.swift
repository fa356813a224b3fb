import Foundation
import UpliftModel

/// The gap report as text for a terminal, as Markdown, or as JSON (`uplift.gaps/1`).
public enum ReportFormatter {
    public static func json(_ report: GapReport) throws -> String {
        String(decoding: try UpliftJSON.encoder().encode(report), as: UTF8.self)
    }

    static func title(_ gap: Gap) -> String {
        if let band = gap.band {
            return "spectrum \(hzText(band.lowHz))–\(hzText(band.highHz)) \(String(format: "%+.1f", band.sizeDB)) dB"
        }
        let section = gap.section.map { " [\($0)]" } ?? ""
        return "\(gap.feature)\(section) \(gap.direction == .high ? "high" : "low")"
    }

    /// Tags after the headline: what the producer should know before reading on.
    static func tags(_ gap: Gap) -> String {
        var t: [String] = []
        if gap.rejected { t.append("rejected") }
        if gap.audible == false { t.append("inaudible") }
        if gap.adviceOnly { t.append("by hand") }
        if gap.fixes.first?.check?.hurtsMoreThanHelps == true { t.append("fix hurts more than it helps") }
        return t.isEmpty ? "" : " (" + t.joined(separator: ", ") + ")"
    }

    static func fixLines(_ fix: Fix) -> [String] {
        let place = (fix.track.map { " on \($0)" } ?? { if case let .track(t) = fix.scope { " on \(t)" } else { "" } }()) + (fix.device.map { " / \($0)" } ?? "")
        let head: String
        if case let .advice(text) = fix.action {
            head = "by hand \(fix.id): \(text)"
        } else {
            head = "fix \(fix.id): \(fix.action.summary)\(place)"
        }
        var lines = [head + " · confidence \(Int((fix.confidence * 100).rounded())) %"]
        for p in fix.parameters { lines.append("  \(p.summary)") }
        if let needs = fix.needs { lines.append("  needs: \(needs)") }
        lines.append("  expect: \(fix.expectedEffect)")
        if let tp = fix.expectedTruePeakDBTP { lines.append("  true peak after: \(String(format: "%+.1f", tp)) dBTP") }
        if let check = fix.check { lines.append("  rendered and re-analysed: \(check.summary)") }
        return lines
    }

    /// "against demo · cluster 2 "uplifting" (4 references, nearest)": the comparison's standing.
    public static func standing(_ report: GapReport) -> String {
        var out = "against \(report.profile)"
        if let c = report.cluster {
            out += " · cluster \(c.id) \"\(c.name)\"" + (c.size.map { " (\($0) references, \(c.how))" } ?? " (\(c.how))")
        }
        if report.warnings.contains(where: { $0.contains("lie far") }) { out += " · far from this profile" }
        return out
    }

    public static func text(_ report: GapReport, showRejected: Bool = false, limit: Int? = nil) -> String {
        var out = "Gaps of \(report.mix) \(standing(report))"
        out += " · fixes close \(Int((report.amount * 100).rounded())) % of each gap\n"
        for w in report.warnings { out += "warning: \(w)\n" }
        let shown = report.gaps.filter { showRejected || !$0.rejected }
        if shown.isEmpty { out += "No gaps: every compared feature lies inside the references' p10–p90, or is smaller than a listener hears.\n" }
        let maxPriority = max(shown.map(\.priority).max() ?? 1, 1e-9)
        var rank = 0, lineDrawn = false
        for gap in shown.prefix(limit ?? shown.count) {
            if gap.causedBy != nil {
                out += "   ↳ symptom: \(gap.headline ?? title(gap))\n      \(gap.reason)\n"
                continue
            }
            if !lineDrawn, gap.actionable != true, rank > 0 {
                out += "\n— below the worth-acting-on line (priority \(fmt(GapJudgement.actionLine))) —\n"
                lineDrawn = true
            }
            rank += 1
            let bar = String(repeating: "█", count: max(1, Int((gap.priority / maxPriority * 10).rounded())))
            out += "\n\(rank). \(bar) \(String(format: "%.2f", gap.priority))  \(gap.headline ?? title(gap))\(tags(gap))\n"
            out += "   \(title(gap)): \(gap.reason)\n"
            for fix in gap.fixes { for line in fixLines(fix) { out += "   \(line)\n" } }
        }
        let hidden = report.gaps.count - shown.count
        if hidden > 0 { out += "\n\(hidden) rejected gap(s) hidden (--show-rejected).\n" }
        return out
    }

    public static func markdown(_ report: GapReport, showRejected: Bool = false) -> String {
        var out = "# Gaps: \(report.mix)\n\nCompared \(standing(report))"
        out += "; fixes close \(Int((report.amount * 100).rounded())) % of each gap.\n\n"
        for w in report.warnings { out += "> warning: \(w)\n" }
        out += "| # | gap | worth acting on | value | p10–p90 | priority |\n|---|---|---|---|---|---|\n"
        let shown = report.gaps.filter { showRejected || !$0.rejected }
        for (i, g) in shown.enumerated() {
            let act = g.causedBy != nil ? "symptom" : (g.actionable == true ? "yes" : (g.audible == false ? "inaudible" : "no"))
            out += "| \(i + 1) | \(g.headline ?? title(g))\(tags(g)) | \(act) | \(fmt(g.value)) \(g.unit) | \(fmt(g.profileP10))–\(fmt(g.profileP90)) | \(String(format: "%.2f", g.priority)) |\n"
        }
        for (i, g) in shown.enumerated() {
            out += "\n## \(i + 1). \(g.headline ?? title(g))\(tags(g))\n\n\(title(g)): \(g.reason)\n\n"
            for fix in g.fixes {
                let lines = fixLines(fix)
                out += "- \(lines[0])\n"
                for line in lines.dropFirst() { out += "  - \(line.trimmingCharacters(in: .whitespaces))\n" }
            }
        }
        return out
    }
}
