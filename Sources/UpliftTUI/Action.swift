import UpliftModel
import UpliftTerminal

/// Everything that can change the state. Events say what happened; intents say what the user asked for.
public enum Action: Sendable, Equatable {
    // MARK: Events
    case keyPressed(Key)
    case terminalResized(Size)
    case snapshotPublished(AnalysisSnapshot)
    case interruptReceived(signal: Int32)

    // MARK: Intents (what keys map to, through the keymap)
    case quit
    case toggleHelp
    case dismissOverlay
    case focusNextPane
    case focusPreviousPane
    case zoomFocusedPane
    case cycleTheme
    case togglePlay
    case seek(seconds: Double)
    case seekBars(Int)
    case loopSection
}
