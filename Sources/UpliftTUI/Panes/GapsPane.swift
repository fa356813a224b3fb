import UpliftModel
import UpliftTerminal

/// The gap report: ranked gaps with severity (priority) bars, and the selected gap's detail with its
/// first fix (parameters old → new in Live's units) and where that fix stands. Rejected gaps are dimmed.
struct GapsPane: Pane {
    var title: String { "Gaps" }
    var minimumSize: Size { Size(width: 40, height: 5) }

    static let barWidth = 8

    func renderContent(_ context: PaneContext, in area: Rect, into buffer: inout CellBuffer) {
        let gaps = context.state.gaps
        guard let report = gaps.report else {
            renderMessage("no gap report: start with --profile", context: context, in: area, into: &buffer)
            return
        }
        guard !report.gaps.isEmpty else {
            renderMessage("no gaps: the mix sits inside \(report.profile)", context: context, in: area, into: &buffer)
            return
        }
        let list: Rect, detail: Rect
        if area.width >= 100 {
            // Wide: list on the left, detail on the right.
            let listWidth = area.width * 45 / 100
            list = Rect(x: area.x, y: area.y, width: listWidth, height: area.height)
            detail = Rect(x: area.x + listWidth + 1, y: area.y, width: area.width - listWidth - 1, height: area.height)
        } else {
            let listHeight = min(report.gaps.count, max(2, area.height * 2 / 5))
            list = Rect(x: area.x, y: area.y, width: area.width, height: listHeight)
            detail = Rect(x: area.x, y: area.y + listHeight, width: area.width, height: area.height - listHeight)
        }
        renderList(report, context: context, in: list, into: &buffer)
        if gaps.isHistoryVisible {
            renderHistory(context, in: detail, into: &buffer)
        } else if let gap = gaps.selectedGap {
            renderDetail(gap, context: context, in: detail, into: &buffer)
        }
    }

    static func text(_ text: String, _ glyphs: Glyphs) -> String { glyphs.isUnicode ? text : text.asciiSafe() }

    static func dimmed(_ style: Style) -> Style { var copy = style; copy.dim = true; return copy }

    func renderList(_ report: GapReport, context: PaneContext, in area: Rect, into buffer: inout CellBuffer) {
        guard !area.isEmpty else { return }
        let theme = context.theme, glyphs = context.glyphs, gaps = context.state.gaps
        let maxPriority = report.gaps.map(\.priority).max() ?? 0
        let first = max(0, min(gaps.selectedIndex - area.height + 1, report.gaps.count - area.height))
        for row in 0..<area.height {
            let index = first + row
            guard index < report.gaps.count else { break }
            let gap = report.gaps[index]
            let y = area.y + row
            let isSelected = index == gaps.selectedIndex
            let textStyle = gap.rejected ? Self.dimmed(theme[.muted]) : (isSelected ? theme[.text].emphasized : theme[.text])
            buffer.write(isSelected ? (glyphs.isUnicode ? "▶" : ">") : " ", x: area.x, y: y,
                         style: theme[.titleFocused], clip: area)
            let fraction = maxPriority > 0 ? gap.priority / maxPriority : 0
            let barRole: ThemeRole = gap.rejected ? .muted : (gap.severity >= 2 ? .danger : (gap.severity >= 1 ? .warning : .good))
            let bar = Rect(x: area.x + 2, y: y, width: min(Self.barWidth, max(0, area.width - 2)), height: 1)
            HorizontalBar.draw(fraction: fraction, in: bar, style: gap.rejected ? Self.dimmed(theme[barRole]) : theme[barRole],
                               trackStyle: theme[.muted], glyphs: glyphs, into: &buffer)
            let tag = Self.tag(for: gap, status: gaps.activeFix(of: gap)?.1 ?? gaps.chosenFix(of: gap).map { gaps.status(ofFix: $0.id) })
            let tagX = area.maxX - tag.count
            let labelArea = Rect(x: bar.maxX + 1, y: y, width: max(0, tagX - bar.maxX - 2), height: 1)
            let arrow = gap.direction == .high ? (glyphs.isUnicode ? "↑" : "^") : (glyphs.isUnicode ? "↓" : "v")
            buffer.write(Self.text("\(arrow) \(gapLabel(gap))", glyphs), x: labelArea.x, y: y, style: textStyle, clip: labelArea)
            if !tag.isEmpty {
                buffer.write(tag, x: tagX, y: y, style: gap.rejected ? Self.dimmed(theme[.muted]) : theme[Self.role(forTag: tag)],
                             clip: area)
            }
        }
    }

    static func tag(for gap: Gap, status: FixStatus?) -> String {
        if gap.rejected { return "rejected" }
        switch status {
        case .applying: return "applying"
        case .applied: return "applied"
        case .failed: return "failed"
        case .rejected: return "rejected"
        case .proposed, nil: break
        }
        if gap.adviceOnly || gap.fixes.first?.adviceOnly == true { return "advice" }
        return ""
    }

    static func role(forTag tag: String) -> ThemeRole {
        switch tag {
        case "applied": return .good
        case "failed": return .danger
        case "applying": return .warning
        default: return .muted
        }
    }

    func renderDetail(_ gap: Gap, context: PaneContext, in area: Rect, into buffer: inout CellBuffer) {
        guard !area.isEmpty else { return }
        let theme = context.theme, glyphs = context.glyphs
        let base = gap.rejected ? Self.dimmed(theme[.muted]) : theme[.text]
        var lines: [(String, Style)] = []
        let unit = gap.unit.isEmpty ? "" : " " + gap.unit
        lines.append(("\(gapLabel(gap))" + (gap.rejected ? "  [rejected]" : ""), gap.rejected ? base : base.emphasized))
        lines.append(("value \(Self.number(gap.value))\(unit)  profile \(Self.number(gap.profileP10))–\(Self.number(gap.profileP50))–"
                      + "\(Self.number(gap.profileP90))\(unit) (p10–p50–p90)  at p\(Format.fixed(gap.percentile, 0))", base))
        lines.append(("section: \(gap.section ?? "whole track")  priority \(Format.fixed(gap.priority, 2))"
                      + (gap.measuredOn.map { "  " + Self.measuredOnText($0) } ?? ""), theme[.muted]))
        lines.append((gap.reason, gap.rejected ? base : theme[.muted]))
        if let fix = context.state.gaps.activeFix(of: gap)?.0 ?? context.state.gaps.chosenFix(of: gap) {
            let place = [fix.track, fix.device].compactMap { $0 }.joined(separator: " / ")
            let which = gap.fixes.count > 1 ? " \((gap.fixes.firstIndex(of: fix) ?? 0) + 1)/\(gap.fixes.count), f: next" : ""
            var head = (fix.adviceOnly ? "advice only\(which): " : "fix\(which): ") + fix.action.summary
            if !place.isEmpty { head += " on \(place)" }
            head += "  confidence \(Format.fixed(fix.confidence, 2))"
            lines.append((head, base))
            for change in fix.parameters {
                lines.append(("  " + change.summary, gap.rejected ? base : theme[.text].emphasized))
            }
            switch context.state.gaps.status(ofFix: fix.id) {
            case .proposed:
                if !gap.rejected && fix.isApplicable { lines.append(("a applies  x rejects", theme[.muted])) }
            case .applying: lines.append(("applying… waiting for Live", theme[.warning]))
            case .applied(let verified): lines.append(("applied, verified: \(verified)", theme[.good]))
            case .failed(let message): lines.append(("failed: \(message)", theme[.danger]))
            case .rejected: break
            }
            // The outcome above comes first: at 80×24 the expected effect is what gets cut.
            if let needs = fix.needs { lines.append(("needs: \(needs)", theme[.warning])) }
            lines.append((fix.expectedEffect, theme[.muted]))
        } else {
            lines.append(("no fix proposed", theme[.muted]))
        }
        if let since = context.state.gaps.remeasurement?.lineByGapID[gap.id] {
            // After the outcome: what the last re-export measured for this gap.
            lines.insert(("since the last export: " + since, theme[.warning]), at: min(lines.count, 4))
        }
        for (index, line) in lines.prefix(area.height).enumerated() {
            buffer.write(Self.text(line.0, glyphs), x: area.x, y: area.y + index, style: line.1, clip: area)
        }
    }

    func renderHistory(_ context: PaneContext, in area: Rect, into buffer: inout CellBuffer) {
        guard !area.isEmpty else { return }
        let theme = context.theme
        let history = context.state.gaps.history
        buffer.write("History and notes (h: detail)", x: area.x, y: area.y, style: theme[.title], clip: area)
        var rows: [(String, Style)] = []
        if let measured = context.state.gaps.remeasurement {
            // Measured, not assumed: what the last re-export did to the previous report's gaps, first.
            rows.append(("Since the last export: " + measured.headline, theme[.title]))
            rows += measured.lines.map { ("  " + $0, $0.contains("did not do what it promised") ? theme[.danger] : theme[.text]) }
        }
        if let warnings = context.state.gaps.report?.warnings, !warnings.isEmpty {
            // What the report could not compare, or doubts about the comparison itself.
            rows.append(("About this report:", theme[.title]))
            rows += warnings.map { ("  " + $0, theme[.warning]) }
        }
        if history.isEmpty {
            rows.append(("nothing applied or rejected yet", theme[.muted]))
        } else {
            if !rows.isEmpty { rows.append(("This session:", theme[.title])) }
            // Most recent first.
            rows += history.reversed().map { ("  " + $0, theme[.text]) }
        }
        for (row, entry) in rows.prefix(area.height - 1).enumerated() {
            buffer.write(Self.text(entry.0, context.glyphs), x: area.x, y: area.y + 1 + row, style: entry.1, clip: area)
        }
    }

    /// `stem:Bass` → "measured on the Bass stem" (`--stems`).
    static func measuredOnText(_ measuredOn: String) -> String {
        measuredOn.hasPrefix("stem:") ? "measured on the \(measuredOn.dropFirst(5)) stem" : "measured on the \(measuredOn)"
    }

    /// Digits by magnitude: `-2.50`, `12.3`, `138`, `0.059` (small ratios keep three significant digits' worth).
    static func number(_ value: Double) -> String { NumberFormat.auto(value) }

    static func hz(_ value: Double) -> String {
        value >= 1000 ? Format.fixed(value / 1000, 2) + " kHz" : Format.fixed(value, 0) + " Hz"
    }
}

extension String {
    /// For ASCII terminals: arrows, dashes and ellipses spelt out; anything else non-ASCII becomes `?`.
    func asciiSafe() -> String {
        var result = ""
        for character in self {
            switch character {
            case "→": result += "->"
            case "–", "—": result += "-"
            case "…": result += "..."
            default: result.append(character.isASCII ? character : "?")
            }
        }
        return result
    }
}
