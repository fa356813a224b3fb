import ArgumentParser
import Dispatch
import Foundation
import UpliftModel
import UpliftProfile
import UpliftStudio

/// `uplift profile …`: learn a producer's taste from the tracks they love.
struct ProfileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profile",
        abstract: "Build, inspect and compare reference profiles from a library of tracks.",
        subcommands: [Build.self, Show.self, Diff.self, Tracks.self, Update.self, DemoBuild.self, Feedback.self])
}

extension ProfileCommand {
    struct Build: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Analyse every audio file under the folders (recursively) and write a profile.",
            discussion: "Analyses are cached by file content in the user's cache folder, so a rebuild only analyses new or changed files. Ctrl-C stops cleanly and keeps the cache.")

        @Argument(help: "Folders (or files) of reference tracks: WAV, AIFF, FLAC, OGG, MP3.")
        var folders: [String]
        @Option(name: .shortAndLong, help: "Output profile (NAME or NAME.uplift-profile).")
        var output: String
        @Option(help: "Tracks analysed at once (default: one per core).")
        var jobs: Int?
        @Flag(help: "Ignore and do not fill the analysis cache.")
        var noCache = false
        @Flag(name: .shortAndLong, help: "No progress output.")
        var quiet = false
        @Option(help: "Number of sub-style clusters (default: 2…6, chosen by silhouette).")
        var clusters: Int?
        @Flag(help: "Meter mono references as played on two speakers (3.01 LU louder) instead of BS.1770 single-channel.")
        var dualMono = false
        @Flag(help: "Do not learn the similarity embedding (`uplift similar`, `gaps --nearest` then have nothing to use).")
        var noEmbedding = false

        func validate() throws {
            if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
            if let clusters, !(1...50).contains(clusters) { throw ValidationError("--clusters must be between 1 and 50") }
        }

        func run() throws {
            let outputPath = ProfileFile.outputPath(output)
            let name = ((outputPath as NSString).lastPathComponent as NSString).deletingPathExtension
            let printer = ProfileProgressPrinter(quiet: quiet)
            var builder = try ProfileCLI.builder(jobs: jobs, noCache: noCache, quiet: quiet, dualMono: dualMono)
            if noEmbedding { builder.embedding = nil } else { builder.embeddingProgress = EmbeddingProgressPrinter(quiet: quiet).handle }
            let outcome = try ProfileCLI.run(printer) {
                try builder.build(roots: folders, name: name, clusterCount: clusters, progress: printer.handle)
            }
            for note in outcome.embeddingNotes where !quiet { StandardError.line("uplift: \(note)") }
            try ProfileCLI.run(printer) { try ProfileFile.save(outcome.profile, to: outputPath) }
            // The analyzer's warnings, as `uplift analyze` prints them (silence, NaN samples zeroed, a down-mix, truncation).
            for track in outcome.batch.tracks { for warning in track.analysis.warnings { Diagnostics.warning(file: track.path, warning) } }
            if !quiet {
                let p = outcome.profile
                print("wrote \(outputPath): \(p.trackCount) tracks, \(p.features.count) features, " +
                      (p.clusters.isEmpty ? "no clusters" : "\(p.clusters.count) clusters (silhouette \(ProfileCLI.fixed(p.silhouette ?? 0, 2)))") +
                      (p.skipped.isEmpty ? "" : ", \(p.skipped.count) skipped") +
                      (p.embedding.map { e in ", embedding \(e.outputSize)-d from \(e.augmentedCopies) augmented copies" +
                          (e.silhouette.map { " (clusters there: silhouette \(ProfileCLI.fixed($0, 2)), ARI \(ProfileCLI.fixed(e.agreementARI ?? 0, 2)))" } ?? "") } ?? ""))
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Summarize a profile (or print it as JSON).")
        @Argument(help: "Profile name or path.") var name: String
        @Flag(help: "The whole profile as JSON (schema uplift.profile/2).") var json = false

        func run() throws {
            let profile = try ProfileCLI.load(name, json: json)
            if json {
                FileHandle.standardOutput.write(try ProfileFile.encode(profile))
            } else {
                print(ProfileReport.summary(profile), terminator: "")
            }
        }
    }

    struct Diff: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Which features moved between two profiles.")
        @Argument(help: "The first profile.") var a: String
        @Argument(help: "The second profile.") var b: String
        @Option(help: "Smallest median shift, in pooled spreads, that counts as moved.") var threshold = 1.0

        func run() throws {
            let pa = try ProfileCLI.load(a), pb = try ProfileCLI.load(b)
            print(ProfileReport.diff(ProfileDiff(pa, pb, threshold: threshold), a: pa, b: pb), terminator: "")
        }
    }

    struct Tracks: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a profile's tracks, optionally of one cluster.")
        @Argument(help: "Profile name or path.") var name: String
        @Option(help: "Cluster id or (the start of) its name.") var cluster: String?
        @Flag(help: "As JSON (the profile's source records).") var json = false

        func run() throws {
            let profile = try ProfileCLI.load(name, json: json)
            var sources = profile.sources
            if let cluster {
                let wanted = try ProfileCLI.cluster(cluster, in: profile)
                sources = sources.filter { $0.cluster == wanted.id }
            }
            if json {
                var data = try UpliftJSON.encoder().encode(sources)
                data.append(0x0A)
                FileHandle.standardOutput.write(data)
            } else {
                print(ProfileReport.tracks(sources, profile: profile), terminator: "")
            }
        }
    }

    struct Update: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-scan a profile's folders, analyse new and changed files, and rewrite it.")
        @Argument(help: "Profile name or path.") var name: String
        @Option(help: "Tracks analysed at once (default: one per core).") var jobs: Int?
        @Flag(help: "Ignore and do not fill the analysis cache.") var noCache = false
        @Flag(name: .shortAndLong, help: "No progress output.") var quiet = false

        func run() throws {
            let path = ProfileFile.resolve(name)
            let old = try ProfileCLI.load(name)
            let printer = ProfileProgressPrinter(quiet: quiet)
            let builder = try ProfileCLI.builder(jobs: jobs, noCache: noCache, quiet: quiet)
            let (outcome, summary) = try ProfileCLI.run(printer) { try builder.update(old, progress: printer.handle) }
            try ProfileCLI.run(printer) { try ProfileFile.save(outcome.profile, to: path) }
            if !quiet {
                print("updated \(path): \(summary.added.count) new, \(summary.changed.count) changed, \(summary.removed.count) removed, \(summary.unchanged) unchanged; \(outcome.profile.trackCount) tracks")
                for p in summary.added { print("  + \(p)") }
                for p in summary.changed { print("  ~ \(p)") }
                for p in summary.removed { print("  - \(p)") }
            }
        }
    }

    struct DemoBuild: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "demo-build", abstract: "Regenerate Samples/demo.uplift-profile from rendered references.",
            shouldDisplay: false)
        @Option(name: .shortAndLong, help: "Output profile.") var output = "Samples/demo.uplift-profile"
        @Option(help: "Where the rendered references go (kept, not committed).") var references = ".build/demo-references"

        func run() throws {
            let profile = try DemoProfile.build(output: ProfileFile.outputPath(output), folder: references,
                                                render: DemoMaterial.render)
            print("wrote \(output): \(profile.trackCount) references, \(profile.clusters.count) clusters")
        }
    }
}

/// Wiring shared by the profile subcommands.
enum ProfileCLI {
    static func builder(jobs: Int?, noCache: Bool, quiet: Bool, dualMono: Bool = false) throws -> ProfileBuilder {
        var cache: AnalysisCache?
        if !noCache {
            do {
                cache = try AnalysisCache()
                if let notice = cache?.notice { FileHandle.standardError.write(Data("uplift: warning: \(notice)\n".utf8)) }
            } catch {
                // A broken cache costs time, not the build.
                StandardError.warning("\(error); continuing without the cache")
            }
        }
        return ProfileBuilder(batch: BatchAnalyzer(analyzer: StandardTrackAnalyzer(dualMono: dualMono), cache: cache,
                                                   jobs: jobs ?? 0, cancellation: interruptFlag()))
    }

    /// Ctrl-C sets the flag (workers finish the tracks in hand, the cache keeps them); a second Ctrl-C quits at once.
    static func interruptFlag() -> CancellationFlag {
        let flag = CancellationFlag()
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler {
            if flag.isCancelled { _exit(130) }
            flag.cancel()
            StandardError.write("\r\u{1B}[Kuplift: stopping after the tracks in progress (Ctrl-C again to quit now)\n")
        }
        source.resume()
        retainedSignalSources.append(source)
        return flag
    }

    nonisolated(unsafe) private static var retainedSignalSources: [any DispatchSourceSignal] = []

    /// Runs `body`; a `ProfileError` becomes one line on stderr and an exit status (130 for Ctrl-C).
    /// `json`: a failure also prints `{"error": {"kind", "message"}}` on standard output.
    static func run<T>(_ printer: ProfileProgressPrinter? = nil, json: Bool = false, _ body: () throws -> T) throws -> T {
        do {
            let value = try body()
            printer?.finish()
            return value
        } catch let error as ProfileError {
            printer?.finish()
            StandardError.line("\(error)")
            if json { JSONErrorObject.print(kind: "bad_profile", message: "\(error)") }
            throw ExitCode(error.code == .interrupted ? 130 : 1)
        }
    }

    static func load(_ name: String, json: Bool = false) throws -> Profile {
        try run(json: json) { try ProfileFile.load(ProfileFile.resolve(name)) }
    }

    static func cluster(_ query: String, in profile: Profile) throws -> Profile.Cluster {
        if let id = Int(query), let c = profile.clusters.first(where: { $0.id == id }) { return c }
        let matches = profile.clusters.filter { $0.name.lowercased().hasPrefix(query.lowercased()) }
        if matches.count == 1 { return matches[0] }
        let list = profile.clusters.map { "\($0.id) (\($0.name))" }.joined(separator: ", ")
        let what = matches.isEmpty ? "no cluster matches" : "several clusters match"
        StandardError.line("\(what) \"\(query)\"; clusters: \(list.isEmpty ? "none" : list)")
        throw ExitCode(1)
    }

    static func fixed(_ x: Double, _ digits: Int) -> String { NumberFormat.fixed(x, digits) }
}
