import Testing
import UpliftModel
import UpliftTerminal
@testable import UpliftTUI

@Suite struct LoudnessPaneTests {
    @Test(arguments: standardSizes)
    func showsEveryReadingWithItsUnit(size: Size) {
        let screen = Fixtures.screen(size)
        let inner = Fixtures.paneRect(.loudness, size: size).inset(by: 1)
        let rows = screen.text(in: inner)
        let expected = [("Momentary", "-12.3 LUFS"), ("Short-term", "-13.4 LUFS"), ("Integrated", "-14.5 LUFS"),
                        ("True peak", "-0.4 dBTP"), ("Range", "6.7 LU")]
        for (index, (label, value)) in expected.enumerated() {
            #expect(rows[index].hasPrefix(label), "\(rows[index])")
            #expect(rows[index].contains(value), "\(rows[index])")
        }
        // True peak above -1 dBTP is flagged.
        let peakX = screen.positions(of: "-0.4")[0]
        #expect(screen[peakX.x, peakX.y].style == Fixtures.defaultTheme[.danger])
    }

    @Test func historyStripRisesToTheRightForARisingHistory() {
        let size = Size(width: 200, height: 60)
        let screen = Fixtures.screen(size)
        let inner = Fixtures.paneRect(.loudness, size: size).inset(by: 1)
        let strip = Rect(x: inner.x, y: inner.y + 5, width: inner.width, height: inner.height - 5)
        let eighths = Glyphs.unicode.verticalEighths
        let heights = (strip.x..<strip.maxX).map { x in
            (strip.y..<strip.maxY).reduce(0) { $0 + (eighths.firstIndex(of: screen[x, $1].symbol) ?? 0) }
        }
        // 50 readings from -30 to -10.4 LUFS at the right edge; older columns show the empty track.
        let drawn = heights.suffix(50)
        #expect(heights.dropLast(50).allSatisfy { $0 == 0 })
        #expect(drawn.first! < drawn.last!)
        #expect(zip(drawn, drawn.dropFirst()).allSatisfy { $0 <= $1 })
        let expectedLast = Int(((-10.4 + 40) / 40 * Double(strip.height * 8)).rounded())
        #expect(abs(drawn.last! - expectedLast) <= 1)
    }

    @Test func silenceReadsMinusInfinityNotNaN() {
        let silent = AnalysisSnapshot.LiveLoudness(momentaryLUFS: -.infinity, shortTermLUFS: -.infinity,
                                                   integratedLUFS: -.infinity, truePeakDBTP: -.infinity, lraLU: 0,
                                                   shortTermHistory: [-.infinity, -.infinity])
        let screen = Fixtures.screen(Size(width: 80, height: 24), snapshot: Fixtures.snapshot(loudness: silent))
        let inner = Fixtures.paneRect(.loudness, size: Size(width: 80, height: 24)).inset(by: 1)
        let text = screen.text(in: inner).joined(separator: "\n")
        #expect(text.contains("-inf LUFS"))
        #expect(!text.lowercased().contains("nan"))
    }
}

@Suite struct EnergyPaneTests {
    /// Column of the playhead: the column whose cells are drawn in the playhead style.
    static func playheadColumns(_ screen: CellBuffer, plot: Rect) -> [Int] {
        let style = Fixtures.defaultTheme[.playhead]
        return (plot.x..<plot.maxX).filter { x in
            (plot.y..<plot.maxY).allSatisfy { y in
                let cell = screen[x, y]
                return cell.style.foreground == style.foreground && cell.style.bold
            }
        }
    }

    @Test(arguments: standardSizes)
    func playheadFollowsThePositionAndSectionsAreColoured(size: Size) {
        let inner = Fixtures.paneRect(.energy, size: size).inset(by: 1)
        let plot = Rect(x: inner.x, y: inner.y, width: inner.width, height: inner.height - 1)
        for position in [0.0, 45, 90, 119] {
            let screen = Fixtures.screen(size, snapshot: Fixtures.snapshot(source: Fixtures.source(positionS: position)))
            let expected = plot.x + min(plot.width - 1, Int(position / 120 * Double(plot.width)))
            #expect(Self.playheadColumns(screen, plot: plot) == [expected], "position \(position)")
        }
        let screen = Fixtures.screen(size, snapshot: Fixtures.snapshot(source: Fixtures.source(positionS: 0)))
        let bottom = plot.maxY - 1
        func column(at seconds: Double) -> Int { plot.x + Int(seconds / 120 * Double(plot.width)) }
        let theme = Fixtures.defaultTheme
        #expect(screen[column(at: 90), bottom].style == theme[.sectionDrop])
        #expect(screen[column(at: 45), bottom].style == theme[.sectionBreakdown])
        #expect(screen[column(at: 67), bottom].style == theme[.sectionBuildup])
        #expect(screen[column(at: 112), bottom].style == theme[.sectionOutro])
        // The drop (-6 dB) stands taller than the breakdown (-24 dB).
        func height(_ x: Int) -> Int { (plot.y..<plot.maxY).filter { screen[x, $0].symbol != " " }.count }
        #expect(height(column(at: 90)) == plot.height)
        #expect(height(column(at: 45)) < plot.height / 4)
        #expect(screen.line(inner.maxY - 1).contains("drop"))
        #expect(screen.line(inner.maxY - 1).contains("0:00"))
    }

    @Test func liveInputScrollsWithTheNewestBarAtTheRight() {
        let size = Size(width: 80, height: 24)
        let inner = Fixtures.paneRect(.energy, size: size).inset(by: 1)
        let plot = Rect(x: inner.x, y: inner.y, width: inner.width, height: inner.height - 1)
        // 200 bars, rising: only the last plot.width fit; the newest (loudest) is at the right edge.
        let energy = (0..<200).map { TrackAnalysis.EnergyPoint(tS: Double($0) * 2, rmsDB: -40 + Double($0) * 0.15, centroidHz: 1000, bassRatio: 0.3) }
        let snapshot = Fixtures.snapshot(source: Fixtures.source(kind: .device, positionS: 400, durationS: nil),
                                         energy: energy, sections: [])
        let screen = Fixtures.screen(size, snapshot: snapshot)
        func height(_ x: Int) -> Int { (plot.y..<plot.maxY).filter { screen[x, $0].symbol != " " && screen[x, $0].symbol != "│" }.count }
        #expect(height(plot.maxX - 1) == plot.height)
        #expect(height(plot.x) < height(plot.maxX - 1))
        #expect(Self.playheadColumns(screen, plot: plot) == [plot.maxX - 1])
    }
}

@Suite struct TrancePaneTests {
    @Test(arguments: standardSizes)
    func scoreAndEveryComponentWithABarMatchingItsValue(size: Size) {
        let screen = Fixtures.screen(size)
        let inner = Fixtures.paneRect(.trance, size: size).inset(by: 1)
        let rows = screen.text(in: inner)
        #expect(rows[0].hasPrefix("Score"))
        #expect(rows[0].contains("64/100"))
        let names = ["Tempo", "Pumping", "Energy arc", "Four on floor", "Supersaw", "Acid 303", "Offbeat hats", "Brightness", "Tempo steady"]
        var filled: [Int] = []
        for (index, component) in Fixtures.trance.components.enumerated() {
            let row = rows[index + 1]
            #expect(row.hasPrefix(names[index]), "\(row)")
            #expect(row.contains(Format.fixed(component.value, 2)))
            filled.append(row.filter { $0 == "█" }.count)
        }
        // Bar lengths follow the values: tempo (1.0) longest, acid (0.0) empty, pumping half of tempo.
        #expect(filled[0] == filled.max())
        #expect(filled[5] == 0)
        #expect(abs(Double(filled[1]) - Double(filled[0]) * 0.5) <= 1)
        if inner.width >= 80 { #expect(rows[6].contains("no acid line")) }
    }

    @Test func componentColoursFollowTheirValue() {
        #expect(TrancePane.role(forValue: 0.9) == .good)
        #expect(TrancePane.role(forValue: 0.5) == .warning)
        #expect(TrancePane.role(forValue: 0.1) == .danger)
    }
}
