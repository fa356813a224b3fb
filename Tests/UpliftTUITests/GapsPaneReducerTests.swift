import Testing
import UpliftModel
import UpliftTerminal
@testable import UpliftTUI

/// Approve / reject / undo / redo through `reduce`, with the bridge played by the test: every step states
/// the effects sent and the whole state after the bridge's answer arrives as an action.
@Suite struct GapsPaneReducerTests {
    static func loaded(bridge: BridgeState = .connected(setName: "Trance WIP")) -> ReducerStore {
        var store = ReducerStore()
        let report = GapFixtures.report(rejectingBreakdown: false)
        store.send(.gapReportLoaded(report)) {
            $0.gaps.report = report
            $0.panes = PaneKind.gapPanes
            $0.focusedPane = .gaps
            $0.notice = "3 gaps against uplifting: g shows the live panes"
        }
        store.send(.bridgeStateChanged(bridge)) { $0.bridge = bridge }
        return store
    }

    /// `a` on the top gap, and Live's verified answer: its EQ fix is applied.
    static func approveTheTopEQFix(_ store: inout ReducerStore) {
        let eq = GapFixtures.eqFix
        store.send(.approveSelectedFix, effects: [.applyFix(eq)]) {
            $0.gaps.fixStatuses[eq.id] = .applying; $0.notice = "applying eq(bell, 2.67 kHz, -2.5 dB, Q 1.2)…"
        }
        store.send(.fixApplied(id: eq.id, summary: "3 Gain A = -2.5 dB")) {
            $0.gaps.fixStatuses[eq.id] = .applied(verified: "3 Gain A = -2.5 dB")
            $0.gaps.appliedFixIDs = [eq.id]; $0.gaps.history = ["applied 3 Gain A = -2.5 dB"]
            $0.notice = "applied: 3 Gain A = -2.5 dB"
        }
    }

    /// A report of one gap against profile "p", Live connected.
    static func loaded(oneGap gap: Gap) -> ReducerStore {
        var store = ReducerStore()
        let report = GapReport(mix: "m", profile: "p", cluster: nil, amount: 0.7, gaps: [gap], measured: [:])
        store.send(.gapReportLoaded(report)) {
            $0.gaps.report = report
            $0.panes = PaneKind.gapPanes
            $0.focusedPane = .gaps
            $0.notice = "1 gap against p: g shows the live panes"
        }
        store.send(.bridgeStateChanged(.connected(setName: nil))) { $0.bridge = .connected(setName: nil) }
        return store
    }

    @Test func approveSendsTheFixAndShowsTheVerifiedResult() {
        var store = Self.loaded()
        let fix = GapFixtures.eqFix
        store.send(.keyPressed(.character("a")), effects: [.applyFix(fix)]) {
            $0.gaps.fixStatuses[fix.id] = .applying
            $0.notice = "applying eq(bell, 2.67 kHz, -2.5 dB, Q 1.2)…"
        }
        // A second approve while Live works sends nothing.
        store.send(.keyPressed(.character("a"))) { $0.notice = "already applying: waiting for Live" }
        store.send(.fixApplied(id: fix.id, summary: "3 Gain A = -2.5 dB")) {
            $0.gaps.fixStatuses[fix.id] = .applied(verified: "3 Gain A = -2.5 dB")
            $0.gaps.appliedFixIDs = [fix.id]
            $0.gaps.history = ["applied 3 Gain A = -2.5 dB"]
            $0.notice = "applied: 3 Gain A = -2.5 dB"
        }
        store.send(.keyPressed(.character("a"))) { $0.notice = "already applied: u undoes it" }
    }

    @Test func failedApplyIsShownAndCanBeRetried() {
        var store = Self.loaded()
        let fix = GapFixtures.eqFix
        store.send(.approveSelectedFix, effects: [.applyFix(fix)]) {
            $0.gaps.fixStatuses[fix.id] = .applying
            $0.notice = "applying eq(bell, 2.67 kHz, -2.5 dB, Q 1.2)…"
        }
        store.send(.fixFailed(id: fix.id, message: "read back -1.0 dB, expected -2.5 dB")) {
            $0.gaps.fixStatuses[fix.id] = .failed(message: "read back -1.0 dB, expected -2.5 dB")
            $0.gaps.history = ["failed fix-eq: read back -1.0 dB, expected -2.5 dB"]
            $0.notice = "fix failed: read back -1.0 dB, expected -2.5 dB"
        }
        store.send(.approveSelectedFix, effects: [.applyFix(fix)]) {
            $0.gaps.fixStatuses[fix.id] = .applying
            $0.notice = "applying eq(bell, 2.67 kHz, -2.5 dB, Q 1.2)…"
        }
    }

    @Test func withoutLiveTheReportIsReadOnly() {
        var store = Self.loaded(bridge: .absent)
        store.send(.keyPressed(.character("a"))) { $0.notice = "Live is not connected (AbletonOSC): the report is read-only" }
        store.send(.keyPressed(.character("u"))) { $0.notice = "Live is not connected: nothing to undo" }
        store.send(.keyPressed(.character("r"))) { $0.notice = "Live is not connected: nothing to redo" }
        store.send(.bridgeStateChanged(.error("no reply on port 11001"))) { $0.bridge = .error("no reply on port 11001") }
        store.send(.keyPressed(.character("a"))) { $0.notice = "Live bridge error: no reply on port 11001: cannot apply" }
        // Reject needs no Live: it is remembered by the rejection store.
        store.send(.keyPressed(.character("x"))) { $0.gaps.rejectPrompt = RejectPrompt(gapID: GapFixtures.presence.id); $0.notice = nil }
        store.send(.keyPressed(.enter), effects: [.rejectFix(gapID: GapFixtures.presence.id, reason: nil)]) {
            $0.gaps.rejectPrompt = nil
            $0.gaps.report!.gaps[0].rejected = true
            $0.gaps.fixStatuses[GapFixtures.eqFix.id] = .rejected
            $0.gaps.history = ["rejected spectrum 2.00 kHz–3.56 kHz"]
            $0.notice = "rejected spectrum 2.00 kHz–3.56 kHz: not proposed again for this profile"
        }
    }

    @Test func undoAndRedoWalkTheAppliedFixes() {
        var store = Self.loaded()
        let eq = GapFixtures.eqFix, width = GapFixtures.widthFix
        store.send(.keyPressed(.character("u"))) { $0.notice = "nothing to undo" }
        Self.approveTheTopEQFix(&store)
        store.send(.keyPressed(.character("j"))) { $0.gaps.selectedIndex = 1; $0.notice = nil }
        store.send(.keyPressed(.character("a")), effects: [.applyFix(width)]) {
            $0.gaps.fixStatuses[width.id] = .applying; $0.notice = "applying utility(width 130 %)…"
        }
        store.send(.fixApplied(id: width.id, summary: "Stereo Width = 130 %")) {
            $0.gaps.fixStatuses[width.id] = .applied(verified: "Stereo Width = 130 %")
            $0.gaps.appliedFixIDs = [eq.id, width.id]; $0.gaps.history.append("applied Stereo Width = 130 %")
            $0.notice = "applied: Stereo Width = 130 %"
        }
        store.send(.keyPressed(.character("u")), effects: [.undoLastFix]) {
            $0.gaps.isHistoryOperationPending = true; $0.notice = "undoing…"
        }
        // One at a time: the second undo waits for Live's answer to the first.
        store.send(.keyPressed(.character("u"))) { $0.notice = "waiting for Live to finish the last undo" }
        store.send(.fixUndone(fixID: width.id, summary: "Stereo Width 130 % → 100 %")) {
            $0.gaps.isHistoryOperationPending = false
            $0.gaps.fixStatuses[width.id] = .proposed
            $0.gaps.appliedFixIDs = [eq.id]; $0.gaps.undoneFixIDs = [width.id]
            $0.gaps.history.append("undone Stereo Width 130 % → 100 %")
            $0.notice = "undone: Stereo Width 130 % → 100 %"
        }
        store.send(.keyPressed(.character("r")), effects: [.redoLastFix]) {
            $0.gaps.isHistoryOperationPending = true; $0.notice = "redoing…"
        }
        store.send(.fixRedone(fixID: width.id, summary: "Stereo Width = 130 %")) {
            $0.gaps.isHistoryOperationPending = false
            $0.gaps.fixStatuses[width.id] = .applied(verified: "Stereo Width = 130 %")
            $0.gaps.appliedFixIDs = [eq.id, width.id]; $0.gaps.undoneFixIDs = []
            $0.gaps.history.append("redone Stereo Width = 130 %")
            $0.notice = "redone: Stereo Width = 130 %"
        }
        store.send(.keyPressed(.character("r"))) { $0.notice = "nothing to redo" }
        store.send(.undoLastFix, effects: [.undoLastFix]) { $0.gaps.isHistoryOperationPending = true; $0.notice = "undoing…" }
        store.send(.fixHistoryFailed(message: "Live's undo history is empty")) {
            $0.gaps.isHistoryOperationPending = false; $0.notice = "undo/redo failed: Live's undo history is empty"
        }
        // A new apply after an undo clears what could be redone.
        store.send(.undoLastFix, effects: [.undoLastFix]) { $0.gaps.isHistoryOperationPending = true; $0.notice = "undoing…" }
        store.send(.fixUndone(fixID: width.id, summary: "Stereo Width 130 % → 100 %")) {
            $0.gaps.isHistoryOperationPending = false; $0.gaps.fixStatuses[width.id] = .proposed
            $0.gaps.appliedFixIDs = [eq.id]; $0.gaps.undoneFixIDs = [width.id]
            $0.gaps.history.append("undone Stereo Width 130 % → 100 %"); $0.notice = "undone: Stereo Width 130 % → 100 %"
        }
        store.send(.approveSelectedFix, effects: [.applyFix(width)]) {
            $0.gaps.fixStatuses[width.id] = .applying; $0.notice = "applying utility(width 130 %)…"
        }
        store.send(.fixApplied(id: width.id, summary: "Stereo Width = 130 %")) {
            $0.gaps.fixStatuses[width.id] = .applied(verified: "Stereo Width = 130 %")
            $0.gaps.appliedFixIDs = [eq.id, width.id]; $0.gaps.undoneFixIDs = []
            $0.gaps.history.append("applied Stereo Width = 130 %"); $0.notice = "applied: Stereo Width = 130 %"
        }
    }

    /// `u` undoes the journal's newest group. Should that be no gap fix (an `uplift ableton set`
    /// change), the pane keeps our fix applied and says what it undid.
    @Test func undoingAnotherTerminalsChangeKeepsOurFixApplied() {
        var store = Self.loaded()
        let eq = GapFixtures.eqFix
        Self.approveTheTopEQFix(&store)
        store.send(.keyPressed(.character("u")), effects: [.undoLastFix]) {
            $0.gaps.isHistoryOperationPending = true; $0.notice = "undoing…"
        }
        let other = "Gain 0.0 dB → -3.0 dB (not a gap fix: set Pad/Utility/Gain)"
        store.send(.fixUndone(fixID: nil, summary: other)) {
            $0.gaps.isHistoryOperationPending = false
            $0.gaps.history.append("undone \(other)"); $0.notice = "undone: \(other)"
        }
        // Our fix is still in effect, so the next undo is its own.
        store.send(.keyPressed(.character("u")), effects: [.undoLastFix]) {
            $0.gaps.isHistoryOperationPending = true; $0.notice = "undoing…"
        }
        store.send(.fixUndone(fixID: eq.id, summary: "3 Gain A -2.5 dB → 0.0 dB")) {
            $0.gaps.isHistoryOperationPending = false
            $0.gaps.fixStatuses[eq.id] = .proposed; $0.gaps.appliedFixIDs = []; $0.gaps.undoneFixIDs = [eq.id]
            $0.gaps.history.append("undone 3 Gain A -2.5 dB → 0.0 dB"); $0.notice = "undone: 3 Gain A -2.5 dB → 0.0 dB"
        }
    }

    @Test func rejectDimsAtOnceAndBlocksApproval() {
        var store = Self.loaded()
        store.send(.keyPressed(.down)) { $0.gaps.selectedIndex = 1; $0.notice = nil }
        // x asks why; the typed reason (Backspace edits it) goes with the rejection; other keys stay in the prompt.
        store.send(.keyPressed(.character("x"))) { $0.gaps.rejectPrompt = RejectPrompt(gapID: GapFixtures.width.id) }
        for c in "too wiide" { store.send(.keyPressed(.character(c))) { $0.gaps.rejectPrompt!.reason.append(c) } }
        store.send(.keyPressed(.backspace)) { $0.gaps.rejectPrompt!.reason = "too wiid" }
        store.send(.keyPressed(.backspace)) { $0.gaps.rejectPrompt!.reason = "too wii" }
        store.send(.keyPressed(.backspace)) { $0.gaps.rejectPrompt!.reason = "too wi" }
        store.send(.keyPressed(.character("d"))) { $0.gaps.rejectPrompt!.reason = "too wid" }
        store.send(.keyPressed(.character("e"))) { $0.gaps.rejectPrompt!.reason = "too wide" }
        store.send(.keyPressed(.character("q"))) { $0.gaps.rejectPrompt!.reason = "too wideq" }
        store.send(.keyPressed(.backspace)) { $0.gaps.rejectPrompt!.reason = "too wide" }
        store.send(.keyPressed(.down)) { _ in }
        store.send(.keyPressed(.enter), effects: [.rejectFix(gapID: GapFixtures.width.id, reason: "too wide")]) {
            $0.gaps.rejectPrompt = nil
            $0.gaps.report!.gaps[1].rejected = true
            $0.gaps.fixStatuses[GapFixtures.widthFix.id] = .rejected
            $0.gaps.history = ["rejected stereo.side_mid_ratio (drop): too wide"]
            $0.notice = "rejected stereo.side_mid_ratio (drop): not proposed again for this profile"
        }
        store.send(.rejectionNotSaved(gapID: GapFixtures.width.id, message: "disk full")) {
            $0.notice = "rejection kept for this session only: disk full"
        }
        store.send(.keyPressed(.character("x"))) { $0.notice = "already rejected" }
        store.send(.keyPressed(.character("a"))) { $0.notice = "rejected gap: its fix is not proposed" }
        // Advice only: nothing to send to Live.
        store.send(.keyPressed(.character("j"))) { $0.gaps.selectedIndex = 2; $0.notice = nil }
        store.send(.keyPressed(.character("j"))) { $0.gaps.selectedIndex = 2; $0.notice = nil }
        store.send(.keyPressed(.character("a"))) { $0.notice = "advice only: nothing to turn, do it by hand" }
        store.send(.keyPressed(.up)) { $0.gaps.selectedIndex = 1; $0.notice = nil }
        store.send(.keyPressed(.character("k"))) { $0.gaps.selectedIndex = 0 }
        store.send(.keyPressed(.character("k"))) { $0.gaps.selectedIndex = 0 }
    }

    @Test func anAppliedFixMustBeUndoneBeforeItsGapIsRejected() {
        var store = Self.loaded()
        let eq = GapFixtures.eqFix
        store.send(.approveSelectedFix, effects: [.applyFix(eq)]) {
            $0.gaps.fixStatuses[eq.id] = .applying; $0.notice = "applying eq(bell, 2.67 kHz, -2.5 dB, Q 1.2)…"
        }
        store.send(.rejectSelectedGap) { $0.notice = "its fix is being applied: wait for Live" }
        store.send(.fixApplied(id: eq.id, summary: "ok")) {
            $0.gaps.fixStatuses[eq.id] = .applied(verified: "ok"); $0.gaps.appliedFixIDs = [eq.id]
            $0.gaps.history = ["applied ok"]; $0.notice = "applied: ok"
        }
        store.send(.rejectSelectedGap) { $0.notice = "its fix is applied: u undoes it first" }
    }

    @Test func escapeLeavesTheGapProposed() {
        var store = Self.loaded()
        store.send(.keyPressed(.character("x"))) { $0.gaps.rejectPrompt = RejectPrompt(gapID: GapFixtures.presence.id); $0.notice = nil }
        store.send(.keyPressed(.character("n"))) { $0.gaps.rejectPrompt!.reason = "n" }
        store.send(.keyPressed(.escape)) { $0.gaps.rejectPrompt = nil; $0.notice = "not rejected" }
        store.send(.keyPressed(.character("a")), effects: [.applyFix(GapFixtures.eqFix)]) {
            $0.gaps.fixStatuses[GapFixtures.eqFix.id] = .applying
            $0.notice = "applying eq(bell, 2.67 kHz, -2.5 dB, Q 1.2)…"
        }
    }

    @Test func reportRejectedEarlierStartsRejectedAndSelectionNeedsTheGapsPane() {
        var store = ReducerStore()
        store.send(.keyPressed(.character("j"))) { $0.notice = "focus the Gaps pane (g, Tab) to pick a gap" }
        store.send(.keyPressed(.character("g"))) { $0.notice = "no gap report: start with --profile to compare the mix" }
        store.send(.keyPressed(.character("a"))) { $0.notice = "open the gap report first (g)" }
        let report = GapFixtures.report(rejectingBreakdown: true)
        store.send(.gapReportLoaded(report)) {
            $0.gaps.report = report
            $0.gaps.fixStatuses = [GapFixtures.adviceFix.id: .rejected]
            $0.panes = PaneKind.gapPanes; $0.focusedPane = .gaps
            $0.notice = "3 gaps against uplifting: g shows the live panes"
        }
        store.send(.keyPressed(.tab)) { $0.focusedPane = .spectrum; $0.notice = nil }
        store.send(.keyPressed(.character("j"))) { $0.notice = "focus the Gaps pane (g, Tab) to pick a gap" }
        store.send(.keyPressed(.character("h"))) { $0.gaps.isHistoryVisible = true; $0.notice = nil }
        store.send(.keyPressed(.character("g"))) { $0.panes = PaneKind.livePanes; $0.focusedPane = .spectrum }
        store.send(.keyPressed(.character("g"))) { $0.panes = PaneKind.gapPanes; $0.focusedPane = .gaps }
        store.send(.keyPressed(.character("j"))) { $0.gaps.selectedIndex = 1; $0.notice = nil }
        // A new report keeps the selected gap and the statuses of fixes still proposed.
        var next = report
        next.gaps.swapAt(0, 1)
        store.send(.gapReportLoaded(next)) {
            $0.gaps.report = next; $0.gaps.selectedIndex = 0
            $0.notice = "gap report updated: 3 gaps against uplifting"
        }
    }

    @Test func laterReportsKeepTheViewTheProducerChose() {
        var store = Self.loaded()
        store.send(.keyPressed(.character("g"))) {
            $0.panes = PaneKind.livePanes
            $0.focusedPane = PaneKind.livePanes[0]
            $0.notice = nil
        }
        // Live connected and the fixes were mapped, or the mix was re-exported: the live panes stay.
        let report = GapFixtures.report(rejectingBreakdown: false)
        store.send(.gapReportLoaded(report)) { $0.notice = "gap report updated: 3 gaps against uplifting" }
    }

    @Test func aReExportSaysWhatItMeasuredAndKeepsItForTheHistoryAndTheDetail() {
        var store = Self.loaded()
        let measured = GapRemeasurement(headline: "re-export measured: 1 closed, 1 narrowed; 1 fix fell short of the promise",
                                        lines: ["presence: 3.50 → 1.00, closed (100 % of the gap closed)",
                                                "stereo width (drop): 0.12 → 0.14, narrowed (15 % of the gap closed); fix did not do what it promised: …"],
                                        lineByGapID: ["gap-width": "0.12 → 0.14, narrowed (15 % of the gap closed)"], brokenPromises: 1)
        store.send(.gapsRemeasured(measured)) {
            $0.gaps.remeasurement = measured
            $0.gaps.history = [measured.headline]
            $0.notice = measured.headline + " (h: details)"
        }
        store.send(.gapReportFailed("the mix and the profile share no measured feature")) {
            $0.notice = "gap report failed: the mix and the profile share no measured feature"
        }
    }

    @Test func aTempoFixIsLeftToTheProducer() {
        var gap = GapFixtures.width
        gap.fixes = [Fix(id: "fix-tempo", gapID: gap.id, action: .tempo(bpm: 138), scope: .song, expectedEffect: "", expectedValue: 138,
                         confidence: 0.5, adviceOnly: false, track: nil, device: "Song",
                         parameters: [ParameterChange(name: "Tempo", unit: "BPM", old: 128, new: 138, oldText: "128.00", newText: "138.00")])]
        var store = Self.loaded(oneGap: gap)
        store.send(.keyPressed(.character("a"))) { $0.notice = "the tempo is a musical decision: set 138.0 BPM in Live by hand" }
    }

    @Test func fChoosesAmongAGapsFixesAndOnlyOneOfThemIsApplied() {
        var onBass = GapFixtures.eqFix
        onBass.id = "fix-eq-bass"
        onBass.track = "Bass"
        let onMixBus = GapFixtures.eqFix
        var gap = GapFixtures.presence
        gap.fixes = [onBass, onMixBus]
        var store = Self.loaded(oneGap: gap)
        store.send(.keyPressed(.character("f"))) {
            $0.gaps.chosenFixIndex[gap.id] = 1
            $0.notice = "fix 2 of 2: eq(bell, 2.67 kHz, -2.5 dB, Q 1.2) on Mix Bus"
        }
        store.send(.keyPressed(.character("a")), effects: [.applyFix(onMixBus)]) {
            $0.gaps.fixStatuses[onMixBus.id] = .applying
            $0.notice = "applying eq(bell, 2.67 kHz, -2.5 dB, Q 1.2)…"
        }
        store.send(.fixApplied(id: onMixBus.id, summary: "3 Gain A = -2.5 dB")) {
            $0.gaps.fixStatuses[onMixBus.id] = .applied(verified: "3 Gain A = -2.5 dB")
            $0.gaps.appliedFixIDs = [onMixBus.id]
            $0.gaps.history = ["applied 3 Gain A = -2.5 dB"]
            $0.notice = "applied: 3 Gain A = -2.5 dB"
        }
        // The alternative on the bass track would correct the same gap twice.
        store.send(.keyPressed(.character("f"))) {
            $0.gaps.chosenFixIndex[gap.id] = 0
            $0.notice = "fix 1 of 2: eq(bell, 2.67 kHz, -2.5 dB, Q 1.2) on Bass"
        }
        store.send(.keyPressed(.character("a"))) { $0.notice = "another fix of this gap is applied: u undoes it first" }
        store.send(.keyPressed(.character("x"))) { $0.notice = "its fix is applied: u undoes it first" }
    }

    @Test func gapKeysDoNotClashWithOtherBindings() {
        let keys = Keymap.standard.bindings.flatMap(\.keys)
        #expect(keys.count == Set(keys).count)
        for (key, action) in [("a", Action.approveSelectedFix), ("f", .cycleFixChoice), ("x", .rejectSelectedGap), ("u", .undoLastFix),
                              ("r", .redoLastFix), ("h", .toggleFixHistory), ("g", .toggleGapView), ("j", .moveGapSelection(1)),
                              ("k", .moveGapSelection(-1))] {
            #expect(Keymap.standard.action(for: .character(Character(key))) == action)
        }
    }
}

/// The run loop hands gap effects to the handler and dispatches what it posts back, without waiting.
@Suite struct GapsPaneRunLoopTests {
    final class FakeBridge: GapEffectHandler, @unchecked Sendable {
        var performed: [Effect] = []
        func perform(_ effect: Effect, post: @escaping @Sendable (Action) -> Void) {
            performed.append(effect)
            if case .applyFix(let fix) = effect { post(.fixApplied(id: fix.id, summary: "verified \(fix.id)")) }
            if case .undoLastFix = effect { post(.fixUndone(fixID: GapFixtures.eqFix.id, summary: "restored")) }
        }
    }

    @Test func approvedFixResultArrivesAsAnActionOnTheNextStep() {
        let size = Size(width: 80, height: 24)
        let backend = MemoryBackend(size: size)
        let bridge = FakeBridge()
        let loop = TUIRunLoop(backend: backend, state: AppState(size: size), themes: ThemeCatalog.builtin().themes,
                              gapEffects: bridge, clock: ManualClock(), framesPerSecond: 30) { nil }
        loop.dispatch(.gapReportLoaded(GapFixtures.report()))
        loop.dispatch(.bridgeStateChanged(.connected(setName: nil)))
        loop.dispatch(.approveSelectedFix)
        #expect(bridge.performed == [.applyFix(GapFixtures.eqFix)])
        #expect(loop.state.gaps.status(ofFix: GapFixtures.eqFix.id) == .applying)
        loop.step()
        #expect(loop.state.gaps.status(ofFix: GapFixtures.eqFix.id) == .applied(verified: "verified fix-eq"))
        loop.dispatch(.undoLastFix)
        loop.step()
        #expect(bridge.performed == [.applyFix(GapFixtures.eqFix), .undoLastFix])
        #expect(loop.state.gaps.status(ofFix: GapFixtures.eqFix.id) == .proposed)
        #expect(loop.state.gaps.undoneFixIDs == [GapFixtures.eqFix.id])
    }
}
