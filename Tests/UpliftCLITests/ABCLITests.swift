import Foundation
import Testing
import UpliftSynth

/// `uplift ab` end to end: the real output path (PortAudio into the ALSA `file` device, as the
/// studio's playback test does) and the A/B view in tmux.
@Suite struct ABCLITests {
    static let rate = 48_000

    /// A 1 kHz sine, `seconds` long, at `amplitude`, stereo float32 (negative amplitude = opposite phase).
    static func tone(amplitude: Float, seconds: Double) -> [Float] {
        let frames = Int(seconds * Double(rate))
        var out = [Float](repeating: 0, count: frames * 2)
        for i in 0..<frames {
            let v = amplitude * Float(sin(2 * Double.pi * 1000 * Double(i) / Double(rate)))
            out[2 * i] = v; out[2 * i + 1] = v
        }
        return out
    }

    @Test func theRecordingHasTheSwitchTheGainsAndTheCrossfadeShape() throws {
        let (home, recording) = try LiveCLITests.alsaHome(tone: LiveCLITests.toneFloat32(frequencyHz: 1000, seconds: 0.1))
        defer { try? FileManager.default.removeItem(at: home) }
        // The mix: 1 kHz at 0.5. The reference: the same tone at a quarter, in opposite phase: matching
        // must raise it 6.02 dB (to 0.5), and the crossfade's cos/sin shows as a zero crossing of the envelope.
        let mix = home.appendingPathComponent("mix.wav"), reference = home.appendingPathComponent("ref.wav")
        try TestAudioFile.writeStereoWAV(Self.tone(amplitude: 0.5, seconds: 2), sampleRate: Self.rate, to: mix)
        try TestAudioFile.writeStereoWAV(Self.tone(amplitude: -0.25, seconds: 2), sampleRate: Self.rate, to: reference)
        let result = try LiveCLITests.run(["ab", mix.path, reference.path, "--output-device", "uplift_out", "--headless", "3",
                                           "--switch-at", "1:1", "--xfade", "20"], home: home, timeoutS: 60)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("gains 0 +0.0 1 +6.0"), "\(result.stdout)")
        #expect(result.stdout.contains("switches 1"), "\(result.stdout)")
        let raw = try Data(contentsOf: recording)
        let samples = raw.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        let frames = samples.count / 2
        // Where the mix starts: its frame 1 is the first non-zero one (sin 0 = 0).
        let first = try #require((0..<frames).first { samples[2 * $0] != 0 }) - 1
        #expect(frames > first + 60_000, "recorded \(frames) frames")
        // The envelope: recorded / (0.5 sin) wherever the sine is far from zero.
        func envelope(_ n: Int) -> Double? {
            let s = sin(2 * Double.pi * 1000 * Double(n) / Double(Self.rate))
            guard abs(s) > 0.5, first + n < frames else { return nil }
            return Double(samples[2 * (first + n)]) / (0.5 * s)
        }
        var worst = 0.0
        for n in 1_000..<47_000 { if let e = envelope(n) { worst = max(worst, abs(e - 1)) } }
        #expect(worst < 0.001, "before the switch the mix plays unchanged (worst \(worst))")
        worst = 0
        for n in 49_000..<90_000 { if let e = envelope(n) { worst = max(worst, abs(e + 1)) } }
        #expect(worst < 0.012, "after it, the reference matched to the mix's level, in its own phase (worst \(worst))")
        // The crossfade: 960 frames from frame 48,000, cos θ out and sin θ in: envelope cos θ − sin θ.
        worst = 0
        for k in 0..<960 {
            guard let e = envelope(48_000 + k) else { continue }
            let theta = Double.pi / 2 * Double(k) / 960
            worst = max(worst, abs(e - (cos(theta) - sin(theta))))
        }
        #expect(worst < 0.012, "the crossfade is equal-power, sample-exact at 1.000 s (worst \(worst))")
    }

    @Test func aBadReferenceIsANoticeAndTheSlotIsSkipped() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("uplift-ab-bad-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let mix = folder.appendingPathComponent("mix.wav"), silent = folder.appendingPathComponent("silent.wav")
        let broken = folder.appendingPathComponent("broken.wav")
        try TestAudioFile.writeStereoWAV(Self.tone(amplitude: 0.5, seconds: 1), sampleRate: Self.rate, to: mix)
        try TestAudioFile.writeStereoWAV([Float](repeating: 0, count: 96_000), sampleRate: Self.rate, to: silent)
        try Data("RIFF not really".utf8).write(to: broken)
        let result = try LiveCLITests.run(["ab", mix.path, silent.path, broken.path, "--no-audio", "--headless", "1"], timeoutS: 60)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("1 skipped") && result.stdout.contains("[1 silent: silent: skipped]"), "\(result.stdout)")
        #expect(result.stdout.contains("2 skipped") && result.stdout.contains("[2 broken: cannot be decoded"), "\(result.stdout)")
        // A mix that cannot be decoded is an error on standard error.
        let bad = try LiveCLITests.run(["ab", broken.path, mix.path, "--no-audio", "--headless", "1"], timeoutS: 30)
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("broken.wav"), "\(bad.stderr)")
    }
}

extension TerminalEndToEnd {
@Suite(.serialized) struct ABEndToEndTests {
    /// A synthesized mix and two synthesized references (different tempi, layouts and loudness).
    static func material(in folder: URL) throws -> (mix: URL, refs: [URL]) {
        func write(_ recipe: TranceRecipe, _ name: String) throws -> URL {
            let url = folder.appendingPathComponent(name)
            let track = recipe.render(sampleRate: 22_050)
            try TestAudioFile.writeStereoWAV(track.interleaved, sampleRate: 22_050, to: url)
            return url
        }
        let mix = try write(TranceRecipe(seed: 11, bpm: 138, sections: TranceRecipe.standardArrangement(barsEach: 4)), "ab-mix.wav")
        let a = try write(TranceRecipe(seed: 12, bpm: 140, sections: TranceRecipe.standardArrangement(barsEach: 4), peakDBFS: -6), "ab-ref-one.wav")
        let b = try write(TranceRecipe(seed: 13, bpm: 136, sections: TranceRecipe.standardArrangement(barsEach: 4)), "ab-ref-two.wav")
        return (mix, [a, b])
    }

    @Test(.enabled(if: TmuxSession.isAvailable && UpliftExecutable.url != nil))
    func switchesLocksBlindGuessesAndThePanesFollow() throws {
        let uplift = try #require(UpliftExecutable.url)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("uplift-ab-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let (mix, refs) = try Self.material(in: folder)
        let session = try TmuxSession(width: 120, height: 40, environment: ["XDG_STATE_HOME": folder.path, "XDG_CACHE_HOME": folder.path])
        defer { session.kill() }
        session.type("'\(uplift.path)' ab '\(mix.path)' '\(refs[0].path)' '\(refs[1].path)' --no-audio", enter: true)
        // Both analyses in: the trance comparison and the matched gains (ref one was made 5 dB quieter).
        let ready = try #require(session.waitFor(timeout: 90) { screen in
            screen.contains("score  mix") && screen.contains("ab-ref-two") && !screen.contains("loading") && !screen.contains("analysing")
        }, "the A/B view never finished loading: \(session.capture())")
        #expect(ready.contains("▶ 0 mix: ab-mix"))
        #expect(ready.contains("lock: same time"))
        #expect(ready.contains("Spectrum: mix over ab-ref-one"))
        // Slot 2, then Tab back to the mix and again to the last reference.
        session.press("2")
        #expect(session.waitFor(timeout: 5) { $0.contains("▶ 2 ab-ref-two") && $0.contains("Spectrum: mix over ab-ref-two") } != nil,
                "slot 2 did not sound: \(session.capture())")
        session.press("Tab")
        #expect(session.waitFor(timeout: 5) { $0.contains("▶ 0 mix: ab-mix") } != nil)
        session.press("Tab")
        #expect(session.waitFor(timeout: 5) { $0.contains("▶ 2 ab-ref-two") } != nil)
        // Position lock: same time → drop to drop.
        session.press("p")
        #expect(session.waitFor(timeout: 5) { $0.contains("lock: drop to drop") } != nil)
        // A slot key with no slot is a hint.
        session.press("7")
        #expect(session.waitFor(timeout: 5) { $0.contains("no slot 7: slots 0-2") } != nil)
        // Matching off and on.
        session.press("L")
        #expect(session.waitFor(timeout: 5) { $0.contains("matching OFF") } != nil)
        session.press("L")
        // Blind: the panes hide, a guess is scored and saved.
        session.press("x")
        #expect(session.waitFor(timeout: 5) { $0.contains("BLIND: what plays?") && $0.contains("hidden until you guess") } != nil)
        session.press("0")
        let scored = session.waitFor(timeout: 5) { $0.contains("blind ") && ($0.contains("right: it was") || $0.contains("wrong: it was")) }
        #expect(scored != nil, "no verdict: \(session.capture())")
        #expect(scored?.contains("blind 1/1") == true || scored?.contains("blind 0/1") == true)
        let record = folder.appendingPathComponent("uplift/ab-blind.json")
        #expect(FileManager.default.fileExists(atPath: record.path), "the blind score is saved in the state folder")
        session.press("x")
        // Help from the A/B keymap.
        session.press("?")
        #expect(session.waitFor(timeout: 5) { $0.contains("position lock: same time, drop, beat, free") && $0.contains("0-9") } != nil)
        session.press("q")
        session.press("q")
    }
}
}
