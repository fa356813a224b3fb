import Foundation
import Glibc
import UpliftAudio
import UpliftCurses
import UpliftModel
import UpliftTUI
import UpliftTerminal

/// The terminal studio for `uplift watch`, `uplift live` and the demo: the ncurses run loop fed by the
/// live analyzer's latest snapshot, with the file transport behind the TUI's transport keys.
///
/// Threads: the source and the analysis thread run on their own; this thread only reads the
/// analyzer's triple buffer (never waits on it) and queues transport commands.
public enum StudioScreen {
    /// Runs until `q`, SIGINT or SIGTERM. The terminal is restored on every way out (the run loop's
    /// `defer`, and the backend's `deinit` if anything before the loop fails).
    public static func run(_ session: LiveSession, themeSelection: String?, gaps: StudioGapSession? = nil,
                    loudnessTarget: LoudnessTarget? = nil, framesPerSecond: Double = 30,
                    environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let catalog = ThemeCatalog.load(selection: themeSelection)
        // Keys come from the terminal even when standard input carries audio (`--input -`) or is redirected.
        let keysFromTTY = isatty(STDIN_FILENO) == 0
        let backend: NcursesBackend
        do {
            backend = try NcursesBackend(inputTTYPath: keysFromTTY ? "/dev/tty" : nil, environment: environment)
        } catch {
            throw StudioError("\(error) (or add --print for one status line per second)")
        }
        do {
            try session.analyzer.start()
        } catch {
            backend.restore()
            throw error
        }
        defer { session.analyzer.stop() }
        let transport = session.player.map(FilePlayerTransport.init(player:))
        var state = AppState(size: backend.size, themeNames: catalog.themes.map(\.name),
                             themeIndex: catalog.selectedIndex, useUnicode: backend.supportsUnicode,
                             notice: catalog.warnings.first)
        state.loudnessTarget = loudnessTarget
        let analyzer = session.analyzer
        let loop = TUIRunLoop(backend: backend, state: state, themes: catalog.themes, transport: transport,
                              gapEffects: gaps?.effects, framesPerSecond: framesPerSecond) { analyzer.latestSnapshot() }
        if let gaps {
            // The report and Live's state arrive as actions; the loop drains them between frames.
            let inbox = loop.inbox
            Task {
                await gaps.attach { inbox.post($0) }
                await gaps.startBridge()
            }
        }
        loop.run()
        if let gaps { blockOn { await gaps.stop() } }
        for warning in catalog.warnings { StandardError.line(warning) }
    }
}
