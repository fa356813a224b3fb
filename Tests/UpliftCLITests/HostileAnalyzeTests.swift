import Foundation
import Testing

/// `uplift analyze --json` on the files of issue 20 (Tests/UpliftFuzzingTests/Hostile): a report
/// and a one-line warning, or a one-line error, quickly; never an abort.
@Suite("analyze: hostile files")
struct HostileAnalyzeTests {
    static let hostile = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("UpliftFuzzingTests/Hostile")

    func run(_ name: String) throws -> (UpliftBinary.Result, Double) {
        let start = Date()
        let result = try UpliftBinary.run(["analyze", "--json", Self.hostile.appendingPathComponent(name).path])
        return (result, Date().timeIntervalSince(start))
    }

    @Test("an MP3 declaring 101 days: the 2 s that decode are reported, with a warning, in seconds not minutes")
    func mp3Declaring101Days() throws {
        let (result, seconds) = try run("mp3-xing-declares-101-days.mp3")
        #expect(result.status == 2, "analysed with a warning: \(result.stderr)")
        #expect(result.stderrLines.contains { $0.hasPrefix("uplift: warning: ") && $0.contains("declares 101 days but 2.03 s decoded") })
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let duration = try #require(object["duration_s"] as? Double)
        #expect(abs(duration - 89_327.0 / 44_100) < 1e-6)
        #expect(seconds < 30, "took \(seconds) s (it was 86 s)")
    }

    @Test("an OGG without its last page: reported with a warning, no abort")
    func truncatedOgg() throws {
        let (result, _) = try run("ogg-truncated-no-length.ogg")
        #expect(result.status == 2, "\(result.stderr)")
        #expect(!result.stderr.contains("Fatal error"))
        #expect(result.stderrLines.contains { $0.contains("does not say its length") })
    }

    @Test("an OGG where nothing decodes: one clear error line, exit 1")
    func undecodableOgg() throws {
        let (result, _) = try run("ogg-flipped-no-audio.ogg")
        #expect(result.status == 1)
        // With --json, the one file's entry is its error object (no analysis was made).
        let entry = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stdout)")
        #expect((entry["error"] as? [String: Any])?["kind"] as? String == "unreadable")
        #expect(entry["loudness"] == nil)
        #expect(result.stderrLines.contains { $0.hasPrefix("uplift: error: ") && $0.contains("no audio frames that decode") })
    }
}
