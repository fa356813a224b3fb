import Testing
import UpliftModel
import UpliftTerminal
@testable import UpliftTUI

/// Bar height in eighths of a cell for each column of `plot`, read back from the glyphs.
func columnEighths(_ screen: CellBuffer, plot: Rect) -> [Int] {
    let eighths = Glyphs.unicode.verticalEighths
    return (plot.x..<plot.maxX).map { x in
        (plot.y..<plot.maxY).reduce(0) { $0 + (eighths.firstIndex(of: screen[x, $1].symbol) ?? 0) }
    }
}

@Suite struct LoudnessPaneTests {
    static let target = LoudnessTarget(shortTermLUFS: -10 ... -8, integratedLUFS: -11 ... -9, label: "refs p10–p90")

    @Test(arguments: studioSizes)
    func showsEveryReadingWithItsUnitAndMetersAtEverySize(size: Size) {
        let screen = Fixtures.screen(size)
        let inner = Fixtures.paneRect(.loudness, size: size).inset(by: 1)
        let rows = screen.text(in: inner)
        let compact = inner.width < 40
        let labels = compact ? ["Mom.", "Short", "Integ", "Peak", "LRA"] : ["Momentary", "Short-term", "Integrated", "True peak", "LRA"]
        let values = ["-12.3 LUFS", "-13.4 LUFS", "-14.5 LUFS", "-0.4 dBTP", "6.7 LU"]
        for (label, value) in zip(labels, values) {
            #expect(rows.contains { $0.hasPrefix(label) && $0.contains(value) }, "\(label) \(value) at \(size): \(rows)")
        }
        // The momentary and short-term meters are drawn (80×24 included): -12.3 LUFS fills 27.7/40 of the meter.
        for label in labels.prefix(2) {
            guard let row = rows.first(where: { $0.hasPrefix(label) }) else { Issue.record("no \(label) row"); continue }
            let bar = row.filter { "▏▎▍▌▋▊▉█".contains($0) }.count
            let meter = bar + row.filter { $0 == "·" }.count
            #expect(meter >= 6, "\(label) meter at \(size): \(row)")
            #expect(abs(Double(bar) - Double(meter) * 27.7 / 40) <= 1.5 || label != labels[0], "\(row)")
        }
        #expect(!rows.contains { $0.hasPrefix("Range") })
        let peakX = screen.positions(of: "-0.4")[0]
        #expect(screen[peakX.x, peakX.y].style == Fixtures.defaultTheme[.danger])
    }

    @Test(arguments: studioSizes)
    func scaleSitsUnderTheMetersAndTheTargetIsMarkedWhereItsLevelIs(size: Size) throws {
        let screen = Fixtures.screen(size) { $0.loudnessTarget = Self.target }
        let inner = Fixtures.paneRect(.loudness, size: size).inset(by: 1)
        let rows = screen.text(in: inner)
        let scaleIndex = try #require(rows.firstIndex { $0.contains("-40") && $0.hasSuffix("0") && $0.contains("refs") })
        // The meter spans the scale: -40 at its first column, 0 at its last.
        let meterRow = inner.y + 1
        let meterColumns = (inner.x..<inner.maxX).filter { "▏▎▍▌▋▊▉█·▒".contains(screen[$0, meterRow].symbol) }
        let first = meterColumns.min()!, last = meterColumns.max()!
        #expect(screen.line(inner.y + scaleIndex).dropFirst(first).hasPrefix("-40"))
        #expect(last == inner.maxX - 1)
        // -10…-8 LUFS is 30/40…32/40 of the meter: those columns are in the "good" style, no others.
        let good = (first...last).filter { screen[$0, meterRow].style == Fixtures.defaultTheme[.good] }
        let width = Double(last - first)
        #expect(good.min().map { abs(Double($0 - first) - width * 30 / 40) <= 1 } == true, "\(good) in \(first)…\(last)")
        #expect(good.max().map { abs(Double($0 - first) - width * 32 / 40) <= 1 } == true, "\(good) in \(first)…\(last)")
        // Without a target nothing is marked.
        let plain = Fixtures.screen(size)
        #expect((first...last).allSatisfy { plain[$0, meterRow].style != Fixtures.defaultTheme[.good] })
    }

    @Test func aChosenLevelIsOneMarkedColumn() {
        let size = Size(width: 120, height: 40)
        let screen = Fixtures.screen(size) { $0.loudnessTarget = .level(-14) }
        let inner = Fixtures.paneRect(.loudness, size: size).inset(by: 1)
        let good = (inner.x..<inner.maxX).filter { screen[$0, inner.y + 1].style == Fixtures.defaultTheme[.good] }
        #expect(good.count == 1)
        #expect(screen.contains("▒ target"))
    }

    @Test(arguments: studioSizes)
    func integratedSaysSinceWhenASeekRestartedIt(size: Size) throws {
        var snapshot = Fixtures.snapshot()
        let before = Fixtures.screen(size, snapshot: snapshot)
        #expect(!before.contains("since"))
        snapshot.loudness?.integratedSinceS = 60
        let after = Fixtures.screen(size, snapshot: snapshot)
        let hit = try #require(after.positions(of: "since 1:00").first)
        #expect(after.line(hit.y).contains("-14.5 LUFS"))
    }

    @Test(arguments: studioSizes)
    func historyHasItsDecibelAndTimeLabelsAndRisesToTheRight(size: Size) throws {
        let screen = Fixtures.screen(size)
        let inner = Fixtures.paneRect(.loudness, size: size).inset(by: 1)
        let rows = screen.text(in: inner)
        let timeRow = rows.last!
        #expect(timeRow.hasSuffix("now"), "\(timeRow)")
        let zeroRow = try #require(rows.firstIndex { $0.hasPrefix("  0 ") })
        let floorRow = try #require(rows.lastIndex { $0.hasPrefix("-40 ") })
        let plot = Rect(x: inner.x + 4, y: inner.y + zeroRow, width: inner.width - 4, height: floorRow - zeroRow + 1)
        // The span: one column per 100 ms.
        #expect(timeRow.contains("last \(Format.fixed(Double(plot.width) / 10, 0)) s"), "\(timeRow)")
        let heights = columnEighths(screen, plot: plot)
        let drawn = heights.suffix(min(50, plot.width))
        #expect(drawn.first! < drawn.last!)
        #expect(zip(drawn, drawn.dropFirst()).allSatisfy { $0 <= $1 })
        let expectedLast = Int(((-10.4 + 40) / 40 * Double(plot.height * 8)).rounded())
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

    /// The curve's rows: the pane minus the ruler and the legend.
    static func plot(_ size: Size) -> Rect {
        let inner = Fixtures.paneRect(.energy, size: size).inset(by: 1)
        return Rect(x: inner.x, y: inner.y, width: inner.width, height: inner.height - 2)
    }

    @Test(arguments: studioSizes)
    func playheadFollowsThePositionAndSectionsAreColoured(size: Size) {
        let plot = Self.plot(size)
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
        // The drop (-6 dB) fills the plot; the breakdown (-24 dB) sits 18 of 24 dB lower.
        let heights = columnEighths(screen, plot: plot)
        #expect(heights[column(at: 90) - plot.x] == plot.height * 8)
        #expect(abs(heights[column(at: 45) - plot.x] - plot.height * 8 / 4) <= 1)
    }

    @Test(arguments: studioSizes)
    func breakdownsTwelveDecibelsUnderTheDropsStandAThirdOfThePaneLowerAndSilenceIsIgnored(size: Size) {
        let screen = Fixtures.screen(size, snapshot: Arrangement.snapshot())
        let pane = Fixtures.paneRect(.energy, size: size)
        let plot = Self.plot(size)
        let heights = columnEighths(screen, plot: plot)
        func columns(bars: Range<Int>) -> [Int] {
            let duration = Arrangement.durationS
            return (0..<plot.width).filter { column in
                let bar = Int((Double(column) + 0.5) / Double(plot.width) * duration / Arrangement.barS)
                return bars.contains(bar)
            }
        }
        let playhead = Self.playheadColumns(screen, plot: plot).map { $0 - plot.x }
        let drops = (columns(bars: 42..<70) + columns(bars: 98..<110)).filter { !playhead.contains($0) }.map { heights[$0] }
        let breakdowns = (columns(bars: 18..<30) + columns(bars: 74..<86)).map { heights[$0] }
        // Eighths of a cell: a third of the pane's height in rows is pane.height * 8 / 3 eighths.
        guard let lowestDrop = drops.min(), let highestBreakdown = breakdowns.max() else { Issue.record("no columns"); return }
        #expect(lowestDrop - highestBreakdown >= pane.height * 8 / 3, "drops \(drops), breakdowns \(breakdowns), pane \(pane.height)")
        // The loudest bar fills the plot; the intro (-14 dB) stands between breakdown and drop.
        #expect(drops.max() == plot.height * 8)
        let intro = columns(bars: 2..<14).map { heights[$0] }
        #expect(intro.min()! > breakdowns.max()! && intro.max()! < drops.min()!)
        // The silent tail draws nothing and does not stretch the scale.
        #expect(columns(bars: 121..<128).allSatisfy { heights[$0] == 0 })
    }

    @Test(arguments: studioSizes)
    func rulerNumbersBarsFromOneInPhraseStepsUnderTheirColumns(size: Size) {
        let screen = Fixtures.screen(size, snapshot: Arrangement.snapshot())
        let plot = Self.plot(size)
        let ruler = screen.line(plot.maxY)
        let words = ruler.dropFirst(plot.x).prefix(plot.width).split(separator: " ").compactMap { Int($0) }
        #expect(words.first == 1)
        guard words.count >= 2 else { Issue.record("ruler \(ruler)"); return }
        let step = words[1] - words[0]
        #expect([8, 16, 32].contains(step), "\(words)")
        #expect(zip(words, words.dropFirst()).allSatisfy { $1 - $0 == step }, "\(words)")
        #expect(words.last! + step > 120, "labels run to the end: \(words)")
        // Each number starts at the column where its bar starts.
        for bar in words {
            let x = screen.positions(of: " \(bar) ").first { $0.y == plot.maxY }.map { $0.x + 1 } ?? plot.x
            let expected = Double(bar - 1) * Arrangement.barS / Arrangement.durationS * Double(plot.width)
            #expect(abs(Double(x - plot.x) - expected) <= 1.5, "bar \(bar) at \(x - plot.x), expected \(expected)")
        }
    }

    @Test(arguments: studioSizes)
    func legendNamesEverySectionKindDrawnAndThePlayheadItsBarAndSection(size: Size) {
        let screen = Fixtures.screen(size, snapshot: Arrangement.snapshot())
        let inner = Fixtures.paneRect(.energy, size: size).inset(by: 1)
        let legend = screen.line(inner.maxY - 1)
        for kind in ["intro", "breakdown", "buildup", "drop", "outro"] {
            #expect(legend.contains("■ \(kind)"), "\(kind) missing at \(size): \(legend)")
            guard let x = screen.positions(of: "■ \(kind)").first(where: { $0.y == inner.maxY - 1 })?.x else { continue }
            #expect(screen[x, inner.maxY - 1].style == Fixtures.defaultTheme[EnergyPane.role(for: .init(rawValue: kind))])
        }
        let title = screen.line(inner.y - 1)
        #expect(title.contains("bar 97 · drop 2 · 2:47"), "\(title)")
        // A kind not in the track is not in the legend.
        let noBuildup = Arrangement.sections.map { $0.kind == .buildup ? TrackAnalysis.Section(kind: .drop, startS: $0.startS, endS: $0.endS) : $0 }
        let other = Fixtures.screen(size, snapshot: Fixtures.snapshot(source: Fixtures.source(positionS: 10, durationS: Arrangement.durationS),
                                                                    energy: Arrangement.energy, sections: noBuildup))
        #expect(!other.line(inner.maxY - 1).contains("buildup"))
        #expect(other.line(inner.y - 1).contains("bar 6 · intro"))
    }

    @Test func liveInputScrollsWithTheNewestBarAtTheRight() {
        let size = Size(width: 80, height: 24)
        let plot = Self.plot(size)
        // 200 bars, rising: only the last plot.width fit; the newest (loudest) is at the right edge.
        let energy = (0..<200).map { TrackAnalysis.EnergyPoint(tS: Double($0) * 2, rmsDB: -40 + Double($0) * 0.15, centroidHz: 1000, bassRatio: 0.3) }
        let snapshot = Fixtures.snapshot(source: Fixtures.source(kind: .device, positionS: 400, durationS: nil),
                                         energy: energy, sections: [])
        let screen = Fixtures.screen(size, snapshot: snapshot)
        func height(_ x: Int) -> Int { (plot.y..<plot.maxY).filter { screen[x, $0].symbol != " " && screen[x, $0].symbol != "│" }.count }
        #expect(height(plot.maxX - 1) == plot.height)
        #expect(height(plot.x) < height(plot.maxX - 1))
        #expect(Self.playheadColumns(screen, plot: plot) == [plot.maxX - 1])
        // The ruler numbers the bars shown (the last plot.width of 200), in phrase steps.
        let words = screen.line(plot.maxY).dropFirst(plot.x).prefix(plot.width).split(separator: " ").compactMap { Int($0) }
        #expect(!words.isEmpty)
        #expect(words.allSatisfy { ($0 - 1) % 8 == 0 && $0 > 200 - plot.width && $0 <= 200 }, "\(words)")
        #expect(screen.line(plot.y - 1).contains("bar 200"))
    }
}

@Suite struct TrancePaneTests {
    static let names = ["Tempo", "Pumping", "Energy arc", "Four on floor", "Supersaw", "Acid 303", "Offbeat hats", "Brightness", "Tempo steady"]

    @Test(arguments: studioSizes)
    func scoreEveryComponentWithABarItsWeightAndItsReason(size: Size) throws {
        let screen = Fixtures.screen(size)
        let inner = Fixtures.paneRect(.trance, size: size).inset(by: 1)
        let rows = screen.text(in: inner)
        #expect(rows[0].hasPrefix("Score"))
        #expect(rows[0].contains("64/100"))
        var filled: [Int] = []
        for (index, component) in Fixtures.trance.components.enumerated() {
            let row = try #require(rows.first { $0.hasPrefix(Self.names[index]) }, "\(Self.names[index]) at \(size)")
            #expect(row.contains(Format.fixed(component.value, 2)))
            if inner.width >= 36 { #expect(row.contains("×" + Format.fixed(component.weight, 2)), "\(row)") }
            filled.append(row.filter { $0 == "█" }.count)
            // The reason: on the row when wide, else on the row under it when there are rows to spare.
            let rowIndex = rows.firstIndex(of: row)!
            if inner.height >= 19 {
                #expect((row + rows[rowIndex + 1]).contains(component.reason), "\(component.reason) at \(size)")
            }
        }
        #expect(filled[0] == filled.max())
        #expect(filled[5] == 0)
        #expect(abs(Double(filled[1]) - Double(filled[0]) * 0.5) <= 1)
        // At 120×40 and 200×60 the reasons use the pane's lower half.
        if size.height >= 40 { #expect(rows.filter { $0.hasPrefix("  ") && !$0.trimmingCharacters(in: .whitespaces).isEmpty }.count == 9) }
    }

    @Test(arguments: studioSizes)
    func anUnmeasuredComponentSaysSoInsteadOfZero(size: Size) throws {
        var trance = Fixtures.trance
        trance.components[0] = .init(name: "tempo", value: 0, weight: 0.2, reason: "no tempo measured", measured: false)
        let screen = Fixtures.screen(size, snapshot: Fixtures.snapshot(trance: trance))
        let inner = Fixtures.paneRect(.trance, size: size).inset(by: 1)
        let row = try #require(screen.text(in: inner).first { $0.hasPrefix("Tempo ") })
        #expect(row.contains("not measured") || row.contains("unmeasured"), "\(row)")
        #expect(row.contains("n/a") && !row.contains("0.00"), "\(row)")
        // A measured zero still reads 0.00.
        let acid = try #require(screen.text(in: inner).first { $0.hasPrefix("Acid 303") })
        #expect(acid.contains("0.00") && !acid.contains("measured"))
    }

    @Test func componentColoursFollowTheirValue() {
        #expect(TrancePane.role(forValue: 0.9) == .good)
        #expect(TrancePane.role(forValue: 0.5) == .warning)
        #expect(TrancePane.role(forValue: 0.1) == .danger)
    }
}
