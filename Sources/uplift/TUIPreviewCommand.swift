import ArgumentParser
import Foundation
import UpliftCurses
import UpliftModel
import UpliftTUI
import UpliftTerminal

/// `uplift tui-preview`: the real terminal UI on a synthetic, moving snapshot, to look at the panes
/// (and to test them end to end in tmux) before the audio sources are wired in. Hidden from help.
struct TUIPreviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tui-preview",
        abstract: "Show the live panes on synthetic data (no audio).",
        shouldDisplay: false)

    @Option(help: "Colour theme: a name (default, light, high-contrast) or a path to a .toml file.")
    var theme: String?

    @Option(help: "Frames per second (1–120).")
    var fps: Double = 30

    @Flag(help: "Print the frame-time benchmark at 120×40 instead of opening the UI.")
    var benchmark = false

    func run() throws {
        if benchmark {
            print(TUIBenchmarks.frameTime())
            return
        }
        let catalog = ThemeCatalog.load(selection: theme)
        let backend: NcursesBackend
        do {
            backend = try NcursesBackend(environment: ProcessInfo.processInfo.environment)
        } catch {
            throw ValidationError("\(error)")
        }
        let clock = MonotonicClock()
        let transport = PreviewTransport(clock: clock)
        let generator = PreviewSnapshotGenerator()
        transport.durationS = generator.durationS
        let start = clock.nowSeconds()
        let state = AppState(size: backend.size, themeNames: catalog.themes.map(\.name), themeIndex: catalog.selectedIndex,
                             useUnicode: backend.supportsUnicode, notice: catalog.warnings.first)
        let loop = TUIRunLoop(backend: backend, state: state, themes: catalog.themes, transport: transport, clock: clock,
                              framesPerSecond: min(120, max(1, fps))) {
            generator.next(timeS: clock.nowSeconds() - start, positionS: transport.positionS,
                           state: transport.isPlaying ? .running : .paused)
        }
        loop.run()
        for warning in catalog.warnings { FileHandle.standardError.write(Data("uplift: \(warning)\n".utf8)) }
    }
}

/// A pretend transport for the preview: a position that advances with the clock, pause, seek and loop.
final class PreviewTransport: TransportControl {
    private let clock: any TUIClock
    private var anchorS: Double
    private var anchorPositionS = 0.0
    private(set) var isPlaying = true
    private var loop: LoopRegion?
    var durationS = 0.0

    init(clock: any TUIClock) {
        self.clock = clock
        anchorS = clock.nowSeconds()
    }

    var positionS: Double {
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

    func togglePlayback() {
        reanchor(at: positionS)
        isPlaying.toggle()
    }

    func seek(bySeconds seconds: Double) {
        reanchor(at: min(max(0, positionS + seconds), max(0, durationS - 0.001)))
    }

    func setLoop(_ region: LoopRegion?) {
        reanchor(at: positionS)
        loop = region
    }
}
