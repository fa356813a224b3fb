import Foundation
import Testing
import UpliftModel
import UpliftTerminal
@testable import UpliftTUI

@Suite struct SpectrumPaneTests {
    /// Bar height per plot column of the spectrum pane, in eighths, read back from the glyphs.
    static func barHeights(_ screen: CellBuffer, size: Size) -> (plot: Rect, heights: [Int]) {
        let inner = Fixtures.paneRect(.spectrum, size: size).inset(by: 1)
        let plot = Rect(x: inner.x + SpectrumPane.axisWidth, y: inner.y, width: inner.width - SpectrumPane.axisWidth,
                        height: inner.height - 1)
        let eighths = Glyphs.unicode.verticalEighths
        let heights = (plot.x..<plot.maxX).map { x in
            (plot.y..<plot.maxY).reduce(0) { total, y in total + (eighths.firstIndex(of: screen[x, y].symbol) ?? 0) }
        }
        return (plot, heights)
    }

    static let cases: [(hz: Double, label: String)] = [(100, "100"), (1000, "1k"), (5000, "5k"), (10_000, "10k")]

    @Test(arguments: standardSizes)
    func knownPeakMakesTheTallestBarUnderItsLabel(size: Size) {
        for (hz, label) in Self.cases {
            let screen = Fixtures.screen(size, snapshot: Fixtures.snapshot(spectrum: Fixtures.spectrum(peakHz: hz)))
            let (plot, heights) = Self.barHeights(screen, size: size)
            let tallest = heights.indices.max { heights[$0] < heights[$1] }!
            let labelRow = plot.maxY
            guard let labelHit = screen.positions(of: label).first(where: {
                $0.y == labelRow && screen[$0.x - 1, $0.y].symbol == " " && screen[$0.x + label.count, $0.y].symbol == " "
            }) else {
                Issue.record("label \(label) missing at \(size): \(screen.debugDescription)")
                continue
            }
            let labelCentre = labelHit.x + label.count / 2
            #expect(abs(plot.x + tallest - labelCentre) <= 2, "\(hz) Hz: tallest column x=\(plot.x + tallest), label \(label) at \(labelHit.x)")
            // -6 dB on a 0…-72 dB scale is 11/12 of the plot height; the floor (-60 dB) is 1/6 of it.
            #expect(abs(heights[tallest] - plot.height * 8 * 66 / 72) <= 1)
            // One 1/6-octave band spans plot.width/60 columns; interpolation may widen it to about three bands.
            #expect(heights.filter { $0 > plot.height * 8 / 2 }.count <= max(2, plot.width * 3 / 60))
        }
    }

    @Test(arguments: standardSizes)
    func allFrequencyLabelsAndADecibelAxisAreDrawn(size: Size) {
        let screen = Fixtures.screen(size)
        let inner = Fixtures.paneRect(.spectrum, size: size).inset(by: 1)
        let labelRow = screen.text(in: Rect(x: inner.x, y: inner.maxY - 1, width: inner.width, height: 1))[0]
        let words = labelRow.split(separator: " ").map(String.init)
        #expect(words == ["Hz", "50", "100", "200", "500", "1k", "2k", "5k", "10k"])
        let axis = screen.text(in: Rect(x: inner.x, y: inner.y, width: 3, height: inner.height - 1)).map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(axis.first == "0dB")
        #expect(axis.contains("-24"))
        #expect(axis.last(where: { !$0.isEmpty }).map { Int($0)! <= -48 } == true)
        #expect(axis.filter { $0.hasSuffix("dB") }.count == 1, "the unit once, on the top label")
    }

    @Test func peakHoldMarksTheHeldLevelAboveTheBar() {
        let size = Size(width: 80, height: 24)
        let snapshot = Fixtures.snapshot(spectrum: Fixtures.spectrum(peakHz: 1000, peakDB: -48, floorDB: -60, holdDB: -12))
        let screen = Fixtures.screen(size, snapshot: snapshot)
        let (plot, _) = Self.barHeights(screen, size: size)
        let markers = (plot.y..<plot.maxY).flatMap { y in (plot.x..<plot.maxX).compactMap { x in screen[x, y].symbol == "▔" ? (x, y) : nil } }
        #expect(markers.count == 1)
        let column = SpectrumPane.column(ofFrequencyHz: 1000, columns: plot.width)
        #expect(markers.first.map { abs($0.0 - (plot.x + column)) <= 1 } == true)
        // -12 dB on 0…-72 dB: 1/6 down from the top.
        let expectedRow = plot.maxY - 1 - (SpectrumPane.eighths(for: -12, total: plot.height * 8) - 1) / 8
        #expect(markers.first?.1 == expectedRow)
        #expect(screen[markers[0].0, markers[0].1].style == Fixtures.defaultTheme[.peak])
    }

    @Test func paneDrawsOnlyInsideItsRect() {
        // Sentinel prefill: anything the pane draws outside its rectangle would replace an "x".
        let buffer = CellBuffer(size: Size(width: 70, height: 20), fill: Cell("x"))
        let area = Rect(x: 5, y: 3, width: 50, height: 12)
        var state = AppState(size: buffer.size)
        let snapshot = Fixtures.snapshot()
        _ = reduce(&state, .snapshotPublished(snapshot))
        for pane in PaneKind.livePanes {
            var copy = buffer
            let context = PaneContext(state: state, snapshot: snapshot, theme: Fixtures.defaultTheme, glyphs: .unicode, isFocused: true)
            pane.pane.render(context, in: area, into: &copy)
            for y in 0..<copy.height {
                for x in 0..<copy.width where !area.contains(x: x, y: y) {
                    #expect(copy[x, y].symbol == "x", "\(pane) overdrew (\(x),\(y))")
                }
            }
            #expect(copy.text(in: area).joined().contains("x") == false, "\(pane) left sentinel cells inside its rect")
        }
    }

    @Test func panesSurviveTinyRects() {
        var state = AppState(size: Size(width: 10, height: 10))
        let snapshot = Fixtures.snapshot()
        _ = reduce(&state, .snapshotPublished(snapshot))
        for pane in PaneKind.livePanes {
            for area in [Rect(x: 0, y: 0, width: 1, height: 1), Rect(x: 2, y: 2, width: 0, height: 0), Rect(x: 0, y: 0, width: 3, height: 3)] {
                var buffer = CellBuffer(size: Size(width: 10, height: 10), fill: Cell("x"))
                let context = PaneContext(state: state, snapshot: snapshot, theme: Fixtures.defaultTheme, glyphs: .unicode, isFocused: false)
                pane.pane.render(context, in: area, into: &buffer)
                #expect(buffer.cells.filter { $0.symbol != "x" }.count <= area.area)
            }
        }
    }

    @Test func columnValuesTakeTheLoudestBandAndInterpolateBetweenSparseBands() {
        let values = SpectrumPane.columnValues(bandsHz: [100, 1000], values: [-10, -30], columns: 300)
        let at316 = SpectrumPane.column(ofFrequencyHz: 316, columns: 300)
        #expect(abs(values[at316] - -20) < 0.5)   // halfway in log frequency → halfway in dB
        #expect(values[SpectrumPane.column(ofFrequencyHz: 15_000, columns: 300)] == -.infinity)
        let coarse = SpectrumPane.columnValues(bandsHz: [100, 110, 120], values: [-30, -5, -40], columns: 10)
        #expect(coarse[SpectrumPane.column(ofFrequencyHz: 110, columns: 10)] == -5)
    }
}
