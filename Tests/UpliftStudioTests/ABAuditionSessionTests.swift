import Foundation
import Synchronization
import Testing
import UpliftGaps
import UpliftModel
import UpliftProfile
import UpliftTUI
@testable import UpliftStudio

/// `A` in the studio: the A/B session of an audition plays the mix as it is (slot 0) against the mix
/// with the fix rendered (slot 1), from the studio's playhead, loudness-matched, and its blind mode
/// asks which the producer prefers and hands each pick to the feedback record.
@Suite(.serialized) struct ABAuditionSessionTests {
    /// 30 s of two sines (440 Hz left, 660 Hz right) at −12 dBFS: levels known by construction.
    static func mix() -> StereoAudio {
        let rate = 44_100.0, frames = Int(30 * rate), amplitude = Float(pow(10, -12.0 / 20))
        var samples = [Float](repeating: 0, count: 2 * frames)
        for i in 0..<frames {
            samples[2 * i] = amplitude * Float(sin(2 * Double.pi * 440 * Double(i) / rate))
            samples[2 * i + 1] = amplitude * Float(sin(2 * Double.pi * 660 * Double(i) / rate))
        }
        return StereoAudio(samples: samples, sampleRate: rate)
    }

    static func waitUntil(timeout: Double, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition() { return true }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return condition()
    }

    @Test func theAuditionPlaysTheFixMatchedFromThePlayheadAndRecordsBlindPreferences() throws {
        let mix = Self.mix()
        let fix = Fix(id: "fix-gain", gapID: "gap-level", action: .gain(gainDB: 3), scope: .mixBus, expectedEffect: "",
                      expectedValue: nil, confidence: 1, adviceOnly: false)
        let audition = FixAudition(renderer: try FixRenderer(plan: try AuditionPlan.make(for: fix, mix: nil), mix: mix))
        let picks = Mutex<[FeedbackStore.Decision.BlindPick.Choice]>([])
        var options = ABSession.Options(mixPath: "/nonexistent/mix.wav", referencePaths: [])
        options.noAudio = true
        options.useCache = false
        options.startS = 12
        options.heading = "gain(+3.0 dB) · integrated loudness"
        options.audition = ABAudition(audition: audition) { choice in picks.withLock { $0.append(choice) } }
        let session = try ABSession(options: options)
        defer { session.stop() }
        try session.start()
        session.startLoading()

        // The studio's playhead: the session starts there, not at the top.
        #expect(Self.waitUntil(timeout: 10) { session.mixer.positionS >= 12 })
        #expect(session.mixer.positionS < 20, "started at \(session.mixer.positionS) s")
        // Slot 1 gets the whole render: the mix 3 dB up, sample for sample (16-bit slots: within 1e-3).
        audition.waitUntilComplete()
        #expect(Self.waitUntil(timeout: 30) { session.viewState().slots[1].notice == nil }, "\(session.viewState().slots[1])")
        let view = session.viewState()
        #expect(view.slots.map(\.name) == ["as it is", "with the fix"])
        #expect(view.heading == "gain(+3.0 dB) · integrated loudness")
        #expect(view.blindPrefers)
        let b = try #require(session.mixer.track(in: 1))
        let up = Float(pow(10, 3.0 / 20))
        for frame in [0, 100_000, 500_000, 1_000_000] {
            #expect(abs(b.sample(2 * frame) - up * mix.samples[2 * frame]) < 1e-3)
            #expect(abs(b.sample(2 * frame + 1) - up * mix.samples[2 * frame + 1]) < 1e-3)
        }
        // Loudness-matched: the fix is not judged by its 3 dB.
        let gains = session.gainsDB()
        #expect(abs((gains[1] - gains[0]) + 3) < 0.1, "gains \(gains)")

        // Blind: X and Y in a drawn order, their levels hidden; a slot key plays the hidden one.
        session.handle(.toggleBlind)
        let order = session.inner.withLock { $0.blindOrder }
        #expect(Set(order) == [0, 1])
        let blind = session.viewState()
        #expect(blind.blind && blind.slots.map(\.name) == ["X", "Y"])
        #expect(blind.slots.allSatisfy { $0.truePeakDBTP == nil && !$0.isMix })
        session.handle(.select(1))
        #expect(session.inner.withLock { $0.sounding } == order[1])
        // Enter on Y: the pick is what Y was; a new order is drawn and X plays.
        session.handle(.prefer)
        #expect(picks.withLock { $0 } == [order[1] == 0 ? .mix : .fix])
        #expect(session.viewState().blindVerdict?.hasPrefix("you kept Y") == true)
        let next = session.inner.withLock { $0.blindOrder }
        #expect(session.inner.withLock { $0.sounding } == next[0])
        session.handle(.noPreference)
        #expect(picks.withLock { $0 }.last == .noPreference)
        #expect(session.viewState().preferenceTally?.contains("no preference 1") == true)
        // Out of blind mode the slots have their names again.
        session.handle(.toggleBlind)
        #expect(session.viewState().slots.map(\.name) == ["as it is", "with the fix"])
    }
}
