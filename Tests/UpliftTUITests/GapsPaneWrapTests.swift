import Testing
import UpliftModel
import UpliftTerminal
@testable import UpliftTUI

/// Where the producer reads the report: the detail wraps whole (80, 120, 200 columns), a divider with the
/// position sits between list and detail, the selected row is highlighted, the first line is in a
/// producer's words, and the title says what the mix is compared with.
@Suite struct GapsPaneWrapTests {
    static let sizes = [Size(width: 80, height: 24), Size(width: 120, height: 40), Size(width: 200, height: 60)]

    static let longReason = "low-mids 3.10 dB vs -5.80–-4.20 dB (p10–p90): 1.9 spreads above p90 (z +2.8, pct 100) · importance 0.50 (mix table) · "
        + "fixability 1.00 (an EQ on the mix bus moves it) · audible size 2.1× the listener's threshold (1.5 dB) · order of work 3 of 6, "
        + "tonal balance ×0.90: tonal balance comes after loudness and before dynamics · priority (½·1.9 + ½·1.1) × 0.50 × 1.00 × 0.90 = 0.68 ENDMARK"

    static func report() -> GapReport {
        var first = GapFixtures.presence
        first.headline = "2.1 dB more low-mids than your references (they range 4.2–5.8 dB below the total)"
        first.reason = longReason
        first.actionable = true
        first.audible = true
        var second = GapFixtures.width
        second.actionable = false
        second.audible = true
        var symptom = GapFixtures.breakdown
        symptom.causedBy = first.id
        symptom.actionable = false
        var report = GapReport(mix: "mix.wav", profile: "demo", cluster: .init(id: 2, name: "uplifting", how: "nearest", distance: 1.2, size: 4),
                               amount: 0.7, gaps: [first, second, symptom], measured: [:])
        report.warnings = ["20 of 30 measures lie far (2+ spreads) outside cluster \"uplifting\"'s p10–p90: this mix may be another style"]
        return report
    }

    /// The detail's text, continuation lines joined back (wrapping indents them by two spaces).
    static func unwrapped(_ lines: [String]) -> String {
        lines.map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
    }

    @Test(arguments: sizes)
    func theDetailWrapsWholeUnderADividerWithThePosition(size: Size) {
        let screen = GapsPaneRenderTests.gapScreen(size, report: Self.report())
        let inner = GapsPaneRenderTests.inner(size)
        let layout = GapsPane.layout(inner, gapCount: 3)
        let lines = screen.text(in: layout.detail)
        #expect(layout.detail.width == (inner.width >= 100 ? inner.width - inner.width * 45 / 100 - 2 : inner.width))
        // No line of the pane runs past its edge: every row fits, the border is intact.
        let rect = Fixtures.paneRect(.gaps, size: size, panes: PaneKind.gapPanes)
        for y in inner.y..<inner.maxY { #expect(screen[rect.maxX - 1, y].symbol == "│", "row \(y) at \(size)") }
        // The divider with the position.
        #expect(screen.text(in: layout.rule).joined().contains("── 1/3 ──"), "\(screen.text(in: inner).joined(separator: "\n"))")
        // The headline, whole, in the detail (wrapped at 80 columns, on one line at 200).
        let detailText = Self.unwrapped(lines)
        #expect(detailText.contains("2.1 dB more low-mids than your references (they range 4.2–5.8 dB below the total)"), "\(lines.joined(separator: "\n"))")
        // The long reason is wrapped whole where the height allows it: every word, to its last.
        if size.height >= 40 {
            let compact = detailText.replacingOccurrences(of: "  ", with: " ")
            #expect(compact.contains("why: " + Self.longReason), "\(lines.joined(separator: "\n"))")
            #expect(lines.filter { $0.contains("ENDMARK") }.count == 1)
        }
        // Producer's words first, statistics after: no key names on the headline row.
        #expect(lines[0].hasPrefix("2.1 dB more low-mids"), "\(lines[0])")
        for word in ["low_mid", "spreads", "pct"] { #expect(!lines[0].contains(word)) }
    }

    /// At 80×24 the detail has six rows: it says what it leaves out, and zoomed (z) it shows the long
    /// reason whole.
    @Test func atEightyByTwentyFourTheLongReasonIsWholeWhenZoomed() {
        let size = Size(width: 80, height: 24)
        let cut = GapsPaneRenderTests.gapScreen(size, report: Self.report())
        #expect(cut.contains("more lines: z zooms the pane"), "\(cut.debugDescription)")
        let zoomed = GapsPaneRenderTests.gapScreen(size, report: Self.report()) { _ = reduce(&$0, .zoomFocusedPane) }
        let body = Rect(x: 0, y: 0, width: size.width, height: size.height - 1).inset(by: 1)
        let layout = GapsPane.layout(body, gapCount: 3)
        let lines = zoomed.text(in: layout.detail)
        let text = Self.unwrapped(lines).replacingOccurrences(of: "  ", with: " ")
        #expect(text.contains("why: " + Self.longReason), "\(lines.joined(separator: "\n"))")
        #expect(lines.allSatisfy { $0.count <= layout.detail.width })
        #expect(!zoomed.contains("z zooms the pane"))
    }

    @Test(arguments: sizes)
    func theSelectedRowIsHighlightedAndTheTitleShowsTheStanding(size: Size) {
        let screen = GapsPaneRenderTests.gapScreen(size, report: Self.report())
        let inner = GapsPaneRenderTests.inner(size)
        let labelX = inner.x + 2 + GapsPane.barWidth + 1
        #expect(screen[labelX, inner.y].style.reverse, "the selected row")
        #expect(!screen[labelX, inner.y + 1].style.reverse)
        let rect = Fixtures.paneRect(.gaps, size: size, panes: PaneKind.gapPanes)
        let title = screen.line(rect.y)
        #expect(title.contains("Gaps · against demo"), "\(title)")
        #expect(size.width < 120 || (title.contains("cluster \"uplifting\" (4 refs)") && title.contains("far from this profile")), "\(title)")
        // A symptom is marked and sits under its cause.
        #expect(screen.text(in: inner).contains { $0.contains("symptom") })
    }

    @Test func wrappingKeepsWordsWholeAndIndentsContinuations() {
        #expect(TextWrap.lines("one two three four", width: 9, indent: 2) == ["one two", "  three", "  four"])
        #expect(TextWrap.lines("  a b", width: 10) == ["  a b"])
        #expect(TextWrap.lines("abcdefghijkl", width: 5) == ["abcde", "fghij", "kl"])
        #expect(TextWrap.lines("", width: 5) == [""])
    }
}
