import UpliftModel
import UpliftTerminal

/// Everything that can change the state. Events say what happened; intents say what the user asked for.
public enum Action: Sendable, Equatable {
    // MARK: Events
    case keyPressed(Key)
    case terminalResized(Size)
    case snapshotPublished(AnalysisSnapshot)
    case interruptReceived(signal: Int32)
    /// A gap report (from `uplift gaps` or computed at start) replaces the current one.
    case gapReportLoaded(GapReport)
    /// Live input: a refreshed report of the rolling window, shown in the order already on screen (new gaps
    /// last) so nothing moves under the cursor; a changed ranking is offered (`o`), not jumped to.
    case liveGapReportLoaded(GapReport)
    case profileSpectrumBandLoaded(ProfileSpectrumBand?)
    case bridgeStateChanged(BridgeState)
    /// The bridge wrote and verified the fix; `summary` is its read-back.
    case fixApplied(id: String, summary: String)
    case fixFailed(id: String, message: String)
    /// The bridge undid the last applied fix.
    /// `fixID` is the gap fix the undone or redone journal group was, or nil when it was no gap fix
    /// (the journal also holds `uplift ableton set` changes).
    case fixUndone(fixID: String?, summary: String)
    case fixRedone(fixID: String?, summary: String)
    /// An undo or redo could not be done (nothing in Live's journal, connection lost, …).
    case fixHistoryFailed(message: String)
    /// The rejection store could not keep a rejection (the gap stays dimmed for this session).
    case rejectionNotSaved(gapID: String, message: String)
    /// The gap report could not be built (the message says why and what to do).
    case gapReportFailed(String)
    /// The mix was re-exported and re-analysed: what happened to the previous report's gaps.
    case gapsRemeasured(GapRemeasurement)
    /// Live input: the rolling window's follow-up of approved fixes.
    case liveFixFollowed([LiveFixLine])
    /// The A/B session's state (slots, gains, lock, blind score).
    case abUpdated(ABViewState)
    /// A fix rendered and re-analysed: what it closes in the audio, what it pushes out of range.
    case fixChecked(FixCheck)
    /// The fix could not be rendered (why, in the producer's words).
    case fixCheckFailed(fixID: String, message: String)
    /// The studio opened the A/B view (`b`, or `A` with the gap and fix auditioned).
    case abOpened(gapID: String?, fixID: String?)
    /// The A/B view could not open (no references on this machine, a fix that cannot be rendered, …).
    case abOpenFailed(String)

    // MARK: Intents (what keys map to, through the keymap)
    case quit
    case toggleHelp
    case dismissOverlay
    case focusNextPane
    case focusPreviousPane
    case zoomFocusedPane
    case cycleTheme
    /// The spectrum's display slope: 0 → 3 → 4.5 dB per octave → 0.
    case cycleSpectrumSlope
    case togglePlay
    case seek(seconds: Double)
    case seekBars(Int)
    case loopSection
    /// Swap between the live panes and the gap view (Gaps + Spectrum).
    case toggleGapView
    case moveGapSelection(Int)
    /// Live input: show the gaps in the newest report's ranking.
    case resortGaps
    case approveSelectedFix
    /// The selected gap's next proposed fix becomes the one `a` applies (a gap may have alternatives:
    /// on the element's track or on the mix bus).
    case cycleFixChoice
    /// Opens the reason prompt for the selected gap; `confirmRejection` rejects it.
    case rejectSelectedGap
    /// The prompt's Enter: reject the gap being asked about, with the typed reason (nil when left empty).
    case confirmRejection(reason: String?)
    case cancelRejection
    case undoLastFix
    case redoLastFix
    case toggleFixHistory
    // A/B view (its own keymap, `Keymap.ab`)
    /// A slot key `0`–`9` (a guess in blind mode); -1 in the keymap stands for "the digit pressed".
    case abSelect(Int)
    case abStep(Int)
    case abToggleLast
    case abNextDrop
    case abCycleLock
    case abToggleMatching
    case abToggleSectionMatch
    case abToggleBlind
    case abCycleListen
    case abCycleBand
    /// Studio: open the A/B view with the profile's nearest references (`b`).
    case openABView
    /// Studio: audition the selected gap's fix in the A/B view (`A`).
    case auditionSelectedFix
    /// Back from the A/B view to the studio.
    case closeABView
    /// Audition: apply the auditioned fix in Live (as `a` in the gap pane), and back to the gaps.
    case approveAuditionedFix
    /// Blind audition: the producer prefers what plays now / has no preference.
    case abPrefer
    case abNoPreference
}
