import ArgumentParser
import Foundation
import UpliftModel
import UpliftProfile

/// `uplift similar TRACK --profile P`: which references does this sound like, and how does it differ.
struct SimilarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "similar",
        abstract: "List the references a track sounds closest to, in the profile's learned embedding.",
        discussion: """
        The profile's embedding is learned from its own tracks when it is built (triplet loss on \
        a descriptor of spectrum per section, MFCCs, tonic-relative chroma, rhythm, pumping, \
        supersaw, acid, energy arc and stereo, with pitch, stretch, noise and gain copies as \
        positives). For each reference: the cosine distance (0 the same, 1 unrelated) and the three \
        features that differ most, measured in the profile's spreads. TRACK may be outside the \
        library; inside it, the track itself is left out. --json: {"query", "neighbours": \
        [{"path", "distance", "cluster", "differences": [{"feature", "value", "reference_value"}]}]}.
        """)

    @Argument(help: "The track (WAV, AIFF, FLAC, OGG, MP3).")
    var track: String
    @Option(name: .long, help: "Profile name or path (.uplift-profile).")
    var profile: String
    @Option(name: .short, help: "How many references (default 5).")
    var k = 5
    @Flag(name: .long, help: "Print JSON.")
    var json = false

    func validate() throws {
        guard (1...100).contains(k) else { throw ValidationError("-k must be between 1 and 100") }
    }

    func run() throws {
        let loaded: Profile
        do { loaded = try ProfileFile.load(ProfileFile.resolve(profile)) } catch { fail("\(error)", kind: "bad_profile") }
        let report: SimilarReport
        do { report = try SimilarReport.make(trackPath: track, profile: loaded, k: k) } catch {
            fail("\(error)", kind: "\(error)".contains("no such file") ? "not_found" : "\(error)".contains("no embedding") ? "no_embedding" : "invalid")
        }
        print(json ? report.json : report.text(width: Terminal.outputColumns.flatMap { $0 > 20 ? $0 : nil } ?? 80))
    }

    func fail(_ message: String, kind: String) -> Never {
        StandardError.error(message)
        if json { JSONErrorObject.print(kind: kind, message: message) }
        Foundation.exit(1)
    }
}
