import Foundation
import Testing
import UpliftAudio
import UpliftModel
import UpliftProfile
@testable import UpliftGaps

/// `uplift gaps --audition ID -o`, `--check-fixes` and `uplift profile feedback` end to end, offline.
@Suite struct AuditionCLITests {
    @Test func auditionWritesTheFixedMixAndFeedbackIsShownAndForgotten() async throws {
        let home = NSTemporaryDirectory() + "uplift-audition-cli-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: home) }
        let profilePath = home + "/synth.uplift-profile"
        try ProfileFile.save(DegradationSet.profile, to: profilePath)
        let mixPath = home + "/narrow.wav"
        let narrow = DegradationSet.width(DegradationSet.heldBack, factor: 0.5)
        try AudioFileWriter.write(narrow, channels: 2, sampleRate: Int(DegradationSet.sampleRate), format: .wavFloat32, to: mixPath)
        let base = ["gaps", mixPath, "--profile", profilePath, "--offline"]

        let listed = try await GapsCLITests.uplift(base + ["--json"], home: home)
        let report = try UpliftJSON.decoder().decode(GapReport.self, from: Data(listed.stdout.utf8))
        let gap = try #require(report.gaps.first { $0.feature == "stereo.side_mid_ratio" })

        // Audition by gap id: the whole mix with the fix written, wider than the mix.
        let out = home + "/fixed.wav"
        let heard = try await GapsCLITests.uplift(base + ["--audition", String(gap.id.prefix(8)), "-o", out], home: home)
        #expect(heard.status == 0, "\(heard.stderr)")
        #expect(heard.stdout.contains("closes") && heard.stdout.contains("wrote \(out)"), "\(heard.stdout)")
        let fixed = try StereoAudio.load(path: out)
        #expect(fixed.frameCount == narrow.count / 2)
        func side(_ s: [Float]) -> Double {
            var sum = 0.0
            for i in stride(from: 0, to: s.count, by: 2) { let d = Double(s[i] - s[i + 1]); sum += d * d }
            return sum
        }
        #expect(side(fixed.samples) > 1.5 * side(narrow))
        let json = try await GapsCLITests.uplift(base + ["--audition", gap.id, "--json"], home: home)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["schema"] as? String == "uplift.audition/1" && (object["check"] as? [String: Any])?["closed_share"] != nil)
        let missing = try await GapsCLITests.uplift(base + ["--audition", "zzzz", "--json"], home: home)
        #expect(missing.status == 1 && missing.stdout.contains("\"kind\":\"not_found\""), "\(missing.stdout)")

        // --check-fixes puts the measured side effects into the report.
        let checked = try await GapsCLITests.uplift(base + ["--check-fixes", "1", "--json"], home: home)
        let checkedReport = try UpliftJSON.decoder().decode(GapReport.self, from: Data(checked.stdout.utf8))
        #expect(checkedReport.gaps.contains { $0.fixes.first?.check != nil }, "\(checked.stderr)")

        // A rejection is recorded for learning; feedback shows it; --reset forgets it.
        let rejected = try await GapsCLITests.uplift(base + ["--reject", gap.id, "--reason", "narrow on purpose"], home: home)
        #expect(rejected.status == 0, "\(rejected.stderr)")
        let feedback = try await GapsCLITests.uplift(["profile", "feedback", profilePath], home: home)
        #expect(feedback.stdout.contains("width (stereo.side_mid_ratio)\n    approved 0, rejected 1 → ranked lower ×0.55"), "\(feedback.stdout)")
        let summary = try await GapsCLITests.uplift(["profile", "feedback", profilePath, "--json"], home: home)
        #expect(summary.stdout.contains("\"schema\" : \"uplift.feedback-summary\\/1\"") || summary.stdout.contains("uplift.feedback-summary/1"), "\(summary.stdout)")
        let reset = try await GapsCLITests.uplift(["profile", "feedback", profilePath, "--reset", "stereo.side_mid_ratio"], home: home)
        #expect(reset.stdout.contains("Forgot 1 decision"), "\(reset.stdout)")
        let empty = try await GapsCLITests.uplift(["profile", "feedback", profilePath], home: home)
        #expect(empty.stdout.contains("Nothing learned"), "\(empty.stdout)")
    }
}
