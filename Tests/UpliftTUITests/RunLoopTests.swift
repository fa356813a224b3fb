import Testing
import UpliftModel
import UpliftTerminal
@testable import UpliftTUI

final class RecordingTransport: TransportControl {
    var calls: [String] = []
    func togglePlayback() { calls.append("toggle") }
    func seek(bySeconds seconds: Double) { calls.append("seek \(seconds)") }
    func setLoop(_ region: LoopRegion?) { calls.append(region.map { "loop \($0.startS)-\($0.endS)" } ?? "loop off") }
}

/// A run loop on a memory terminal, a manual clock that moves by the poll timeout when idle,
/// and a snapshot whose position the test sets.
final class Harness {
    let clock = ManualClock()
    let backend: MemoryBackend
    let transport = RecordingTransport()
    var positionS = 30.0
    var sequence = 1
    var snapshotReads = 0
    var loop: TUIRunLoop<MemoryBackend>!

    init(size: Size = Size(width: 80, height: 24)) {
        backend = MemoryBackend(size: size)
        backend.onIdle = { [clock] timeoutMS in clock.advance(bySeconds: Double(max(1, timeoutMS)) / 1000) }
        let state = AppState(size: size)
        loop = TUIRunLoop(backend: backend, state: state, themes: ThemeCatalog.builtin().themes, transport: transport,
                          clock: clock, framesPerSecond: 30) { [unowned self] in
            snapshotReads += 1
            return Fixtures.snapshot(sequence: sequence, source: Fixtures.source(positionS: positionS))
        }
    }

    func steps(_ n: Int) { for _ in 0..<n { loop.step() } }
}

@Suite struct RunLoopTests {
    @Test func firstFrameWritesTheWholeScreenThenOnlyChangedCells() {
        let harness = Harness()
        harness.steps(1)
        #expect(harness.backend.flushedCellCounts == [80 * 24])
        #expect(harness.backend.screen == render(state: harness.loop.state, snapshot: Fixtures.snapshot(),
                                                  size: Size(width: 80, height: 24), theme: Fixtures.defaultTheme))
        // Nothing changes: later frames flush nothing.
        harness.steps(10)
        #expect(harness.backend.flushedCellCounts.count == 1)
        #expect(harness.loop.framesSkipped >= 5)
        // The position moves: only the playhead and clock cells change.
        harness.positionS = 60
        harness.sequence = 2
        harness.steps(3)
        #expect(harness.backend.flushedCellCounts.count == 2)
        let second = harness.backend.flushedCellCounts[1]
        #expect(second > 0 && second < 80 * 24 / 4, "\(second) cells for a playhead move")
        var expectedState = harness.loop.state
        expectedState.lastSnapshotSequence = 2
        let expected = render(state: harness.loop.state, snapshot: Fixtures.snapshot(sequence: 2, source: Fixtures.source(positionS: 60)),
                              size: Size(width: 80, height: 24), theme: Fixtures.defaultTheme)
        #expect(harness.backend.screen == expected)
    }

    @Test func framesAreCappedAtThirtyPerSecond() {
        let harness = Harness()
        // A snapshot that moves the playhead on every read: the loop would redraw on every poll if nothing capped it.
        harness.loop = TUIRunLoop(backend: harness.backend, state: AppState(size: Size(width: 80, height: 24)),
                                  themes: [], clock: harness.clock) { [harness] in
            harness.sequence += 1
            return Fixtures.snapshot(sequence: harness.sequence, source: Fixtures.source(positionS: Double(harness.sequence % 40) * 3))
        }
        while harness.clock.seconds < 2 { harness.loop.step() }
        #expect(harness.backend.flushedCellCounts.count >= 55)
        #expect(harness.backend.flushedCellCounts.count <= 61)
    }

    @Test func keysBecomeStateAndTransportEffects() {
        let harness = Harness()
        harness.steps(1)
        harness.backend.scriptedEvents = [.key(.character(" ")), .key(.right), .key(.character("l")), .key(.tab), .key(.character("t"))]
        harness.steps(2)
        #expect(harness.transport.calls == ["toggle", "seek 5.0", "loop 30.0-60.0"])
        #expect(harness.loop.state.focusedPane == .trance)
        #expect(harness.loop.state.themeIndex == 1)
        // The light theme is on screen now.
        let light = ThemeCatalog.builtin().themes[1].resolved(for: .truecolor)
        #expect(harness.backend.screen[0, 1].style.background == light[.background].background)
    }

    @Test func resizeClearsAndRedrawsWholeAtTheNewSize() {
        let harness = Harness()
        harness.steps(1)
        harness.backend.resize(to: Size(width: 120, height: 40))
        harness.steps(2)
        #expect(harness.backend.clearCount == 1)
        #expect(harness.loop.state.size == Size(width: 120, height: 40))
        #expect(harness.backend.flushedCellCounts.last == 120 * 40)
        #expect(harness.backend.screen.size == Size(width: 120, height: 40))
        #expect(harness.backend.screen.contains(" Trance score "))
        harness.backend.resize(to: Size(width: 60, height: 20))
        harness.steps(2)
        #expect(harness.backend.screen.contains("Enlarge to 80×24."))
    }

    @Test func quitStopsTheLoopAndRestoresTheTerminal() {
        let harness = Harness()
        harness.backend.scriptedEvents = [.key(.tab), .key(.character("q")), .key(.tab)]
        harness.loop.run(maxIterations: 1000)
        #expect(harness.loop.state.hasQuit)
        #expect(harness.backend.restored)
        #expect(harness.loop.state.focusedPane == .trance)   // the Tab after q was never read
        #expect(harness.backend.scriptedEvents == [.key(.tab)])
    }

    @Test func aSignalQuitsAndRestores() {
        let harness = Harness()
        harness.backend.scriptedEvents = [.interrupted(signal: 2)]
        harness.loop.run(maxIterations: 1000)
        #expect(harness.loop.state.hasQuit)
        #expect(harness.backend.restored)
    }

    @Test func asciiBackendGetsAsciiFrames() {
        let backend = MemoryBackend(size: Size(width: 80, height: 24), supportsUnicode: false, colorDepth: .palette8)
        let loop = TUIRunLoop(backend: backend, state: AppState(size: .zero), themes: [], clock: ManualClock()) { Fixtures.snapshot() }
        loop.step()
        #expect(backend.screen.cells.allSatisfy { $0.symbol.isASCII })
        #expect(backend.screen.cells.allSatisfy { if case .rgb = $0.style.foreground { return false }; return true })
    }
}
