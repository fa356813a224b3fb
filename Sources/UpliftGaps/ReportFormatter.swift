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

    static func fixLines(_ fix: Fix) -> [String] {
        var lines = ["fix \(fix.id)\(fix.adviceOnly ? " (advice only)" : ""): \(fix.action.summary)"
                     + (fix.track.map { " on \($0)" } ?? { if case let .track(t) = fix.scope { " on \(t)" } else { "" } }()) + (fix.device.map { " / \($0)" } ?? "")
                     + " · confidence \(Int((fix.confidence * 100).rounded())) %"]
        for p in fix.parameters { lines.append("  \(p.summary)") }
        if let needs = fix.needs { lines.append("  needs: \(needs)") }
        lines.append("  expect: \(fix.expectedEffect)")
        return lines
    }

    public static func text(_ report: GapReport, showRejected: Bool = false, limit: Int? = nil) -> String {
        var out = "Gaps of \(report.mix) against \(report.profile)"
        if let c = report.cluster { out += " · cluster \(c.id) \"\(c.name)\" (\(c.how))" }
        out += " · fixes close \(Int((report.amount * 100).rounded())) % of each gap\n"
        for w in report.warnings { out += "warning: \(w)\n" }
        let shown = report.gaps.filter { showRejected || !$0.rejected }
        if shown.isEmpty { out += "No gaps: every compared feature lies inside the references' p10–p90.\n" }
        let maxPriority = max(shown.map(\.priority).max() ?? 1, 1e-9)
        for (rank, gap) in shown.prefix(limit ?? shown.count).enumerated() {
            let bar = String(repeating: "█", count: max(1, Int((gap.priority / maxPriority * 10).rounded())))
            out += "\n\(rank + 1). \(bar) \(String(format: "%.2f", gap.priority))  \(title(gap))\(gap.rejected ? " (rejected)" : "")\(gap.adviceOnly ? " (advice only)" : "")\n"
            out += "   \(gap.reason)\n"
            for fix in gap.fixes { for line in fixLines(fix) { out += "   \(line)\n" } }
        }
        let hidden = report.gaps.count - shown.count
        if hidden > 0 { out += "\n\(hidden) rejected gap(s) hidden (--show-rejected).\n" }
        return out
    }

    public static func markdown(_ report: GapReport, showRejected: Bool = false) -> String {
        var out = "# Gaps: \(report.mix)\n\nProfile **\(report.profile)**"
        if let c = report.cluster { out += ", cluster \(c.id) *\(c.name)* (\(c.how))" }
        out += "; fixes close \(Int((report.amount * 100).rounded())) % of each gap.\n\n"
        for w in report.warnings { out += "> warning: \(w)\n" }
        out += "| # | gap | value | p10–p90 | z | priority |\n|---|---|---|---|---|---|\n"
        let shown = report.gaps.filter { showRejected || !$0.rejected }
        for (i, g) in shown.enumerated() {
            out += "| \(i + 1) | \(title(g))\(g.rejected ? " (rejected)" : "") | \(fmt(g.value)) \(g.unit) | \(fmt(g.profileP10))–\(fmt(g.profileP90)) | \(String(format: "%+.1f", g.z)) | \(String(format: "%.2f", g.priority)) |\n"
        }
        for (i, g) in shown.enumerated() {
            out += "\n## \(i + 1). \(title(g))\n\n\(g.reason)\n\n"
            for fix in g.fixes {
                let lines = fixLines(fix)
                out += "- \(lines[0])\n"
                for line in lines.dropFirst() { out += "  - \(line.trimmingCharacters(in: .whitespaces))\n" }
            }
        }
        return out
    }
}
