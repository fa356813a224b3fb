import Foundation
import Synchronization
import UpliftAnalysis
import UpliftModel

/// One track's analysis, from the analyzer or the cache.
public struct AnalysedTrack: Sendable {
    public var path: String
    public var contentHash: String
    public var sizeBytes: Int
    public var analysis: TrackAnalysis
    public var fromCache: Bool
    /// The hash an older Uplift recorded for this unchanged file (SHA-256), when it was re-hashed now:
    /// `profile update` then knows the file did not change although its hash's spelling did.
    public var legacyHash: String?
    /// CPU time this track cost on its worker thread: hashing, and analysis (0 when cached).
    public var hashCPUS: Double = 0
    public var analysisCPUS: Double = 0

    public init(path: String, contentHash: String, sizeBytes: Int, analysis: TrackAnalysis, fromCache: Bool,
                hashCPUS: Double = 0, analysisCPUS: Double = 0) {
        self.path = path; self.contentHash = contentHash; self.sizeBytes = sizeBytes; self.analysis = analysis; self.fromCache = fromCache
        self.hashCPUS = hashCPUS; self.analysisCPUS = analysisCPUS
    }
}

/// Where a batch stands; handed to the progress callback after every event.
public struct BatchProgress: Sendable {
    public enum Event: Sendable, Equatable {
        case started
        case fileStarted(path: String)
        /// `seconds`: time spent on this file (hash + analysis or cache read).
        case analysed(path: String, seconds: Double)
        case cached(path: String)
        case failed(path: String, reason: String)
        case finished
    }
    public var event: Event
    public var total: Int
    /// Finished files, whatever the outcome.
    public var done: Int
    public var analysed: Int
    public var fromCache: Int
    public var failed: Int
    /// Files being worked on right now (most recent first).
    public var inFlight: [String]
    public var elapsedS: Double

    /// Finished tracks per minute so far.
    public var tracksPerMinute: Double { elapsedS > 0 ? Double(done) / elapsedS * 60 : 0 }
    /// Remaining time at the rate so far; `nil` before the first file finishes.
    public var etaS: Double? { done > 0 ? elapsedS / Double(done) * Double(total - done) : nil }
}

public struct BatchResult: Sendable {
    /// In the order of the input files.
    public var tracks: [AnalysedTrack]
    public var failures: [Profile.SkippedFile]
    /// Ctrl-C (or the flag) stopped the batch before every file was done.
    public var interrupted: Bool
    public var analysedCount: Int
    public var cachedCount: Int
    public var elapsedS: Double
    /// CPU seconds spent hashing and analysing, summed over threads (wall time hides them when
    /// the machine is shared).
    public var hashCPUS: Double { tracks.reduce(0) { $0 + $1.hashCPUS } }
    public var analysisCPUS: Double { tracks.reduce(0) { $0 + $1.analysisCPUS } }
}

/// CPU time of the calling thread, seconds.
func threadCPUSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

/// Analyses many files on several threads, each streamed by the analyzer, through the cache.
/// A file that fails is reported and skipped; the batch never stops for one bad file.
public final class BatchAnalyzer: Sendable {
    public let analyzer: any TrackAnalyzing
    public let cache: AnalysisCache?
    public let jobs: Int
    public let cancellation: CancellationFlag

    /// `jobs` ≤ 0 means one per core.
    public init(analyzer: any TrackAnalyzing = StandardTrackAnalyzer(), cache: AnalysisCache?, jobs: Int = 0,
                cancellation: CancellationFlag = CancellationFlag()) {
        self.analyzer = analyzer
        self.cache = cache
        self.jobs = jobs > 0 ? jobs : max(1, ProcessInfo.processInfo.activeProcessorCount)
        self.cancellation = cancellation
    }

    private struct State: Sendable {
        var next = 0
        var results: [Int: AnalysedTrack] = [:]
        var failures: [Int: Profile.SkippedFile] = [:]
        var progress: BatchProgress
    }

    public func run(files: [String], progress report: @escaping @Sendable (BatchProgress) -> Void = { _ in }) -> BatchResult {
        let start = Date()
        let state = Locked(State(progress: BatchProgress(event: .started, total: files.count, done: 0, analysed: 0,
                                                         fromCache: 0, failed: 0, inFlight: [], elapsedS: 0)))
        @Sendable func publish(_ event: BatchProgress.Event, _ change: (inout State) -> Void) {
            state.withLock { s in
                change(&s)
                s.progress.event = event
                s.progress.elapsedS = Date().timeIntervalSince(start)
                report(s.progress)
            }
        }
        publish(.started) { _ in }

        // Threads of our own rather than concurrentPerform, which caps at the core count: `--jobs N` means N.
        let workers = min(jobs, max(files.count, 1))
        let group = DispatchGroup()
        for _ in 0..<workers {
            group.enter()
            let thread = Thread { [self] in
                work()
                group.leave()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        group.wait()
        @Sendable func work() {
            while !cancellation.isCancelled {
                let index: Int? = state.withLock { s in
                    guard s.next < files.count else { return nil }
                    defer { s.next += 1 }
                    return s.next
                }
                guard let index else { break }
                let path = files[index]
                publish(.fileStarted(path: path)) { $0.progress.inFlight.insert(path, at: 0) }
                let began = Date()
                let outcome = process(path)
                let seconds = Date().timeIntervalSince(began)
                switch outcome {
                case .success(let track):
                    let event: BatchProgress.Event = track.fromCache ? .cached(path: path) : .analysed(path: path, seconds: seconds)
                    publish(event) { s in
                        s.results[index] = track
                        s.progress.done += 1
                        if track.fromCache { s.progress.fromCache += 1 } else { s.progress.analysed += 1 }
                        s.progress.inFlight.removeAll { $0 == path }
                    }
                case .failure(let skipped):
                    publish(.failed(path: path, reason: skipped.reason)) { s in
                        s.failures[index] = skipped
                        s.progress.done += 1
                        s.progress.failed += 1
                        s.progress.inFlight.removeAll { $0 == path }
                    }
                }
            }
        }
        publish(.finished) { _ in }
        return state.withLock { s in
            BatchResult(tracks: s.results.keys.sorted().map { s.results[$0]! },
                        failures: s.failures.keys.sorted().map { s.failures[$0]! },
                        interrupted: s.progress.done < files.count,
                        analysedCount: s.progress.analysed, cachedCount: s.progress.fromCache,
                        elapsedS: Date().timeIntervalSince(start))
        }
    }

    private func process(_ path: String) -> Result<AnalysedTrack, Profile.SkippedFile> {
        guard let stamp = AnalysisCache.FileStamp.of(path: path) else {
            return .failure(.init(path: path, reason: "cannot be read: \(String(cString: strerror(errno)))"))
        }
        let hash: String
        var hashCPU = 0.0
        var legacyHash: String?
        if let cache, let remembered = cache.rememberedHash(path: path, stamp: stamp), ContentHash.isCurrent(remembered) {
            hash = remembered
        } else {
            // An entry hashed by an older Uplift (SHA-256) is re-hashed once; its analysis moves to the new key.
            legacyHash = cache?.rememberedHash(path: path, stamp: stamp)
            let began = threadCPUSeconds()
            do { hash = try ContentHash.hexOfFile(atPath: path) } catch {
                return .failure(.init(path: path, reason: Self.reason(error)))
            }
            hashCPU = threadCPUSeconds() - began
            cache?.rememberHash(hash, path: path, stamp: stamp)
            if let legacyHash { cache?.rekey(from: legacyHash, to: hash) }
        }
        if let cache, var cached = cache.analysis(contentHash: hash, analyzerVersion: analyzer.version) {
            cached.file = path
            var track = AnalysedTrack(path: path, contentHash: hash, sizeBytes: Int(stamp.size), analysis: cached,
                                      fromCache: true, hashCPUS: hashCPU)
            track.legacyHash = legacyHash
            return .success(track)
        }
        var analysis: TrackAnalysis
        let began = threadCPUSeconds()
        do { analysis = try analyzer.analyze(path: path) } catch {
            return .failure(.init(path: path, reason: Self.reason(error)))
        }
        let analysisCPU = threadCPUSeconds() - began
        analysis.file = path
        // A cache that cannot be written costs speed next time, not this build.
        try? cache?.store(analysis, contentHash: hash, analyzerVersion: analyzer.version)
        return .success(AnalysedTrack(path: path, contentHash: hash, sizeBytes: Int(stamp.size), analysis: analysis,
                                      fromCache: false, hashCPUS: hashCPU, analysisCPUS: analysisCPU))
    }

    /// One line without the path (the report names the file itself).
    static func reason(_ error: any Error) -> String {
        if let e = error as? AnalysisError { return e.message }
        if let e = error as? ProfileError { return e.cause.map { "\(e.message) (\($0))" } ?? e.message }
        return "\(error)"
    }
}

extension Profile.SkippedFile: Error {}

/// A mutex-guarded value that closures can share (a `Mutex` itself cannot be captured by copy).
final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>
    init(_ value: Value) { mutex = Mutex(value) }
    func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R { try mutex.withLock { try body(&$0) } }
}
