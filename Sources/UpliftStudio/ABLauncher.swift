import Foundation
import Glibc
import Synchronization
import UpliftAudio
import UpliftCurses
import UpliftGaps
import UpliftModel
import UpliftProfile
import UpliftTUI
import UpliftTerminal

/// `uplift ab`: the A/B studio in the terminal, or its status lines (`--print`, `--headless`).
public enum ABLauncher {
    public struct Display: Sendable {
        public var theme: String?
        public var printLines = false
        public var headlessS: Double?
        /// Scripted switches (seconds on the mix's clock → slot), sample-exact: tests and demos.
        public var switchAt: [(seconds: Double, slot: Int)] = []
        public init() {}
    }

    /// The mix and references of `uplift ab` with no files: the demo mix and three synthesized references.
    public static func demoOptions() throws -> ABSession.Options {
        ABSession.Options(mixPath: try DemoMaterial.demoMixPath(), referencePaths: try DemoMaterial.demoReferencePaths(count: 3))
    }

    public static func run(_ options: ABSession.Options, display: Display) throws {
        var options = options
        // With a profile, each blind guess also goes into its feedback record (beside the rejections).
        if options.onGuess == nil, let path = options.profilePath, let profile = try? ProfileFile.load(path) {
            let store = FeedbackStore(path: FeedbackStore.defaultPath())
            options.onGuess = { pick in try? store.record(LearnedRanking.referenceGuess(pick, gap: nil), profile: profile.name) }
        }
        let session: ABSession
        do { session = try ABSession(options: options) } catch let error as AudioError {
            throw StudioError(error.description)
        }
        if display.printLines || display.headlessS != nil || isatty(STDOUT_FILENO) == 0 {
            try printLines(session, display: display)
        } else {
            try screen(session, display: display)
        }
    }

    static func printLines(_ session: ABSession, display: Display) throws {
        let interrupted = Atomic<Bool>(false)
        signal(SIGINT, SIG_IGN)
        let sigint = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        sigint.setEventHandler { interrupted.store(true, ordering: .relaxed) }
        sigint.resume()
        defer { sigint.cancel(); signal(SIGINT, SIG_DFL) }
        if let note = session.audioNote { LivePrinter.emit("note: \(note)") }
        // The references first (the scripted switches need them), then the clock starts.
        session.startLoading()
        _ = session.waitUntilLoaded(timeoutS: 600)
        for (seconds, slot) in display.switchAt {
            session.select(slot, dueAtMixerFrame: Int((seconds * session.mixer.sampleRate).rounded()))
        }
        try session.start()
        defer { session.stop() }
        let start = Date()
        var next = start.addingTimeInterval(1)
        LivePrinter.emit(line(session))
        while !interrupted.load(ordering: .relaxed) {
            if let limit = display.headlessS, Date().timeIntervalSince(start) >= limit { break }
            if Date() >= next {
                LivePrinter.emit(line(session))
                next = next.addingTimeInterval(1)
            }
            usleep(20_000)
        }
        LivePrinter.emit(line(session))
    }

    /// `A/B 12.0 s  ▶ 1 trance-ref  lock same time  matched  gains 0 +0.0, 1 -3.2 dB  switches 2  …`
    public static func line(_ session: ABSession) -> String {
        let view = session.viewState()
        let sounding = view.slots[view.sounding]
        var text = String(format: "A/B %6.1f s  playing %d %@  lock %@  %@  gains", session.mixer.positionS, view.sounding,
                          view.blind ? "(hidden)" : sounding.name, view.lockLabel, view.matching ? (view.sectionMatch ? "matched on section" : "matched") : "unmatched")
        for (index, slot) in view.slots.enumerated() {
            if !slot.playable { text += " \(index) skipped"; continue }
            text += String(format: " %d %@%.1f", index, slot.gainDB >= 0 ? "+" : "", slot.gainDB)
        }
        text += " dB  switches \(session.mixer.switchesApplied)  rate \(Int(session.mixer.sampleRate)) Hz"
        if let note = view.matchNote { text += "  note: \(note)" }
        for (index, slot) in view.slots.enumerated() where !slot.playable || slot.notice != nil {
            if let notice = slot.notice { text += "  [\(index) \(slot.name): \(notice)]" }
        }
        return text
    }

    static func screen(_ session: ABSession, display: Display) throws {
        let catalog = ThemeCatalog.load(selection: display.theme)
        let backend: NcursesBackend
        do {
            backend = try NcursesBackend(inputTTYPath: isatty(STDIN_FILENO) == 0 ? "/dev/tty" : nil,
                                         environment: ProcessInfo.processInfo.environment)
        } catch {
            throw StudioError("\(error) (or add --print for one status line per second)")
        }
        do { try session.start() } catch {
            backend.restore()
            throw error
        }
        defer { session.stop() }
        var state = AppState(size: backend.size, themeNames: catalog.themes.map(\.name), themeIndex: catalog.selectedIndex,
                             useUnicode: backend.supportsUnicode, panes: PaneKind.abPanes, keymap: .ab,
                             notice: catalog.warnings.first ?? session.audioNote)
        state.ab = session.viewState()
        let analyzer = session.analyzer
        let loop = TUIRunLoop(backend: backend, state: state, themes: catalog.themes, transport: session) { analyzer.latestSnapshot() }
        let inbox = loop.inbox
        loop.abEffects = { request in session.handle(request) }
        session.attach { inbox.post($0) }
        session.startLoading()
        loop.run()
        for warning in catalog.warnings { StandardError.line(warning) }
    }
}

