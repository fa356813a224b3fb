import ArgumentParser

/// How the studio shows itself, shared by `watch`, `live` and the demo: the terminal UI with a theme,
/// or status lines for scripts and tests.
struct StudioDisplayOptions: ParsableArguments {
    @Flag(name: .customLong("print"), help: "Print one status line per second instead of the terminal UI.")
    var printLines = false

    @Option(name: .customLong("headless"), help: "Print one line per second for SECONDS, then exit.")
    var headlessS: Double?

    @Option(help: "Colour theme: a name (default, light, high-contrast) or a path to a .toml file.")
    var theme: String?

    @Option(name: .customLong("target-lufs"),
            help: "Mark this loudness (LUFS) on the short-term and integrated meters (default with --profile: the references' p10–p90).")
    var targetLUFS: Double?
}
