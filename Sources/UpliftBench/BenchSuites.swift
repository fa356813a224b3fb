import Foundation
import UpliftAnalysis
import UpliftModel
import UpliftProfile
import UpliftSimilarity
import UpliftStudio
import UpliftTUI

/// The benchmarks beyond the analysis table: the live studio, the Ableton bridge, profile builds.
/// Each prints measured figures beside the issue's target.
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
        if suites.contains("ab") {
            section("ab (issue 16: switch < 30 ms at 256 frames, callback < 10 % of the period, ≤ 64 MB per 5-min slot, 8 cached refs < 3 s)")
            for line in try ABBenchmark.run(referenceSeconds: seconds, log: { StandardError.write("uplift-bench: " + $0 + "\n") }) { print("  " + line) }
        }
        // `similarity` runs all three parts; `similarity-index`, `similarity-time`, `similarity-proof` one each.
        let similarityParts = ["index", "time", "proof"].filter { suites.contains("similarity") || suites.contains("similarity-" + $0) }
        if !similarityParts.isEmpty { try runSimilarity(parts: Set(similarityParts)) }
    }

    /// Issue 19: the index at 1k/10k/100k, then the embedding's proof on synthesized sub-styles
    /// (renders and analyses cached in the cache folder: the second run only trains).
    static func runSimilarity(parts: Set<String>) throws {
        section("similarity (issue 19)")
        if parts.contains("index") {
            print(SimilarityBenchmark.indexReport(try SimilarityBenchmark.index()).split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
        }
        if parts.contains("time") {
            print(try SimilarityBenchmark.trainingTime { StandardError.write("uplift-bench: " + $0 + "\n") }
                .split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
        }
        guard parts.contains("proof") else { return }
        let perStyle = 20, bars = 20, rate = 22_050.0
        let cache = AnalysisCache.defaultDirectory() + "/bench-similarity.json"
        let t0 = BenchClock.wall()
        let set = try SimilarityBenchmark.labelledSet(perStyle: perStyle, bars: bars, sampleRate: rate, threads: 2, cachePath: cache) {
            StandardError.write("uplift-bench: " + $0 + "\n")
        }
        StandardError.write(String(format: "uplift-bench: labelled set ready in %.1f s (%@)\n", BenchClock.wall() - t0, cache))
        var options = TripletTrainer.Options()
        options.samplesPerClass = 8; options.batchSize = 48; options.steps = 400
        let before = try SimilarityBenchmark.proof(set, trainPerStyle: 12, options: options, recordingLevel: false)
        print("  style labels alone (before: a copy only has to stay in its style)")
        print(SimilarityBenchmark.proofReport(before, perStyle: perStyle, bars: bars, sampleRate: rate)
            .split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
        let result = try SimilarityBenchmark.proof(set, trainPerStyle: 12, options: options)
        print("  style labels + each track and its copies as views of one recording (the default)")
        print(SimilarityBenchmark.proofReport(result, perStyle: perStyle, bars: bars, sampleRate: rate)
            .split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
        // Is pitch short of examples? Two more pitch copies of each training track.
        let more = try SimilarityBenchmark.extraCopies(set, kinds: [.pitch], perTrack: 2, trainPerStyle: 12, bars: bars, sampleRate: rate,
                                                       threads: 2, cachePath: AnalysisCache.defaultDirectory() + "/bench-similarity-extra.json")
        let richer = try SimilarityBenchmark.proof(more, trainPerStyle: 12, options: options)
        print("  the same with 3 pitch copies of each training track instead of 1 (a library build makes 1)")
        print(SimilarityBenchmark.proofReport(richer, perStyle: perStyle, bars: bars, sampleRate: rate)
            .split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
        // One seed's figure moves by ±0.1 (48 copies per kind): the three set-ups over 8 seeds.
        print("  over training seeds 19…26: mean (min–max)")
        for (name, data, level) in [("style labels alone", set, false), ("+ recording level", set, true), ("+ 3 pitch copies", more, true)] {
            var runs: [SimilarityBenchmark.ProofResult] = []
            for seed in UInt64(19)...26 {
                var o = options
                o.seed = seed
                runs.append(try SimilarityBenchmark.proof(data, trainPerStyle: 12, options: o, recordingLevel: level))
            }
            func stat(_ values: [Double]) -> String {
                String(format: "%.2f (%.2f–%.2f)", values.reduce(0, +) / Double(values.count), values.min()!, values.max()!)
            }
            let kinds = runs[0].invariance.indices.map { k in "\(runs[0].invariance[k].kind) \(stat(runs.map { $0.invariance[k].belowFraction }))" }
            print("    \(name.padding(toLength: 19, withPad: " ", startingAt: 0)) P@5 \(stat(runs.map(\.learned.precisionAt5))), silhouette \(stat(runs.map(\.learned.silhouette))), NMI \(stat(runs.map(\.learned.nmi)))")
            print("    \(String(repeating: " ", count: 19)) \(kinds.joined(separator: ", "))")
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
