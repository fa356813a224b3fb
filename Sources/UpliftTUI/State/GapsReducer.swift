import Foundation
import UpliftModel
import UpliftTerminal

/// The gap pane's part of `reduce`: intents become bridge effects, bridge results become state.
/// Never waits: an apply marks the fix `applying` and returns; its result arrives as `fixApplied` / `fixFailed`.
func reduceGaps(_ state: inout AppState, _ action: Action) -> [Effect] {
    switch action {
    case .gapReportLoaded(let report):
        let previousID = state.gaps.selectedGap?.id
        let isFirstReport = state.gaps.report == nil
        state.gaps.report = report
        state.gaps.selectedIndex = previousID.flatMap { id in report.gaps.firstIndex { $0.id == id } } ?? 0
        // Fixes of gaps rejected earlier (for this profile) start rejected; statuses of fixes still present are kept.
        let fixIDs = Set(report.gaps.flatMap { $0.fixes.map(\.id) })
        state.gaps.fixStatuses = state.gaps.fixStatuses.filter { fixIDs.contains($0.key) }
        for gap in report.gaps where gap.rejected {
            for fix in gap.fixes { state.gaps.fixStatuses[fix.id] = .rejected }
        }
        let notes = report.warnings.count
        let count = "\(report.gaps.count) gap\(report.gaps.count == 1 ? "" : "s") against \(report.profile)"
            + (notes > 0 ? " (\(notes) note\(notes == 1 ? "" : "s") under h)" : "")
        // The first report opens the gap view; later ones (a re-export, Live connecting) leave the view as the producer set it.
        if isFirstReport {
            if !state.panes.contains(.gaps) {
                state.panes = PaneKind.gapPanes
                state.focusedPane = .gaps
                state.isZoomed = false
            }
            state.notice = count + ": g shows the live panes"
        } else {
            state.notice = "gap report updated: " + count
        }
        return []

    case .liveGapReportLoaded(var report):
        let ranked = report.gaps.map(\.id)
        if let shown = state.gaps.report?.gaps.map(\.id) {
            report.gaps = keepingOrder(report.gaps, shown: shown)
        }
        let changed = report.gaps.map(\.id) != ranked
        state.gaps.rankedOrder = changed ? ranked : nil
        let effects = reduceGaps(&state, .gapReportLoaded(report))
        if changed, let first = report.gaps.first(where: { $0.id == ranked.first }) {
            state.notice = "gap ranking changed, o re-sorts: \(gapLabel(first)) now first"
        }
        return effects

    case .resortGaps:
        guard let order = state.gaps.rankedOrder, var report = state.gaps.report else {
            state.notice = "the gaps are in the newest ranking"
            return []
        }
        let selected = state.gaps.selectedGap?.id
        let rank = Dictionary(order.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        report.gaps = report.gaps.enumerated().sorted { (rank[$0.element.id] ?? order.count + $0.offset, $0.offset)
            < (rank[$1.element.id] ?? order.count + $1.offset, $1.offset) }.map(\.element)
        state.gaps.report = report
        state.gaps.rankedOrder = nil
        // The cursor stays on the gap it was on, wherever it moved to.
        state.gaps.selectedIndex = selected.flatMap { id in report.gaps.firstIndex { $0.id == id } } ?? 0
        state.notice = "gaps re-sorted by the newest ranking"
        return []

    case .profileSpectrumBandLoaded(let band):
        state.profileSpectrumBand = band
        return []

    case .bridgeStateChanged(let bridge):
        state.bridge = bridge
        return []

    case .toggleGapView:
        if state.panes.contains(.gaps) {
            state.panes = PaneKind.livePanes
            state.focusedPane = state.panes[0]
        } else {
            guard state.gaps.report != nil else {
                state.notice = "no gap report: start with --profile to compare the mix"
                return []
            }
            state.panes = PaneKind.gapPanes
            state.focusedPane = .gaps
        }
        state.isZoomed = false
        return []

    case .moveGapSelection(let delta):
        guard state.focusedPane == .gaps else {
            state.notice = "focus the Gaps pane (g, Tab) to pick a gap"
            return []
        }
        guard let count = state.gaps.report?.gaps.count, count > 0 else {
            state.notice = "no gaps to pick"
            return []
        }
        state.gaps.selectedIndex = min(count - 1, max(0, state.gaps.selectedIndex + delta))
        return []

    case .toggleFixHistory:
        guard state.panes.contains(.gaps) else {
            state.notice = "the fix history is in the Gaps pane (g)"
            return []
        }
        state.gaps.isHistoryVisible.toggle()
        return []

    case .approveSelectedFix:
        guard let gap = gapPaneSelection(&state) else { return [] }
        if gap.rejected {
            state.notice = "rejected gap: its fix is not proposed"
            return []
        }
        guard let fix = state.gaps.chosenFix(of: gap) else {
            state.notice = "no fix proposed for \(gap.feature)"
            return []
        }
        if let (active, _) = state.gaps.activeFix(of: gap), active.id != fix.id {
            state.notice = "another fix of this gap is applied: u undoes it first"
            return []
        }
        if case .tempo(let bpm) = fix.action {
            state.notice = "the tempo is a musical decision: set \(Format.fixed(bpm, 1)) BPM in Live by hand"
            return []
        }
        if fix.adviceOnly {
            state.notice = "advice only: nothing to turn, do it by hand"
            return []
        }
        if let needs = fix.needs {
            state.notice = "cannot apply yet: \(needs)"
            return []
        }
        guard fix.isApplicable else {
            state.notice = "cannot apply: no track or device found for this fix"
            return []
        }
        switch state.bridge {
        case .connected: break
        case .absent:
            state.notice = "Live is not connected (AbletonOSC): the report is read-only"
            return []
        case .error(let message):
            state.notice = "Live bridge error: \(message): cannot apply"
            return []
        }
        switch state.gaps.status(ofFix: fix.id) {
        case .applying:
            state.notice = "already applying: waiting for Live"
            return []
        case .applied:
            state.notice = "already applied: u undoes it"
            return []
        case .proposed, .failed, .rejected:
            break
        }
        state.gaps.fixStatuses[fix.id] = .applying
        state.notice = "applying \(fix.action.summary)…"
        return [.applyFix(fix)]

    case .cycleFixChoice:
        guard let gap = gapPaneSelection(&state) else { return [] }
        guard gap.fixes.count > 1 else {
            state.notice = gap.fixes.isEmpty ? "no fix proposed for this gap" : "this gap has one fix"
            return []
        }
        let next = ((state.gaps.chosenFixIndex[gap.id] ?? 0) + 1) % gap.fixes.count
        state.gaps.chosenFixIndex[gap.id] = next
        let fix = gap.fixes[next]
        state.notice = "fix \(next + 1) of \(gap.fixes.count): \(fix.action.summary)" + (fix.track.map { " on \($0)" } ?? "")
        return []

    case .rejectSelectedGap:
        guard let gap = gapPaneSelection(&state) else { return [] }
        if gap.rejected {
            state.notice = "already rejected"
            return []
        }
        switch state.gaps.activeFix(of: gap)?.1 {
        case .applied?:
            state.notice = "its fix is applied: u undoes it first"
            return []
        case .applying?:
            state.notice = "its fix is being applied: wait for Live"
            return []
        default: break
        }
        state.gaps.rejectPrompt = RejectPrompt(gapID: gap.id)
        return []

    case .confirmRejection(let reason):
        guard let prompt = state.gaps.rejectPrompt else { return [] }
        state.gaps.rejectPrompt = nil
        guard let index = state.gaps.report?.gaps.firstIndex(where: { $0.id == prompt.gapID }),
              let gap = state.gaps.report?.gaps[index] else {
            state.notice = "that gap is no longer in the report: nothing rejected"
            return []
        }
        // Dimmed at once; the store write happens in the effect.
        state.gaps.report?.gaps[index].rejected = true
        for fix in gap.fixes { state.gaps.fixStatuses[fix.id] = .rejected }
        state.gaps.history.append("rejected \(gapLabel(gap))" + (reason.map { ": \($0)" } ?? ""))
        state.notice = "rejected \(gapLabel(gap)): not proposed again for this profile"
        return [.rejectFix(gapID: gap.id, reason: reason)]

    case .cancelRejection:
        guard state.gaps.rejectPrompt != nil else { return [] }
        state.gaps.rejectPrompt = nil
        state.notice = "not rejected"
        return []

    case .undoLastFix, .redoLastFix:
        let isUndo = action == .undoLastFix
        guard case .connected = state.bridge else {
            state.notice = "Live is not connected: nothing to \(isUndo ? "undo" : "redo")"
            return []
        }
        guard !state.gaps.isHistoryOperationPending else {
            state.notice = "waiting for Live to finish the last \(isUndo ? "undo" : "redo")"
            return []
        }
        guard !(isUndo ? state.gaps.appliedFixIDs : state.gaps.undoneFixIDs).isEmpty else {
            state.notice = isUndo ? "nothing to undo" : "nothing to redo"
            return []
        }
        state.gaps.isHistoryOperationPending = true
        state.notice = isUndo ? "undoing…" : "redoing…"
        return [isUndo ? .undoLastFix : .redoLastFix]

    case .fixApplied(let id, let summary):
        state.gaps.fixStatuses[id] = .applied(verified: summary)
        state.gaps.appliedFixIDs.removeAll { $0 == id }
        state.gaps.appliedFixIDs.append(id)
        state.gaps.undoneFixIDs.removeAll()
        state.gaps.history.append("applied \(summary)")
        state.notice = "applied: \(summary)"
        return []

    case .fixFailed(let id, let message):
        state.gaps.fixStatuses[id] = .failed(message: message)
        state.gaps.history.append("failed \(id): \(message)")
        state.notice = "fix failed: \(message)"
        return []

    case .fixUndone(let fixID, let summary):
        state.gaps.isHistoryOperationPending = false
        if let fixID, let k = state.gaps.appliedFixIDs.lastIndex(of: fixID) {
            state.gaps.appliedFixIDs.remove(at: k)
            state.gaps.fixStatuses[fixID] = .proposed
            state.gaps.undoneFixIDs.append(fixID)
            // What the window measured after the fix no longer describes the mix.
            if let gap = state.gaps.report?.gaps.first(where: { $0.fixes.contains { $0.id == fixID } }) {
                state.gaps.liveFollow[gap.id] = nil
            }
        }
        state.gaps.history.append("undone \(summary)")
        state.notice = "undone: \(summary)"
        return []

    case .fixRedone(let fixID, let summary):
        state.gaps.isHistoryOperationPending = false
        if let fixID, let k = state.gaps.undoneFixIDs.lastIndex(of: fixID) {
            state.gaps.undoneFixIDs.remove(at: k)
            state.gaps.fixStatuses[fixID] = .applied(verified: summary)
            state.gaps.appliedFixIDs.append(fixID)
        }
        state.gaps.history.append("redone \(summary)")
        state.notice = "redone: \(summary)"
        return []

    case .fixHistoryFailed(let message):
        state.gaps.isHistoryOperationPending = false
        state.notice = "undo/redo failed: \(message)"
        return []

    case .gapReportFailed(let message):
        state.notice = "gap report failed: " + message
        return []

    case .gapsRemeasured(let measurement):
        state.gaps.remeasurement = measurement
        state.gaps.history.append(measurement.headline)
        state.notice = measurement.headline + " (h: details)"
        // A re-export: what the fixes did to the old mix no longer holds (checks asked for since are kept).
        state.gaps.fixChecks = [:]
        state.gaps.fixCheckFailures = [:]
        return []

    case .fixChecked(let check):
        for gap in state.gaps.report?.gaps ?? [] {
            for fix in gap.fixes where fix.id == check.fixID {
                let key = GapsState.checkKey(fix)
                state.gaps.fixChecksPending.remove(key)
                state.gaps.fixChecks[key] = check
            }
        }
        return []

    case .fixCheckFailed(let fixID, let message):
        for gap in state.gaps.report?.gaps ?? [] {
            for fix in gap.fixes where fix.id == fixID {
                let key = GapsState.checkKey(fix)
                state.gaps.fixChecksPending.remove(key)
                state.gaps.fixCheckFailures[key] = message
            }
        }
        return []

    case .liveFixFollowed(let lines):
        for line in lines {
            state.gaps.liveFollow[line.gapID] = line
            let label = state.gaps.report?.gaps.first { $0.id == line.gapID }.map(gapLabel) ?? line.gapID
            // The history keeps the measured result, not every step towards it.
            if line.isFinal {
                state.gaps.history.append("measured live: \(label): \(line.text)")
                state.notice = "measured live: \(label): \(line.text)"
            }
        }
        return []

    case .rejectionNotSaved(_, let message):
        state.notice = "rejection kept for this session only: \(message)"
        return []

    default:
        return []
    }
}

/// A key while the reject prompt is open: text edits the reason, Enter rejects, Esc cancels.
func reduceRejectPromptKey(_ state: inout AppState, _ key: Key) -> [Effect] {
    switch key {
    case .enter:
        let reason = state.gaps.rejectPrompt?.reason.trimmingCharacters(in: .whitespaces) ?? ""
        return reduceGaps(&state, .confirmRejection(reason: reason.isEmpty ? nil : reason))
    case .escape:
        return reduceGaps(&state, .cancelRejection)
    case .backspace:
        if state.gaps.rejectPrompt?.reason.isEmpty == false { state.gaps.rejectPrompt?.reason.removeLast() }
    case .character(let c) where !c.isNewline:
        if (state.gaps.rejectPrompt?.reason.count ?? 0) < RejectPrompt.maximumLength { state.gaps.rejectPrompt?.reason.append(c) }
    default:
        break  // arrows, Tab…: the prompt keeps the keys until Enter or Esc
    }
    return []
}

/// The selected gap when the Gaps pane is on screen; otherwise a notice and nil.
private func gapPaneSelection(_ state: inout AppState) -> Gap? {
    guard state.panes.contains(.gaps) else {
        state.notice = "open the gap report first (g)"
        return nil
    }
    guard let gap = state.gaps.selectedGap else {
        state.notice = state.gaps.report == nil ? "no gap report loaded" : "no gaps: the mix sits inside the profile"
        return nil
    }
    return gap
}

/// Gaps already on screen keep their order; gaps new to the report follow, in its ranking.
func keepingOrder(_ gaps: [Gap], shown: [String]) -> [Gap] {
    let position = Dictionary(shown.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
    let kept = gaps.filter { position[$0.id] != nil }.sorted { position[$0.id]! < position[$1.id]! }
    return kept + gaps.filter { position[$0.id] == nil }
}

/// `spectrum 2.00–3.56 kHz (drop)`, `stereo width (side/mid)` (the feature key when the report has no label).
func gapLabel(_ gap: Gap) -> String {
    var text = gap.label ?? gap.feature
    if let band = gap.band {
        text = "spectrum \(GapsPane.hz(band.lowHz))–\(GapsPane.hz(band.highHz))"
    }
    if let section = gap.section { text += " (\(section))" }
    return text
}

/// The selected gap's shown fix, rendered and re-analysed off the UI thread once (side effects before
/// approval); advice and fixes already checked or asked for are not asked again. For the audition key
/// (`A`, wired with the A/B view); the studio also checks the top gaps' fixes on its own after each export.
public func requestFixCheck(_ state: inout AppState) -> [Effect] {
    guard let gap = state.gaps.selectedGap, !gap.rejected, let fix = state.gaps.chosenFix(of: gap), !fix.adviceOnly else { return [] }
    let key = GapsState.checkKey(fix)
    guard state.gaps.fixChecks[key] == nil, state.gaps.fixCheckFailures[key] == nil, !state.gaps.fixChecksPending.contains(key) else { return [] }
    state.gaps.fixChecksPending.insert(key)
    return [.checkFix(fix)]
}
