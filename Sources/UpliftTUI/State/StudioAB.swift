import UpliftModel

/// What `b` and `A` in the studio ask it to open (`Effect.openAB`): the A/B view with the profile's
/// references nearest the mix, with those nearest the profile's median for a gap's feature, or the
/// mix against itself with a fix rendered by Uplift's device models (an audition).
/// `startS` is where the studio's playhead was: the A/B view starts there.
public enum ABOpenRequest: Sendable, Equatable {
    case nearest(startS: Double)
    case nearFeature(gap: Gap, startS: Double)
    case audition(gap: Gap, fix: Fix, startS: Double)
}

/// The studio's own layout while the A/B view is open inside it, put back by `b` / `q`; and, for an
/// audition, which gap and fix it plays (so `a` there approves that one).
public struct ABInStudio: Sendable, Equatable {
    public var panes: [PaneKind]
    public var focusedPane: PaneKind
    public var isZoomed: Bool
    public var keymap: Keymap
    public var loop: LoopRegion?
    public var gapID: String?
    public var fixID: String?
    public init(panes: [PaneKind], focusedPane: PaneKind, isZoomed: Bool, keymap: Keymap, loop: LoopRegion?,
                gapID: String? = nil, fixID: String? = nil) {
        self.panes = panes; self.focusedPane = focusedPane; self.isZoomed = isZoomed; self.keymap = keymap
        self.loop = loop; self.gapID = gapID; self.fixID = fixID
    }
}

/// The A/B view inside the studio: opening (on the session's answer), leaving, approving an audition.
func reduceStudioAB(_ state: inout AppState, _ action: Action) -> [Effect] {
    switch action {
    case .openABView:
        guard state.abInStudio == nil else { return [] }
        guard state.transport.sourceKind == .file else {
            state.notice = "A/B plays files: uplift watch MIX --profile P, or uplift ab MIX REF…"
            return []
        }
        guard state.gaps.report != nil else {
            state.notice = "b needs a profile's references: uplift watch MIX --profile P (or uplift ab MIX REF…)"
            return []
        }
        let startS = state.transport.positionS
        if state.panes.contains(.gaps), let gap = state.gaps.selectedGap {
            state.notice = "opening the A/B view with the references nearest the profile's \(gap.feature)…"
            return [.openAB(.nearFeature(gap: gap, startS: startS))]
        }
        state.notice = "opening the A/B view with the references nearest the mix…"
        return [.openAB(.nearest(startS: startS))]

    case .auditionSelectedFix:
        guard state.abInStudio == nil else { return [] }
        guard state.panes.contains(.gaps) else {
            state.notice = "open the gap report first (g), then A on a gap"
            return []
        }
        guard let gap = state.gaps.selectedGap else {
            state.notice = state.gaps.report == nil ? "no gap report loaded" : "no gaps: the mix sits inside the profile"
            return []
        }
        guard !gap.rejected else { state.notice = "rejected gap: its fix is not proposed"; return [] }
        guard let fix = state.gaps.chosenFix(of: gap) else { state.notice = "no fix proposed for \(gap.feature)"; return [] }
        if case .tempo = fix.action {
            state.notice = "a tempo change is not auditioned: it is a musical decision"
            return []
        }
        guard !fix.adviceOnly else { state.notice = "advice only: nothing to render, do it by hand"; return [] }
        guard state.transport.sourceKind == .file else {
            state.notice = "auditions render the exported mix: uplift watch MIX --profile P"
            return []
        }
        state.notice = "rendering \(fix.action.summary) on the mix…"
        // The side effects are measured at the same time (the pane's "heard:" line).
        return [.openAB(.audition(gap: gap, fix: fix, startS: state.transport.positionS))] + requestFixCheck(&state)

    case .abOpened(let gapID, let fixID):
        guard state.abInStudio == nil else { return [] }
        state.abInStudio = ABInStudio(panes: state.panes, focusedPane: state.focusedPane, isZoomed: state.isZoomed,
                                      keymap: state.keymap, loop: state.loop, gapID: gapID, fixID: fixID)
        state.panes = PaneKind.abPanes
        state.focusedPane = .abSlots
        state.isZoomed = false
        state.isHelpVisible = false
        state.loop = nil
        state.keymap = fixID == nil ? .abInStudio : .abAudition
        state.notice = fixID == nil ? "0 the mix · 1-9 references · b back" : "0 as it is · 1 with the fix · a approve · b back"
        return []

    case .abOpenFailed(let message):
        state.notice = message
        return []

    case .closeABView:
        guard leaveAB(&state) else { return [] }
        return [.closeAB]

    case .approveAuditionedFix:
        guard let inStudio = state.abInStudio, let gapID = inStudio.gapID, let fixID = inStudio.fixID else { return [] }
        _ = leaveAB(&state)
        // The gap as the report has it now (a re-export may have re-ranked it): selected, with the auditioned fix chosen.
        guard let index = state.gaps.report?.gaps.firstIndex(where: { $0.id == gapID }),
              let gap = state.gaps.report?.gaps[index], let fixIndex = gap.fixes.firstIndex(where: { $0.id == fixID }) else {
            state.notice = "the report changed while you listened: that fix is no longer proposed"
            return [.closeAB]
        }
        state.gaps.selectedIndex = index
        state.gaps.chosenFixIndex[gapID] = fixIndex
        return [.closeAB] + reduceGaps(&state, .approveSelectedFix)

    default:
        return []
    }
}

/// Puts the studio's layout back; `false` when the A/B view was not open inside it.
private func leaveAB(_ state: inout AppState) -> Bool {
    guard let saved = state.abInStudio else { return false }
    state.panes = saved.panes
    state.focusedPane = saved.focusedPane
    state.isZoomed = saved.isZoomed
    state.keymap = saved.keymap
    state.loop = saved.loop
    state.isHelpVisible = false
    state.abInStudio = nil
    state.ab = nil
    return true
}
