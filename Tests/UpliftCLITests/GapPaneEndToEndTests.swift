import Foundation
import Testing
import UpliftTestSupport

extension TerminalEndToEnd {
/// Issue 7 end to end: the demo opens with its bundled profile in tmux, against the fake AbletonOSC
/// (the exact protocol over UDP on 127.0.0.1, hosted by this test). Approve the top fix and see Live's
/// parameter move; undo and see it restored; reject the next gap and see it dimmed and remembered.
@Suite(.serialized) struct GapPaneEndToEndTests {
    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("uplift-gap-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// The Stereo Width the fake Live shows on the mix bus's Utility.
    static func width(_ fake: FakeAbletonOSC) -> String? {
        fake.valueString(track: "Mix Bus", device: "Utility", parameter: "Stereo Width")
    }

    /// The demo in tmux against a fake AbletonOSC of this test's, with the state, cache and config in a
    /// temporary home; `kill()` ends it all.
    struct DemoAgainstFakeLive {
        let fake: FakeAbletonOSC
        let home: URL
        let session: TmuxSession
        var state: URL { home.appendingPathComponent("state") }

        init(width: Int, height: Int) throws {
            let uplift = try #require(UpliftExecutable.url)
            let (send, listen) = (try freeUDPPort(), try freeUDPPort())
            fake = try FakeAbletonOSC(options: .init(listenPort: send, replyPort: listen, tickMS: 0))
            home = try GapPaneEndToEndTests.folder()
            session = try TmuxSession(width: width, height: height,
                                      environment: ["XDG_STATE_HOME": home.appendingPathComponent("state").path,
                                                    "XDG_CACHE_HOME": home.appendingPathComponent("cache").path,
                                                    "XDG_CONFIG_HOME": home.appendingPathComponent("config").path])
            // `--all`: the demo mix is only about 10 % wider than the widest demo reference, under what a
            // listener hears, so its width gap (the one a Utility moves) is listed only on request, below the
            // audible ones.
            session.type("'\(uplift.path)' demo --no-audio --all --send-port \(send) --listen-port \(listen)", enter: true)
        }

        func kill() {
            session.kill()
            fake.stop()
            try? FileManager.default.removeItem(at: home)
        }

        /// Waits for the report with Live connected, then selects the width gap whose fix is mapped onto the
        /// mix bus's Utility: the screen, and the Stereo Width the fix would set (`60 %`).
        func selectTheUtilityWidthGap(widthBefore: String) throws -> (screen: String, target: String) {
            let loaded = try #require(session.waitFor(timeout: 90) { screen in
                screen.contains(" Gaps ") && screen.contains("Live: connected") && screen.contains("inaudible")
            }, "the gap pane never showed the report with Live connected: \(session.capture())")
            #expect(loaded.contains("against demo"), "the title names the profile: \(loaded)")
            var opened: String?
            for _ in 0..<8 {
                if let screen = session.waitFor(timeout: 2, { $0.contains("on Mix Bus / Utility") && $0.contains("Stereo Width:") }) {
                    opened = screen
                    break
                }
                session.type("j")
            }
            let screen = try #require(opened, "no gap with a mapped Utility fix: \(session.capture())")
            let target = try #require(screen.split(separator: "\n").compactMap { line -> String? in
                guard let range = line.range(of: "Stereo Width: \(widthBefore) → ") else { return nil }
                return line[range.upperBound...].split(separator: " ").first.map { "\($0) %" }
            }.first, "the fix shows Live's parameter old → new: \(screen)")
            return (screen, target)
        }
    }

    static func waitUntil(timeout: Double, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition() { return true }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return condition()
    }

    @Test(.enabled(if: TmuxSession.isAvailable && UpliftExecutable.url != nil))
    func demoApprovesUndoesAndRejectsAgainstTheFakeLive() throws {
        let demo = try DemoAgainstFakeLive(width: 160, height: 48)
        defer { demo.kill() }
        let (fake, session, state) = (demo.fake, demo.session, demo.state)
        let widthBefore = try #require(Self.width(fake))
        // The demo renders its arrangement, analyses it and opens the gap view once the report is in
        // and Live (the fake) answered; the width gap's fix is mapped onto the mix bus's Utility.
        let (screen, target) = try demo.selectTheUtilityWidthGap(widthBefore: widthBefore)
        #expect(screen.contains("wider than the widest of your references"), "the selected gap is the demo mix's width: \(screen)")
        #expect(screen.contains("a applies"))

        // Approve: the fake Live's parameter moves and the pane shows the verified read-back.
        session.type("a")
        #expect(Self.waitUntil(timeout: 10) { Self.width(fake) == target }, "Live's Stereo Width did not move to \(target): \(Self.width(fake) ?? "nil")")
        let applied = session.waitFor(timeout: 10) { $0.contains("applied, verified") }
        #expect(applied != nil, "the pane did not show the verified result: \(session.capture())")
        #expect(applied?.contains("Stereo Width = \(target)") ?? false)

        // Undo: Live's value comes back.
        session.type("u")
        #expect(Self.waitUntil(timeout: 10) { Self.width(fake) == widthBefore }, "undo did not restore \(widthBefore): \(Self.width(fake) ?? "nil")")
        #expect(session.waitFor(timeout: 10) { $0.contains("undone: Stereo Width \(target) → \(widthBefore)") } != nil,
                "the pane did not report the undo: \(session.capture())")

        // Reject the next gap: tagged, dimmed (SGR 2), remembered for the profile; Live untouched.
        session.type("j")
        session.type("x")
        #expect(session.waitFor(timeout: 5) { $0.contains("reason (optional):") } != nil, "x did not ask for a reason: \(session.capture())")
        session.type("too wide for me")
        session.press("Enter")
        let rejected = try #require(session.waitFor(timeout: 10) { $0.contains("[rejected]") && $0.contains("not proposed again") },
                                    "the reject did not show: \(session.capture())")
        let line = try #require(rejected.split(separator: "\n").first { $0.contains("rejected") && !$0.contains("[rejected]") && !$0.contains("not proposed") },
                                "no list row tagged rejected")
        let label = line.split(separator: " ").first { $0.contains(".") || $0.contains("spectrum") }.map(String.init) ?? ""
        let colored = session.capture(escapes: true)
        let row = colored.split(separator: "\n").first { $0.contains(label) && $0.contains("rejected") } ?? ""
        #expect(row.contains("\u{1B}[2m") || row.contains(";2m") || row.contains("[2;"), "the rejected row is not dimmed: \(row.debugDescription)")
        let store = state.appendingPathComponent("uplift/rejections.json")
        #expect(Self.waitUntil(timeout: 5) {
            let saved = (try? String(contentsOf: store, encoding: .utf8)) ?? ""
            return saved.contains("\"demo\"") && saved.contains("too wide for me")
        }, "the rejection and its reason were not saved for the profile")
        #expect(Self.width(fake) == widthBefore)

        // History lists what happened, most recent first.
        session.type("h")
        let history = session.waitFor(timeout: 5) { $0.contains("History and notes (h: detail)") }
        #expect(history?.contains("rejected") ?? false)
        #expect(history?.contains("undone") ?? false)
        #expect(history?.contains("applied") ?? false)

        session.type("q")
        #expect(session.waitFor(timeout: 10) { screen in
            !screen.contains(" Gaps ")
                && screen.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix(TmuxSession.prompt.trimmingCharacters(in: .whitespaces))
        } != nil, "q did not return to the shell: \(session.capture())")
    }
}
}
