import UpliftModel

/// The only place state changes. Pure: the same state and action always give the same state and effects.
public func reduce(_ state: inout AppState, _ action: Action) -> [Effect] {
    switch action {
    case .keyPressed(let key):
        // The reject prompt takes every key until Enter or Esc.
        if state.gaps.rejectPrompt != nil { return reduceRejectPromptKey(&state, key) }
        state.notice = nil
        if state.isHelpVisible, let bound = state.keymap.action(for: key), bound != .quit, bound != .toggleHelp {
            // Any other key closes the help first, so a key pressed to dismiss it does nothing unexpected.
            state.isHelpVisible = false
            return []
        }
        guard let bound = state.keymap.action(for: key) else {
            if state.isHelpVisible { state.isHelpVisible = false; return [] }
            // Esc closes what is open (the help, above; the reject prompt takes its own keys) and is
            // otherwise no news: it has no line in the help, which at 80×24 has one row per binding.
            if key == .escape { return [] }
            state.notice = "\(key) does nothing here: ? lists the keys"
            return []
        }
        return reduce(&state, keySpecific(bound, key))

    case .abUpdated, .abSelect, .abStep, .abToggleLast, .abNextDrop, .abCycleLock, .abToggleMatching, .abToggleSectionMatch,
         .abToggleBlind, .abCycleListen, .abCycleBand, .abPrefer, .abNoPreference:
        return reduceAB(&state, action)

    case .openABView, .auditionSelectedFix, .abOpened, .abOpenFailed, .closeABView, .approveAuditionedFix:
        return reduceStudioAB(&state, action)

    case .gapReportLoaded, .liveGapReportLoaded, .resortGaps, .profileSpectrumBandLoaded, .bridgeStateChanged, .gapsRemeasured, .liveFixFollowed, .gapReportFailed, .fixApplied, .fixFailed, .fixUndone,
         .fixRedone, .fixHistoryFailed, .rejectionNotSaved, .toggleGapView, .moveGapSelection, .approveSelectedFix, .cycleFixChoice, .rejectSelectedGap, .confirmRejection, .cancelRejection,
         .undoLastFix, .redoLastFix, .toggleFixHistory, .fixChecked, .fixCheckFailed:
        return reduceGaps(&state, action)

    case .terminalResized(let size):
        state.size = size
        return []

    case .snapshotPublished(let snapshot):
        state.lastSnapshotSequence = snapshot.sequence
        state.transport.sourceKind = snapshot.source.kind
        state.transport.positionS = snapshot.source.positionS
        state.transport.durationS = snapshot.source.durationS
        if let tempo = snapshot.tempo, tempo.bpm > 0, tempo.confidence >= TempoTrust.minimumConfidence {
            state.transport.bpm = tempo.bpm
            state.transport.firstBeatS = tempo.firstBeatS
        } else {
            state.transport.bpm = nil
            state.transport.firstBeatS = 0
        }
        state.transport.sections = snapshot.sections
        return []

    case .interruptReceived, .quit:
        state.hasQuit = true
        return [.quit]

    case .toggleHelp:
        state.isHelpVisible.toggle()
        return []

    case .cycleSpectrumSlope:
        let slopes = AppState.spectrumSlopes
        let index = slopes.firstIndex(of: state.spectrumSlopeDBPerOctave) ?? -1
        state.spectrumSlopeDBPerOctave = slopes[(index + 1) % slopes.count]
        return []

    case .dismissOverlay:
        state.isHelpVisible = false
        return []

    case .focusNextPane, .focusPreviousPane:
        guard !state.panes.isEmpty else { return [] }
        let current = state.panes.firstIndex(of: state.focusedPane) ?? 0
        let step = action == .focusNextPane ? 1 : state.panes.count - 1
        state.focusedPane = state.panes[(current + step) % state.panes.count]
        return []

    case .zoomFocusedPane:
        state.isZoomed.toggle()
        return []

    case .cycleTheme:
        state.themeIndex = (state.themeIndex + 1) % state.themeNames.count
        state.notice = "theme: \(state.themeName)"
        return []

    case .togglePlay:
        guard state.transport.sourceKind == .file else {
            state.notice = "live input cannot pause"
            return []
        }
        return [.togglePlayback]

    case .seek(let seconds):
        guard state.transport.sourceKind == .file else {
            state.notice = "seeking needs a file source"
            return []
        }
        return [.seek(bySeconds: seconds)]

    case .seekBars(let bars):
        guard state.transport.sourceKind == .file else {
            state.notice = "seeking needs a file source"
            return []
        }
        guard let bpm = state.transport.bpm else {
            state.notice = "no reliable tempo yet: seek by seconds instead"
            return []
        }
        return [.seek(bySeconds: Double(bars) * 4 * 60 / bpm)]

    case .loopSection:
        guard state.transport.sourceKind == .file else {
            state.notice = "looping needs a file source"
            return []
        }
        if state.loop != nil {
            state.loop = nil
            state.notice = "loop off"
            return [.setLoop(nil)]
        }
        let position = state.transport.positionS
        if let section = state.transport.sections.first(where: { position >= $0.startS && position < $0.endS }) {
            let region = LoopRegion(startS: section.startS, endS: section.endS)
            state.loop = region
            state.notice = "looping the \(section.kind.rawValue)"
            return [.setLoop(region)]
        }
        if let bpm = state.transport.bpm {
            // No section here (live sections not ready yet): loop the 4 bars starting at the current bar.
            let barS = 4 * 60 / bpm
            let barIndex = ((position - state.transport.firstBeatS) / barS).rounded(.down)
            let start = max(0, state.transport.firstBeatS + barIndex * barS)
            var end = start + 4 * barS
            if let duration = state.transport.durationS { end = min(end, duration) }
            let region = LoopRegion(startS: start, endS: end)
            state.loop = region
            state.notice = "looping 4 bars"
            return [.setLoop(region)]
        }
        state.notice = "no section or tempo yet to loop"
        return []
    }
}

/// Below this confidence a BPM is shown dimmed and not used to seek by bars.
public enum TempoTrust {
    public static let minimumConfidence = 0.3
}
