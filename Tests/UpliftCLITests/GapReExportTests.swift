import Foundation
import Testing

extension TerminalEndToEnd {
/// "Measured, not assumed": `uplift watch MIX --profile P` re-analyses a re-exported mix and says what
/// happened to each gap of the report before it. The re-export is the same music folded to mono, so
/// every stereo gap must read 0 afterwards — a number no earlier report could have produced.
@Suite(.serialized) struct GapReExportTests {
    static var profile: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Samples/demo.uplift-profile").path
    }

    /// Interleaved stereo float32 folded to mono on both sides.
    static func mono(_ stereo: [Float]) -> [Float] {
        var samples = stereo
        for frame in 0..<samples.count / 2 {
            let mid = (samples[2 * frame] + samples[2 * frame + 1]) / 2
            samples[2 * frame] = mid
            samples[2 * frame + 1] = mid
        }
        return samples
    }

    @Test(.enabled(if: UpliftExecutable.url != nil))
    func aReExportIsMeasuredAgainstThePreviousReport() throws {
        let uplift = try #require(UpliftExecutable.url)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("uplift-reexport-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let mix = folder.appendingPathComponent("mix.wav"), next = folder.appendingPathComponent(".mix.wav.tmp")
        let music = StudioEndToEndTests.music(seconds: 16)
        try TestAudioFile.writeStereoWAV(music, sampleRate: 44_100, to: mix)
        try TestAudioFile.writeStereoWAV(Self.mono(music), sampleRate: 44_100, to: next)

        let run = try HeadlessRun(uplift, ["watch", mix.path, "--profile", Self.profile, "--no-audio", "--offline", "--headless", "40"],
                                  in: folder)

        let first = try #require(run.waitFor(30) { $0.contains("gaps: ") }, "no gap report: \(run.output)")
        #expect(first.contains("Live: absent"), "--offline says the report is read-only")
        let firstCount = try #require(first.split(separator: "\n").first { $0.hasPrefix("gaps: ") }
            .flatMap { Int($0.split(separator: " ")[1]) })
        // Ableton re-exports: the mono version replaces the file (atomically, as Live's export does).
        #expect(rename(next.path, mix.path) == 0)
        let after = try #require(run.waitFor(30) { $0.contains("re-export measured:") }, "the re-export was not measured: \(run.output)")
        run.stop()

        let lines = after.split(separator: "\n").map(String.init)
        let headline = try #require(lines.first { $0.hasPrefix("re-export measured:") })
        // Every earlier gap is accounted for: the counts in the headline add up to the first report's.
        let counted = headline.split(whereSeparator: { $0 == "," || $0 == ":" || $0 == ";" }).compactMap { part in
            Int(part.trimmingCharacters(in: .whitespaces).split(separator: " ").first ?? "")
        }.reduce(0, +)
        #expect(counted == firstCount, "\(headline) vs \(firstCount) gaps")
        let stereoLines = lines.filter { $0.hasPrefix("  stereo") && $0.contains(" → ") }
        #expect(!stereoLines.isEmpty, "the first export had stereo gaps to re-measure: \(after)")
        for line in stereoLines where line.contains("side_mid_ratio") {
            #expect(line.contains("→ 0.000"), "folded to mono, the re-export's side/mid is 0: \(line)")
        }
    }
}
}
