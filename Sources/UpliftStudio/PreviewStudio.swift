import Foundation
import UpliftCurses
import UpliftModel
import UpliftTUI
import UpliftTerminal

/// `uplift tui-preview`: the real terminal UI on a synthetic, moving snapshot, to look at the panes
/// (and to test them end to end in tmux) without audio.
public enum PreviewStudio {
    public static func run(themeSelection: String?, framesPerSecond: Double) throws {
        let catalog = ThemeCatalog.load(selection: themeSelection)
        let backend: NcursesBackend
        do {
            backend = try NcursesBackend(environment: ProcessInfo.processInfo.environment)
        } catch {
            throw StudioError("\(error)")
        }
        let clock = MonotonicClock()
        let transport = PreviewTransport(clock: clock)
        let generator = PreviewSnapshotGenerator()
        transport.durationS = generator.durationS
        let start = clock.nowSeconds()
        let state = AppState(size: backend.size, themeNames: catalog.themes.map(\.name), themeIndex: catalog.selectedIndex,
                             useUnicode: backend.supportsUnicode, notice: catalog.warnings.first)
        let loop = TUIRunLoop(backend: backend, state: state, themes: catalog.themes, transport: transport, clock: clock,
                              framesPerSecond: min(120, max(1, framesPerSecond))) {
            generator.next(timeS: clock.nowSeconds() - start, positionS: transport.positionS,
                           state: transport.isPlaying ? .running : .paused)
        }
        loop.run()
        for warning in catalog.warnings { StandardError.line(warning) }
    }
}

/// A pretend transport for the preview: a position that advances with the clock, pause, seek and loop.
public final class PreviewTransport: TransportControl {
    private let clock: any TUIClock
    private var anchorS: Double
    private var anchorPositionS = 0.0
    public private(set) var isPlaying = true
    private var loop: LoopRegion?
    public var durationS = 0.0

    public init(clock: any TUIClock) {
        self.clock = clock
        anchorS = clock.nowSeconds()
    }

    public var positionS: Double {
        var position = anchorPositionS + (isPlaying ? clock.nowSeconds() - anchorS : 0)
        if let loop, loop.endS > loop.startS, position >= loop.endS {
            position = loop.startS + (position - loop.startS).truncatingRemainder(dividingBy: loop.endS - loop.startS)
        }
        return durationS > 0 ? position.truncatingRemainder(dividingBy: durationS) : position
    }

    private func reanchor(at position: Double) {
        anchorPositionS = position
        anchorS = clock.nowSeconds()
    }

    public func togglePlayback() {
        reanchor(at: positionS)
        isPlaying.toggle()
    }

    public func seek(bySeconds seconds: Double) {
        reanchor(at: min(max(0, positionS + seconds), max(0, durationS - 0.001)))
    }

    public func setLoop(_ region: LoopRegion?) {
        reanchor(at: positionS)
        loop = region
    }
}
