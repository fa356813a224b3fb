import Foundation
import Testing
import UpliftTestSupport

extension TerminalEndToEnd {
/// Issues 16 and 17 end to end, in tmux against the fake AbletonOSC: in the demo's gap pane, `A`
/// auditions the width fix (the mix as it is against the mix with the fix, rendered by Uplift), a blind
/// pick is recorded for learning, `a` there applies the fix in Live; `b` opens the A/B view with the
/// profile's references nearest its median width, and `b` comes back to the gaps.
@Suite(.serialized) struct StudioABEndToEndTests {
    @Test(.enabled(if: TmuxSession.isAvailable && UpliftExecutable.url != nil))
    func auditionABlindPickApproveAndReferencesFromTheGapPane() throws {
        let demo = try GapPaneEndToEndTests.DemoAgainstFakeLive(width: 120, height: 40)
        defer { demo.kill() }
        let (fake, session, state) = (demo.fake, demo.session, demo.state)
        let widthBefore = try #require(GapPaneEndToEndTests.width(fake))
        let (_, target) = try demo.selectTheUtilityWidthGap(widthBefore: widthBefore)

        // A: the audition opens on the rendered fix; Live is not touched.
        session.type("A")
        let audition = try #require(session.waitFor(timeout: 60) { $0.contains("Audition") && $0.contains("with the fix") && $0.contains("as it is") },
                                    "A did not open the audition: \(session.capture())")
        #expect(audition.contains("utility(width"), "the heading names the fix: \(audition)")
        #expect(GapPaneEndToEndTests.width(fake) == widthBefore)

        // Blind: X and Y; Enter keeps Y, revealed, and recorded in the feedback beside the rejections.
        session.type("x")
        #expect(session.waitFor(timeout: 10) { $0.contains("BLIND: 0 plays X, 1 plays Y") } != nil, "x did not start the blind audition: \(session.capture())")
        session.type("1")
        session.press("Enter")
        let revealed = session.waitFor(timeout: 10) { $0.contains("you kept Y:") }
        #expect(revealed != nil, "the pick was not revealed: \(session.capture())")
        let feedback = state.appendingPathComponent("uplift/feedback.json")
        #expect(GapPaneEndToEndTests.waitUntil(timeout: 5) {
            let saved = (try? String(contentsOf: feedback, encoding: .utf8)) ?? ""
            return saved.contains("\"blind_pick\"") && saved.contains("\"mix_vs_fix\"") && saved.contains("utility:width")
        }, "the blind pick was not recorded for learning")

        // a: the auditioned fix goes to Live, verified, and the screen is the gap pane again.
        session.type("a")
        #expect(GapPaneEndToEndTests.waitUntil(timeout: 15) { GapPaneEndToEndTests.width(fake) == target },
                "Live's Stereo Width did not move to \(target): \(GapPaneEndToEndTests.width(fake) ?? "nil")")
        #expect(session.waitFor(timeout: 15) { $0.contains(" Gaps ") && $0.contains("applied, verified") } != nil,
                "the gap pane did not show the verified fix: \(session.capture())")

        // b on the width gap: the references nearest the profile's median width (the demo's, rendered).
        session.type("b")
        let references = try #require(session.waitFor(timeout: 120) { $0.contains("refs at your median stereo width") && $0.contains("demo-reference-") },
                                      "b did not open the A/B view with references: \(session.capture())")
        #expect(references.contains("mix: demo-trance"), "slot 0 is the mix: \(references)")
        // Slot 1 plays once it is decoded (its loudness is shown then).
        #expect(session.waitFor(timeout: 60) { $0.split(separator: "\n").contains { $0.contains("1 demo-reference-") && $0.contains("LUFS") } } != nil,
                "the first reference did not load: \(session.capture())")
        session.type("1")
        #expect(session.waitFor(timeout: 30) { $0.contains("▶ 1 demo-reference-") } != nil, "1 did not switch to the first reference: \(session.capture())")
        // A blind guess against the references goes into the same feedback record, with the gap's feature.
        session.type("x")
        #expect(session.waitFor(timeout: 10) { $0.contains("BLIND: what plays?") } != nil, "x did not start the blind test: \(session.capture())")
        session.type("0")
        #expect(session.waitFor(timeout: 10) { $0.contains("it was") } != nil, "the guess was not scored: \(session.capture())")
        #expect(GapPaneEndToEndTests.waitUntil(timeout: 5) {
            let saved = (try? String(contentsOf: feedback, encoding: .utf8)) ?? ""
            // (Which slot played is drawn at random: the mix, or a reference named in the record.)
            return saved.contains("\"mix_vs_reference\"")
        }, "the guess against a reference was not recorded")
        session.type("b")
        #expect(session.waitFor(timeout: 10) { $0.contains(" Gaps ") && !$0.contains("refs at your median") } != nil,
                "b did not come back to the gaps: \(session.capture())")
        session.type("q")
        #expect(session.waitFor(timeout: 10) { screen in
            !screen.contains(" Gaps ")
                && screen.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix(TmuxSession.prompt.trimmingCharacters(in: .whitespaces))
        } != nil, "q did not return to the shell: \(session.capture())")
    }
}
}
