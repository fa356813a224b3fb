import ArgumentParser
import Foundation
import UpliftProfile
import UpliftStudio

/// `uplift ab MIX REF…`: A/B the mix against references, loudness-matched, drop to drop, click-free.
struct ABCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ab",
        abstract: "A/B the mix against reference tracks: loudness-matched, position-locked, click-free.",
        discussion: """
        Slot 0 is the mix, 1-9 the references (n / N step beyond 9; up to 16 slots). Keys: 0-9 a slot, \
        Tab mix <-> last reference, space play/pause, arrows ±5 s, [ ] ±1 bar, d next drop, l loop the \
        section, p position lock (same time, drop to drop, same bar & beat, free), L loudness matching, \
        M match on this section, x blind test, m mono/side/left/right, s band solo, ? help. \
        With no files: the demo mix against three synthesized references.
        """)

    @Argument(help: "The mix, then the references (any format Uplift decodes, any sample rate).")
    var files: [String] = []

    @Option(help: "A profile: its nearest references are loaded with --nearest, and the blind score is kept beside it.")
    var profile: String?

    @Option(help: "Load the K references of the profile nearest to the mix (same cluster first).")
    var nearest: Int?

    @Option(help: "Crossfade on a switch, in milliseconds (10-30).")
    var xfade: Double = 20

    @Flag(name: .customLong("no-audio"), help: "Do not play sound (the view still runs).")
    var noAudio = false

    @Option(name: .customLong("output-device"), help: "Output device name (see `uplift devices`); default: the system's.")
    var outputDevice: String?

    @Option(name: .customLong("switch-at"), help: ArgumentHelp("SECONDS:SLOT, sample-exact (scripts and tests).", visibility: .hidden))
    var switchAt: [String] = []

    @OptionGroup var display: StudioDisplayOptions

    func validate() throws {
        guard (1...100).contains(xfade) else { throw ValidationError("--xfade takes 1-100 ms (10-30 is usual)") }
        if nearest != nil && profile == nil { throw ValidationError("--nearest needs --profile") }
        if let nearest, nearest < 1 { throw ValidationError("--nearest takes a positive count") }
    }

    func run() throws {
        try StudioCommand.run {
            var options: ABSession.Options
            if files.isEmpty {
                options = try ABLauncher.demoOptions()
            } else {
                options = ABSession.Options(mixPath: files[0], referencePaths: Array(files.dropFirst()))
            }
            if let profile {
                let path = ProfileFile.resolve(profile)
                options.profilePath = path
                if let nearest {
                    options.referencePaths += try ABReferences.nearest(profilePath: path, mixPath: options.mixPath, count: nearest)
                }
            }
            guard !options.referencePaths.isEmpty else {
                throw StudioError("no references: give REF files after the mix, or --profile P --nearest K")
            }
            options.crossfadeMS = xfade
            options.noAudio = noAudio
            options.outputDevice = outputDevice
            var shown = ABLauncher.Display()
            shown.theme = display.theme
            shown.printLines = display.printLines
            shown.headlessS = display.headlessS
            shown.switchAt = try switchAt.map { spec in
                let parts = spec.split(separator: ":")
                guard parts.count == 2, let s = Double(parts[0]), let slot = Int(parts[1]) else {
                    throw StudioError("--switch-at takes SECONDS:SLOT, not \(spec)")
                }
                return (s, slot)
            }
            try ABLauncher.run(options, display: shown)
        }
    }
}
