import UpliftModel
import UpliftTerminal

/// The gap report: ranked gaps with severity (priority) bars, and the selected gap's detail with its
/// first fix (parameters old → new in Live's units) and where that fix stands. Rejected gaps are dimmed.
struct GapsPane: Pane {
    var title: String { "Gaps" }
    var minimumSize: Size { Size(width: 40, height: 5) }

    static let barWidth = 8

    /// "Gaps · against demo · cluster "uplifting" (4 refs) · far from this profile": the comparison's standing.
    func title(for context: PaneContext) -> String {
        guard let report = context.state.gaps.report else { return title }
        let dot = context.glyphs.isUnicode ? " · " : " - "
        var text = title + dot + "against " + report.profile
        if let c = report.cluster { text += dot + "cluster \"\(c.name)\"" + (c.size.map { " (\($0) refs)" } ?? "") }
        if report.warnings.contains(where: { $0.contains("lie far") }) { text += dot + "far from this profile" }
        return text
    }

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
        let layout = Self.layout(area, gapCount: report.gaps.count)
        let list = layout.list, rule = layout.rule, detail = layout.detail
        if let divider = layout.divider {
            for y in divider.y..<divider.maxY {
                buffer.write(context.glyphs.isUnicode ? "│" : "|", x: divider.x, y: y, style: context.theme[.border], clip: area)
            }
        }
        renderList(report, context: context, in: list, into: &buffer)
        renderRule(report, context: context, in: rule, into: &buffer)
        if gaps.isHistoryVisible {
            renderHistory(context, in: detail, into: &buffer)
        } else if let gap = gaps.selectedGap {
            renderDetail(gap, context: context, in: detail, into: &buffer)
        }
    }

    /// Wide (100 columns or more): list over its position rule on the left, a vertical divider, the detail
    /// on the right. Narrow: list, the rule across, the detail below.
    static func layout(_ area: Rect, gapCount: Int) -> (list: Rect, rule: Rect, detail: Rect, divider: Rect?) {
        if area.width >= 100 {
            let listWidth = area.width * 45 / 100
            return (Rect(x: area.x, y: area.y, width: listWidth, height: area.height - 1),
                    Rect(x: area.x, y: area.maxY - 1, width: listWidth, height: 1),
                    Rect(x: area.x + listWidth + 2, y: area.y, width: area.width - listWidth - 2, height: area.height),
                    Rect(x: area.x + listWidth, y: area.y, width: 1, height: area.height))
        }
        let listHeight = min(gapCount, max(2, (area.height - 1) * 2 / 5))
        let rule = Rect(x: area.x, y: area.y + listHeight, width: area.width, height: 1)
        return (Rect(x: area.x, y: area.y, width: area.width, height: listHeight), rule,
                Rect(x: area.x, y: rule.maxY, width: area.width, height: area.maxY - rule.maxY), nil)
    }

    static func text(_ text: String, _ glyphs: Glyphs) -> String { glyphs.isUnicode ? text : text.asciiSafe() }

    static func dimmed(_ style: Style) -> Style { var copy = style; copy.dim = true; return copy }

    static func highlighted(_ style: Style) -> Style { var copy = style; copy.reverse = true; return copy }

    /// The divider between list and detail, with where the selection is: `── 3/12 ──`.
    func renderRule(_ report: GapReport, context: PaneContext, in area: Rect, into buffer: inout CellBuffer) {
        guard !area.isEmpty else { return }
        let line = context.glyphs.isUnicode ? "─" : "-"
        let position = " \(context.state.gaps.selectedIndex + 1)/\(report.gaps.count) "
        let acting = report.gaps.filter { $0.actionable == true }.count
        let note = report.gaps.contains { $0.actionable != nil } ? "\(acting) worth acting on " : ""
        buffer.write(String(repeating: line, count: area.width), x: area.x, y: area.y, style: context.theme[.border], clip: area)
        buffer.write(line + line + position, x: area.x, y: area.y, style: context.theme[.title], clip: area)
        // Live input: the newest ranking differs from the order kept on screen — said where the list is, at any width.
        var used = position.count + 6
        if context.state.gaps.rankedOrder != nil {
            let hint = " o: new ranking "
            if area.width > position.count + hint.count + 4 {
                buffer.write(hint, x: area.x + 2 + position.count + 1, y: area.y, style: context.theme[.warning], clip: area)
                used += hint.count + 1
            }
        }
        if !note.isEmpty, area.width > used + note.count {
            buffer.write(" " + note, x: area.maxX - note.count - 3, y: area.y, style: context.theme[.muted], clip: area)
        }
    }

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
            let quiet = gap.rejected || gap.audible == false || gap.causedBy != nil
            var textStyle = quiet ? Self.dimmed(theme[.muted]) : (isSelected ? theme[.text].emphasized : theme[.text])
            if isSelected { textStyle = Self.highlighted(textStyle) }
            buffer.write(isSelected ? (glyphs.isUnicode ? "▶" : ">") : " ", x: area.x, y: y,
                         style: theme[.titleFocused], clip: area)
            let fraction = maxPriority > 0 ? gap.priority / maxPriority : 0
            let barRole: ThemeRole = quiet ? .muted : (gap.severity >= 2 ? .danger : (gap.severity >= 1 ? .warning : .good))
            let bar = Rect(x: area.x + 2, y: y, width: min(Self.barWidth, max(0, area.width - 2)), height: 1)
            HorizontalBar.draw(fraction: fraction, in: bar, style: quiet ? Self.dimmed(theme[barRole]) : theme[barRole],
                               trackStyle: theme[.muted], glyphs: glyphs, into: &buffer)
            let tag = Self.tag(for: gap, status: gaps.activeFix(of: gap)?.1 ?? gaps.chosenFix(of: gap).map { gaps.status(ofFix: $0.id) })
            let tagX = area.maxX - tag.count
            let labelArea = Rect(x: bar.maxX + 1, y: y, width: max(0, tagX - bar.maxX - 2), height: 1)
            let arrow = gap.causedBy != nil ? (glyphs.isUnicode ? "↳" : "\\") : (gap.direction == .high ? (glyphs.isUnicode ? "↑" : "^") : (glyphs.isUnicode ? "↓" : "v"))
            let label = Self.text("\(arrow) \(gap.headline ?? gapLabel(gap))", glyphs)
            // The selected row is highlighted across its whole label area.
            let padded = isSelected ? label.padding(toLength: max(label.count, labelArea.width), withPad: " ", startingAt: 0) : label
            buffer.write(padded, x: labelArea.x, y: y, style: textStyle, clip: labelArea)
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
        if gap.causedBy != nil { return "symptom" }
        if gap.audible == false { return "inaudible" }
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

    /// Where the gap stands against the worth-acting-on line, for the detail.
    static func standing(_ gap: Gap) -> String? {
        if gap.causedBy != nil { return "a symptom: fix its cause first" }
        if gap.audible == false { return "inaudible: smaller than a listener hears" }
        switch gap.actionable {
        case true?: return "worth acting on"
        case false?: return "below the worth-acting-on line"
        case nil: return nil
        }
    }

    func renderDetail(_ gap: Gap, context: PaneContext, in area: Rect, into buffer: inout CellBuffer) {
        guard !area.isEmpty else { return }
        let theme = context.theme, glyphs = context.glyphs
        let base = gap.rejected ? Self.dimmed(theme[.muted]) : theme[.text]
        var lines: [(String, Style)] = []
        let unit = gap.unit.isEmpty || gap.unit == "ratio" ? "" : " " + gap.unit
        // The producer's words first; the statistics after the fix.
        lines.append(((gap.headline ?? gapLabel(gap)) + (gap.rejected ? "  [rejected]" : ""), gap.rejected ? base : base.emphasized))
        if gap.headline != nil { lines.append((gapLabel(gap), theme[.muted])) }
        if let causeID = gap.causedBy, let cause = context.state.gaps.report?.gaps.first(where: { $0.id == causeID }) {
            lines.append(("caused by: " + (cause.headline ?? gapLabel(cause)), theme[.warning]))
        }
        if let fix = context.state.gaps.activeFix(of: gap)?.0 ?? context.state.gaps.chosenFix(of: gap) {
            let place = [fix.track, fix.device].compactMap { $0 }.joined(separator: " / ")
            let which = gap.fixes.count > 1 ? " \((gap.fixes.firstIndex(of: fix) ?? 0) + 1)/\(gap.fixes.count), f: next" : ""
            var head: String
            if case let .advice(text) = fix.action {
                head = "by hand\(which): " + text
            } else {
                head = "fix\(which): " + fix.action.summary
                if !place.isEmpty { head += " on \(place)" }
            }
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
            // Live input: the gap's value in the rolling window since the fix, then the measured result.
            if let follow = context.state.gaps.liveFollow[gap.id] {
                lines.append(("live: " + follow.text, follow.isFinal ? theme[.good] : theme[.warning]))
            }
            // What the last re-export measured comes before what the fix still promises.
            if let since = context.state.gaps.remeasurement?.lineByGapID[gap.id] {
                lines.append(("since the last export: " + since, theme[.warning]))
            }
            // Side effects before approval (the fix rendered onto the mix and re-analysed): what was heard before what is promised.
            let checkKey = GapsState.checkKey(fix)
            if let check = context.state.gaps.fixChecks[checkKey] {
                lines.append(("heard (rendered, re-analysed): " + check.summary, check.hurtsMoreThanHelps ? theme[.danger] : theme[.good]))
            } else if context.state.gaps.fixChecksPending.contains(checkKey) {
                lines.append(("rendering the fix onto the mix to hear what it does…", theme[.muted]))
            } else if let why = context.state.gaps.fixCheckFailures[checkKey] {
                lines.append(("not heard: " + why, theme[.muted]))
            }
            if let needs = fix.needs { lines.append(("needs: \(needs)", theme[.warning])) }
            lines.append(("expect: " + fix.expectedEffect, theme[.muted]))
        } else {
            lines.append(("no fix proposed", theme[.muted]))
            if let since = context.state.gaps.remeasurement?.lineByGapID[gap.id] {
                lines.append(("since the last export: " + since, theme[.warning]))
            }
        }
        // Statistics, for those who want them.
        lines.append(("value \(Self.number(gap.value))\(unit)  profile \(Self.number(gap.profileP10))–\(Self.number(gap.profileP50))–"
                      + "\(Self.number(gap.profileP90))\(unit) (p10–p50–p90)  at p\(Format.fixed(gap.percentile, 0))", base))
        lines.append(("section: \(gap.section ?? "whole track")  priority \(Format.fixed(gap.priority, 2))"
                      + (Self.standing(gap).map { " · " + $0 } ?? "")
                      + (gap.measuredOn.map { "  " + Self.measuredOnText($0) } ?? ""), theme[.muted]))
        lines.append(("why: " + gap.reason, gap.rejected ? base : theme[.muted]))
        // Wrapped whole, never cut mid-line; what does not fit at the bottom is the statistics, and the
        // last row says how to see them.
        let rows = lines.flatMap { line in TextWrap.lines(Self.text(line.0, glyphs), width: area.width, indent: 2).map { ($0, line.1) } }
        let fits = rows.count <= area.height
        let shown = fits ? rows[...] : rows.prefix(max(0, area.height - 1))
        for (offset, row) in shown.enumerated() {
            buffer.write(row.0, x: area.x, y: area.y + offset, style: row.1, clip: area)
        }
        if !fits, area.height > 0 {
            let more = "\(glyphs.isUnicode ? "…" : "...") \(rows.count - shown.count) more line\(rows.count - shown.count == 1 ? "" : "s"): z zooms the pane"
            buffer.write(more, x: area.x, y: area.maxY - 1, style: theme[.muted], clip: area)
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
        if let nearest = context.state.gaps.report?.nearestReferences, !nearest.isEmpty {
            // The references this mix sounds closest to (the profile's learned embedding; `uplift similar` explains them).
            rows.append(("Sounds closest to:", theme[.title]))
            rows += nearest.map { ("  " + $0, theme[.text]) }
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
