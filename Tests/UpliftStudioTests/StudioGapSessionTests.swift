import Foundation
import Synchronization
import Testing
import UpliftAbleton
import UpliftGaps
import UpliftModel
import UpliftProfile
import UpliftStudio
import UpliftTUI
import UpliftTestSupport

/// The studio's gap session without a terminal: the report built from an analysis, mapped onto the fake
/// AbletonOSC's set over real UDP, a fix approved and undone through the bridge, a gap rejected into the
/// store, Live going away and coming back, and a re-export measured. Everything the session says arrives
/// as the actions the TUI's reducer would get, in order.
@Suite(.serialized) struct StudioGapSessionTests {
    @Test func approveUndoRejectReconnectAndReExport() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("uplift-studio-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let livePort = try freeUDPPort(), replyPort = try freeUDPPort()
        var fake: FakeAbletonOSC? = try FakeAbletonOSC(options: .init(listenPort: livePort, replyPort: replyPort, tickMS: 20))
        defer { fake?.stop() }

        let settings = try Self.settings(dir: dir, livePort: livePort, replyPort: replyPort)
        let session = StudioGapSession(settings: settings)
        let inbox = ActionInbox()
        await session.attach { inbox.post($0) }
        await session.startBridge()
        defer { Task { await session.stop() } }

        // Connected, then the mix's report, mapped onto the set's mix bus.
        _ = try await inbox.next { if case .bridgeStateChanged(.connected) = $0 { true } else { false } }
        await session.analysisArrived(StudioFixtures.mix(presenceDB: 6), sequence: 1)
        let report = try await inbox.nextReport { $0.gaps.contains { $0.fixes.first?.isApplicable == true } }
        let gap = try #require(report.gaps.first { $0.fixes.first?.isApplicable == true && $0.fixes.first?.device == "EQ Eight" })
        let fix = try #require(gap.fixes.first)
        #expect(fix.track == "Mix Bus")
        let gain = try #require(fix.parameters.first { $0.name.hasSuffix("Gain A") })

        // Approve: applied through the bridge, journalled, and Live holds the new value.
        session.effects.perform(.applyFix(fix)) { inbox.post($0) }
        let applied = try await inbox.next { if case .fixApplied = $0 { true } else if case .fixFailed = $0 { true } else { false } }
        guard case .fixApplied(let appliedID, let summary) = applied else { Issue.record("\(applied)"); return }
        #expect(appliedID == fix.id && summary.contains("\(gain.name) = \(gain.newText)"), "\(summary)")
        #expect(fake?.valueString(track: "Mix Bus", device: "EQ Eight", parameter: gain.name) == gain.newText)
        #expect(session.effects.appliedFixIDs == [fix.id])

        // Undo: the journal group names the fix, Live is back where it was.
        session.effects.perform(.undoLastFix) { inbox.post($0) }
        let undone = try await inbox.next { if case .fixUndone = $0 { true } else if case .fixHistoryFailed = $0 { true } else { false } }
        guard case .fixUndone(let undoneID, _) = undone else { Issue.record("\(undone)"); return }
        #expect(undoneID == fix.id)
        #expect(fake?.valueString(track: "Mix Bus", device: "EQ Eight", parameter: gain.name) == gain.oldText)
        #expect(session.effects.appliedFixIDs.isEmpty)

        // A re-export with the presence bump halved: the report says the gap narrowed (measured, not assumed).
        await session.analysisArrived(StudioFixtures.mix(presenceDB: 3), sequence: 2)
        let remeasured = try await inbox.next { if case .gapsRemeasured = $0 { true } else { false } }
        guard case .gapsRemeasured(let measurement) = remeasured else { return }
        #expect(measurement.headline.hasPrefix("re-export measured:") && measurement.headline.contains("narrowed"), "\(measurement.headline)")
        #expect(measurement.lineByGapID[gap.id]?.contains("narrowed") == true, "\(measurement.lines)")
        // An older export's analysis arriving late is ignored.
        await session.analysisArrived(StudioFixtures.mix(presenceDB: 6), sequence: 1)

        // Reject: remembered in the store for this profile.
        session.effects.perform(.rejectFix(gapID: gap.id, reason: "I like it bright")) { inbox.post($0) }
        let store = RejectionStore(path: settings.rejectionsPath)
        try await waitUntil { (try? store.rejectedIDs(profile: settings.profile.name))?.contains(gap.id) == true }
        // Every decision is recorded for learning beside the rejections: approved, undone, rejected (with the reason).
        let feedback = FeedbackStore(path: (settings.rejectionsPath as NSString).deletingLastPathComponent + "/feedback.json")
        try await waitUntil { ((try? feedback.decisions(profile: settings.profile.name)) ?? []).count >= 3 }
        let decisions = try feedback.decisions(profile: settings.profile.name)
        #expect(decisions.map(\.kind) == [.approved, .undone, .rejected], "\(decisions)")
        #expect(decisions.allSatisfy { $0.gapID == gap.id } && decisions[0].fixID == fix.id && decisions[2].reason == "I like it bright")

        // Live goes away (the pane turns read-only), and comes back on the same ports: the report is mapped
        // again, with the rejected gap flagged and moved last.
        fake?.stop()
        fake = nil
        _ = try await inbox.next { $0 == .bridgeStateChanged(.absent) }
        fake = try FakeAbletonOSC(options: .init(listenPort: livePort, replyPort: replyPort, tickMS: 20))
        _ = try await inbox.next { if case .bridgeStateChanged(.connected) = $0 { true } else { false } }
        let after = try await inbox.nextReport { _ in true }
        #expect(after.gaps.last?.id == gap.id && after.gaps.last?.rejected == true)
        #expect(after.gaps.first { $0.id == gap.id }?.fixes.first?.track == "Mix Bus", "mapped onto the set again")
    }

    /// `uplift live` with Live connected: Live's tempo and beat pushes reach the listener (the analyzer's grid),
    /// a tempo change in Live arrives as one, and losing Live says so with `nil`.
    @Test func livesTransportReachesTheListenerWhileConnected() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("uplift-studio-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let livePort = try freeUDPPort(), replyPort = try freeUDPPort()
        var fake: FakeAbletonOSC? = try FakeAbletonOSC(options: .init(listenPort: livePort, replyPort: replyPort, tickMS: 20))
        defer { fake?.stop() }
        let session = StudioGapSession(settings: try Self.settings(dir: dir, livePort: livePort, replyPort: replyPort))
        let pushes = Mutex<[TransportPush?]>([])
        await session.listenToTransport { push in pushes.withLock { $0.append(push) } }
        let inbox = ActionInbox()
        await session.attach { inbox.post($0) }
        await session.startBridge()
        defer { Task { await session.stop() } }
        _ = try await inbox.next { if case .bridgeStateChanged(.connected) = $0 { true } else { false } }
        try await waitUntil { pushes.withLock { $0.contains(.tempo(138)) } }
        fake?.setPlaying(true)
        try await waitUntil { pushes.withLock { $0.filter { if case .beat = $0 { true } else { false } }.count >= 2 } }
        fake?.setTempo(140)
        try await waitUntil { pushes.withLock { $0.contains(.tempo(140)) } }
        let beats = pushes.withLock { $0.compactMap { if case .beat(let b)? = $0 { b } else { nil } } }
        #expect(beats == beats.sorted(), "beats arrive in order: \(beats)")
        fake?.stop()
        fake = nil
        try await waitUntil { pushes.withLock { $0.last == .some(nil) } }
    }

    /// `uplift live --profile`: a fix approved through the fake AbletonOSC is followed in the rolling windows
    /// that come after it — "closing" while the window still holds audio from before the fix, then the measured
    /// result once a window lies wholly after it — and a window-by-window re-measure is not sent in its place.
    @Test func anApprovedFixIsFollowedInTheLiveWindowUntilMeasured() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("uplift-studio-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let livePort = try freeUDPPort(), replyPort = try freeUDPPort()
        let fake = try FakeAbletonOSC(options: .init(listenPort: livePort, replyPort: replyPort, tickMS: 20))
        defer { fake.stop() }
        var settings = try Self.settings(dir: dir, livePort: livePort, replyPort: replyPort)
        settings.liveWindow = true
        let session = StudioGapSession(settings: settings)
        // The stream clock: where the input was when Live verified the fix.
        let streamS = Mutex(0.0)
        session.effects.setStreamClock { streamS.withLock { $0 } }
        let inbox = ActionInbox()
        await session.attach { inbox.post($0) }
        await session.startBridge()
        defer { Task { await session.stop() } }
        _ = try await inbox.next { if case .bridgeStateChanged(.connected) = $0 { true } else { false } }

        let bar = 240.0 / 138, windowS = 32 * bar
        func window(endingAt end: Double) -> LiveWindowTiming { LiveWindowTiming(startS: max(0, end - windowS), endS: end, barS: bar) }
        await session.analysisArrived(StudioFixtures.mix(presenceDB: 6), sequence: 1, window: window(endingAt: 60))
        let report = try await inbox.nextReport { $0.gaps.contains { $0.fixes.first?.isApplicable == true && $0.fixes.first?.device == "EQ Eight" } }
        let gap = try #require(report.gaps.first { $0.fixes.first?.isApplicable == true && $0.fixes.first?.device == "EQ Eight" })
        let fix = try #require(gap.fixes.first)

        streamS.withLock { $0 = 62 }
        session.effects.perform(.applyFix(fix)) { inbox.post($0) }
        let applied = try await inbox.next { if case .fixApplied = $0 { true } else if case .fixFailed = $0 { true } else { false } }
        guard case .fixApplied = applied else { Issue.record("\(applied)"); return }
        #expect(session.effects.appliedAtS(fix.id) == 62)

        // 8 bars after the fix: the window still holds 24 bars from before it, the presence bump is half gone.
        await session.analysisArrived(StudioFixtures.mix(presenceDB: 4), sequence: 2, window: window(endingAt: 62 + 8 * bar))
        let closing = try await inbox.next { if case .liveFixFollowed = $0 { true } else { false } }
        guard case .liveFixFollowed(let lines) = closing, let line = lines.first else { return }
        #expect(line.gapID == gap.id && !line.isFinal)
        #expect(line.text.hasPrefix("closing: +") && line.text.hasSuffix("over 8 bars"), "\(line.text)")
        // A window wholly after the fix, the bump gone: the measured result.
        await session.analysisArrived(StudioFixtures.mix(presenceDB: 0), sequence: 3, window: window(endingAt: 62 + windowS + 1))
        let measured = try await inbox.next { if case .liveFixFollowed = $0 { true } else { false } }
        guard case .liveFixFollowed(let finals) = measured, let final = finals.first else { return }
        #expect(final.isFinal && final.text.hasPrefix("closed: ") && final.text.contains("all after the fix"), "\(final.text)")
        // Nothing is followed after the result, and no export-style re-measure was sent for the live windows.
        await session.analysisArrived(StudioFixtures.mix(presenceDB: 0), sequence: 4, window: window(endingAt: 62 + windowS + 8))
        _ = try await inbox.nextReport { _ in true }
        try await Task.sleep(for: .milliseconds(300))
        #expect(inbox.all.filter { if case .liveFixFollowed = $0 { true } else { false } }.count == 2)
        #expect(!inbox.all.contains { if case .gapsRemeasured = $0 { true } else { false } })
    }

    /// The session's settings against the fake AbletonOSC on these ports, its journal and rejections in `dir`.
    static func settings(dir: URL, livePort: UInt16, replyPort: UInt16) throws -> StudioGapSession.Settings {
        let bridge = BridgeOptions(endpoint: AbletonEndpoint(liveHost: "127.0.0.1", sendPort: livePort, listenHost: "127.0.0.1",
                                                             listenPort: replyPort),
                                   requestTimeout: .seconds(2), journalDirectory: dir.appendingPathComponent("journal"))
        return StudioGapSession.Settings(profile: try StudioFixtures.profile(), analyzerOptions: GapAnalyzer.Options(),
                                         config: GapsConfig(), bridgeOptions: bridge,
                                         rejectionsPath: dir.appendingPathComponent("rejections.json").path,
                                         retryInterval: .milliseconds(200))
    }

    /// Waits for `condition`, polling; fails after `seconds` (generous: CI machines are loaded).
    func waitUntil(seconds: Double = 20, _ condition: () -> Bool) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while !condition() {
            guard Date() < deadline else { throw StudioTestTimeout(what: "condition") }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}

struct StudioTestTimeout: Error, CustomStringConvertible {
    var what: String
    var description: String { "timed out waiting for \(what)" }
}

/// The actions a session posts, in order; tests take them one by one.
final class ActionInbox: Sendable {
    private let actions = Mutex<[Action]>([])
    private let taken = Mutex(0)

    func post(_ action: Action) { actions.withLock { $0.append(action) } }

    /// Every action posted so far.
    var all: [Action] { actions.withLock { $0 } }

    /// The next action (after those already taken) that matches; the ones skipped are passed over.
    func next(seconds: Double = 20, _ matches: (Action) -> Bool) async throws -> Action {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let found: Action? = actions.withLock { list in
                taken.withLock { start in
                    guard start < list.count, let k = list[start...].firstIndex(where: matches) else { return nil }
                    start = k + 1
                    return list[k]
                }
            }
            if let found { return found }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw StudioTestTimeout(what: "an action; got \(actions.withLock { $0.map { "\($0)".prefix(80) } })")
    }

    func nextReport(_ matches: @escaping (GapReport) -> Bool) async throws -> GapReport {
        let action = try await next {
            switch $0 {
            case .gapReportLoaded(let r), .liveGapReportLoaded(let r): matches(r)
            default: false
            }
        }
        switch action {
        case .gapReportLoaded(let report), .liveGapReportLoaded(let report): return report
        default: throw StudioTestTimeout(what: "a report")
        }
    }
}
