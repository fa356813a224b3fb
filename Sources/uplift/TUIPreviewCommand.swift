import ArgumentParser
import UpliftStudio

/// `uplift tui-preview`: the real terminal UI on a synthetic, moving snapshot (no audio). Hidden from help.
struct TUIPreviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tui-preview",
        abstract: "Show the live panes on synthetic data (no audio).",
        shouldDisplay: false)

    @Option(help: "Colour theme: a name (default, light, high-contrast) or a path to a .toml file.")
    var theme: String?

    @Option(help: "Frames per second (1–120).")
    var fps: Double = 30

    func run() throws {
        try StudioCommand.run { try PreviewStudio.run(themeSelection: theme, framesPerSecond: fps) }
    }
}
