import Foundation
import Testing
import UpliftTestSupport

extension TerminalEndToEnd {
/// `uplift watch MIX --profile P` while the mix is re-exported by a slow writer: rewritten in place
/// in chunks over a couple of seconds with a stop half-way, three times. The studio keeps running,
/// its position only moves forward, and each export is measured once, complete.
@Suite(.serialized) struct WatchSlowWriterTests {
    static let rate = 22_050

    /// In place (same inode, truncated first): 256 KiB every 50 ms, 0.5 s still half-way.
    static func slowlyRewrite(_ path: String, with bytes: Data) {
        let fd = open(path, O_WRONLY | O_TRUNC)
        precondition(fd >= 0)
        defer { close(fd) }
        let chunk = 262_144
        var offset = 0
        while offset < bytes.count {
            let n = min(chunk, bytes.count - offset)
            _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, n) }
            offset += n
            usleep(offset >= bytes.count / 2 && offset - n < bytes.count / 2 ? 500_000 : 50_000)
        }
    }

    static func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    @Test(.enabled(if: UpliftExecutable.url != nil))
    func slowReExportsAreMeasuredOnceCompleteWhileTheStudioKeepsRunning() throws {
        let uplift = try #require(UpliftExecutable.url)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("uplift-slow-writer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let mix = folder.appendingPathComponent("mix.wav")
        // Long enough that real-time playback outlasts the three re-exports and their analyses.
        let music = StudioMusic.stereo(seconds: 40, sampleRate: Self.rate)
        try WAVBytes.float32(music, channels: 2, sampleRate: Self.rate).write(to: mix)
        let versions = [GapReExportTests.mono(music), music.map { $0 * 0.5 }, GapReExportTests.mono(music).map { $0 * 0.7 }]

        let run = try HeadlessRun(uplift, ["watch", mix.path, "--profile", GapReExportTests.profile, "--no-audio", "--offline",
                                           "--headless", "60"], in: folder)
        defer { run.stop() }
        _ = try #require(run.waitFor(40) { $0.contains("gaps: ") }, "no gap report: \(run.output)")
        for (k, version) in versions.enumerated() {
            Self.slowlyRewrite(mix.path, with: WAVBytes.float32(version, channels: 2, sampleRate: Self.rate))
            let measured = run.waitFor(30) { Self.count("re-export measured:", in: $0) >= k + 1 }
            #expect(measured != nil, "re-export \(k + 1) was not measured: \(run.output.suffix(2000))")
            #expect(run.process.isRunning, "the studio keeps running")
        }
        Thread.sleep(forTimeInterval: 1.5)
        #expect(run.process.isRunning)
        let output = run.output
        run.stop()
        // Once per export, never for a half-written file (that would add a measure of a 20 s mix).
        #expect(Self.count("re-export measured:", in: output) == 3, "\(output.suffix(3000))")
        #expect(!output.contains("end of file"))
        // The status lines' positions only move forward: no re-read sent playback back to the top.
        let positions = output.split(separator: "\n").compactMap { line -> Double? in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count > 3, fields[1] == "s", fields[2] == "/" else { return nil }
            return Double(fields[0])
        }
        #expect(positions.count > 5, "\(output.suffix(2000))")
        #expect(zip(positions, positions.dropFirst()).allSatisfy { $1 >= $0 }, "\(positions)")
    }

    /// Started before Live has finished the first export: the studio opens on a file that does not
    /// decode yet, says so, keeps running while a slow writer writes it, then plays and analyses it.
    @Test(.enabled(if: UpliftExecutable.url != nil))
    func watchingBeforeTheFirstExportIsReadableWaitsForIt() throws {
        let uplift = try #require(UpliftExecutable.url)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("uplift-first-export-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let mix = folder.appendingPathComponent("mix.wav")
        let rate = 44_100  // the rate the studio waits at (`LiveSession.pendingSampleRate`)
        let bytes = WAVBytes.float32(StudioMusic.stereo(seconds: 30, sampleRate: rate), channels: 2, sampleRate: rate)
        try bytes.prefix(12).write(to: mix)  // "RIFF····WAVE": no format chunk yet

        let run = try HeadlessRun(uplift, ["watch", mix.path, "--no-audio", "--headless", "40"], in: folder)
        defer { run.stop() }
        let waiting = run.waitFor(15) { $0.contains("cannot be read yet") }
        #expect(waiting != nil, "the studio opened and said why it waits: \(run.output.suffix(2000))")
        #expect(run.process.isRunning, "a file that does not decode yet does not end the studio")
        #expect(waiting?.contains("waiting") == true)
        Thread.sleep(forTimeInterval: 1.5)
        #expect(run.process.isRunning)

        Self.slowlyRewrite(mix.path, with: bytes)
        let playing = run.waitFor(60) { $0.contains("/ 30.0 s  running") && $0.contains("score ") }
        #expect(playing != nil, "the finished export plays and its analysis arrives: \(run.output.suffix(3000))")
        #expect(run.process.isRunning)
        let output = run.output
        run.stop()
        #expect(!output.contains("end of file"))
        #expect(output.contains("can be read now"), "\(output.suffix(3000))")
    }
}
}
