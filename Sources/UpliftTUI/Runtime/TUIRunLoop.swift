import UpliftModel
import UpliftTerminal

/// The UI loop: input (polled with a timeout) → actions → reduce → effects; at a capped frame rate,
/// the latest snapshot → render → diff against what is on screen → flush only the changes.
/// Generic over the backend so tests run it on `MemoryBackend` with scripted keys and a manual clock.
public final class TUIRunLoop<Backend: TerminalBackend> {
    public private(set) var state: AppState
    public let backend: Backend
    /// Frames drawn (a frame with no changed cell is skipped and not counted).
    public private(set) var framesFlushed = 0
    public private(set) var framesSkipped = 0

    private let themes: [Theme]
    private var resolvedThemes: [Int: ResolvedTheme] = [:]
    /// Where frames come from, and what the transport keys drive: the studio swaps both while the A/B
    /// view is open inside it (`b`, `A`) and back when it closes.
    public var latestSnapshot: () -> AnalysisSnapshot?
    public var transport: (any TransportControl)?
    private let gapEffects: (any GapEffectHandler)?
    /// Carries out the A/B view's requests (the session answers with `abUpdated` through the inbox).
    public var abEffects: (@Sendable (ABRequest) -> Void)?
    /// Opens (`ABOpenRequest`) and closes (nil) the A/B view inside the studio; runs on this thread.
    /// The studio answers through the inbox (`abOpened`, `abOpenFailed`).
    public var abView: ((ABOpenRequest?) -> Void)?
    /// Results of gap effects, posted from background tasks and dispatched here each step.
    public let inbox = ActionInbox()
    private let clock: any TUIClock
    private let frameIntervalS: Double
    private var snapshot: AnalysisSnapshot?
    private var front: CellBuffer?
    private var back = CellBuffer(size: .zero)
    private var changes: [CellChange] = []
    private var needsRender = true
    private var nextFrameS: Double

    /// `latestSnapshot` must return at once (it reads what the analysis thread last published; it never waits).
    public init(backend: Backend, state: AppState, themes: [Theme], transport: (any TransportControl)? = nil,
                gapEffects: (any GapEffectHandler)? = nil,
                clock: any TUIClock = MonotonicClock(), framesPerSecond: Double = 30,
                latestSnapshot: @escaping () -> AnalysisSnapshot?) {
        self.backend = backend
        var initial = state
        initial.size = backend.size
        initial.useUnicode = state.useUnicode && backend.supportsUnicode
        let usable = themes.isEmpty ? [ThemeCatalog.defaultTheme] : themes
        initial.themeNames = usable.map(\.name)
        initial.themeIndex = min(initial.themeIndex, usable.count - 1)
        self.state = initial
        self.themes = usable
        self.transport = transport
        self.gapEffects = gapEffects
        self.clock = clock
        self.frameIntervalS = 1 / max(1, framesPerSecond)
        self.latestSnapshot = latestSnapshot
        nextFrameS = clock.nowSeconds()
    }

    /// Runs until `q`, a signal, or `maxIterations` polls; restores the terminal on the way out.
    public func run(maxIterations: Int = .max) {
        defer { backend.restore() }
        var iterations = 0
        while !state.hasQuit && iterations < maxIterations {
            step()
            iterations += 1
        }
    }

    /// One turn: wait for input until the next frame is due, handle it, draw if a frame is due.
    public func step() {
        let now = clock.nowSeconds()
        let timeoutMS = Int(max(0, (nextFrameS - now) * 1000).rounded(.up))
        if let event = backend.pollEvent(timeoutMS: min(timeoutMS, 100)) {
            handle(event)
            // Drain what else is queued (a burst of keys, a resize) before drawing.
            var drained = 0
            while drained < 64, !state.hasQuit, let more = backend.pollEvent(timeoutMS: 0) {
                handle(more)
                drained += 1
            }
        }
        for posted in inbox.drain() where !state.hasQuit { dispatch(posted) }
        guard !state.hasQuit else { return }
        let afterInput = clock.nowSeconds()
        if afterInput >= nextFrameS {
            drawFrame()
            nextFrameS = max(nextFrameS + frameIntervalS, afterInput)
        }
    }

    /// Forget the last snapshot (its source was swapped: the next one may restart its sequence).
    public func forgetSnapshot() {
        snapshot = nil
        needsRender = true
    }

    /// Sends an action through the reducer and carries out its effects.
    public func dispatch(_ action: Action) {
        // The A/B session's analyzer counts its own snapshots from zero: take its first one whatever its number.
        if case .abOpened = action { forgetSnapshot() }
        let before = state
        let effects = reduce(&state, action)
        if state != before { needsRender = true }
        for effect in effects {
            switch effect {
            case .quit: break   // `state.hasQuit` ends the loop
            case .togglePlayback: transport?.togglePlayback()
            case .seek(let seconds): transport?.seek(bySeconds: seconds)
            case .setLoop(let region): transport?.setLoop(region)
            case .ab(let request): abEffects?(request)
            case .openAB(let request):
                if let abView { abView(request) } else { dispatch(.abOpenFailed("the A/B view needs the studio of uplift watch")) }
            case .closeAB:
                abView?(nil)
                snapshot = nil
                needsRender = true
            case .applyFix, .rejectFix, .undoLastFix, .redoLastFix, .checkFix:
                if let gapEffects {
                    let inbox = self.inbox
                    gapEffects.perform(effect) { inbox.post($0) }
                } else if case .applyFix(let fix) = effect {
                    // No handler (a preview without the bridge): say so instead of leaving it "applying".
                    dispatch(.fixFailed(id: fix.id, message: "no Ableton bridge in this session"))
                }
            }
        }
    }

    private func handle(_ event: TerminalEvent) {
        switch event {
        case .key(let key): dispatch(.keyPressed(key))
        case .resized(let size):
            // What the terminal shows after a resize is unknown: forget it and write the next frame whole.
            backend.clearScreen()
            front = nil
            needsRender = true
            dispatch(.terminalResized(size))
        case .interrupted(let signal): dispatch(.interruptReceived(signal: signal))
        }
    }

    private func theme(at index: Int) -> ResolvedTheme {
        if let known = resolvedThemes[index] { return known }
        let resolved = themes[min(index, themes.count - 1)].resolved(for: backend.colorDepth)
        resolvedThemes[index] = resolved
        return resolved
    }

    private func drawFrame() {
        if let latest = latestSnapshot(), latest.sequence != snapshot?.sequence {
            snapshot = latest
            dispatch(.snapshotPublished(latest))
            needsRender = true
        }
        guard needsRender else { framesSkipped += 1; return }
        needsRender = false
        if back.size != state.size { back.reset(size: state.size) }
        render(state: state, snapshot: snapshot, theme: theme(at: state.themeIndex), into: &back)
        back.changes(since: front, into: &changes)
        if changes.isEmpty { framesSkipped += 1; return }
        backend.flush(changes)
        framesFlushed += 1
        if front == nil || front!.size != back.size {
            front = back
        } else {
            // Copy only the changed cells into the front buffer instead of swapping whole arrays.
            for change in changes { front![change.x, change.y] = change.cell }
        }
    }
}
