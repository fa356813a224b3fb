import UpliftTerminal

/// One key binding: the keys, what they ask for, and the help line `?` shows. One table drives both.
public struct KeyBinding: Sendable, Equatable {
    public var keys: [Key]
    public var action: Action
    public var help: String
    /// Shown instead of the list of keys (`0-9` for ten digit keys).
    public var label: String?
    public init(keys: [Key], action: Action, help: String, label: String? = nil) {
        self.keys = keys; self.action = action; self.help = help; self.label = label
    }

    /// How the keys read in the help overlay: `←`, `Tab`, `q` (`Left` in ASCII).
    public var keyLabel: String { keyLabel(unicode: true) }

    public func keyLabel(unicode: Bool) -> String {
        if let label { return label }
        return keys.map { key in
            guard !unicode else { return key.description }
            switch key {
            case .left: return "Left"
            case .right: return "Right"
            case .up: return "Up"
            case .down: return "Down"
            default: return key.description
            }
        }.joined(separator: " ")
    }
}

public struct Keymap: Sendable, Equatable {
    public var bindings: [KeyBinding]
    public init(bindings: [KeyBinding]) { self.bindings = bindings }

    /// A binding of key pairs whose action has a direction (`← →`, `[ ]`, `↑ ↓ k j`, `Shift-Tab Tab`) is one
    /// row of help: the first key of each pair goes back, the second forward.
    public func action(for key: Key) -> Action? {
        guard let binding = bindings.first(where: { $0.keys.contains(key) }), let position = binding.keys.firstIndex(of: key) else { return nil }
        guard binding.keys.count.isMultiple(of: 2), position.isMultiple(of: 2) else { return binding.action }
        switch binding.action {
        case .seek(let seconds): return .seek(seconds: -abs(seconds))
        case .seekBars(let bars): return .seekBars(-abs(bars))
        case .moveGapSelection(let step): return .moveGapSelection(-abs(step))
        case .focusNextPane: return .focusPreviousPane
        default: return binding.action
        }
    }

    public static let standard = Keymap(bindings: [
        KeyBinding(keys: [.character(" ")], action: .togglePlay, help: "play / pause (file)"),
        KeyBinding(keys: [.left, .right], action: .seek(seconds: 5), help: "back / forward 5 seconds"),
        KeyBinding(keys: [.character("["), .character("]")], action: .seekBars(1), help: "back / forward 1 bar"),
        KeyBinding(keys: [.character("l")], action: .loopSection, help: "loop the section at the playhead / stop"),
        KeyBinding(keys: [.backTab, .tab], action: .focusNextPane, help: "focus the previous / next pane", label: "S-Tab Tab"),
        KeyBinding(keys: [.character("z")], action: .zoomFocusedPane, help: "zoom the focused pane / unzoom"),
        KeyBinding(keys: [.character("t")], action: .cycleTheme, help: "next colour theme"),
        KeyBinding(keys: [.character("s")], action: .cycleSpectrumSlope, help: "spectrum slope 0 / 3 / 4.5 dB per octave"),
        KeyBinding(keys: [.character("g")], action: .toggleGapView, help: "gap report view / live panes"),
        KeyBinding(keys: [.up, .down, .character("k"), .character("j")], action: .moveGapSelection(1), help: "previous / next gap (Gaps pane)"),
        KeyBinding(keys: [.character("a")], action: .approveSelectedFix, help: "approve: apply the gap's fix in Live"),
        KeyBinding(keys: [.character("A")], action: .auditionSelectedFix, help: "audition: hear the fix, A/B with the mix"),
        KeyBinding(keys: [.character("b")], action: .openABView, help: "A/B with your nearest references"),
        KeyBinding(keys: [.character("o")], action: .resortGaps, help: "re-sort the gaps by the newest ranking"),
        KeyBinding(keys: [.character("f")], action: .cycleFixChoice, help: "next proposed fix of the gap"),
        KeyBinding(keys: [.character("x")], action: .rejectSelectedGap, help: "reject: asks why, remembered, dimmed"),
        KeyBinding(keys: [.character("u")], action: .undoLastFix, help: "undo the last applied fix"),
        KeyBinding(keys: [.character("r")], action: .redoLastFix, help: "redo the last undone fix"),
        KeyBinding(keys: [.character("h")], action: .toggleFixHistory, help: "fix history / gap detail"),
        KeyBinding(keys: [.character("?")], action: .toggleHelp, help: "show / hide this help"),
        KeyBinding(keys: [.character("q")], action: .quit, help: "quit"),
    ])

    /// The A/B view's keys (`uplift ab`): slots, transport, lock, matching, listening tools, blind test.
    public static let ab = Keymap(bindings: [
        KeyBinding(keys: (0...9).map { .character(Character(String($0))) }, action: .abSelect(-1),
                   help: "0 the mix, 1-9 a reference (blind: your guess)", label: "0-9"),
        KeyBinding(keys: [.character("n")], action: .abStep(1), help: "next slot (beyond 9)"),
        KeyBinding(keys: [.character("N")], action: .abStep(-1), help: "previous slot"),
        KeyBinding(keys: [.tab], action: .abToggleLast, help: "mix <-> last reference"),
        KeyBinding(keys: [.character(" ")], action: .togglePlay, help: "play / pause"),
        KeyBinding(keys: [.left, .right], action: .seek(seconds: 5), help: "back / forward 5 seconds"),
        KeyBinding(keys: [.character("["), .character("]")], action: .seekBars(1), help: "back / forward 1 bar"),
        KeyBinding(keys: [.character("d")], action: .abNextDrop, help: "jump to the next drop"),
        KeyBinding(keys: [.character("l")], action: .loopSection, help: "loop the section / stop"),
        KeyBinding(keys: [.character("p")], action: .abCycleLock, help: "position lock: same time, drop, beat, free"),
        KeyBinding(keys: [.character("L")], action: .abToggleMatching, help: "loudness matching on / off"),
        KeyBinding(keys: [.character("M")], action: .abToggleSectionMatch, help: "match on this section / whole track"),
        KeyBinding(keys: [.character("x")], action: .abToggleBlind, help: "blind test on / off"),
        KeyBinding(keys: [.character("m")], action: .abCycleListen, help: "stereo, mono, side, left, right"),
        KeyBinding(keys: [.character("s")], action: .abCycleBand, help: "solo band: sub, bass, lo-mid, hi-mid, air"),
        KeyBinding(keys: [.backTab], action: .focusNextPane, help: "focus the next pane"),
        KeyBinding(keys: [.character("z")], action: .zoomFocusedPane, help: "zoom the focused pane / unzoom"),
        KeyBinding(keys: [.character("t")], action: .cycleTheme, help: "next colour theme"),
        KeyBinding(keys: [.character("?")], action: .toggleHelp, help: "show / hide this help"),
        KeyBinding(keys: [.character("q")], action: .quit, help: "quit"),
    ])

    /// The A/B view opened from the studio (`b`): the A/B keys, and `b` / `q` go back to the studio.
    public static let abInStudio = Keymap(bindings: ab.bindings.filter { $0.action != .quit } + [
        KeyBinding(keys: [.character("b"), .character("q")], action: .closeABView, help: "back to the studio (q there quits)"),
    ])

    /// An audition (`A` on a gap): 0 the mix as it is, 1 with the fix rendered; blind asks which you prefer.
    public static let abAudition = Keymap(bindings: [
        KeyBinding(keys: [.character("0"), .character("1")], action: .abSelect(-1),
                   help: "0 the mix as it is, 1 with the fix (blind: X, Y)", label: "0 1"),
        KeyBinding(keys: [.tab], action: .abToggleLast, help: "as it is <-> with the fix"),
        KeyBinding(keys: [.character(" ")], action: .togglePlay, help: "play / pause"),
        KeyBinding(keys: [.left, .right], action: .seek(seconds: 5), help: "back / forward 5 seconds"),
        KeyBinding(keys: [.character("["), .character("]")], action: .seekBars(1), help: "back / forward 1 bar"),
        KeyBinding(keys: [.character("d")], action: .abNextDrop, help: "jump to the next drop"),
        KeyBinding(keys: [.character("l")], action: .loopSection, help: "loop the section / stop"),
        KeyBinding(keys: [.character("L")], action: .abToggleMatching, help: "loudness matching on / off"),
        KeyBinding(keys: [.character("x")], action: .abToggleBlind, help: "blind: X and Y hidden, say which you prefer"),
        KeyBinding(keys: [.enter], action: .abPrefer, help: "blind: I prefer the one playing"),
        KeyBinding(keys: [.character("=")], action: .abNoPreference, help: "blind: no preference"),
        KeyBinding(keys: [.character("a")], action: .approveAuditionedFix, help: "approve: apply this fix in Live"),
        KeyBinding(keys: [.character("m")], action: .abCycleListen, help: "stereo, mono, side, left, right"),
        KeyBinding(keys: [.character("s")], action: .abCycleBand, help: "solo band: sub, bass, lo-mid, hi-mid, air"),
        KeyBinding(keys: [.backTab], action: .focusNextPane, help: "focus the next pane"),
        KeyBinding(keys: [.character("z")], action: .zoomFocusedPane, help: "zoom the focused pane / unzoom"),
        KeyBinding(keys: [.character("?")], action: .toggleHelp, help: "show / hide this help"),
        KeyBinding(keys: [.character("b"), .character("q")], action: .closeABView, help: "back to the gaps (q there quits)"),
    ])
}
