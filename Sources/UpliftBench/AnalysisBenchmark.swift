import Foundation
import UpliftAnalysis
import UpliftAudio
import UpliftDSP
import UpliftModel
import UpliftSynth

/// The analysis table of `make bench`: speed of the analysis on a synthesized track, as × real-time on one
/// core and as the ratio to the floor (decode + one STFT pass of both channels, no extractor), in one run.
/// Each case is timed `repeats` times and the fastest run counts (the least disturbed by other
/// processes); times are the thread's CPU time, with wall time alongside.
public struct AnalysisBenchmark {
    public var seconds: Double
    public var repeats: Int

    public init(seconds: Double = 300, repeats: Int = 3) {
        self.seconds = seconds
        self.repeats = repeats
    }

    public func run() throws {
        let sampleRate = 44_100
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("uplift-bench-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("bench-trance.flac").path
        try Self.renderSignal(to: path, seconds: seconds, sampleRate: sampleRate)

        let input = BenchInput(path: path, audioSeconds: seconds)
        print(String(format: "uplift-bench: %.0f s stereo %d Hz UpliftSynth trance arrangement (138 BPM), FLAC 16-bit, one core, best of %d",
                     seconds, sampleRate, repeats))
        print("")
        print("case      CPU s    wall s   × real-time   vs floor   what")
        var floorCPU: Double?
        for benchCase in BenchCase.all {
            var best = (cpu: Double.infinity, wall: Double.infinity)
            for _ in 0..<max(1, repeats) {
                let t = try BenchClock.measure { try benchCase.run(input) }
                if t.cpu < best.cpu { best = t }
            }
            if benchCase.isFloor { floorCPU = best.cpu }
            let ratio = floorCPU.map { String(format: "%.2f×", best.cpu / $0) } ?? "-"
            print(String(format: "%-8@ %7.3f  %7.3f   %8.0f×    %7@   %@",
                         benchCase.name as NSString, best.cpu, best.wall, seconds / best.cpu, ratio as NSString,
                         benchCase.summary as NSString))
        }
    }

    /// A trance arrangement (intro, breakdown, buildup, drop, outro) as long as asked, so every
    /// extractor — sections and pumping included — does its real work.
    public static func renderSignal(to path: String, seconds: Double, sampleRate: Int, format: AudioFileWriter.Format = .flac16) throws {
        let bpm = 138.0
        let barsEach = max(1, Int((seconds * bpm / 240 / 5).rounded()))
        let recipe = TranceRecipe(seed: 7, bpm: bpm, sections: TranceRecipe.standardArrangement(barsEach: barsEach))
        let track = recipe.render(sampleRate: Double(sampleRate))
        let frames = min(track.frameCount, Int(seconds * Double(sampleRate)))
        try AudioFileWriter.write(Array(track.interleaved[0..<(frames * 2)]), channels: 2, sampleRate: sampleRate,
                                  format: format, to: path)
    }
}

struct BenchInput: Sendable {
    let path: String
    let audioSeconds: Double
}

/// One line of the benchmark table. Append new cases to `all` (later issues add the trance
/// features, profile builds, rendering); the case marked `isFloor` is the reference for ratios.
struct BenchCase: Sendable {
    let name: String
    let summary: String
    var isFloor = false
    let run: @Sendable (BenchInput) throws -> Void

    static let all: [BenchCase] = [
        BenchCase(name: "floor", summary: "decode + ring + one STFT of both channels", isFloor: true) { input in
            try floorPass(path: input.path)
        },
        BenchCase(name: "mix", summary: "loudness, spectrum, stereo (the mix extractors)") { input in
            try enginePass(path: input.path) { format, frames in
                [LoudnessMeter(format: format, expectedFrames: frames), SpectrumAnalyzer(format: format, live: false),
                 StereoAnalyzer(format: format)]
            }
        },
        BenchCase(name: "analyze", summary: "full `uplift analyze`: mix + tempo, rhythm, pumping, energy, key, acid, supersaw, score") { input in
            _ = try TrackAnalyzer().analyze(path: input.path)
        },
    ]

    /// The decode and STFT that every analysis pays: the engine with no extractor.
    static func floorPass(path: String) throws {
        try enginePass(path: path) { _, _ in [] }
    }

    /// Decode → ring → engine with the given extractors, summarized: `TrackAnalyzer`'s own loop.
    static func enginePass(path: String, extractors: @escaping @Sendable (STFTFormat, Int) throws -> [any HopExtractor]) throws {
        _ = try TrackAnalyzer(extractors: extractors).analyze(path: path)
    }
}
