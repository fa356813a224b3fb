import Foundation
import UpliftAnalysis
import UpliftModel
import UpliftProfile
import UpliftStudio
import UpliftTUI

/// The benchmarks beyond the analysis table: the live studio, the Ableton bridge, profile builds.
/// Each prints measured figures beside the target.
public enum BenchSuites {
    public static func run(_ suites: Set<String>, seconds: Double, profileTracks: Int, repeats: Int = 3) throws {
        if suites.contains("studio") {
            section("studio (issue 4: ≥ 30 fps, < 5 % of one core, latency < 50 ms)")
            print("  frame at 120×40: \(TUIBenchmarks.frameTime())")
            print("  live engine: \(try LiveBenchmark.measure(durationS: 6))")
        }
        if suites.contains("ableton") {
            section("ableton (issue 6, against the fake AbletonOSC over UDP on 127.0.0.1)")
            for line in try blockOn({ try await AbletonBenchmarks.run() }) { print("  " + line.text) }
        }
        if suites.contains("profile") {
            section("profile build (issue 5: 215 five-minute tracks < 3 min cold, < 5 s warm)")
            let result = try ProfileBenchmark.run(tracks: profileTracks, trackSeconds: seconds) { _ in }
            print(result.report.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
        }
        if suites.contains("gaps") { try runGaps(seconds: seconds, repeats: repeats) }
        if suites.contains("audition") {
            section("audition (issue 17: from `A` to the first rendered buffer on a 5-minute mix < 1 s)")
            print(try AuditionBenchmark.run(mixSeconds: seconds, repeats: repeats).split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
        }
    }

    static func runGaps(seconds: Double, repeats: Int) throws {
        section("gaps (issue 7: `uplift gaps` on a 5-minute mix, 215-track profile, cold: < 2 s)")
        let result = try GapsBenchmark.run(mixSeconds: seconds, repeats: repeats) { StandardError.write("uplift-bench: " + $0 + "\n") }
        print(GapsBenchmark.report(result).split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
    }

    static func section(_ title: String) {
        print("")
        print(title)
    }
}
