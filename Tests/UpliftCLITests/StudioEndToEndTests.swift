import Foundation
import Testing
import UpliftTestSupport

extension TerminalEndToEnd {
/// Issue 4 end to end: `uplift watch FILE --no-audio` (the real file source, ring, live analyzer and
/// ncurses studio) and `uplift live --input -` (keys from /dev/tty while stdin carries audio) in tmux.
@Suite(.serialized) struct StudioEndToEndTests {
    static let titles = ["Spectrum", "Loudness", "Energy", "Trance score"]

    static func allTitles(_ screen: String) -> Bool { titles.allSatisfy { screen.contains(" \($0) ") } }

    static func lines(_ screen: String) -> [Substring] { screen.split(separator: "\n", omittingEmptySubsequences: false) }

    /// The rows of the Spectrum pane (top of the screen), which move with the music.
    static func spectrumRows(_ screen: String) -> [Substring] { Array(lines(screen).prefix(14)) }

    /// The status line's position (`m:ss` before ` / `), in seconds.
    static func positionS(_ screen: String) -> Int? {
        guard let status = lines(screen).last(where: { $0.contains("q quit") }),
              let slash = status.range(of: " / ") else { return nil }
        let clock = status[..<slash.lowerBound].split(separator: " ").last ?? ""
        let parts = clock.split(separator: ":").compactMap { Int($0) }
        guard parts.count == 2 else { return nil }
        return parts[0] * 60 + parts[1]
    }

    /// The studio's test music (`StudioMusic`): a kick, off-beat hats and a pad whose chord changes
    /// every two bars, so the spectrum moves between captures.
    static func music(seconds: Double) -> [Float] { StudioMusic.stereo(seconds: seconds) }

    @Test(.enabled(if: TmuxSession.isAvailable && UpliftExecutable.url != nil))
    func watchShowsPanesMovesSeeksHelpsThemesResizesAndQuits() throws {
        let uplift = try #require(UpliftExecutable.url)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("uplift-studio-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("studio-mix.wav")
        try TestAudioFile.writeStereoWAV(Self.music(seconds: 40), sampleRate: 44_100, to: file)

        let session = try TmuxSession(width: 120, height: 40)
        defer { session.kill() }
        session.type("'\(uplift.path)' watch '\(file.path)' --no-audio", enter: true)

        // Every pane title, the frequency axis and the status line with the source and the silent-audio note.
        let first = try #require(session.waitFor(timeout: 20) { screen in
            // The silent-output note yields its room to a transient source note ("waiting …"): wait it out.
            Self.allTitles(screen) && screen.contains("10k") && screen.contains("q quit") && screen.contains("studio-mix.wav")
                && screen.contains("--no-audio")
        }, "the studio never showed its panes: \(session.capture())")
        #expect(first.contains("file: studio-mix.wav"))
        #expect(first.contains("0:40"), "the status line shows the file's length")
        #expect(first.contains("--no-audio"), "the status line says why there is no sound")
        // No frames lost: nothing said (a producer reads "drops" as the track's drops).
        #expect(!first.contains("drops") && !first.contains("lost frames"))

        // Values change between two captures: the spectrum follows the music and the position advances.
        let moved = try #require(session.waitFor(timeout: 5) { screen in
            Self.spectrumRows(screen) != Self.spectrumRows(first) && Self.allTitles(screen)
        }, "the spectrum did not move")
        #expect(Self.spectrumRows(moved) != Self.spectrumRows(first))
        let before = try #require(Self.positionS(session.capture()))
        // 2 s of music within 10 s: a stalled player fails; a machine busy with other builds does not.
        #expect(session.waitFor(timeout: 10) { (Self.positionS($0) ?? 0) >= before + 2 } != nil, "the position did not advance")

        // The transport keys reach the FilePlayer: → jumps 5 s on, space pauses (the position then stands still).
        let beforeSeek = try #require(Self.positionS(session.capture()))
        session.press("Right")
        #expect(session.waitFor(timeout: 10) { (Self.positionS($0) ?? 0) >= beforeSeek + 5 } != nil,
                "→ did not seek forward 5 s: \(session.capture())")
        session.type(" ")
        let paused = try #require(session.waitFor(timeout: 5) { $0.contains("|| file:") }, "space did not pause: \(session.capture())")
        let pausedAt = try #require(Self.positionS(paused))
        Thread.sleep(forTimeInterval: 1.5)
        #expect(Self.positionS(session.capture()) == pausedAt, "the position moved while paused")
        session.type(" ")
        #expect(session.waitFor(timeout: 5) { !$0.contains("|| file:") && $0.contains("file: studio-mix.wav") } != nil)

        // Help opens and closes.
        session.type("?")
        #expect(session.waitFor(timeout: 5) { $0.contains("show / hide this help") && $0.contains("forward 5 seconds") } != nil,
                "help did not open")
        session.type("?")
        #expect(session.waitFor(timeout: 5) { !$0.contains("show / hide this help") } != nil, "help did not close")

        // The theme cycles.
        session.type("t")
        #expect(session.waitFor(timeout: 5) { $0.contains("theme: light") } != nil, "theme did not cycle")

        // 80×24 still shows every pane; too small says how big to make it; back again.
        session.resize(width: 80, height: 24)
        let small = session.waitFor(timeout: 8) { screen in
            let rows = Self.lines(screen)
            return rows.count >= 24 && rows[23].contains("q quit") && Self.allTitles(screen)
        }
        #expect(small != nil, "no full redraw at 80×24: \(session.capture())")
        #expect(small?.split(separator: "\n").allSatisfy { $0.count <= 80 } ?? false)
        session.resize(width: 50, height: 15)
        #expect(session.waitFor(timeout: 8) { $0.contains("Enlarge to") } != nil, "no enlarge message: \(session.capture())")
        session.resize(width: 120, height: 40)
        #expect(session.waitFor(timeout: 8) { Self.allTitles($0) } != nil)

        // q restores the terminal and the shell prompt comes back.
        session.type("q")
        let after = session.waitFor(timeout: 8) { screen in
            !screen.contains(" Spectrum ")
                && screen.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix(TmuxSession.prompt.trimmingCharacters(in: .whitespaces))
        }
        #expect(after != nil, "the shell prompt did not come back: \(session.capture())")
    }

    /// Audio on standard input, keys from /dev/tty: the panes show the pipe and `q` still quits.
    @Test(.enabled(if: TmuxSession.isAvailable && UpliftExecutable.url != nil))
    func pipeOnStandardInputTakesKeysFromTheTerminal() throws {
        let uplift = try #require(UpliftExecutable.url)
        let raw = FileManager.default.temporaryDirectory.appendingPathComponent("uplift-studio-pipe-\(UUID().uuidString).f32")
        try Self.music(seconds: 30).withUnsafeBytes { Data($0) }.write(to: raw)
        defer { try? FileManager.default.removeItem(at: raw) }
        let session = try TmuxSession(width: 120, height: 40)
        defer { session.kill() }
        // `pv`-like pacing is not needed: the pipe source reads at the rate it is given and drops when behind.
        session.type("cat '\(raw.path)' | '\(uplift.path)' live --input - --rate 44100", enter: true)
        let running = session.waitFor(timeout: 20) { Self.allTitles($0) && $0.contains("pipe: -") }
        #expect(running != nil, "the studio did not show the pipe: \(session.capture())")
        session.type("q")
        let after = session.waitFor(timeout: 8) { screen in
            !screen.contains(" Spectrum ")
                && screen.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix(TmuxSession.prompt.trimmingCharacters(in: .whitespaces))
        }
        #expect(after != nil, "q typed on the terminal did not quit: \(session.capture())")
    }
}
}
