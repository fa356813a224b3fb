import Foundation
import Testing

extension TerminalEndToEnd {
/// `uplift watch MIX --profile P --stems DIR`: the studio's gap report measures element gaps on the
/// stems, as `uplift gaps --stems` does, and a missing folder stops it before the screen opens.
@Suite(.serialized) struct GapStemsWatchTests {
    /// A bass line far louder than the demo references' low end: 55 and 82.5 Hz eighth notes.
    static func bass(seconds: Double, sampleRate: Double = 44_100) -> [Float] {
        let frames = Int(seconds * sampleRate), noteFrames = Int(sampleRate * 60 / 138 / 2)
        var samples = [Float](repeating: 0, count: frames * 2)
        for i in 0..<frames {
            let note = i / noteFrames, inNote = i % noteFrames
            let frequencyHz = note % 4 == 3 ? 82.5 : 55.0
            let envelope = Float(min(1, Double(inNote) / 200)) * Float(min(1, Double(noteFrames - inNote) / 400))
            let v = 0.5 * envelope * Float(sin(2 * Double.pi * frequencyHz * Double(i) / sampleRate))
            samples[2 * i] = v
            samples[2 * i + 1] = v
        }
        return samples
    }

    @Test(.enabled(if: UpliftExecutable.url != nil))
    func aLowEndGapIsMeasuredOnTheBassStem() throws {
        let uplift = try #require(UpliftExecutable.url)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("uplift-stems-watch-\(UUID().uuidString)")
        let stems = folder.appendingPathComponent("stems")
        try FileManager.default.createDirectory(at: stems, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let music = StudioEndToEndTests.music(seconds: 12), bass = Self.bass(seconds: 12)
        let mix = zip(music, bass).map { ($0 + $1) * 0.7 }
        try TestAudioFile.writeStereoWAV(mix, sampleRate: 44_100, to: folder.appendingPathComponent("mix.wav"))
        // Named as Live names them: number prefixes go, the track name stays.
        try TestAudioFile.writeStereoWAV(bass.map { $0 * 0.7 }, sampleRate: 44_100, to: stems.appendingPathComponent("1-Bass.wav"))
        try TestAudioFile.writeStereoWAV(music.map { $0 * 0.7 }, sampleRate: 44_100, to: stems.appendingPathComponent("2-Music.wav"))

        let mixPath = folder.appendingPathComponent("mix.wav").path
        let run = try HeadlessRun(uplift, ["watch", mixPath, "--profile", GapReExportTests.profile, "--stems", stems.path,
                                           "--no-audio", "--offline", "--headless", "40"], in: folder)
        let report = try #require(run.waitFor(40) { $0.contains("gaps: ") && $0.contains("  1. ") }, "no gap report: \(run.output)")
        run.stop()
        let gapLines = report.split(separator: "\n").filter { $0.hasPrefix("  ") && $0.contains(". ") }
        #expect(gapLines.contains { $0.contains("[measured on stem:Bass]") && $0.contains(" high") },
                "the loud low end is the Bass stem's: \(report)")
        #expect(!gapLines.contains { $0.contains("[measured on stem:Bass]") && $0.contains("stereo") }, "\(report)")

        let missing = try HeadlessRun(uplift, ["watch", mixPath, "--profile", GapReExportTests.profile, "--stems",
                                               folder.appendingPathComponent("nope").path, "--no-audio", "--headless", "5"], in: folder)
        missing.process.waitUntilExit()
        #expect(missing.process.terminationStatus != 0)
        #expect(missing.output.contains("no such folder"), "\(missing.output)")
    }
}
}
