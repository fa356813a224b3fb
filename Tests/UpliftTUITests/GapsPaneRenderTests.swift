import Testing
import UpliftModel
import UpliftTerminal
@testable import UpliftTUI

/// Cell-buffer tests of the Gaps pane and of the spectrum's profile band and gap markers.
@Suite struct GapsPaneRenderTests {
    static func gapScreen(_ size: Size, report: GapReport = GapFixtures.report(), unicode: Bool = true,
                          _ more: (inout AppState) -> Void = { _ in }) -> CellBuffer {
        Fixtures.screen(size, unicode: unicode) { state in
            _ = reduce(&state, .gapReportLoaded(report))
            more(&state)
        }
    }

    static func inner(_ size: Size) -> Rect { Fixtures.paneRect(.gaps, size: size, panes: PaneKind.gapPanes).inset(by: 1) }

    @Test(arguments: standardSizes)
    func showsTheTopGapItsValuesAndItsFixOldToNew(size: Size) {
        let screen = Self.gapScreen(size)
        let rect = Fixtures.paneRect(.gaps, size: size, panes: PaneKind.gapPanes)
        let titles = screen.positions(of: " Gaps ")
        #expect(titles.count == 1 && titles.first.map { $0.y == rect.y && $0.x > rect.x } == true, "\(screen.debugDescription)")
        #expect(screen.contains(" Spectrum "))
        let inner = Self.inner(size)
        let text = screen.text(in: inner).joined(separator: "\n")
        for expected in ["spectrum 2.00 kHz–3.56 kHz", "stereo.side_mid_ratio (drop)", "on Mix Bus / EQ Eight", "confidence 0.72",
                         "3 Gain A: 0.0 dB → -2.5 dB", "advice", "1/3"] {
            #expect(text.contains(expected), "missing \(expected) at \(size):\n\(text)")
        }
        // The statistics follow the fix; at 80×24 they are what the detail's height leaves out.
        for expected in ["value 3.50 dB", "-1.00–0.00–1.20 dB (p10–p50–p90)", "at p98", "section: whole track",
                         "presence 2.3 dB above the profile's p90"] where size.height >= 40 {
            #expect(text.contains(expected), "missing \(expected) at \(size):\n\(text)")
        }
        // Ranked order: the top gap's row comes first, and its priority bar is the longest (full).
        let first = screen.positions(of: "spectrum 2.00 kHz–3.56 kHz").filter { inner.contains(x: $0.x, y: $0.y) }.map(\.y).min()!
        let second = screen.positions(of: "stereo.side_mid_ratio (drop)").first!.y
        #expect(first < second || size.width >= 100)
        #expect(screen[inner.x + 2 + GapsPane.barWidth - 1, inner.y].symbol == "█")
        #expect(screen[inner.x + 2 + GapsPane.barWidth - 1, inner.y + 1].symbol != "█")
        #expect(screen.line(size.height - 1).contains("Live: absent (read-only)"))
    }

    @Test(arguments: standardSizes)
    func rejectedGapIsDimmed(size: Size) {
        let theme = Fixtures.defaultTheme
        let screen = Self.gapScreen(size, report: GapFixtures.report(rejectingBreakdown: true))
        let inner = Self.inner(size)
        let rejected = screen.positions(of: "section.relative_rms_db (breakdown)").first { inner.contains(x: $0.x, y: $0.y) }!
        #expect(screen[rejected.x, rejected.y].style == GapsPane.dimmed(theme[.muted]))
        #expect(screen[rejected.x, rejected.y].style.dim)
        #expect(screen.line(rejected.y).contains("rejected"))
        let kept = screen.positions(of: "stereo.side_mid_ratio (drop)").first!
        #expect(!screen[kept.x, kept.y].style.dim)
    }

    @Test(arguments: standardSizes)
    func selectionMovesTheMarkerAndTheDetail(size: Size) {
        let inner = Self.inner(size)
        let before = Self.gapScreen(size)
        #expect(before[inner.x, inner.y].symbol == "▶")
        #expect(before[inner.x, inner.y + 1].symbol == " ")
        let after = Self.gapScreen(size) { _ = reduce(&$0, .keyPressed(.character("j"))) }
        #expect(after[inner.x, inner.y].symbol == " ")
        #expect(after[inner.x, inner.y + 1].symbol == "▶")
        let detail = after.text(in: inner).joined(separator: "\n")
        #expect(detail.contains("Stereo Width: 100 % → 130 %"))
        #expect(detail.contains("2/3"))
        #expect(size.height < 40 || detail.contains("section: drop"))
        #expect(!detail.contains("3 Gain A"))
    }

    @Test func appliedFixShowsTheVerifiedReadBackAndTheBridgeState() {
        let size = Size(width: 80, height: 24)
        let screen = Self.gapScreen(Size(width: 200, height: 60)) {
            _ = reduce(&$0, .bridgeStateChanged(.connected(setName: "Trance WIP")))
            _ = reduce(&$0, .approveSelectedFix)
            _ = reduce(&$0, .fixApplied(id: GapFixtures.eqFix.id, summary: "3 Gain A = -2.5 dB"))
        }
        #expect(screen.contains("applied, verified: 3 Gain A = -2.5 dB"))
        #expect(screen.line(59).contains("Live: connected (Trance WIP)"))
        let applying = Self.gapScreen(size) {
            _ = reduce(&$0, .bridgeStateChanged(.connected(setName: nil)))
            _ = reduce(&$0, .approveSelectedFix)
        }
        #expect(applying.line(Self.inner(size).y).hasSuffix("applying│"))
        #expect(applying.contains("applying… waiting for Live"))
        let applied = Self.gapScreen(size) {
            _ = reduce(&$0, .bridgeStateChanged(.connected(setName: nil)))
            _ = reduce(&$0, .approveSelectedFix)
            _ = reduce(&$0, .fixApplied(id: GapFixtures.eqFix.id, summary: "3 Gain A = -2.5 dB"))
        }
        #expect(applied.contains("applied, verified: 3 Gain A = -2.5 dB"), "\(applied.debugDescription)")
        let failed = Self.gapScreen(size) { _ = reduce(&$0, .fixFailed(id: GapFixtures.eqFix.id, message: "no reply")) }
        #expect(failed.contains("failed: no reply"))
    }

    @Test func historyViewListsWhatWasDoneMostRecentFirst() {
        let size = Size(width: 80, height: 24)
        let screen = Self.gapScreen(size) {
            _ = reduce(&$0, .rejectSelectedGap)
            _ = reduce(&$0, .keyPressed(.enter))
            _ = reduce(&$0, .keyPressed(.character("j")))
            _ = reduce(&$0, .rejectSelectedGap)
            _ = reduce(&$0, .keyPressed(.enter))
            _ = reduce(&$0, .keyPressed(.character("h")))
        }
        let lines = screen.text(in: GapsPaneRenderTests.inner(size))
        let firstEntry = lines.firstIndex { $0.hasPrefix("  rejected stereo") }
        let secondEntry = lines.firstIndex { $0.hasPrefix("  rejected spectrum") }
        #expect(lines.contains { $0.hasPrefix("History") })
        #expect(firstEntry != nil && secondEntry != nil && firstEntry! < secondEntry!)
    }

    @Test func asciiUsesAnAsciiArrow() {
        let screen = Self.gapScreen(Size(width: 80, height: 24), unicode: false)
        #expect(screen.contains("3 Gain A: 0.0 dB -> -2.5 dB"))
        #expect(screen.cells.allSatisfy { $0.symbol.isASCII })
    }

    @Test func noReportSaysHowToGetOne() {
        let screen = Fixtures.screen(Size(width: 80, height: 24)) { $0.panes = PaneKind.gapPanes; $0.focusedPane = .gaps }
        #expect(screen.contains("no gap report: start with --profile"))
        #expect(!screen.contains("Live:"))
    }
}

@Suite struct GapsPaneSpectrumTests {
    /// A band from -40 to -20 dB everywhere; the live spectrum sits at -60 dB with one -6 dB band at 1 kHz.
    static let band = ProfileSpectrumBand(bandsHz: Fixtures.bandsHz, p10DB: Fixtures.bandsHz.map { _ in -40 },
                                          p90DB: Fixtures.bandsHz.map { _ in -20 })

    static func plot(_ size: Size, panes: [PaneKind], markerRows: Int) -> Rect {
        let inner = Fixtures.paneRect(.spectrum, size: size, panes: panes).inset(by: 1)
        return Rect(x: inner.x + SpectrumPane.axisWidth, y: inner.y, width: inner.width - SpectrumPane.axisWidth,
                    height: inner.height - 1 - markerRows)
    }

    @Test(arguments: standardSizes)
    func profileBandIsDrawnBehindTheBars(size: Size) {
        let screen = Fixtures.screen(size) { _ = reduce(&$0, .profileSpectrumBandLoaded(Self.band)) }
        let plot = Self.plot(size, panes: PaneKind.livePanes, markerRows: 0)
        let shade = SpectrumPane.bandGlyph(unicode: true)
        let column = plot.x + SpectrumPane.column(ofFrequencyHz: 100, columns: plot.width)
        let edge = SpectrumPane.edgeGlyph(unicode: true)
        let edgeRows = [-40.0, -20].compactMap { SpectrumPane.row(ofLevel: $0, height: plot.height) }
        for row in 0..<plot.height {
            let centreDB = SpectrumPane.floorDB + 72 * (Double(row) + 0.5) / Double(plot.height)
            let symbol = screen[column, plot.maxY - 1 - row].symbol
            if edgeRows.contains(row) {
                #expect(symbol == edge, "p10/p90 edge on row \(row) at \(size)")
            } else if centreDB >= -40 && centreDB <= -20 {
                #expect(symbol == shade, "row \(row) (\(centreDB) dB) at \(size)")
            } else {
                #expect(symbol != shade, "row \(row) (\(centreDB) dB) at \(size)")
            }
        }
        // The -6 dB bar at 1 kHz covers the shade in its column, but the band's edges stay drawn over it.
        let peakColumn = plot.x + SpectrumPane.column(ofFrequencyHz: 1000, columns: plot.width)
        #expect((plot.y..<plot.maxY).allSatisfy { screen[peakColumn, $0].symbol != shade })
        for row in edgeRows { #expect(screen[peakColumn, plot.maxY - 1 - row].symbol == edge) }
        // Without a profile band there is no shade at all.
        #expect(!Fixtures.screen(size).cells.contains { $0.symbol == shade })
    }

    @Test(arguments: standardSizes)
    func spectrumGapsAreMarkedUnderTheirFrequencies(size: Size) {
        let screen = Fixtures.screen(size) { _ = reduce(&$0, .gapReportLoaded(GapFixtures.report())) }
        let plot = Self.plot(size, panes: PaneKind.gapPanes, markerRows: 1)
        let markerRow = plot.maxY
        let low = SpectrumPane.column(ofFrequencyHz: 2000, columns: plot.width)
        let high = SpectrumPane.column(ofFrequencyHz: 3560, columns: plot.width)
        for column in 0..<plot.width {
            let symbol = screen[plot.x + column, markerRow].symbol
            #expect((symbol == "▲") == (low...high).contains(column), "column \(column) at \(size)")
        }
        // The frequency labels still sit on the row under the markers.
        #expect(screen.line(markerRow + 1).contains("1k"))
    }

    @Test(arguments: standardSizes)
    func aReExportShowsInTheDetailAndTheHistory(size: Size) {
        let measured = GapRemeasurement(headline: "re-export measured: 1 closed, 1 narrowed",
                                        lines: ["presence: 3.50 → 1.00, closed", "drop width: 0.12 → 0.14, narrowed (15 %)"],
                                        lineByGapID: ["gap-presence": "3.50 → 1.00, closed"], brokenPromises: 0)
        let detail = GapsPaneRenderTests.gapScreen(size) { _ = reduce(&$0, .gapsRemeasured(measured)) }
        #expect(detail.contains("since the last export: 3.50 → 1.00, closed"), "\(detail.debugDescription)")
        let history = GapsPaneRenderTests.gapScreen(size) { state in
            _ = reduce(&state, .gapsRemeasured(measured))
            _ = reduce(&state, .toggleFixHistory)
        }
        #expect(history.contains("Since the last export: re-export measured: 1 closed, 1 narrowed"), "\(history.debugDescription)")
        #expect(history.contains("drop width: 0.12 → 0.14, narrowed (15 %)"))
        #expect(history.contains("This session:"))
    }

    /// With `--stems`, the detail says which stem the gap was measured on.
    @Test(arguments: standardSizes)
    func aGapMeasuredOnAStemSaysWhich(size: Size) {
        var gap = GapFixtures.presence
        gap.measuredOn = "stem:Bass"
        let report = GapReport(mix: "m", profile: "p", cluster: nil, amount: 0.7, gaps: [gap], measured: [:])
        let text = GapsPaneRenderTests.gapScreen(size, report: report).text(in: GapsPaneRenderTests.inner(size)).joined(separator: "\n")
        #expect(text.contains("measured on the Bass stem"), "\(text)")
        #expect(!GapsPaneRenderTests.gapScreen(size).text(in: GapsPaneRenderTests.inner(size)).joined().contains("measured on"))
    }

    /// What the report could not compare (or doubts) is announced on load and listed under h.
    @Test(arguments: standardSizes)
    func theReportsWarningsAreAnnouncedAndListedInTheHistory(size: Size) {
        var report = GapFixtures.report()
        report.warnings = ["tempo confidence 0.12: tempo not compared"]
        var notice: String?
        let history = GapsPaneRenderTests.gapScreen(size, report: report) { state in
            notice = state.notice
            _ = reduce(&state, .toggleFixHistory)
        }
        #expect(notice == "3 gaps against uplifting (1 note under h): g shows the live panes")
        #expect(history.contains("History and notes (h: detail)"), "\(history.debugDescription)")
        #expect(history.contains("About this report:"))
        #expect(history.contains("tempo confidence 0.12: tempo not compared"))
    }

    @Test(arguments: standardSizes)
    func aGapWithAlternativesSaysWhichFixIsShown(size: Size) {
        var onBass = GapFixtures.eqFix
        onBass.id = "fix-eq-bass"
        onBass.track = "Bass"
        var gap = GapFixtures.presence
        gap.fixes = [GapFixtures.eqFix, onBass]
        let report = GapReport(mix: "m", profile: "p", cluster: nil, amount: 0.7, gaps: [gap], measured: [:])
        let first = GapsPaneRenderTests.gapScreen(size, report: report)
        #expect(first.contains("fix 1/2, f: next: eq(bell, 2.67 kHz, -2.5 dB, Q 1.2) on Mix Bus / EQ Eight"), "\(first.debugDescription)")
        let second = GapsPaneRenderTests.gapScreen(size, report: report) { _ = reduce(&$0, .cycleFixChoice) }
        #expect(second.contains("fix 2/2, f: next: eq(bell, 2.67 kHz, -2.5 dB, Q 1.2) on Bass / EQ Eight"), "\(second.debugDescription)")
    }

    @Test func smallRatiosKeepTheirDigits() {
        #expect(GapsPane.number(0.059) == "0.059")
        #expect(GapsPane.number(0.013) == "0.013")
        #expect(GapsPane.number(-2.5) == "-2.50")
        #expect(GapsPane.number(138) == "138")
        #expect(GapsPane.number(0) == "0.00")
    }

    @Test(arguments: standardSizes)
    func theRejectPromptTakesTheStatusLine(size: Size) {
        let screen = GapsPaneRenderTests.gapScreen(size) { state in
            _ = reduce(&state, .rejectSelectedGap)
            for c in "muddy" { _ = reduce(&state, .keyPressed(.character(c))) }
        }
        let status = screen.text(in: Rect(x: 0, y: size.height - 1, width: size.width, height: 1)).joined()
        #expect(status.contains("reject spectrum 2.00 kHz–3.56 kHz? reason (optional): muddy▏"), "\(status)")
        #expect(size.width < 100 || status.contains("Enter rejects  Esc cancels"), "\(status)")
    }
}
