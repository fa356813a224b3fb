import Testing
import UpliftModel
import UpliftTerminal
@testable import UpliftTUI

/// The source's own note (end of input, no input for a while, a re-read file) reaches the status line.
@Suite struct StatusLineSourceNoteTests {
    @Test func sourceNoteIsShownAsANotice() {
        var source = Fixtures.source(state: .waiting)
        source.note = "no input for 3 s"
        let screen = Fixtures.screen(Size(width: 160, height: 40), snapshot: Fixtures.snapshot(source: source))
        let status = screen.line(39)
        #expect(status.contains("no input for 3 s"), "\(status)")
        let noteX = screen.positions(of: "no input for 3 s")[0].x
        #expect(screen[noteX, 39].style == Fixtures.defaultTheme[.notice])
    }

    @Test func noNoteNoExtraSegment() {
        let screen = Fixtures.screen(Size(width: 160, height: 40))
        #expect(!screen.line(39).contains("no input"))
    }
}
