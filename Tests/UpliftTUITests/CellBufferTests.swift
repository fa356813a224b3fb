import Testing
import UpliftTerminal

@Suite struct CellBufferTests {
    @Test func linesInitializerPadsRowsToTheWidestAndReadsBack() {
        let buffer = CellBuffer(lines: ["ab", "abcd", ""])
        #expect(buffer.size == Size(width: 4, height: 3))
        #expect(buffer.lines == ["ab  ", "abcd", "    "])
    }

    @Test func writeIsClippedToTheClipRectAndTheBuffer() {
        var buffer = CellBuffer(lines: ["xxxxxx", "xxxxxx"])
        buffer.write("hello world", x: 1, y: 0, style: .plain, clip: Rect(x: 2, y: 0, width: 3, height: 1))
        buffer.write("zz", x: 5, y: 1, style: .plain)
        buffer.write("never", x: 0, y: 7, style: .plain)
        #expect(buffer.lines == ["xxellx", "xxxxxz"])
    }

    @Test func diffListsOnlyChangedCellsInRowMajorOrder() {
        let before = CellBuffer(lines: ["abc", "def"])
        var after = before
        after.set(x: 2, y: 0, symbol: "C", style: .plain)
        after.setStyle(x: 0, y: 1, style: Style(bold: true))
        let changes = after.changes(since: before)
        #expect(changes.map { [$0.x, $0.y] } == [[2, 0], [0, 1]])
        #expect(changes[0].cell.symbol == "C")
        #expect(changes[1].cell.style.bold)
        #expect(after.changes(since: after).isEmpty)
    }

    @Test func diffAgainstNothingOrAnotherSizeIsTheWholeBuffer() {
        let buffer = CellBuffer(lines: ["abc", "def"])
        #expect(buffer.changes(since: nil).count == 6)
        #expect(buffer.changes(since: CellBuffer(lines: ["abc"])).count == 6)
    }

    @Test func debugDescriptionReadsLikeAScreenshotWithStyles() {
        var buffer = CellBuffer(lines: ["ab"])
        buffer.setStyle(x: 1, y: 0, style: Style(foreground: .indexed(3), bold: true))
        let text = buffer.debugDescription
        #expect(text.contains("\"ab\""))
        #expect(text.contains("y=0 x=1..<2: fg=#3 bg=default bold"))
    }

    @Test func zeroSizedBufferIsEmptyAndIgnoresWrites() {
        var buffer = CellBuffer(size: .zero)
        buffer.write("x", x: 0, y: 0, style: .plain)
        buffer.fill(Rect(x: 0, y: 0, width: 3, height: 3), with: Cell("y"))
        #expect(buffer.cells.isEmpty)
        #expect(buffer.lines.isEmpty)
    }

    @Test func rectGeometry() {
        let rect = Rect(x: 2, y: 3, width: 10, height: 4)
        #expect(rect.inset(by: 1) == Rect(x: 3, y: 4, width: 8, height: 2))
        #expect(rect.inset(by: 3).isEmpty)
        #expect(rect.intersection(Rect(x: 10, y: 0, width: 5, height: 5)) == Rect(x: 10, y: 3, width: 2, height: 2))
        #expect(rect.splitColumns(left: 4).right == Rect(x: 6, y: 3, width: 6, height: 4))
        #expect(rect.centered(Size(width: 4, height: 2)) == Rect(x: 5, y: 4, width: 4, height: 2))
    }
}

@Suite struct ColorDepthTests {
    @Test func hexColoursParseAndPrint() {
        #expect(Color(hex: "#ff8000") == .rgb(red: 255, green: 128, blue: 0))
        #expect(Color(hex: "#FF8000")?.description == "#ff8000")
        #expect(Color(hex: "ff8000") == nil)
        #expect(Color(hex: "#ff800") == nil)
        #expect(Color(hex: "#gg8000") == nil)
    }

    @Test func quantizeToEachDepth() {
        let red = Color.rgb(red: 255, green: 0, blue: 0)
        #expect(ColorDepth.truecolor.quantize(red) == red)
        #expect(ColorDepth.palette256.quantize(red) == .indexed(196))
        #expect(ColorDepth.palette256.quantize(.rgb(red: 128, green: 128, blue: 128)) == .indexed(244))
        #expect(ColorDepth.palette8.quantize(red) == .indexed(1))
        #expect(ColorDepth.palette8.quantize(.rgb(red: 0, green: 0, blue: 110)) == .indexed(4))
        #expect(ColorDepth.palette8.quantize(.rgb(red: 230, green: 230, blue: 230)) == .indexed(7))
        #expect(ColorDepth.palette8.quantize(.rgb(red: 20, green: 20, blue: 25)) == .indexed(0))
        #expect(ColorDepth.palette8.quantize(.indexed(196)) == .indexed(1))
        #expect(ColorDepth.none.quantize(red) == .default)
        #expect(ColorDepth.palette256.quantize(.default) == .default)
    }

    @Test func detectionHonoursNoColorThenColortermThenTheTerminal() {
        func detect(_ env: [String: String], colors: Int = 256, direct: Bool = false, change: Bool = false,
                    has: Bool = true) -> ColorDepth {
            ColorDepth.detect(environment: env, terminalColors: colors, hasColors: has, directColor: direct, canChangeColor: change)
        }
        #expect(detect(["NO_COLOR": "1", "COLORTERM": "truecolor"], direct: true) == .none)
        #expect(detect(["NO_COLOR": ""]) == .palette256)   // empty NO_COLOR does not count (no-color.org)
        #expect(detect(["COLORTERM": "truecolor"], colors: 1 << 24, direct: true) == .truecolor)
        #expect(detect(["COLORTERM": "24bit"], change: true) == .truecolor)
        #expect(detect(["COLORTERM": "truecolor"]) == .palette256)   // asked for, but the terminal cannot show it
        #expect(detect([:], direct: true) == .palette256)
        #expect(detect([:], colors: 8) == .palette8)
        #expect(detect([:], colors: 2) == .none)
        #expect(detect([:], has: false) == .none)
    }
}
