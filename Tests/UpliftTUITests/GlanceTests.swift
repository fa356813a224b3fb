import Foundation
import Testing
import UpliftModel
import UpliftTerminal
@testable import UpliftTUI

/// The status line: lost frames named and hidden at 0, readings at a fixed place, `…` where text is cut.
@Suite struct StatusLineLayoutTests {
    @Test(arguments: studioSizes)
    func lostFramesAreNamedSoAndHiddenAtZero(size: Size) throws {
        let none = Fixtures.screen(size).line(size.height - 1)
        #expect(!none.contains("lost") && !none.contains("drops"), "\(none)")
        let some = Fixtures.screen(size, snapshot: Fixtures.snapshot(source: Fixtures.source(drops: 4096)))
        let line = some.line(size.height - 1)
        let hit = try #require(some.positions(of: "lost frames 4096").first, "\(line)")
        #expect(some[hit.x, hit.y].style == Fixtures.defaultTheme[.notice])
    }

    @Test(arguments: studioSizes)
    func positionTempoAndKeyKeepTheirPlaceWhateverTheMessage(size: Size) throws {
        let y = size.height - 1
        let quiet = Fixtures.screen(size)
        let long = String(repeating: "a long transient message ", count: 12)
        let loud = Fixtures.screen(size) { $0.notice = long }
        for reading in ["0:30 / 2:00", "138.0 BPM", size.width < 100 ? "Am 8A" : "A minor 8A"] {
            let before = try #require(quiet.positions(of: reading).first { $0.y == y }, "\(reading) at \(size)")
            let after = try #require(loud.positions(of: reading).first { $0.y == y }, "\(reading) pushed out at \(size): \(loud.line(y))")
            #expect(before.x == after.x, "\(reading) moved from \(before.x) to \(after.x)")
        }
        // The message that does not fit ends in an ellipsis right before the readings.
        let line = loud.line(y)
        let readingsX = loud.positions(of: "0:30 / 2:00").first { $0.y == y }!.x
        let ellipsis = try #require(line.firstIndex(of: "…"), "\(line)")
        #expect(line.distance(from: line.startIndex, to: ellipsis) < readingsX)
        #expect(line.contains("a long transient"))
        // A later tempo or a longer position does not move the others either.
        let other = Fixtures.screen(size, snapshot: Fixtures.snapshot(source: Fixtures.source(positionS: 65), bpm: 92.5))
        #expect(other.positions(of: "1:05 / 2:00").first { $0.y == y }?.x == quiet.positions(of: "0:30 / 2:00").first { $0.y == y }?.x)
        #expect(other.positions(of: "92.5 BPM").first { $0.y == y }?.x == quiet.positions(of: "138.0 BPM").first { $0.y == y }?.x)
    }
}

@Suite struct SpectrumGlanceTests {
    static func plot(_ size: Size, markerRows: Int = 0) -> Rect {
        let inner = Fixtures.paneRect(.spectrum, size: size).inset(by: 1)
        return Rect(x: inner.x + SpectrumPane.axisWidth, y: inner.y, width: inner.width - SpectrumPane.axisWidth,
                    height: inner.height - 1 - markerRows)
    }

    /// A flat spectrum at `levelDB` in every band.
    static func flat(_ levelDB: Double) -> AnalysisSnapshot.LiveSpectrum {
        let levels = Fixtures.bandsHz.map { _ in levelDB }
        return .init(bandsHz: Fixtures.bandsHz, levelsDB: levels, peaksDB: levels)
    }

    @Test func sCyclesTheSlopeThroughZeroThreeAndFourAndAHalf() {
        var state = AppState(size: Size(width: 120, height: 40))
        var seen: [Double] = []
        for _ in 0..<4 {
            _ = reduce(&state, .keyPressed(.character("s")))
            seen.append(state.spectrumSlopeDBPerOctave)
        }
        #expect(seen == [3, 4.5, 0, 3])
    }

    @Test(arguments: studioSizes)
    func slopeTiltsBarsAndProfileBandAroundOneKilohertz(size: Size) throws {
        let band = ProfileSpectrumBand(bandsHz: Fixtures.bandsHz, p10DB: Fixtures.bandsHz.map { _ in -42 },
                                       p90DB: Fixtures.bandsHz.map { _ in -30 })
        let snapshot = Fixtures.snapshot(spectrum: Self.flat(-36))
        let plot = Self.plot(size)
        let column100 = SpectrumPane.column(ofFrequencyHz: 100, columns: plot.width)
        let column1k = SpectrumPane.column(ofFrequencyHz: 1000, columns: plot.width)
        let column10k = SpectrumPane.column(ofFrequencyHz: 10_000, columns: plot.width)
        for slope in [0.0, 3, 4.5] {
            let screen = Fixtures.screen(size, snapshot: snapshot) {
                $0.profileSpectrumBand = band
                $0.spectrumSlopeDBPerOctave = slope
            }
            let heights = columnEighths(Fixtures.screen(size, snapshot: snapshot) { $0.spectrumSlopeDBPerOctave = slope }, plot: plot)
            let eighthsPerDB = Double(plot.height * 8) / 72
            // 100 Hz and 10 kHz are 3.3 octaves either side of the pivot: ∓ slope × 3.3 dB.
            let expectedRise = slope * log2(10_000.0 / 100) * eighthsPerDB
            #expect(abs(Double(heights[column10k] - heights[column100]) - expectedRise) <= 2 + eighthsPerDB * 2,
                    "slope \(slope) at \(size): \(heights[column100]) → \(heights[column10k])")
            #expect(abs(Double(heights[column1k]) - 36 * eighthsPerDB) <= eighthsPerDB * 2)
            // The band's p90 edge moves with the bars: the same tilt in rows.
            func edgeRows(_ column: Int) -> [Int] {
                (plot.y..<plot.maxY).filter { screen[plot.x + column, $0].symbol == SpectrumPane.edgeGlyph(unicode: true) }
            }
            let lowEdge = try #require(edgeRows(column100).min()), highEdge = try #require(edgeRows(column10k).min())
            let rowsRise = Double(lowEdge - highEdge)
            #expect(abs(rowsRise - slope * log2(100) * Double(plot.height) / 72) <= 1.5, "slope \(slope): edge \(lowEdge) → \(highEdge)")
            #expect(screen.line(plot.y - 1).contains("dB/oct") == (slope != 0), "\(screen.line(plot.y - 1))")
        }
    }

    @Test(arguments: studioSizes)
    func bandEdgesStayVisibleWhereTheBarsCoverThemAndTheMarkersAreExplained(size: Size) {
        // Bars at -20 dB everywhere cover the whole -42…-30 band.
        let band = ProfileSpectrumBand(bandsHz: Fixtures.bandsHz, p10DB: Fixtures.bandsHz.map { _ in -42 },
                                       p90DB: Fixtures.bandsHz.map { _ in -30 })
        let screen = Fixtures.screen(size, snapshot: Fixtures.snapshot(spectrum: Self.flat(-20))) {
            $0.profileSpectrumBand = band
            _ = reduce(&$0, .gapReportLoaded(GapFixtures.report()))
            $0.panes = PaneKind.livePanes
        }
        let plot = Self.plot(size, markerRows: 1)
        let edge = SpectrumPane.edgeGlyph(unicode: true)
        let column = plot.x + SpectrumPane.column(ofFrequencyHz: 500, columns: plot.width)
        let edges = (plot.y..<plot.maxY).filter { screen[column, $0].symbol == edge }
        #expect(edges.count == 2, "p10 and p90 over the bar at \(size)")
        #expect(edges.allSatisfy { screen[column, $0].style.foreground == Fixtures.defaultTheme[.good].foreground })
        let title = screen.line(plot.y - 1)
        #expect(title.contains("▲ above ▼ below refs") || title.contains("▲▼ vs refs"), "\(title)")
        #expect(title.contains("refs"), "\(title)")
    }
}
