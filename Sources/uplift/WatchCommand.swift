import ArgumentParser
import Foundation
import UpliftStudio

/// `uplift watch FILE`: follow an exported mix as if live (real-time pace, audio out, re-read on re-export).
struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Play a file at real-time pace through the live engine; re-analyse it when it is re-written.",
        discussion: """
        With --profile, the gap report pane opens beside the live panes: the ranked gaps with a fix \
        for each, mapped onto the Live set when Ableton (AbletonOSC) answers. Keys: g gap view / live \
        panes, j/k pick a gap, a approve (applies the fix in Live, verified), f the gap's next proposed \
        fix, x reject (asks for an optional reason; remembered), u undo, r redo, h history. \
        Re-export the mix and the report says which gaps closed and which fixes did not do what they \
        promised.
        """)

    @Argument(help: "The audio file (WAV, AIFF, FLAC, OGG, MP3).")
    var file: String

    @Flag(name: .customLong("no-audio"), help: "Do not play sound (analysis still runs at real-time pace).")
    var noAudio = false

    @Option(name: .customLong("output-device"), help: "Output device name (see `uplift devices`); default: the system's.")
    var outputDevice: String?

    @Option(name: .customLong("start"), help: "Start position in seconds.")
    var startS: Double?

    @OptionGroup var display: StudioDisplayOptions

    @OptionGroup(title: "Gap report") var gaps: StudioGapOptions

    func run() throws {
        try StudioCommand.run {
            try StudioLauncher.watch(path: file, noAudio: noAudio, outputDevice: outputDevice, startS: startS, theme: display.theme,
                                     printLines: display.printLines, headlessS: display.headlessS,
                                     gaps: try gaps.profile.map { try gaps.settings(profilePath: $0) },
                                     targetLUFS: display.targetLUFS)
        }
    }
}
