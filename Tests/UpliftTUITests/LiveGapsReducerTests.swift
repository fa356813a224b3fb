import Testing
import UpliftModel
import UpliftTerminal
@testable import UpliftTUI

/// Live input's gap pane: a refreshed report keeps the order on screen (the cursor's gap does not move),
/// a changed ranking is offered with `o`; the follow-up of an approved fix shows under the gap, and its
/// measured result goes into the history.
@Suite struct LiveGapsReducerTests {
    @Test func aRefreshKeepsTheOrderOnScreenAndOResortsWithTheCursorOnItsGap() {
        var store = GapsPaneReducerTests.loaded()
        store.send(.keyPressed(.down)) { $0.gaps.selectedIndex = 1; $0.notice = nil }  // on the width gap
        // The newest window ranks the breakdown first and the presence gap last.
        var refreshed = GapFixtures.report()
        refreshed.gaps = [refreshed.gaps[2], refreshed.gaps[1], refreshed.gaps[0]]
        store.send(.liveGapReportLoaded(refreshed)) {
            $0.gaps.report = GapFixtures.report()
            $0.gaps.rankedOrder = ["gap-breakdown", "gap-width", "gap-presence"]
            $0.notice = "gap ranking changed, o re-sorts: section.relative_rms_db (breakdown) now first"
        }
        #expect(store.state.gaps.report?.gaps.map(\.id) == ["gap-presence", "gap-width", "gap-breakdown"])
        #expect(store.state.gaps.selectedGap?.id == "gap-width")
        // A gap new to the report comes after those on screen.
        var newGap = GapFixtures.width
        newGap.id = "gap-new"
        var withNew = refreshed
        withNew.gaps.insert(newGap, at: 0)
        var shown = GapFixtures.report()
        shown.gaps.append(newGap)
        store.send(.liveGapReportLoaded(withNew)) {
            $0.gaps.report = shown
            $0.gaps.rankedOrder = ["gap-new", "gap-breakdown", "gap-width", "gap-presence"]
            $0.notice = "gap ranking changed, o re-sorts: stereo.side_mid_ratio (drop) now first"
        }
        #expect(store.state.gaps.report?.gaps.map(\.id) == ["gap-presence", "gap-width", "gap-breakdown", "gap-new"])
        store.send(.keyPressed(.character("o"))) {
            $0.gaps.report = withNew
            $0.gaps.rankedOrder = nil
            $0.gaps.selectedIndex = 2
            $0.notice = "gaps re-sorted by the newest ranking"
        }
        #expect(store.state.gaps.report?.gaps.map(\.id) == ["gap-new", "gap-breakdown", "gap-width", "gap-presence"])
        #expect(store.state.gaps.selectedGap?.id == "gap-width")
        // A refresh in the same ranking: nothing offered.
        store.send(.liveGapReportLoaded(withNew)) { $0.notice = "gap report updated: 4 gaps against uplifting" }
    }

    @Test func theFollowUpShowsUnderTheGapAndTheMeasuredResultGoesIntoTheHistory() {
        var store = GapsPaneReducerTests.loaded()
        GapsPaneReducerTests.approveTheTopEQFix(&store)
        let closing = LiveFixLine(gapID: "gap-presence", text: "closing: +2.3 dB → +1.1 dB over 4 bars", isFinal: false)
        store.send(.liveFixFollowed([closing])) { $0.gaps.liveFollow["gap-presence"] = closing }
        let measured = LiveFixLine(gapID: "gap-presence", text: "closed: +2.3 dB → +0.0 dB (inside the references), measured on 32 bars all after the fix",
                                   isFinal: true)
        store.send(.liveFixFollowed([measured])) {
            $0.gaps.liveFollow["gap-presence"] = measured
            $0.gaps.history.append("measured live: spectrum 2.00 kHz–3.56 kHz: " + measured.text)
            $0.notice = "measured live: spectrum 2.00 kHz–3.56 kHz: " + measured.text
        }
        // Undone: the follow-up no longer describes the mix.
        store.send(.undoLastFix, effects: [.undoLastFix]) { $0.gaps.isHistoryOperationPending = true; $0.notice = "undoing…" }
        store.send(.fixUndone(fixID: GapFixtures.eqFix.id, summary: "3 Gain A -2.5 dB → 0.0 dB")) {
            $0.gaps.isHistoryOperationPending = false
            $0.gaps.appliedFixIDs = []
            $0.gaps.fixStatuses[GapFixtures.eqFix.id] = .proposed
            $0.gaps.undoneFixIDs = [GapFixtures.eqFix.id]
            $0.gaps.liveFollow = [:]
            $0.gaps.history.append("undone 3 Gain A -2.5 dB → 0.0 dB")
            $0.notice = "undone: 3 Gain A -2.5 dB → 0.0 dB"
        }
    }
}
