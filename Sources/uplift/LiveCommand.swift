import ArgumentParser
import Foundation
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

    @OptionGroup var display: StudioDisplayOptions

    func run() throws {
        try StudioCommand.run {
            try StudioLauncher.live(input: input, format: format, sampleRate: sampleRate, channels: channels, lossless: lossless,
                                    theme: display.theme, printLines: display.printLines, headlessS: display.headlessS,
                                    targetLUFS: display.targetLUFS)
        }
    }
}
