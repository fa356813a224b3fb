import Foundation
import UpliftAnalysis
import UpliftAudio
import UpliftDSP
import UpliftModel
import UpliftProfile
import UpliftSynth

/// `uplift bench --suites gaps`: what `uplift gaps MIX --profile P --offline` costs end to end
/// (process start, profile load, analysis of the mix, comparison, formatting) on a 5-minute mix
/// against a 215-track profile, cold (gaps never caches the mix), beside the floor (decode + one
/// STFT pass) of the same file measured in the same run.
///
/// The profile is built once per machine (not timed) and kept in the temp folder: a few short
/// UpliftSynth references are analysed for real, and 215 records are made from them by seeded
/// jitter of their features (tempo, loudness, spectrum tilt, width, pumping, …), so the profile
/// has the size and structure of a real 215-track one (sources, clusters, section layout).
public enum GapsBenchmark {
    static let profileTracks = 215
    static let seedReferences = 6
    static let seedReferenceSeconds = 30.0
    /// Bump when the generated profile's recipe changes, so a stale cached one is rebuilt.
    static let cacheVersion = 1

    struct Result {
        var mixSeconds: Double
        var wall: Double
        var cpu: Double
        var floorWall: Double
        var floorCPU: Double
        /// The command's own split (from its stderr note), of the fastest run.
        var split: String?
        var gapCount: Int
        var profileNote: String
    }

    static func run(mixSeconds: Double, repeats: Int, log: (String) -> Void) throws -> Result {
        let root = NSTemporaryDirectory() + "uplift-bench-gaps-v\(cacheVersion)-a\(TrackAnalyzer.version)"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let profilePath = root + "/bench215.uplift-profile"
        var profileNote = "cached \(profilePath)"
        if !FileManager.default.fileExists(atPath: profilePath) {
            log("building the \(profileTracks)-track profile (once, not timed)…")
            let start = Date()
            try buildProfile(to: profilePath, scratch: root)
            profileNote = String(format: "built in %.1f s → %@", Date().timeIntervalSince(start), profilePath)
        }
        let mixPath = root + "/mix-\(Int(mixSeconds))s.wav"
        if !FileManager.default.fileExists(atPath: mixPath) {
            log("rendering the \(Int(mixSeconds)) s mix (not timed)…")
            try renderMix(to: mixPath, seconds: mixSeconds)
        }

        // Isolated config and state so the user's roles and rejections do not change the run.
        let home = root + "/home"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_CONFIG_HOME"] = home + "/config"
        environment["XDG_STATE_HOME"] = home + "/state"
        environment["XDG_CACHE_HOME"] = home + "/cache"

        var best = (wall: Double.infinity, cpu: Double.infinity, split: String?.none, gaps: 0)
        for _ in 0..<max(1, repeats) {
            let run = try runGaps(mix: mixPath, profile: profilePath, environment: environment)
            if run.wall < best.wall { best = run }
        }
        var floor = (wall: Double.infinity, cpu: Double.infinity)
        for _ in 0..<max(1, repeats) {
            let t = try BenchClock.measure { try BenchCase.floorPass(path: mixPath) }
            if t.wall < floor.wall { floor = (t.wall, t.cpu) }
        }
        return Result(mixSeconds: mixSeconds, wall: best.wall, cpu: best.cpu, floorWall: floor.wall, floorCPU: floor.cpu,
                      split: best.split, gapCount: best.gaps, profileNote: profileNote)
    }

    static func report(_ r: Result) -> String {
        func f(_ x: Double, _ d: Int = 2) -> String { String(format: "%.\(d)f", x) }
        return """
        mix: \(Int(r.mixSeconds)) s UpliftSynth trance arrangement, 16-bit 44.1 kHz stereo WAV; profile: \(profileTracks) tracks \
        (\(seedReferences) real analyses of \(Int(seedReferenceSeconds)) s UpliftSynth references, jittered into \(profileTracks) records; \(r.profileNote))
        case        wall s    CPU s   × real-time (wall)   vs floor (wall)
        floor     \(pad(f(r.floorWall, 3), 8)) \(pad(f(r.floorCPU, 3), 8))   \(pad(f(r.mixSeconds / r.floorWall, 0) + "×", 10))          1.00×
        gaps      \(pad(f(r.wall, 3), 8)) \(pad(f(r.cpu, 3), 8))   \(pad(f(r.mixSeconds / r.wall, 0) + "×", 10))          \(f(r.wall / r.floorWall))×
        `uplift gaps MIX --profile P --offline` as a child process, best of the runs: \(f(r.wall)) s wall (target < 2 s: \(r.wall < 2 ? "met" : "NOT met")), \(r.gapCount) gaps
        its own split: \(r.split ?? "(not reported)")
        """
    }

    static func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : String(repeating: " ", count: n - s.count) + s }

    // MARK: - The timed run

    /// Runs this executable's `gaps` as a child; wall clock around it, CPU from the children's rusage.
    static func runGaps(mix: String, profile: String, environment: [String: String]) throws -> (wall: Double, cpu: Double, split: String?, gaps: Int) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executablePath())
        process.arguments = ["gaps", mix, "--profile", profile, "--offline"]
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let cpu0 = BenchClock.childrenCPU()
        let wall0 = BenchClock.wall()
        try process.run()
        // Drain both pipes while the child runs so a long report cannot block it.
        let outData = Mutable(), errData = Mutable()
        let group = DispatchGroup()
        for (pipe, box) in [(out, outData), (err, errData)] {
            group.enter()
            DispatchQueue.global().async { box.data = pipe.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        }
        process.waitUntilExit()
        let wall = BenchClock.wall() - wall0
        group.wait()
        let cpu = BenchClock.childrenCPU() - cpu0
        let stderr = String(decoding: errData.data, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw BenchError("uplift gaps exited with \(process.terminationStatus): \(stderr.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        let split = stderr.split(separator: "\n").first { $0.contains("gaps in ") }.map {
            String($0).replacingOccurrences(of: "uplift: ", with: "")
        }
        let stdout = String(decoding: outData.data, as: UTF8.self)
        // One line per gap starts with its rank, "1." … at the line's start, in the text report.
        let gaps = stdout.split(separator: "\n").filter { line in
            line.first?.isNumber == true && line.drop { $0.isNumber }.first == "."
        }.count
        return (wall, cpu, split, gaps)
    }

    final class Mutable: @unchecked Sendable { var data = Data() }

    struct BenchError: Error, CustomStringConvertible {
        let description: String
        init(_ d: String) { description = d }
    }

    /// The `uplift` built beside this `uplift-bench` (same folder: `.build/release/`).
    static func executablePath() -> String {
        let me = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: me).deletingLastPathComponent().appendingPathComponent("uplift").path
    }

    // MARK: - Inputs (built once, not timed)

    /// A 16-bit WAV (what Live exports by default) of the bench's trance arrangement.
    static func renderMix(to path: String, seconds: Double) throws {
        try AnalysisBenchmark.renderSignal(to: path, seconds: seconds, sampleRate: 44_100, format: .wavPCM16)
    }

    static func buildProfile(to path: String, scratch: String) throws {
        let sampleRate = 44_100.0
        var seeds: [TrackAnalysis] = []
        for i in 0..<seedReferences {
            let bpm = [132.0, 136, 138, 140, 138, 134][i]
            let barsEach = max(1, Int((seedReferenceSeconds * bpm / 240 / 5).rounded()))
            let recipe = TranceRecipe(seed: UInt64(300 + i), bpm: bpm, sections: TranceRecipe.standardArrangement(barsEach: barsEach),
                                      sidechain: SidechainSettings(depthDB: 4 + Double(i)))
            let track = recipe.render(sampleRate: sampleRate)
            let file = scratch + "/seed-\(i).wav"
            try AudioFileWriter.write(track.interleaved, channels: 2, sampleRate: Int(sampleRate), format: .wavPCM16, to: file)
            seeds.append(try TrackAnalyzer().analyze(path: file))
            try? FileManager.default.removeItem(atPath: file)
        }
        var random = SeededRandom(seed: 215)
        func jitter(_ x: inout Double, _ spread: Double) { x += spread * (Double.random(in: 0..<1, using: &random) * 2 - 1) }
        var tracks: [AnalysedTrack] = []
        for n in 0..<profileTracks {
            var a = seeds[n % seeds.count]
            a.file = "/bench/references/track-\(n).wav"
            if var t = a.tempo { jitter(&t.bpm, 1.5); a.tempo = t }
            if var l = a.loudness {
                let shift = Double.random(in: 0..<1, using: &random) * 4 - 2
                l.integratedLUFS += shift; l.shortTermMaxLUFS += shift; l.momentaryMaxLUFS += shift
                jitter(&l.lraLU, 1); jitter(&l.truePeakDBTP, 0.5); jitter(&l.plrDB, 1)
                a.loudness = l
            }
            if var s = a.spectrum {
                let tilt = Double.random(in: 0..<1, using: &random) * 2 - 1
                for j in s.levelsDB.indices {
                    s.levelsDB[j] += tilt * log2(s.bandsHz[j] / 1000) * 0.5 + (Double.random(in: 0..<1, using: &random) - 0.5)
                }
                for band in s.balanceDB.keys { jitter(&s.balanceDB[band]!, 1) }
                a.spectrum = s
            }
            if var s = a.stereo { s.sideMidRatio *= 0.8 + 0.4 * Double.random(in: 0..<1, using: &random); jitter(&s.correlation, 0.05); a.stereo = s }
            if var p = a.pumping { jitter(&p.depthDB, 1.5); a.pumping = p }
            if var b = a.brightness { jitter(&b.centroidHz, 150); a.brightness = b }
            if var e = a.energy {
                let shift = Double.random(in: 0..<1, using: &random) * 2 - 1
                for j in e.curve.indices { e.curve[j].rmsDB += shift }
                a.energy = e
            }
            tracks.append(AnalysedTrack(path: a.file, contentHash: String(format: "%064x", n), sizeBytes: 53_000_000,
                                        analysis: a, fromCache: false))
        }
        let profile = try ProfileAssembler(options: .init(name: "bench215", roots: ["/bench/references"]))
            .assemble(tracks: tracks, skipped: [], analyzerVersion: TrackAnalyzer.version)
        try ProfileFile.save(profile, to: path)
    }
}
