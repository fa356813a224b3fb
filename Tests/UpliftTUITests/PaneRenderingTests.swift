import Testing
import UpliftModel
import UpliftTerminal
@testable import UpliftTUI

let standardSizes = [Size(width: 80, height: 24), Size(width: 200, height: 60)]
/// The three sizes the studio panes are checked at (issue 15): the minimum, a laptop terminal, a big screen.
let studioSizes = [Size(width: 80, height: 24), Size(width: 120, height: 40), Size(width: 200, height: 60)]

@Suite struct ScreenRenderingTests {
    @Test(arguments: standardSizes)
    func everyPaneTitleSitsOnTheTopBorderOfItsRect(size: Size) {
        let screen = Fixtures.screen(size)
        for pane in PaneKind.livePanes {
            let rect = Fixtures.paneRect(pane, size: size)
            let hits = screen.positions(of: " \(pane.title) ")
            #expect(hits.count == 1, "\(pane.title) at \(size): \(screen.debugDescription)")
            #expect(hits.first.map { $0.y == rect.y && $0.x > rect.x && $0.x < rect.maxX } == true, "\(pane) in \(rect)")
        }
        #expect(Set(PaneKind.livePanes.map(\.title)) == ["Spectrum", "Loudness", "Energy", "Trance score"])
    }

    @Test(arguments: studioSizes)
    func panesTileTheBodySharingOneBorderLineAndLeaveTheStatusLine(size: Size) {
        let body = Rect(x: 0, y: 0, width: size.width, height: size.height - 1)
        let rects = ScreenLayout.rects(for: PaneKind.livePanes, in: body).map(\.rect)
        // Every body cell is covered; the status line is not.
        for y in 0...body.maxY { for x in 0..<body.width {
            let covered = rects.contains { x >= $0.x && x < $0.maxX && y >= $0.y && y < $0.maxY }
            #expect(covered == (y < body.maxY), "(\(x), \(y))")
        } }
        // Neighbours overlap in exactly their shared border: one column or one row, never a block.
        for (i, a) in rects.enumerated() {
            for b in rects[(i + 1)...] {
                let shared = a.intersection(b)
                #expect(shared.isEmpty || shared.width == 1 || shared.height == 1, "\(a) ∩ \(b) = \(shared)")
            }
        }
        // The trance pane has room for the total and all nine components.
        #expect(Fixtures.paneRect(.trance, size: size).height >= 12)
    }

    @Test func statusLineShowsSourcePositionTempoKeyDropsAndAudioNote() {
        let snapshot = Fixtures.snapshot(source: Fixtures.source(positionS: 83, durationS: 300, drops: 17,
                                                                  audioOutNote: "no output device"))
        let screen = Fixtures.screen(Size(width: 200, height: 60), snapshot: snapshot)
        let status = screen.line(59)
        for expected in ["file: mix.wav", "1:23 / 5:00", "138.0 BPM", "A minor 8A", "lost frames 17",
                         "audio off: no output device", "? help"] {
            #expect(status.contains(expected), "\(expected) missing from \(status)")
        }
        #expect(!status.contains("drops"))
        let dropsX = screen.positions(of: "lost frames 17")[0].x
        #expect(screen[dropsX, 59].style == Fixtures.defaultTheme[.notice])
    }

    @Test func unsureTempoIsMarkedAndStoppedInputIsSaid() {
        let snapshot = Fixtures.snapshot(source: Fixtures.source(state: .stopped), confidence: 0.1)
        let screen = Fixtures.screen(Size(width: 120, height: 40), snapshot: snapshot)
        #expect(screen.line(39).contains("138.0 BPM?"))
        #expect(screen.line(39).contains("input stopped"))
        // Each pane says so in its border too.
        #expect(screen.positions(of: " input stopped ").filter { $0.y < 39 }.count == PaneKind.livePanes.count)
    }

    @Test func tooSmallTerminalGetsTheEnlargeMessageAndNoPanes() {
        let screen = Fixtures.screen(Size(width: 79, height: 24))
        #expect(screen.contains("Enlarge to 80×24."))
        #expect(screen.contains("Terminal 79×24 is too small."))
        for pane in PaneKind.livePanes { #expect(!screen.contains(pane.title)) }
        #expect(Fixtures.screen(Size(width: 80, height: 23)).contains("Enlarge to 80×24."))
        #expect(!Fixtures.screen(Size(width: 80, height: 24)).contains("Enlarge"))
    }

    @Test func zoomShowsOnlyTheFocusedPaneAndWorksBelowTheFullLayoutMinimum() {
        let size = Size(width: 60, height: 16)
        let screen = Fixtures.screen(size) { state in
            state.focusedPane = .loudness
            state.isZoomed = true
        }
        #expect(screen.positions(of: " Loudness ").first.map { $0.y } == 0)
        #expect(!screen.contains("Spectrum"))
        #expect(!screen.contains("Enlarge"))
        #expect(screen.contains("Integrated"))
    }

    @Test(arguments: [Size(width: 1, height: 1), Size.zero, Size(width: 0, height: 10), Size(width: 10, height: 1)])
    func degenerateSizesRenderWithinBounds(size: Size) {
        let screen = Fixtures.screen(size)
        #expect(screen.size == size)
        #expect(screen.cells.count == size.width * size.height)
    }

    @Test func asciiFallbackUsesOnlyASCII() {
        for size in standardSizes {
            let screen = Fixtures.screen(size, unicode: false) { $0.isHelpVisible = true }
            let nonASCII = screen.cells.filter { !$0.symbol.isASCII }.map(\.symbol)
            #expect(nonASCII.isEmpty, "non-ASCII \(Set(nonASCII)) at \(size)")
            #expect(screen.contains("+ Spectrum "))
            #expect(screen.contains("#"))
        }
        #expect(Fixtures.screen(Size(width: 10, height: 5), unicode: false).cells.allSatisfy { $0.symbol.isASCII })
    }

    @Test(arguments: studioSizes)
    func focusedPaneBorderUsesTheFocusedStyleSharedLinesIncluded(size: Size) {
        let theme = Fixtures.defaultTheme
        let boxes = Set("─│┌┐└┘├┤┬┴┼")
        func perimeter(_ r: Rect) -> [(Int, Int)] {
            (r.x..<r.maxX).flatMap { [($0, r.y), ($0, r.maxY - 1)] } + (r.y..<r.maxY).flatMap { [(r.x, $0), (r.maxX - 1, $0)] }
        }
        for focused in PaneKind.livePanes {
            let screen = Fixtures.screen(size) { $0.focusedPane = focused }
            let focusedRect = Fixtures.paneRect(focused, size: size)
            let focusedCells = Set(perimeter(focusedRect).map { "\($0.0),\($0.1)" })
            for (x, y) in perimeter(focusedRect) where boxes.contains(screen[x, y].symbol) {
                #expect(screen[x, y].style == theme[.borderFocused], "\(focused) border at (\(x), \(y))")
            }
            for pane in PaneKind.livePanes where pane != focused {
                for (x, y) in perimeter(Fixtures.paneRect(pane, size: size))
                where boxes.contains(screen[x, y].symbol) && !focusedCells.contains("\(x),\(y)") {
                    #expect(screen[x, y].style == theme[.border], "\(pane) border at (\(x), \(y)) with \(focused) focused")
                }
            }
        }
    }

    @Test(arguments: studioSizes)
    func neighboursShareOneBorderLineJoinedAtJunctions(size: Size) {
        let screen = Fixtures.screen(size)
        for y in 0..<(size.height - 1) {
            let line = screen.line(y)
            for double in ["┐┌", "││", "┤├", "┘└"] { #expect(!line.contains(double), "\(double) on row \(y): \(line)") }
        }
        // Two rows of panes, two columns each, on different vertical lines: ├ ┤ at the ends of the
        // shared row, ┬ and ┴ where the dividers meet it.
        let shared = Fixtures.paneRect(.loudness, size: size).y
        let line = screen.line(shared)
        #expect(line.first == "├" && line.last == "┤", "\(line)")
        #expect(line.contains("┬") && line.contains("┴"), "\(line)")
        #expect(screen.line(0).contains("┬") && screen.line(size.height - 2).contains("┴"))
    }

    @Test func helpOverlayListsEveryBindingFromTheKeymap() {
        let screen = Fixtures.screen(Size(width: 80, height: 24)) { $0.isHelpVisible = true }
        for binding in Keymap.standard.bindings {
            #expect(screen.contains(binding.help), "help for \(binding.keyLabel)")
            let row = screen.positions(of: binding.help)[0].y
            #expect(screen.line(row).contains(binding.keyLabel))
        }
        #expect(screen.contains("theme: default"))
        #expect(!Fixtures.screen(Size(width: 80, height: 24)).contains(Keymap.standard.bindings[0].help))
    }

    @Test func noSnapshotYetSaysWaitingInsteadOfDrawingNumbers() {
        let screen = Fixtures.screen(Size(width: 80, height: 24), snapshot: nil)
        #expect(screen.positions(of: "waiting for audio").count == 2)
        #expect(screen.contains("no energy curve yet"))
        #expect(screen.line(23).contains("no input yet"))
    }
}
