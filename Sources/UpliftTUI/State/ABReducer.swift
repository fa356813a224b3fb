import UpliftTerminal

/// One binding may carry a pair of keys (← →, [ ]) or a key range (0–9): the key pressed picks the variant.
func keySpecific(_ bound: Action, _ key: Key) -> Action {
    switch (bound, key) {
    case (.abSelect(-1), .character(let c)): return .abSelect(c.wholeNumberValue ?? 0)
    case (.seek(let seconds), .left) where seconds > 0: return .seek(seconds: -seconds)
    case (.seekBars(let bars), .character("[")) where bars > 0: return .seekBars(-bars)
    default: return bound
    }
}

/// The A/B view's intents become requests to the session; its published state replaces ours.
func reduceAB(_ state: inout AppState, _ action: Action) -> [Effect] {
    if case .abUpdated(let view) = action {
        // A closed session's last word may arrive after the studio took the screen back.
        guard state.panes.contains(.abSlots) else { return [] }
        state.ab = view
        return []
    }
    guard let ab = state.ab else {
        state.notice = "no A/B session: uplift ab MIX REF…"
        return []
    }
    switch action {
    case .abSelect(let index):
        guard index < ab.slots.count else {
            state.notice = "no slot \(index): slots 0-\(ab.slots.count - 1)" + (ab.slots.count > 10 ? " (n / N step past 9)" : "")
            return []
        }
        // Blind: a guess of what plays; a blind audition's slot keys play the hidden X / Y instead.
        if ab.blind && !ab.blindPrefers { return [.ab(.guess(index))] }
        if let notice = ab.slots[index].notice, !ab.slots[index].playable {
            state.notice = "\(ab.slots[index].name): \(notice)"
            return []
        }
        return [.ab(.select(index))]
    case .abStep(let step): return [.ab(.step(step))]
    case .abToggleLast:
        guard ab.slots.count > 1 else { state.notice = "no reference loaded"; return [] }
        return [.ab(.toggleLast)]
    case .abNextDrop: return [.ab(.nextDrop)]
    case .abCycleLock: return [.ab(.cycleLock)]
    case .abToggleMatching: return [.ab(.toggleMatching)]
    case .abToggleSectionMatch: return [.ab(.toggleSectionMatch)]
    case .abToggleBlind: return [.ab(.toggleBlind)]
    case .abCycleListen: return [.ab(.cycleListen)]
    case .abCycleBand: return [.ab(.cycleBand)]
    case .abPrefer, .abNoPreference:
        guard ab.blind, ab.blindPrefers else {
            state.notice = ab.blindPrefers ? "x first: the blind audition asks which you prefer" : "Enter picks in a blind audition"
            return []
        }
        return [.ab(action == .abPrefer ? .prefer : .noPreference)]
    default: return []
    }
}
