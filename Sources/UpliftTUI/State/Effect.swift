import UpliftModel

/// Requests that leave the reducer as data; the run loop carries them out.
public enum Effect: Sendable, Equatable {
    case quit
    case togglePlayback
    case seek(bySeconds: Double)
    case setLoop(LoopRegion?)
    /// Write the fix's parameters through the bridge (journalled, verified); answers `fixApplied` / `fixFailed`.
    case applyFix(Fix)
    /// Remember the rejection for this profile and gap (rejection is per gap: its fixes go with it).
    case rejectFix(gapID: String, reason: String?)
    /// Answers `fixUndone` / `fixHistoryFailed`.
    case undoLastFix
    /// Answers `fixRedone` / `fixHistoryFailed`.
    case redoLastFix
    /// A request to the A/B session; it answers with `abUpdated`.
    case ab(ABRequest)
    /// Render the fix onto the mix (Uplift's device models) and re-analyse it, off the UI thread:
    /// answers `fixChecked` / `fixCheckFailed`.
    case checkFix(Fix)
    /// Open the A/B view inside the studio; the studio answers `abOpened` or `abOpenFailed`.
    case openAB(ABOpenRequest)
    /// Close it: the studio's own playback resumes.
    case closeAB
}
