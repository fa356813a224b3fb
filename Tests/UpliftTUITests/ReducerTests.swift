import Testing
import UpliftModel
import UpliftTerminal
@testable import UpliftTUI

/// Exhaustive, TestStore-style: every step states the whole expected state and the effects.
struct ReducerStore {
    var state: AppState

    init(_ state: AppState = ReducerStore.fileState()) { self.state = state }

    /// Sends `action`, then checks the state equals the previous one changed by `expect`, and the effects.
    mutating func send(_ action: Action, effects expectedEffects: [Effect] = [],
                       sourceLocation: SourceLocation = #_sourceLocation, _ expect: (inout AppState) -> Void = { _ in }) {
        var expected = state
        expect(&expected)
        let effects = reduce(&state, action)
        #expect(effects == expectedEffects, "effects of \(action)", sourceLocation: sourceLocation)
        #expect(state == expected, "state after \(action)", sourceLocation: sourceLocation)
    }

    static func fileState() -> AppState {
        var state = AppState(size: Size(width: 80, height: 24), themeNames: ["default", "light", "high-contrast"])
        _ = reduce(&state, .snapshotPublished(Fixtures.snapshot(source: Fixtures.source(positionS: 40, durationS: 120))))
        return state
    }
}

@Suite struct ReducerTests {
    @Test func initialState() {
        let state = AppState(size: Size(width: 80, height: 24))
        #expect(state.focusedPane == .spectrum)
        #expect(state.panes == [.spectrum, .trance, .loudness, .energy])
        #expect(!state.isZoomed && !state.isHelpVisible && !state.hasQuit)
        #expect(state.themeName == "default")
    }

    @Test func snapshotPublishedKeepsWhatTransportIntentsNeed() {
        var store = ReducerStore(AppState(size: Size(width: 80, height: 24)))
        let snapshot = Fixtures.snapshot(sequence: 7, source: Fixtures.source(positionS: 12, durationS: 99), bpm: 140)
        store.send(.snapshotPublished(snapshot)) {
            $0.lastSnapshotSequence = 7
            $0.transport.sourceKind = .file
            $0.transport.positionS = 12
            $0.transport.durationS = 99
            $0.transport.bpm = 140
            $0.transport.firstBeatS = 0
            $0.transport.sections = Fixtures.sections
        }
        // An unsure tempo is not kept: seeking by bars on it would land anywhere.
        store.send(.snapshotPublished(Fixtures.snapshot(sequence: 8, bpm: 140, confidence: 0.1))) {
            $0.lastSnapshotSequence = 8
            $0.transport.positionS = 30
            $0.transport.durationS = 120
            $0.transport.bpm = nil
        }
    }

    @Test func focusCyclesForwardAndBackThroughThePaneList() {
        var store = ReducerStore()
        store.send(.keyPressed(.tab)) { $0.focusedPane = .trance }
        store.send(.keyPressed(.tab)) { $0.focusedPane = .loudness }
        store.send(.keyPressed(.tab)) { $0.focusedPane = .energy }
        store.send(.keyPressed(.tab)) { $0.focusedPane = .spectrum }
        store.send(.keyPressed(.backTab)) { $0.focusedPane = .energy }
        store.send(.focusPreviousPane) { $0.focusedPane = .loudness }
    }

    @Test func zoomTogglesAndFollowsFocus() {
        var store = ReducerStore()
        store.send(.keyPressed(.character("z"))) { $0.isZoomed = true }
        store.send(.keyPressed(.tab)) { $0.focusedPane = .trance }
        store.send(.keyPressed(.character("z"))) { $0.isZoomed = false }
    }

    @Test func themeCyclesAndSaysWhichThemeIsOn() {
        var store = ReducerStore()
        store.send(.keyPressed(.character("t"))) { $0.themeIndex = 1; $0.notice = "theme: light" }
        store.send(.keyPressed(.character("t"))) { $0.themeIndex = 2; $0.notice = "theme: high-contrast" }
        store.send(.keyPressed(.character("t"))) { $0.themeIndex = 0; $0.notice = "theme: default" }
    }

    @Test func helpOpensClosesAndSwallowsTheKeyThatClosesIt() {
        var store = ReducerStore()
        store.send(.keyPressed(.character("?"))) { $0.isHelpVisible = true }
        store.send(.keyPressed(.character("?"))) { $0.isHelpVisible = false }
        store.send(.keyPressed(.character("?"))) { $0.isHelpVisible = true }
        store.send(.keyPressed(.escape)) { $0.isHelpVisible = false }
        store.send(.keyPressed(.character("?"))) { $0.isHelpVisible = true }
        // A bound key closes the help without acting (no theme change, no seek).
        store.send(.keyPressed(.character("t"))) { $0.isHelpVisible = false }
        store.send(.keyPressed(.character("?"))) { $0.isHelpVisible = true }
        store.send(.keyPressed(.character("x"))) { $0.isHelpVisible = false }
        store.send(.keyPressed(.character("?"))) { $0.isHelpVisible = true }
        store.send(.keyPressed(.character("q")), effects: [.quit]) { $0.hasQuit = true }
    }

    @Test func quitAndSignalsEndTheProgram() {
        var store = ReducerStore()
        store.send(.keyPressed(.character("q")), effects: [.quit]) { $0.hasQuit = true }
        var signalled = ReducerStore()
        signalled.send(.interruptReceived(signal: 15), effects: [.quit]) { $0.hasQuit = true }
    }

    @Test func resizeRecordsTheSize() {
        var store = ReducerStore()
        store.send(.terminalResized(Size(width: 100, height: 30))) { $0.size = Size(width: 100, height: 30) }
    }

    @Test func unboundKeySaysHowToFindTheKeysAndTheNextKeyClearsIt() {
        var store = ReducerStore()
        store.send(.keyPressed(.character("w"))) { $0.notice = "w does nothing here: ? lists the keys" }
        store.send(.keyPressed(.tab)) { $0.notice = nil; $0.focusedPane = .trance }
    }

    @Test func transportKeysBecomeEffectsOnAFile() {
        var store = ReducerStore()
        store.send(.keyPressed(.character(" ")), effects: [.togglePlayback])
        store.send(.keyPressed(.right), effects: [.seek(bySeconds: 5)])
        store.send(.keyPressed(.left), effects: [.seek(bySeconds: -5)])
        // One bar at 138 BPM is 4 × 60 / 138 s.
        store.send(.keyPressed(.character("]")), effects: [.seek(bySeconds: 4 * 60 / 138)])
        store.send(.keyPressed(.character("[")), effects: [.seek(bySeconds: -4 * 60 / 138)])
    }

    @Test func seekingByBarsWithoutATempoSaysWhy() {
        var state = AppState(size: Size(width: 80, height: 24))
        _ = reduce(&state, .snapshotPublished(Fixtures.snapshot(bpm: nil)))
        var store = ReducerStore(state)
        store.send(.seekBars(1)) { $0.notice = "no reliable tempo yet: seek by seconds instead" }
    }

    @Test func liveInputRefusesTransportWithAReason() {
        var state = AppState(size: Size(width: 80, height: 24))
        _ = reduce(&state, .snapshotPublished(Fixtures.snapshot(source: Fixtures.source(kind: .device, durationS: nil))))
        var store = ReducerStore(state)
        store.send(.togglePlay) { $0.notice = "live input cannot pause" }
        store.send(.seek(seconds: 5)) { $0.notice = "seeking needs a file source" }
        store.send(.seekBars(1)) { $0.notice = "seeking needs a file source" }
        store.send(.loopSection) { $0.notice = "looping needs a file source" }
    }

    @Test func loopSectionLoopsTheSectionUnderThePlayheadAndTogglesOff() {
        var store = ReducerStore()   // position 40 s: inside the breakdown (30–60 s)
        let region = LoopRegion(startS: 30, endS: 60)
        store.send(.keyPressed(.character("l")), effects: [.setLoop(region)]) {
            $0.loop = region
            $0.notice = "looping the breakdown"
        }
        store.send(.keyPressed(.character("l")), effects: [.setLoop(nil)]) {
            $0.loop = nil
            $0.notice = "loop off"
        }
    }

    @Test func loopWithoutSectionsTakesFourBarsFromTheCurrentBar() {
        var state = AppState(size: Size(width: 80, height: 24))
        _ = reduce(&state, .snapshotPublished(Fixtures.snapshot(source: Fixtures.source(positionS: 10, durationS: 120),
                                                                sections: [], bpm: 120)))
        var store = ReducerStore(state)
        // 120 BPM: bars of 2 s; 10 s is the start of bar 5, so the loop is 10–18 s.
        store.send(.loopSection, effects: [.setLoop(LoopRegion(startS: 10, endS: 18))]) {
            $0.loop = LoopRegion(startS: 10, endS: 18)
            $0.notice = "looping 4 bars"
        }
        var noTempo = AppState(size: Size(width: 80, height: 24))
        _ = reduce(&noTempo, .snapshotPublished(Fixtures.snapshot(sections: [], bpm: nil)))
        var second = ReducerStore(noTempo)
        second.send(.loopSection) { $0.notice = "no section or tempo yet to loop" }
    }

    @Test func everyBindingReachesItsAction() {
        for binding in Keymap.standard.bindings {
            for key in binding.keys {
                var viaKey = ReducerStore.fileState()
                var direct = ReducerStore.fileState()
                let keyEffects = reduce(&viaKey, .keyPressed(key))
                let directEffects = reduce(&direct, Keymap.standard.action(for: key)!)
                #expect(keyEffects == directEffects, "\(key)")
                #expect(viaKey == direct, "\(key)")
            }
        }
        // One help row for ← → and [ ]: the first key goes back, the second forward.
        #expect(Keymap.standard.action(for: .left) == .seek(seconds: -5) && Keymap.standard.action(for: .right) == .seek(seconds: 5))
        #expect(Keymap.standard.action(for: .character("[")) == .seekBars(-1) && Keymap.standard.action(for: .character("]")) == .seekBars(1))
        let allKeys = Keymap.standard.bindings.flatMap(\.keys)
        #expect(Set(allKeys).count == allKeys.count, "a key bound twice")
        #expect(Keymap.standard.bindings.allSatisfy { !$0.help.isEmpty })
    }
}
