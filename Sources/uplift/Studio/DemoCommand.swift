import ArgumentParser
import Foundation
import UpliftStudio

/// `uplift` with no arguments (and `uplift demo`): the studio on the synthesized demo arrangement,
/// or on a bundled sample from `Samples/`.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Open the studio on a bundled sample (what `uplift` with no arguments does).",
        shouldDisplay: false)

    @Flag(name: .customLong("no-audio"), help: "Do not play sound.")
    var noAudio = false

    @Option(help: "Colour theme: a name (default, light, high-contrast) or a path to a .toml file.")
    var theme: String?

    @Option(name: .customLong("headless"), help: "Print one line per second for SECONDS instead of the terminal UI, then exit.")
    var headlessS: Double?

    @Flag(name: .customLong("no-profile"), help: "Open without the bundled demo profile (no gap report).")
    var noProfile = false

    @OptionGroup(title: "Gap report") var gaps: StudioGapOptions

    func run() throws {
        try StudioCommand.run {
            // The full arrangement (sections, drops) when the cache folder is writable; else a bundled loop.
            let sample: String
            do { sample = try (try? DemoMaterial.demoMixPath()) ?? DemoSamples.locate() } catch { throw StudioError("\(error)") }
            // The gap report against the demo profile of synthesized references (in the binary), unless another is named.
            let profile = noProfile ? nil : (gaps.profile ?? (try? DemoMaterial.demoProfilePath()) ?? DemoSamples.profilePath())
            try StudioLauncher.watch(path: sample, noAudio: noAudio, outputDevice: nil, startS: nil, theme: theme,
                                     printLines: false, headlessS: headlessS,
                                     gaps: try profile.map { try gaps.settings(profilePath: $0) })
        }
    }
}
