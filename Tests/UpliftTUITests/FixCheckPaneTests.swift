import Foundation
import Testing
import UpliftModel
import UpliftTerminal
@testable import UpliftTUI

/// Side effects before approval in the gap pane: a check the studio computed off the UI thread shows in
/// the selected gap's detail, a fix that hurts says so; the audition request asks once.
@Suite struct FixCheckPaneTests {
    static func check(hurts: Bool) -> FixCheck {
        FixCheck(fixID: "fix-eq", rendered: "Uplift's model of EQ Eight: bell 2.67 kHz -2.5 dB Q 1.2, on the mix", before: 3.5, after: 1.4,
                 closedShare: 0.6, promisedShare: 0.71, pushedOutside: [], widened: [], hurtsMoreThanHelps: hurts,
                 summary: "closes 60 %" + (hurts ? "; hurts more than it helps" : ""))
    }

    @Test(arguments: standardSizes)
    func theCheckShowsInTheSelectedGapsDetail(size: Size) {
        let screen = GapsPaneRenderTests.gapScreen(size) { state in _ = reduce(&state, .fixChecked(Self.check(hurts: true))) }
        let text = screen.text(in: GapsPaneRenderTests.inner(size)).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        #expect(text.contains("heard (rendered, re-analysed): closes 60 %"), "\(text)")
        #expect(text.contains("hurts more than it helps") || size.height < 40, "\(text)")
    }

    @Test func theAuditionRequestAsksOnceAndAFailureSaysWhy() {
        var state = AppState(size: Size(width: 120, height: 40))
        _ = reduce(&state, .gapReportLoaded(GapFixtures.report()))
        let first = requestFixCheck(&state)
        #expect(first.count == 1 && requestFixCheck(&state).isEmpty)
        guard case .checkFix(let fix)? = first.first else { Issue.record("\(first)"); return }
        _ = reduce(&state, .fixCheckFailed(fixID: fix.id, message: "give the stems"))
        #expect(state.gaps.fixCheckFailures[GapsState.checkKey(fix)] == "give the stems" && state.gaps.fixChecksPending.isEmpty)
        let screen = Fixtures.screen(Size(width: 120, height: 40)) { $0 = state }
        #expect(screen.text(in: GapsPaneRenderTests.inner(Size(width: 120, height: 40))).joined().contains("not heard: give the stems"))
    }
}
