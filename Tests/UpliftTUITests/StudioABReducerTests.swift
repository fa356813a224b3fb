import Testing
import UpliftModel
import UpliftTerminal
@testable import UpliftTUI

/// The A/B view inside the studio (`b`, `A`): what the keys ask the studio for, the layout it swaps in
/// and puts back, approval from an audition, and the blind audition's keys.
@Suite struct StudioABReducerTests {
    /// The studio on a file at 0:42 with the fixtures' report in the gap view, Live connected.
    static func studio() -> AppState {
        var state = AppState(size: Size(width: 120, height: 40))
        _ = reduce(&state, .gapReportLoaded(GapFixtures.report()))
        _ = reduce(&state, .bridgeStateChanged(.connected(setName: nil)))
        state.transport.sourceKind = .file
        state.transport.positionS = 42
        state.notice = nil
        return state
    }

    static func auditionOpen(_ state: inout AppState, gap: Gap, fix: Fix) {
        _ = reduce(&state, .abOpened(gapID: gap.id, fixID: fix.id))
        _ = reduce(&state, .abUpdated(ABViewState(slots: [ABSlotView(name: "as it is", isMix: true), ABSlotView(name: "with the fix", isMix: false)],
                                                  blindPrefers: true)))
    }

    @Test func bAsksForReferencesNearTheMixOrNearTheSelectedGapsFeature() {
        var state = Self.studio()
        // The gap view: the selected gap's feature picks the references.
        #expect(reduce(&state, .keyPressed(.character("b"))) == [.openAB(.nearFeature(gap: GapFixtures.presence, startS: 42))])
        // The live panes: the references nearest the mix.
        _ = reduce(&state, .toggleGapView)
        #expect(reduce(&state, .keyPressed(.character("b"))) == [.openAB(.nearest(startS: 42))])
        #expect(state.notice?.contains("nearest the mix") == true)
        // Without a profile there are no references to load: a hint, no request.
        var bare = AppState(size: Size(width: 120, height: 40))
        bare.transport.sourceKind = .file
        #expect(reduce(&bare, .keyPressed(.character("b"))) == [])
        #expect(bare.notice?.contains("--profile") == true)
        // Live input has no file to compare.
        var live = Self.studio()
        live.transport.sourceKind = .device
        #expect(reduce(&live, .keyPressed(.character("b"))) == [])
    }

    @Test func capitalAAuditionsTheChosenFixAndMeasuresItsSideEffects() {
        var state = Self.studio()
        let effects = reduce(&state, .keyPressed(.character("A")))
        #expect(effects == [.openAB(.audition(gap: GapFixtures.presence, fix: GapFixtures.eqFix, startS: 42)), .checkFix(GapFixtures.eqFix)])
        #expect(state.notice?.hasPrefix("rendering eq(bell") == true)
        // The chosen alternative is the one rendered; advice has nothing to render.
        _ = reduce(&state, .moveGapSelection(2))
        #expect(reduce(&state, .keyPressed(.character("A"))) == [])
        #expect(state.notice == "advice only: nothing to render, do it by hand")
        // Outside the gap view, A says where it works.
        _ = reduce(&state, .toggleGapView)
        #expect(reduce(&state, .keyPressed(.character("A"))) == [])
        #expect(state.notice?.contains("gap report first") == true)
    }

    @Test func theABViewTakesTheScreenAndBGivesItBack() {
        var state = Self.studio()
        _ = reduce(&state, .moveGapSelection(1))
        state.loop = LoopRegion(startS: 30, endS: 60)
        let before = state
        _ = reduce(&state, .abOpened(gapID: nil, fixID: nil))
        #expect(state.panes == PaneKind.abPanes)
        #expect(state.focusedPane == .abSlots)
        #expect(state.keymap == .abInStudio)
        #expect(state.loop == nil, "the A/B session starts without the studio's loop")
        // Its keys are the A/B view's: a slot key is a request to the session.
        _ = reduce(&state, .abUpdated(ABViewState(slots: [ABSlotView(name: "mix", isMix: true), ABSlotView(name: "ref", isMix: false)])))
        #expect(reduce(&state, .keyPressed(.character("1"))) == [.ab(.select(1))])
        // `b` (or `q`) goes back: the studio's layout, keys, selection and loop as they were.
        #expect(reduce(&state, .keyPressed(.character("b"))) == [.closeAB])
        #expect(state.panes == before.panes)
        #expect(state.focusedPane == before.focusedPane)
        #expect(state.keymap == .standard)
        #expect(state.loop == before.loop)
        #expect(state.gaps.selectedIndex == 1)
        #expect(state.ab == nil && state.abInStudio == nil)
        // The closed session's last update is ignored; `q` in the studio quits as before.
        _ = reduce(&state, .abUpdated(ABViewState(slots: [ABSlotView(name: "mix", isMix: true)])))
        #expect(state.ab == nil)
        _ = reduce(&state, .abOpened(gapID: nil, fixID: nil))
        #expect(reduce(&state, .keyPressed(.character("q"))) == [.closeAB])
        #expect(!state.hasQuit)
        #expect(reduce(&state, .keyPressed(.character("q"))) == [.quit])
    }

    @Test func approvingFromTheAuditionAppliesThatFixAndReturnsToTheGaps() {
        var state = Self.studio()
        _ = reduce(&state, .moveGapSelection(1))
        Self.auditionOpen(&state, gap: GapFixtures.width, fix: GapFixtures.widthFix)
        #expect(state.keymap == .abAudition)
        // A re-export re-ranked the report while the producer listened: the auditioned gap is found by its id.
        var reordered = GapFixtures.report()
        reordered.gaps = [GapFixtures.presence, GapFixtures.breakdown, GapFixtures.width]
        _ = reduce(&state, .gapReportLoaded(reordered))
        #expect(state.panes == PaneKind.abPanes, "a new report does not take the screen from the A/B view")
        let effects = reduce(&state, .keyPressed(.character("a")))
        #expect(effects == [.closeAB, .applyFix(GapFixtures.widthFix)])
        #expect(state.panes.contains(.gaps))
        #expect(state.gaps.selectedGap?.id == GapFixtures.width.id)
        #expect(state.gaps.status(ofFix: GapFixtures.widthFix.id) == .applying)
        // Gone from the report: said, nothing applied.
        var gone = Self.studio()
        Self.auditionOpen(&gone, gap: GapFixtures.width, fix: GapFixtures.widthFix)
        _ = reduce(&gone, .gapReportLoaded(GapReport(mix: "m", profile: "p", cluster: nil, amount: 1, gaps: [GapFixtures.presence], measured: [:])))
        #expect(reduce(&gone, .keyPressed(.character("a"))) == [.closeAB])
        #expect(gone.notice?.contains("no longer proposed") == true)
    }

    @Test func aBlindAuditionAsksForAPreferenceNotAGuess() {
        var state = Self.studio()
        Self.auditionOpen(&state, gap: GapFixtures.presence, fix: GapFixtures.eqFix)
        // Not blind yet: Enter says what it is for.
        #expect(reduce(&state, .keyPressed(.enter)) == [])
        #expect(state.notice?.contains("x first") == true)
        #expect(reduce(&state, .keyPressed(.character("x"))) == [.ab(.toggleBlind)])
        state.ab?.blind = true
        // Slot keys play the hidden X and Y (the session maps them); Enter and = are the producer's picks.
        #expect(reduce(&state, .keyPressed(.character("1"))) == [.ab(.select(1))])
        #expect(reduce(&state, .keyPressed(.enter)) == [.ab(.prefer)])
        #expect(reduce(&state, .keyPressed(.character("="))) == [.ab(.noPreference)])
        // The references' blind test still guesses.
        var references = Self.studio()
        _ = reduce(&references, .abOpened(gapID: nil, fixID: nil))
        _ = reduce(&references, .abUpdated(ABViewState(slots: [ABSlotView(name: "mix", isMix: true), ABSlotView(name: "r", isMix: false)], blind: true)))
        #expect(reduce(&references, .keyPressed(.character("1"))) == [.ab(.guess(1))])
    }

    @Test func theAuditionHelpFitsAndNamesItsKeys() {
        let help = Keymap.abAudition.bindings.map { $0.keyLabel + " " + $0.help }
        #expect(help.count <= 20, "one row per binding must fit the help at 80×24")
        #expect(help.contains { $0.hasPrefix("a ") && $0.contains("approve") })
        #expect(help.contains { $0.hasPrefix("x ") && $0.contains("prefer") })
        #expect(help.contains { $0.hasPrefix("b q ") && $0.contains("back") })
        #expect(Keymap.abInStudio.action(for: .character("q")) == .closeABView)
        #expect(Keymap.standard.action(for: .character("b")) == .openABView)
        #expect(Keymap.standard.action(for: .character("A")) == .auditionSelectedFix)
    }

    /// The studio's help fits 80×24 because paired keys share a row: the first key of each pair goes back.
    @Test func pairedRowsGoBackOnTheirFirstKey() {
        let keys = Keymap.standard
        #expect(keys.action(for: .up) == .moveGapSelection(-1))
        #expect(keys.action(for: .character("k")) == .moveGapSelection(-1))
        #expect(keys.action(for: .down) == .moveGapSelection(1))
        #expect(keys.action(for: .character("j")) == .moveGapSelection(1))
        #expect(keys.action(for: .backTab) == .focusPreviousPane)
        #expect(keys.action(for: .tab) == .focusNextPane)
        #expect(keys.bindings.count <= 21, "one help row per binding inside 80×24: \(keys.bindings.count)")
    }
}
