import ArgumentParser
import Foundation
import UpliftAnalysis
import UpliftAudio
import UpliftStudio

extension PCMSampleFormat: ExpressibleByArgument {}

/// `uplift live --input NAME|-|FIFO`: follow an audio device or a raw PCM stream.
struct LiveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "live",
        abstract: "Analyse live input: an audio device (e.g. a loopback carrying Live's master) or raw PCM from a pipe.")

    @Option(name: .customLong("input"), help: "A device name (see `uplift devices`), `-` for standard input, or a FIFO path.")
    var input: String

    @Option(name: .customLong("format"), help: "Pipe sample format: f32le or s16le (default f32le).")
    var format: PCMSampleFormat?

    @Option(name: .customLong("rate"), help: "Sample rate in Hz (pipe default 44100; device default: its own).")
    var sampleRate: Double?

    @Option(name: .customLong("channels"), help: "Pipe channels (default 2; 1 is duplicated, more are down-mixed).")
    var channels: Int?

    @Flag(name: .customLong("lossless"), help: "Pipe: when analysis falls behind, stop reading instead of dropping (for files piped faster than real time).")
    var lossless = false

    @Option(name: .customLong("window"), help: "Rolling musical summary window: bars (e.g. 32) or seconds (e.g. 60s); default 32 bars, 60 s until the beat is found.")
    var window: String?

    @Flag(name: .customLong("no-music"), help: "Levels only: no tempo, sections, key or score.")
    var noMusic = false

    @OptionGroup var display: StudioDisplayOptions

    @OptionGroup(title: "Gap report") var gaps: StudioGapOptions

    func run() throws {
        try StudioCommand.run {
            let music: LiveMusicAnalyzer.Options?
            do {
                music = noMusic ? nil : try LiveMusicAnalyzer.Options(windowArgument: window)
            } catch {
                throw StudioError("\(error)")
            }
            try StudioLauncher.live(input: input, format: format, sampleRate: sampleRate, channels: channels, lossless: lossless,
                                    music: music, theme: display.theme, printLines: display.printLines, headlessS: display.headlessS,
                                    gaps: try gaps.profile.map { try gaps.settings(profilePath: $0) }, targetLUFS: display.targetLUFS)
        }
    }
}
