import Foundation
import Testing
import UpliftModel
import UpliftTerminal
@testable import UpliftTUI

/// The A/B view: its keymap, the reducer's translation of keys into session requests, and the panes.
@Suite struct ABViewTests {
    static func analysis(score: Double, levels: [Double]) -> TrackAnalysis {
        var a = TrackAnalysis(file: "x.wav", durationS: 60, sampleRate: 48_000, channels: 2)
        a.spectrum = .init(bandsHz: levels.indices.map { 20 * pow(2, Double($0)) }, levelsDB: levels, balanceDB: [:])
        a.trance = .init(score: score, components: [.init(name: "pumping", value: score / 100, weight: 1, reason: "")])
        a.energy = .init(curve: (0..<30).map { .init(tS: Double($0) * 2, rmsDB: -20 + Double($0 % 5), centroidHz: 1000, bassRatio: 0.3) })
        a.sections = [.init(kind: .drop, startS: 0, endS: 60)]
        return a
    }

    static func view(blind: Bool = false) -> ABViewState {
        ABViewState(slots: [
            ABSlotView(name: "my-mix", isMix: true, gainDB: -0.5, loudnessLUFS: -9, truePeakDBTP: -0.6,
                       analysis: analysis(score: 70, levels: [-10, -10, -10, -10]), positionS: 12, durationS: 60),
            ABSlotView(name: "armin-ref", isMix: false, gainDB: 3.2, loudnessLUFS: -12.2, truePeakDBTP: -4,
                       analysis: analysis(score: 85, levels: [-20, -10, -5, -10]), positionS: 14, durationS: 60),
            ABSlotView(name: "broken", isMix: false, notice: "cannot be decoded: skipped", playable: false),
        ], sounding: 1, reference: 1, lockLabel: "drop to drop", blind: blind)
    }

    static func state(blind: Bool = false) -> AppState {
        var state = AppState(size: Size(width: 120, height: 40), panes: PaneKind.abPanes, keymap: .ab)
        state.ab = view(blind: blind)
        return state
    }

    @Test func slotKeysBecomeRequestsAndMissingSlotsAHint() {
        var state = Self.state()
        #expect(reduce(&state, .keyPressed(.character("1"))) == [.ab(.select(1))])
        #expect(reduce(&state, .keyPressed(.character("0"))) == [.ab(.select(0))])
        #expect(reduce(&state, .keyPressed(.character("7"))) == [])
        #expect(state.notice == "no slot 7: slots 0-2")
        #expect(reduce(&state, .keyPressed(.character("2"))) == [])
        #expect(state.notice?.contains("cannot be decoded") == true)
        #expect(reduce(&state, .keyPressed(.tab)) == [.ab(.toggleLast)])
        #expect(reduce(&state, .keyPressed(.character("p"))) == [.ab(.cycleLock)])
        #expect(reduce(&state, .keyPressed(.character("L"))) == [.ab(.toggleMatching)])
        #expect(reduce(&state, .keyPressed(.character("M"))) == [.ab(.toggleSectionMatch)])
        #expect(reduce(&state, .keyPressed(.character("d"))) == [.ab(.nextDrop)])
        // In blind mode a slot key is a guess.
        var blind = Self.state(blind: true)
        #expect(reduce(&blind, .keyPressed(.character("0"))) == [.ab(.guess(0))])
    }

    @Test func pairedKeysPickTheirDirection() {
        #expect(keySpecific(.seek(seconds: 5), .left) == .seek(seconds: -5))
        #expect(keySpecific(.seek(seconds: 5), .right) == .seek(seconds: 5))
        #expect(keySpecific(.seekBars(1), .character("[")) == .seekBars(-1))
        #expect(keySpecific(.abSelect(-1), .character("4")) == .abSelect(4))
        // The keymap already gives a two-key binding's first key the backward move; the reducer's flip leaves it so.
        #expect(Keymap.ab.action(for: .left) == .seek(seconds: -5))
        #expect(keySpecific(.seek(seconds: -5), .left) == .seek(seconds: -5))
    }

    @Test func thePanesShowBothSidesAndHideThemInBlindMode() {
        let theme = ThemeCatalog.defaultTheme.resolved(for: .truecolor)
        let screen = render(state: Self.state(), snapshot: nil, size: Size(width: 120, height: 40), theme: theme)
        #expect(screen.contains("▶ 1 armin-ref"))
        #expect(screen.contains("mix: my-mix"))
        #expect(screen.contains("+3.2 dB"))
        #expect(screen.contains("cannot be decoded: skipped"))
        #expect(screen.contains("Spectrum: mix over armin-ref"))
        #expect(screen.contains("score  mix 70  ref 85  (-15)"))
        #expect(screen.contains("Pumping"))
        #expect(screen.contains("lock: drop to drop"))
        // The reference is louder at the top bands, the mix at the bottom: both shades appear.
        #expect(screen.contains("▓") && screen.contains("░"))
        let blind = render(state: Self.state(blind: true), snapshot: nil, size: Size(width: 120, height: 40), theme: theme)
        #expect(!blind.contains("▶ 1 armin-ref") && blind.contains("reference 1"))
        #expect(blind.contains("hidden until you guess"))
        #expect(!blind.contains("+3.2 dB"), "the gains would give the blind slot away")
        // So would the tempo, key and length of what plays, in the status line.
        let seen = render(state: Self.state(), snapshot: Fixtures.snapshot(), size: Size(width: 120, height: 40), theme: theme)
        #expect(seen.contains("138.0 BPM") && seen.contains("8A"))
        let hidden = render(state: Self.state(blind: true), snapshot: Fixtures.snapshot(), size: Size(width: 120, height: 40), theme: theme)
        #expect(!hidden.contains("138.0 BPM") && !hidden.contains("8A") && hidden.contains("-- BPM"))
    }

    @Test func theHelpListsTheABKeys() {
        var state = Self.state()
        _ = reduce(&state, .keyPressed(.character("?")))
        let theme = ThemeCatalog.defaultTheme.resolved(for: .truecolor)
        let screen = render(state: state, snapshot: nil, size: Size(width: 80, height: 24), theme: theme)
        #expect(screen.contains("0-9") && screen.contains("blind test on / off") && screen.contains("quit"))
    }
}
