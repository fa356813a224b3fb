import ArgumentParser
import Foundation
import UpliftBench
import UpliftModel
import UpliftStudio
import UpliftTestSupport

/// `uplift-bench` (run by `make bench` from a release build): every benchmark of Uplift, beside the
/// product so that the shipped `uplift` links no benchmark code and no test fake.
@main
struct UpliftBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "uplift-bench",
        abstract: "Uplift's benchmarks (build with -c release: `make bench`).",
        subcommands: [Suites.self, Studio.self, Ableton.self, FakeLive.self, Styles.self],
        defaultSubcommand: Suites.self)

    /// The analysis table, then the studio, Ableton, profile and gaps suites.
    struct Suites: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "run", abstract: "Run benchmark suites (the default).")

        @Option(help: "Length of the synthesized track in seconds.")
        var seconds: Double = 300

        @Option(help: "Timed runs per case; the fastest counts.")
        var repeats: Int = 3

        @Option(help: "Suites to run, comma-separated: analysis, studio, ableton, profile, gaps, similarity, ab, audition.")
        var suites = "analysis,studio,ableton,profile,gaps,similarity,ab,audition"

        @Option(help: "Five-minute tracks the profile suite builds (cold, then warm).")
        var profileTracks = 8

        func run() throws {
            #if DEBUG
            StandardError.line("uplift-bench: this is a debug build; figures mean little (use `make bench`)")
            #endif
            let chosen = Set(suites.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
            if chosen.contains("analysis") { try AnalysisBenchmark(seconds: seconds, repeats: repeats).run() }
            try BenchSuites.run(chosen, seconds: seconds, profileTracks: profileTracks, repeats: repeats)
        }
    }

    /// The live studio's figures alone: frame time, steady-state CPU, ring-to-frame latency.
    struct Studio: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "studio", abstract: "Frame time, steady-state CPU and ring-to-frame latency of the live studio.")

        @Option(help: "Seconds of steady live mode to measure CPU over.")
        var seconds: Double = 10

        func run() throws {
            for line in StudioBenchmarks.run(steadyS: seconds) { print(line) }
        }
    }

    /// The bridge against the fake AbletonOSC over UDP on 127.0.0.1.
    struct Ableton: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ableton", abstract: "Benchmark the bridge against the fake AbletonOSC.")

        @Option(help: "First of two UDP ports to use on 127.0.0.1.")
        var basePort: UInt16 = 19100

        func run() throws {
            let basePort = self.basePort
            for line in try blockOn({ try await AbletonBenchmarks.run(basePort: basePort) }) { print(line.text) }
        }
    }

    /// The tests' fake AbletonOSC with a small trance set, until interrupted: try `uplift ableton` without Live.
    /// A labelled library of synthesized sub-styles, one sub-folder per style: to try `uplift profile build`
    /// and `uplift similar` without real music (the similarity suite's recipes).
    struct Styles: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "styles", abstract: "Write synthesized sub-style tracks (WAV) into DIR/<style>/, for trying uplift similar.")
        @Argument(help: "Folder to write into.") var directory: String
        @Option(help: "Tracks per style.") var perStyle = 4
        @Option(help: "Bars per track.") var bars = 20
        @Option(help: "Variant number of the first track (the similarity suite trains on 1…12, measures on 13…20).") var first = 1

        func run() throws {
            for path in try SimilarityBenchmark.writeLibrary(directory: directory, perStyle: perStyle, bars: bars, firstVariant: first) {
                print(path)
            }
        }
    }

    struct FakeLive: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "fake-live",
            abstract: "Run the tests' fake AbletonOSC with a small trance set (for trying `uplift ableton` without Live).")

        @Option(help: "Port it listens on.") var port: UInt16 = 11000
        @Option(help: "Port it replies to.") var replyPort: UInt16 = 11001
        @Option(help: "Tick in ms (Live: ~100).") var tickMs: Int = 100

        func run() throws {
            let fake = try FakeAbletonOSC(options: .init(listenPort: port, replyPort: replyPort, tickMS: tickMs))
            print("fake AbletonOSC on 127.0.0.1:\(port), replying to \(replyPort); Ctrl-C to stop")
            withExtendedLifetime(fake) { while true { sleep(3600) } }
        }
    }
}
