import ArgumentParser
import Foundation
import UpliftAudio

/// `uplift watch FILE`: follow an exported mix as if live (real-time pace, audio out, re-read on re-export).
struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Play a file at real-time pace through the live engine; re-analyse it when it is re-written.")

    @Argument(help: "The audio file (WAV, AIFF, FLAC, OGG, MP3).")
    var file: String

    @Flag(name: .customLong("no-audio"), help: "Do not play sound (analysis still runs at real-time pace).")
    var noAudio = false

    @Option(name: .customLong("output-device"), help: "Output device name (see `uplift devices`); default: the system's.")
    var outputDevice: String?

    @Option(name: .customLong("start"), help: "Start position in seconds.")
    var startS: Double?

    @Flag(name: .customLong("print"), help: "Print one status line per second instead of the terminal UI.")
    var printLines = false

    @Option(name: .customLong("headless"), help: "Print one line per second for SECONDS, then exit.")
    var headlessS: Double?

    @Option(help: "Colour theme: a name (default, light, high-contrast) or a path to a .toml file.")
    var theme: String?

    func run() throws {
        try StudioLauncher.watch(path: file, noAudio: noAudio, outputDevice: outputDevice, startS: startS, theme: theme,
                                 printLines: printLines, headlessS: headlessS)
    }
}
