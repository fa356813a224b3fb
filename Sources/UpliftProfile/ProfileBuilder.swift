import Foundation
import UpliftModel
import UpliftSimilarity

/// `uplift profile build` and `update` without the terminal: scan, analyse in parallel through
/// the cache, assemble. The caller writes the result (atomically, `ProfileFile.save`).
public struct ProfileBuilder: Sendable {
    public let batch: BatchAnalyzer
    /// How the similarity embedding is learned; `nil` skips it (`--no-embedding`).
    public var embedding: LibraryEmbedder.Options? = LibraryEmbedder.Options()
    public var embeddingProgress: @Sendable (LibraryEmbedder.Stage) -> Void = { _ in }

    public init(batch: BatchAnalyzer) { self.batch = batch }

    public struct Outcome: Sendable {
        public var profile: Profile
        public var scan: AudioFileScanner.Result
        public var batch: BatchResult
        /// Why the profile has no embedding, or what its training left out (one line each).
        public var embeddingNotes: [String] = []
    }

    public struct UpdateSummary: Sendable, Equatable {
        public var added: [String] = []
        public var changed: [String] = []
        public var removed: [String] = []
        public var unchanged = 0
    }

    public func build(roots: [String], name: String, clusterCount: Int? = nil,
                      progress: @escaping @Sendable (BatchProgress) -> Void = { _ in }) throws -> Outcome {
        let absoluteRoots = roots.map(AudioFileScanner.absolute)
        var options = ProfileAssembler.Options(name: name, roots: absoluteRoots, clusterCount: clusterCount)
        options.now = Date()
        return try run(roots: absoluteRoots, options: options, progress: progress)
    }

    /// Re-scans the profile's roots, re-analyses new and changed files (unchanged ones come from the
    /// cache), and rebuilds the statistics with the same clustering settings.
    public func update(_ old: Profile, progress: @escaping @Sendable (BatchProgress) -> Void = { _ in }) throws
        -> (Outcome, UpdateSummary) {
        var options = ProfileAssembler.Options(name: old.name, roots: old.roots,
                                               clusterCount: old.clustering.flatMap { $0.kFixed ? $0.k : nil })
        if let seed = old.clustering?.seed { options.seed = seed }
        var outcome = try run(roots: old.roots, options: options, progress: progress)
        outcome.profile.createdAt = old.createdAt
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        outcome.profile.updatedAt = formatter.string(from: Date())

        let before = Dictionary(old.sources.map { ($0.path, $0.contentHash) }, uniquingKeysWith: { a, _ in a })
        // A source an older Uplift hashed with SHA-256 and this one re-hashed is unchanged, not changed.
        let legacy = Dictionary(outcome.batch.tracks.compactMap { t in t.legacyHash.map { (t.path, $0) } },
                                uniquingKeysWith: { a, _ in a })
        var summary = UpdateSummary()
        var now = Set<String>()
        for source in outcome.profile.sources {
            now.insert(source.path)
            switch before[source.path] {
            case nil: summary.added.append(source.path)
            case source.contentHash?: summary.unchanged += 1
            case let old? where old == legacy[source.path]: summary.unchanged += 1
            default: summary.changed.append(source.path)
            }
        }
        summary.removed = old.sources.map(\.path).filter { !now.contains($0) }
        return (outcome, summary)
    }

    private func run(roots: [String], options: ProfileAssembler.Options,
                     progress: @escaping @Sendable (BatchProgress) -> Void) throws -> Outcome {
        let scan = AudioFileScanner().scan(roots)
        guard !scan.files.isEmpty else {
            let problem = scan.problems.first.map { " (\($0.path): \($0.reason))" } ?? ""
            throw ProfileError(.noTracks, "no audio files (wav, aif, aiff, flac, ogg, mp3) found under \(roots.joined(separator: ", "))\(problem)")
        }
        let result = batch.run(files: scan.files, progress: progress)
        if result.interrupted {
            throw ProfileError(.interrupted, "stopped after \(result.tracks.count + result.failures.count) of \(scan.files.count) tracks; nothing written, the cache keeps what was analysed: run the same command to resume")
        }
        var profile = try ProfileAssembler(options: options)
            .assemble(tracks: result.tracks, skipped: scan.problems + result.failures, analyzerVersion: batch.analyzer.version)
        var notes: [String] = []
        if let embedding {
            do {
                notes = try ProfileSimilarity.attach(to: &profile, tracks: result.tracks, options: embedding, progress: embeddingProgress)
            } catch {
                notes = ["no similarity embedding: \(error)"]
            }
        }
        return Outcome(profile: profile, scan: scan, batch: result, embeddingNotes: notes)
    }
}
