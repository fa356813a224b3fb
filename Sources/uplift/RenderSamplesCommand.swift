import ArgumentParser
import Foundation
import UpliftAudio
import UpliftSynth

/// `uplift render-samples DIR`: regenerates the bundled `Samples/` from UpliftSynth, so they
/// need no script and stay reproducible (every signal is seeded). Hidden: a developer tool.
struct RenderSamplesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render-samples",
        abstract: "Write the bundled sample FLACs (UpliftSynth) into DIR.",
        shouldDisplay: false)

    @Argument(help: "Folder to write into (created if missing).")
    var directory: String

    struct Sample: Sendable {
        let fileName: String
        let render: @Sendable () -> [Float]
    }

    static let sampleRate = 44_100

    static let samples: [Sample] = [
        Sample(fileName: "demo-loop-138bpm.flac") {
            // Eight bars: under 1 MiB as FLAC.
            DemoLoop(bpm: 138, sampleRate: Double(sampleRate)).render(durationS: 8 * 4 * 60 / 138)
        },
        Sample(fileName: "sine-1khz-minus23dbfs.flac") {
            Tones.sine(frequencyHz: 1000, levelDBFS: -23, durationS: 20, sampleRate: Double(sampleRate))
        },
        Sample(fileName: "pink-noise-minus20dbfs.flac") {
            Tones.pinkNoise(levelDBFS: -20, durationS: 6, sampleRate: Double(sampleRate), placement: .dualMono, seed: 2026)
        },
    ]

    mutating func run() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for sample in Self.samples {
            let path = (directory as NSString).appendingPathComponent(sample.fileName)
            try AudioFileWriter.write(sample.render(), sampleRate: Self.sampleRate, format: .flac16, to: path)
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            print(String(format: "%@  %.0f KiB", path as NSString, Double(size) / 1024))
        }
    }
}
