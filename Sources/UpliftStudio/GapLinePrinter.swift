import UpliftModel
import UpliftTUI

/// The gap session's news as plain lines, for `--print` / `--headless` (scripts, logs, tests).
public enum GapLinePrinter {
    @Sendable public static func print(_ action: Action) {
        for line in lines(action) { LivePrinter.emit(line) }
    }

    public static func lines(_ action: Action) -> [String] {
        switch action {
        case .gapReportLoaded(let report), .liveGapReportLoaded(let report):
            let open = report.gaps.filter { !$0.rejected }
            var lines = ["gaps: \(open.count) against \(report.profile)" + (report.cluster.map { " cluster \($0.id) \"\($0.name)\"" } ?? "")
                         + (report.gaps.count > open.count ? " (\(report.gaps.count - open.count) rejected)" : "")]
            for (rank, gap) in open.prefix(5).enumerated() {
                var line = "  \(rank + 1). \(gap.feature)" + (gap.section.map { " (\($0))" } ?? "") + " \(gap.direction.rawValue)"
                if let measuredOn = gap.measuredOn { line += " [measured on \(measuredOn)]" }
                if let fix = gap.fixes.first {
                    line += " → \(fix.action.summary)"
                    if let track = fix.track, let device = fix.device { line += " on \(track) / \(device)" }
                    line += " [\(fix.id)]"
                }
                // The producer's words, and where the gap stands against the worth-acting-on line.
                if gap.causedBy != nil { line += " (symptom)" } else if gap.actionable == true { line += " (worth acting on)" }
                if let headline = gap.headline { line += ": " + headline }
                lines.append(line)
            }
            lines += report.warnings.map { "  warning: \($0)" }
            return lines
        case .bridgeStateChanged(let state):
            switch state {
            case .connected(let name): return ["Live: connected" + (name.map { " (\($0))" } ?? "")]
            case .absent: return ["Live: absent (the gap report is read-only)"]
            case .error(let message): return ["Live: error: \(message)"]
            }
        case .gapsRemeasured(let measurement): return [measurement.headline] + measurement.lines.map { "  " + $0 }
        case .gapReportFailed(let message): return ["gap report failed: \(message)"]
        case .liveFixFollowed(let lines): return lines.map { "\($0.isFinal ? "measured live" : "live") \($0.gapID): \($0.text)" }
        default: return []
        }
    }
}
