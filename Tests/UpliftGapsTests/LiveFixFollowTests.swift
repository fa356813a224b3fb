import Testing
import UpliftModel
@testable import UpliftGaps

/// The live follow-up of an approved fix: the gap's departure outside the references' p10–p90 in each
/// rolling window, "closing" while audio from before the fix still shares the window, then the measured
/// result once a window lies wholly after it.
struct LiveFixFollowTests {
    /// A presence gap 5.1 dB above the references' p90 (p10–p90 = −2…+2 dB); the fix promises +2.0.
    static let fix = Fix(id: "fix-p", gapID: "gap-p", action: .eq(shape: .bell, frequencyHz: 2800, gainDB: -5, q: 1),
                         scope: .mixBus, expectedEffect: "presence back inside", expectedValue: 2.0, confidence: 0.7, adviceOnly: false)
    static let gap = Gap(id: "gap-p", kind: .feature, feature: "balance.presence_db", section: nil, value: 7.1, unit: "dB",
                         profileP10: -2, profileP50: 0, profileP90: 2, z: 3, percentile: 99, direction: .high, severity: 2,
                         importance: 0.8, fixability: 0.9, priority: 1.5, reason: "bright", fixes: [fix])
    static let barS = 240.0 / 138

    func follower(appliedAtS: Double = 100) -> LiveFixFollow {
        var follow = LiveFixFollow()
        follow.start(fix: Self.fix, of: Self.gap, appliedAtS: appliedAtS)
        return follow
    }

    @Test func closingWhileOldAudioSharesTheWindowThenTheMeasuredResult() throws {
        var follow = follower()
        // A window that ended before the fix says nothing about it.
        #expect(follow.observe(measured: ["balance.presence_db": 7.0], windowStartS: 40, windowEndS: 99, barS: Self.barS).isEmpty)
        // 8 bars after the fix, the window (32 bars) still holds 24 bars from before it.
        let eight = 100 + 8 * Self.barS
        let first = try #require(follow.observe(measured: ["balance.presence_db": 3.8], windowStartS: eight - 32 * Self.barS,
                                                windowEndS: eight, barS: Self.barS).first)
        #expect(first.line == "closing: +5.1 dB → +1.8 dB over 8 bars")
        #expect(!first.isFinal && first.phase == .closing)
        // 32 bars after: the whole window is after the fix — the measured result, then nothing more is followed.
        let end = 100 + 32 * Self.barS
        let last = try #require(follow.observe(measured: ["balance.presence_db": 2.9], windowStartS: 100, windowEndS: end, barS: Self.barS).first)
        #expect(last.isFinal && last.phase == .narrowed)
        #expect(last.line.hasPrefix("narrowed: +5.1 dB → +0.9 dB (82 % of the gap closed), measured on 32 bars all after the fix"), "\(last.line)")
        #expect(!last.fellShort, "7.1 → 2.9 is more than half of the promised 7.1 → 2.0")
        #expect(follow.followed.isEmpty)
        #expect(follow.observe(measured: ["balance.presence_db": 2.0], windowStartS: 110, windowEndS: end + 7, barS: Self.barS).isEmpty)
    }

    @Test func closedInsideTheReferencesAndWideningAndAFixThatFellShort() throws {
        var closed = follower()
        let done = try #require(closed.observe(measured: ["balance.presence_db": 1.2], windowStartS: 100.5, windowEndS: 156,
                                               barS: Self.barS).first)
        #expect(done.phase == .closed && done.line.hasPrefix("closed: +5.1 dB → +0.0 dB (inside the references)"), "\(done.line)")

        var widening = follower()
        // 1 bar after the fix in a 32-bar window: too little of it is new audio to judge.
        let early = try #require(widening.observe(measured: ["balance.presence_db": 8.4], windowStartS: 100 + Self.barS - 32 * Self.barS,
                                                  windowEndS: 100 + Self.barS, barS: Self.barS).first)
        #expect(early.phase == .measuring && early.line == "measuring: 1 bar of the window's 32 bars played since the fix (was +5.1 dB)")
        let wide = try #require(widening.observe(measured: ["balance.presence_db": 8.4], windowStartS: 85, windowEndS: 107,
                                                 barS: Self.barS).first)
        #expect(wide.line == "widening: +5.1 dB → +6.4 dB over 4 bars")

        var short = follower()
        let little = try #require(short.observe(measured: ["balance.presence_db": 6.0], windowStartS: 100, windowEndS: 150, barS: nil).first)
        #expect(little.phase == .narrowed && little.fellShort)
        #expect(little.line.contains("measured on 50 s all after the fix; the fix promised 2.00, measured 6.00"), "\(little.line)")
    }

    @Test func aMovePastTheOtherEdgeIsAnOvershootNotAClose() throws {
        var follow = follower()
        // p10–p90 = −2…+2: from 5.1 above to 1.5 below.
        let past = try #require(follow.observe(measured: ["balance.presence_db": -3.5], windowStartS: 90, windowEndS: 100 + 12 * Self.barS,
                                               barS: Self.barS).first)
        #expect(past.phase == .overshot && past.line.hasPrefix("overshooting (past the references' range on the other side): +5.1 dB → -1.5 dB"), "\(past.line)")
        let final = try #require(follow.observe(measured: ["balance.presence_db": -3.5], windowStartS: 100, windowEndS: 160, barS: Self.barS).first)
        #expect(final.isFinal && final.line.hasPrefix("overshot: +5.1 dB → -1.5 dB (past the references' range on the other side)"), "\(final.line)")
    }

    @Test func aFeatureTheWindowDoesNotMeasureWaitsAndStoppingForgets() {
        var follow = follower()
        #expect(follow.observe(measured: ["stereo.side_mid_ratio": 0.3], windowStartS: 90, windowEndS: 110, barS: Self.barS).isEmpty)
        #expect(follow.followedFixIDs == ["fix-p"])
        follow.stop(fixID: "fix-p")
        #expect(follow.observe(measured: ["balance.presence_db": 3], windowStartS: 100, windowEndS: 160, barS: Self.barS).isEmpty)
    }
}
