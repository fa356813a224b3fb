import Foundation
import UpliftModel
import UpliftProfile

/// Profile-build throughput: N synthetic tracks of a given length written as 16-bit WAV, built
/// once with an empty cache (cold) and once more with it filled (warm). Callable from
/// `uplift bench` and `uplift profile bench`.
public enum ProfileBenchmark {
    public struct Result: Sendable {
        public var tracks: Int
        public var trackSeconds: Double
        public var jobs: Int
        public var coldS: Double
        public var warmS: Double
        /// Features the analysis produced (tells which extractors were present).
        public var featureNames: [String]
        /// CPU seconds of the cold build: hashing and analysis, all tracks together.
        public var coldHashCPUS: Double
        public var coldAnalysisCPUS: Double
        /// 215 tracks on `jobs` otherwise idle cores, from the CPU time per track (what wall time
        /// would be on a machine nobody else is using).
        public var projected215ColdIdleS: Double { (coldHashCPUS + coldAnalysisCPUS) / Double(tracks) * 215 / Double(jobs) }
        public var coldTracksPerMinute: Double { Double(tracks) / coldS * 60 }
        public var warmTracksPerMinute: Double { Double(tracks) / warmS * 60 }
        /// 215 tracks at the measured rates.
        public var projected215ColdS: Double { coldS / Double(tracks) * 215 }
        public var projected215WarmS: Double { warmS / Double(tracks) * 215 }

        public var report: String {
            func f(_ x: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", x) }
            return """
            profile build, \(tracks) tracks × \(f(trackSeconds / 60)) min (16-bit 44.1 kHz stereo WAV), \(jobs) jobs
              cold: \(f(coldS, 2)) s = \(f(coldTracksPerMinute)) tracks/min → 215 tracks in \(f(projected215ColdS)) s (target < 180 s)
                    CPU per track: hash \(f(coldHashCPUS / Double(tracks), 2)) s + analysis \(f(coldAnalysisCPUS / Double(tracks), 2)) s → 215 tracks on \(jobs) idle cores: \(f(projected215ColdIdleS)) s
              warm: \(f(warmS, 3)) s = \(f(warmTracksPerMinute)) tracks/min → 215 tracks in \(f(projected215WarmS, 2)) s (target < 5 s)
              features measured: \(featureNames.count) (\(featureNames.prefix(6).joined(separator: ", "))\(featureNames.count > 6 ? ", …" : ""))
            """
        }
    }

    /// `directory`: where the WAV files and the cache go (a temp folder when `nil`, removed after).
    public static func run(tracks: Int = 8, trackSeconds: Double = 300, jobs: Int = 0, directory: String? = nil,
                           analyzer: any TrackAnalyzing = StandardTrackAnalyzer(),
                           log: (String) -> Void = { _ in }) throws -> Result {
        let root = directory ?? NSTemporaryDirectory() + "uplift-profile-bench-\(getpid())"
        try FileManager.default.createDirectory(atPath: root + "/tracks", withIntermediateDirectories: true)
        defer { if directory == nil { try? FileManager.default.removeItem(atPath: root) } }
        for i in 0..<tracks {
            let path = root + "/tracks/bench-\(i).wav"
            if !FileManager.default.fileExists(atPath: path) {
                log("writing \(path)")
                try WAVFile.writeTestTrack(path: path, seconds: trackSeconds, bpm: 130 + Double(i % 12), variant: UInt64(i))
            }
        }
        let cachePath = root + "/cache-\(UUID().uuidString).sqlite"
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: cachePath + suffix) } }
        let cache = try AnalysisCache(path: cachePath)
        let batch = BatchAnalyzer(analyzer: analyzer, cache: cache, jobs: jobs)
        let builder = ProfileBuilder(batch: batch)
        log("cold build…")
        var start = Date()
        let cold = try builder.build(roots: [root + "/tracks"], name: "bench")
        let coldS = Date().timeIntervalSince(start)
        log("warm build…")
        start = Date()
        _ = try builder.build(roots: [root + "/tracks"], name: "bench")
        let warmS = Date().timeIntervalSince(start)
        return Result(tracks: tracks, trackSeconds: trackSeconds, jobs: batch.jobs, coldS: coldS, warmS: warmS,
                      featureNames: cold.profile.features.keys.sorted(), coldHashCPUS: cold.batch.hashCPUS,
                      coldAnalysisCPUS: cold.batch.analysisCPUS)
    }
}
