import Foundation
import Testing
import UpliftSynth

/// `uplift live` hears music: tempo, score, section and key in the `--print` lines, and the Energy
/// and Trance score panes filled in the terminal studio, from a synthesized arrangement
/// (138 BPM, E minor = Camelot 9A) arriving through a FIFO.
extension TerminalEndToEnd {
@Suite(.serialized) struct LiveMusicCLITests {
    /// Intro, breakdown, buildup, drop, outro of `barsEach` bars, raw float32 stereo at 44.1 kHz.
    static func arrangement(barsEach: Int) -> Data {
        let track = TranceRecipe(seed: 5, bpm: 138, key: MusicalKey(tonic: 4, mode: .minor),
                                 sections: TranceRecipe.standardArrangement(barsEach: barsEach)).render(sampleRate: 44_100)
        return track.interleaved.withUnsafeBufferPointer { Data(buffer: $0) }
    }

    static func folder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("uplift-live-music-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test func printLinesCarryTempoScoreSectionAndKey() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let raw = folder.appendingPathComponent("master.f32")
        try Self.arrangement(barsEach: 8).write(to: raw)
        let result = try LiveCLITests.run(["live", "--input", raw.path, "--lossless", "--headless", "60"], timeoutS: 90)
        #expect(result.status == 0, "\(result.stderr)")
        let last = try #require(result.stdout.split(separator: "\n").last { $0.contains("BPM") }, "\(result.stdout)")
        #expect(last.contains("138.0 BPM"), "\(last)")
        #expect(last.contains("key 9A"), "\(last)")
        #expect(last.range(of: #"score \d+"#, options: .regularExpression) != nil, "\(last)")
        #expect(last.range(of: #"section (intro|breakdown|buildup|drop|outro)\?? \(bar \d+\)"#, options: .regularExpression) != nil, "\(last)")
        #expect(last.contains("(live, last "), "\(last)")

        // --no-music: levels only.
        let plain = try LiveCLITests.run(["live", "--input", raw.path, "--lossless", "--no-music", "--headless", "30"], timeoutS: 60)
        #expect(plain.status == 0)
        #expect(!plain.stdout.contains("BPM"), "\(plain.stdout)")
        // A bad --window is one clear line and exit 1.
        let bad = try LiveCLITests.run(["live", "--input", raw.path, "--window", "3"])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("--window"), "\(bad.stderr)")
    }

    /// `--profile`: the gap report of the rolling window, refreshed as the music goes on (every
    /// 4 bars; the lossless file source outruns real time, so fewer refreshes than bars reach it).
    @Test func liveGapsFollowTheRollingWindow() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let raw = folder.appendingPathComponent("master.f32")
        try Self.arrangement(barsEach: 8).write(to: raw)
        let profile = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Samples/demo.uplift-profile").path
        let result = try LiveCLITests.run(["live", "--input", raw.path, "--lossless", "--profile", profile, "--offline",
                                           "--headless", "60"], timeoutS: 90)
        #expect(result.status == 0, "\(result.stderr)")
        let reports = result.stdout.components(separatedBy: "\n").filter { $0.hasPrefix("gaps: ") }
        #expect(reports.count >= 2, "the gap report was not refreshed from the live window: \(result.stdout)")
        #expect(result.stdout.contains("spectrum.balance_db"), "\(result.stdout)")
        // Only level-independent gaps: the live window carries no integrated loudness.
        #expect(!result.stdout.contains("loudness.integrated_lufs"), "\(result.stdout)")
        // --no-music has no window to compare.
        let refused = try LiveCLITests.run(["live", "--input", raw.path, "--no-music", "--profile", profile, "--offline", "--headless", "5"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("--no-music"), "\(refused.stderr)")
    }

    /// At real-time pace (≤ 45 s): the Trance score and Energy panes fill while the music plays.
    @Test(.enabled(if: TmuxSession.isAvailable && UpliftExecutable.url != nil))
    func studioPanesFillFromAFIFOAtRealTimePace() throws {
        let uplift = try #require(UpliftExecutable.url)
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let fifo = folder.appendingPathComponent("master.pcm")
        #expect(mkfifo(fifo.path, 0o600) == 0)
        // Intro then breakdown (4 bars each) and the rest: 35 s of music.
        let audio = Self.arrangement(barsEach: 4)
        let stop = Stopper()
        Thread {
            guard let handle = FileHandle(forWritingAtPath: fifo.path) else { return }  // blocks until uplift opens it
            let chunk = 4410 * 8  // 100 ms of float32 stereo
            let start = Date()
            var offset = 0
            while offset < audio.count, !stop.isSet {
                let end = min(audio.count, offset + chunk)
                try? handle.write(contentsOf: audio[offset..<end])
                offset = end
                // Real-time pace: each chunk is due 100 ms after the last.
                let due = start.addingTimeInterval(Double(offset / chunk) * 0.1)
                let wait = due.timeIntervalSinceNow
                if wait > 0 { usleep(UInt32(wait * 1e6)) }
            }
            try? handle.close()
        }.start()
        defer { stop.set() }

        let session = try TmuxSession(width: 120, height: 40)
        defer { session.kill() }
        session.type("'\(uplift.path)' live --input '\(fifo.path)' --rate 44100", enter: true)
        let empty = try #require(session.waitFor(timeout: 20) { $0.contains(" Trance score ") && $0.contains("q quit") },
                                 "the studio did not start: \(session.capture())")
        _ = empty
        // Within 40 s of music: tempo, key, the rolling score, a growing energy curve and the section.
        let filled = session.waitFor(timeout: 40) { screen in
            screen.contains("138.0 BPM") && screen.contains("9A") && screen.contains("live, last")
                && !screen.contains("no energy curve yet") && !screen.contains("waiting for enough music")
                // The Energy title: the playhead's bar and the section the rolling analysis names ("?" while provisional).
                && screen.range(of: #"bar \d+ · (intro|breakdown|buildup|drop|outro)\??"#, options: .regularExpression) != nil
        }
        #expect(filled != nil, "the musical panes did not fill: \(session.capture())")
        if let filled { #expect(filled.contains("Score")) }
        session.type("q")
    }

    final class Stopper: @unchecked Sendable {
        private let lock = NSLock()
        private var flag = false
        var isSet: Bool { lock.lock(); defer { lock.unlock() }; return flag }
        func set() { lock.lock(); flag = true; lock.unlock() }
    }
}
}
