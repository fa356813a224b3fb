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
                    loudnessTarget: LoudnessTarget? = nil, handover: StudioABHandover? = nil, framesPerSecond: Double = 30,
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
        if let handover { wire(handover, into: loop, studioTransport: transport, studioSnapshot: { analyzer.latestSnapshot() }) }
        loop.run()
        handover?.close()
        if let gaps { blockOn { await gaps.stop() } }
        for warning in catalog.warnings { StandardError.line(warning) }
    }

    /// `b` / `A`: while the A/B view is open inside the studio, the transport keys, the panes' snapshots
    /// and the A/B requests go to its session; otherwise to the studio's player and analyzer.
    static func wire<Backend: TerminalBackend>(_ handover: StudioABHandover, into loop: TUIRunLoop<Backend>,
                                               studioTransport: (any TransportControl)?,
                                               studioSnapshot: @escaping () -> AnalysisSnapshot?) {
        let inbox = loop.inbox
        loop.transport = HandoverTransport(handover: handover, studio: studioTransport)
        loop.latestSnapshot = { handover.current?.analyzer.latestSnapshot() ?? studioSnapshot() }
        loop.abEffects = { handover.current?.handle($0) }
        loop.abView = { request in
            if let request { handover.open(request) { inbox.post($0) } } else { handover.close() }
        }
    }
}

/// The transport keys reach the A/B session while it is open, the studio's player otherwise.
private final class HandoverTransport: TransportControl {
    let handover: StudioABHandover
    let studio: (any TransportControl)?
    init(handover: StudioABHandover, studio: (any TransportControl)?) { self.handover = handover; self.studio = studio }
    private var target: (any TransportControl)? { handover.current ?? studio }
    func togglePlayback() { target?.togglePlayback() }
    func seek(bySeconds seconds: Double) { target?.seek(bySeconds: seconds) }
    func setLoop(_ region: LoopRegion?) { target?.setLoop(region) }
}
