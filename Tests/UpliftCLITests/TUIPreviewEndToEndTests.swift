import Foundation
import Testing

extension TerminalEndToEnd {
/// `uplift tui-preview` in a real terminal (tmux): the ncurses backend, key decoding, resize and restore.
@Suite(.serialized) struct TUIPreviewEndToEndTests {
    static let titles = ["Spectrum", "Loudness", "Energy", "Trance score"]

    /// The region of the screen inside the Spectrum pane (top-left rows), which moves every frame.
    static func spectrumRows(_ screen: String) -> [Substring] {
        Array(screen.split(separator: "\n", omittingEmptySubsequences: false).prefix(18))
    }

    @Test(.enabled(if: TmuxSession.isAvailable && UpliftExecutable.url != nil))
    func previewShowsPanesMovesHelpsThemesResizesAndQuitsToThePrompt() throws {
        let uplift = try #require(UpliftExecutable.url)
        let session = try TmuxSession(width: 120, height: 40)
        defer { session.kill() }
        session.type("'\(uplift.path)' tui-preview", enter: true)

        // Every pane title.
        progress("Every pane title.")
        // (A capture can catch a frame half written, so wait for the whole of it: titles, axis, status line.)
        let first = try #require(session.waitFor(timeout: 20) { screen in
            Self.titles.allSatisfy { screen.contains(" \($0) ") } && screen.contains("10k") && screen.contains("q quit")
        }, "pane titles never appeared: \(session.capture())")
        check(first.contains("138.0 BPM"))
        check(first.contains(" 50 ") && first.contains(" 1k ") && first.contains(" 10k "))

        // Values change between two captures.
        progress("Values change between two captures.")
        Thread.sleep(forTimeInterval: 0.5)
        let second = try #require(session.waitFor(timeout: 5) { Self.spectrumRows($0) != Self.spectrumRows(first) },
                                  "the spectrum did not move")
        check(Self.spectrumRows(second) != Self.spectrumRows(first))

        // Help opens and closes.
        progress("Help opens and closes.")
        session.type("?")
        let help = try #require(session.waitFor(timeout: 5) { $0.contains("show / hide this help") }, "help did not open")
        check(help.contains("zoom the focused pane"))
        check(help.contains("quit"))
        session.type("?")
        check(session.waitFor(timeout: 5) { !$0.contains("show / hide this help") } != nil, "help did not close")

        // The theme cycles: the notice says so and the colours on screen change.
        progress("The theme cycles: the notice says so and the colours on screen change.")
        let darkColours = session.capture(escapes: true)
        session.type("t")
        check(session.waitFor(timeout: 5) { $0.contains("theme: light") } != nil, "theme did not cycle")
        let lightColours = try #require(session.waitFor(timeout: 5, escapes: true) { $0.contains("theme: light") })
        let coloursChanged = Self.backgroundCodes(lightColours) != Self.backgroundCodes(darkColours)
        check(coloursChanged, "background colours \(Self.backgroundCodes(darkColours).sorted()) did not change")

        // Focus and zoom.
        progress("Focus and zoom.")
        session.press("Tab")
        session.type("z")
        let zoomed = try #require(session.waitFor(timeout: 5) { $0.contains(" Trance score ") && !$0.contains(" Spectrum ") },
                                  "zoom did not show the focused pane alone: \(session.capture())")
        check(zoomed.contains("Tempo steady"))
        session.type("z")
        check(session.waitFor(timeout: 5) { screen in Self.titles.allSatisfy { screen.contains(" \($0) ") } } != nil)

        // Resize: smaller still fits, too small says so, back again.
        progress("Resize: smaller still fits, too small says so, back again.")
        session.resize(width: 90, height: 28)
        let resizedScreen = session.waitFor(timeout: 5) { screen in
            let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
            return lines.count >= 28 && lines[27].contains("? help") && Self.titles.allSatisfy { screen.contains(" \($0) ") }
        }
        if resizedScreen == nil { progress("FAILED at 90x28:\n" + session.capture()) }
        let resized = try #require(session.waitFor(timeout: 1) { screen in
            let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
            return lines.count >= 28 && lines[27].contains("? help") && Self.titles.allSatisfy { screen.contains(" \($0) ") }
        }, "no redraw at 90×28: \(session.capture())")
        check(resized.split(separator: "\n").allSatisfy { $0.count <= 90 })
        session.resize(width: 60, height: 20)
        check(session.waitFor(timeout: 5) { $0.contains("Enlarge to 80×24") } != nil, "no enlarge message: \(session.capture())")
        session.resize(width: 120, height: 40)
        check(session.waitFor(timeout: 5) { screen in Self.titles.allSatisfy { screen.contains(" \($0) ") } } != nil)

        // q restores the terminal: the prompt is back and the panes are gone.
        progress("q restores the terminal: the prompt is back and the panes are gone.")
        session.type("q")
        let after = try #require(session.waitFor(timeout: 5) { screen in
            !screen.contains(" Spectrum ") && screen.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix(TmuxSession.prompt.trimmingCharacters(in: .whitespaces))
        }, "the shell prompt did not come back: \(session.capture())")
        check(after.contains("tui-preview"))
    }

    @Test(.enabled(if: TmuxSession.isAvailable && UpliftExecutable.url != nil))
    func sigtermRestoresTheTerminalAndABrokenThemeIsReported() throws {
        let uplift = try #require(UpliftExecutable.url)
        let themes = FileManager.default.temporaryDirectory.appendingPathComponent("uplift-e2e-theme-\(UUID().uuidString).toml")
        try "name = \"bad\"\n[roles]\ntext = { fg = \"nope\" }\n".write(to: themes, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: themes) }
        let pidFile = FileManager.default.temporaryDirectory.appendingPathComponent("uplift-e2e-\(UUID().uuidString).pid")
        defer { try? FileManager.default.removeItem(at: pidFile) }
        // 200 columns: the status line cuts a long message with `…` before the position, tempo and key,
        // and this one carries a /tmp path before its line number.
        let session = try TmuxSession(width: 200, height: 40, environment: ["NO_COLOR": "1"])
        defer { session.kill() }
        // `exec` keeps the shell's pid for uplift, so the test signals exactly the process it started.
        progress("`exec` keeps the shell's pid for uplift, so the test signals exactly the process it started.")
        session.type("sh -c 'echo $$ > \(pidFile.path); exec \"$0\" tui-preview --theme \"$1\"' '\(uplift.path)' '\(themes.path)'",
                     enter: true)
        let running = session.waitFor(timeout: 20) { $0.contains(" Spectrum ") && $0.contains("line 3") }
        #expect(running != nil, "preview did not start, or the theme error did not name its line in the status line")
        // NO_COLOR: attributes only, no colour escapes.
        progress("NO_COLOR: attributes only, no colour escapes.")
        let escapes = session.capture(escapes: true)
        #expect(!escapes.contains("[38;") && !escapes.contains(";38;") && !escapes.contains("[48;") && !escapes.contains(";48;"))
        let pidText = try String(contentsOf: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let pid = try #require(Int32(pidText))
        #expect(Foundation.kill(pid, SIGTERM) == 0)
        let after = try #require(session.waitFor(timeout: 10) { !$0.contains(" Spectrum ") && $0.contains("uplift: theme") },
                                 "terminal not restored after SIGTERM: \(session.capture())")
        #expect(after.contains("line 3"))
        session.type("echo alive", enter: true)
        #expect(session.waitFor(timeout: 5) { $0.contains("\nalive") } != nil, "the shell does not answer after SIGTERM")
    }

    /// Notes how far the test got, in a file: a failing step's issue text can be lost in the test log
    /// when it quotes a whole screen.
    func progress(_ step: String) {
        let path = NSTemporaryDirectory() + "uplift-e2e-progress.txt"
        if let handle = FileHandle(forWritingAtPath: path) {
            handle.seekToEndOfFile(); handle.write(Data((step + "\n").utf8)); handle.closeFile()
        } else {
            FileManager.default.createFile(atPath: path, contents: Data((step + "\n").utf8))
        }
    }

    /// `#expect` that also notes the failing line in the progress file.
    func check(_ condition: Bool, _ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
        if !condition { progress("FAILED check at line \(sourceLocation.line)") }
        #expect(condition, comment, sourceLocation: sourceLocation)
    }

    /// The background colour escape codes in a capture (`48;…`), as a set.
    static func backgroundCodes(_ screen: String) -> Set<String> {
        var codes: Set<String> = []
        var rest = Substring(screen)
        while let range = rest.range(of: "48;") {
            let tail = rest[range.upperBound...]
            codes.insert(String(tail.prefix { $0 != "m" && $0 != "\u{1b}" }))
            rest = tail
        }
        return codes
    }
}
}
