import Foundation
import Testing
@testable import UpliftAbleton
import UpliftModel
import UpliftTestSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One test per defect of issue 14, each written to fail on the bridge as it was before.
@Suite struct DefectTests {
    func change(_ track: String, _ device: String, _ parameter: String, _ value: String, raw: Bool = false) throws -> ParameterChangeRequest {
        ParameterChangeRequest(track: track, device: device, parameter: parameter, target: try ParameterTarget.parse(value, raw: raw))
    }

    // 1. The journal was keyed by the set's names: any edit gave an empty journal.
    @Test func undoSurvivesEditsOfTheSet() async throws {
        let h = try AbletonHarness()
        defer { Task { await h.stop() } }
        _ = try await h.bridge.apply(try change("Kick", "EQ Eight", "4 Gain A", "-3dB"), reason: "cut")
        // The producer adds a device (as Uplift asks: "add Utility to Bass"), renames a track, adds one.
        h.fake.edit { set in
            set.tracks[1].devices.append(.utility(name: "Utility 2"))
            set.tracks[3].name = "Pads"
            set.tracks.append(FakeTrack(name: "Vox", devices: [.eqEight()]))
        }
        let restarted = try await h.restartedBridge()
        defer { Task { await restarted.close() } }
        try await restarted.connect()
        let undone = try await restarted.undo()
        #expect(undone.count == 1)
        #expect(h.fake.rawValue(track: "Kick", device: "EQ Eight", parameter: "4 Gain A") == 0)
    }

    // 2. Actor re-entrancy: a reconnect during an apply settled the apply as "not applied".
    @Test func aReconnectDuringAnApplyWaitsForIt() async throws {
        let h = try AbletonHarness(pauseAfterJournal: .milliseconds(400))
        defer { Task { await h.stop() } }
        try await h.bridge.connect()
        let bridge = h.bridge
        let request = try change("Kick", "EQ Eight", "4 Gain A", "-3dB")
        let applying = Task { try await bridge.apply(request, reason: "slow") }
        try await Task.sleep(for: .milliseconds(150))
        try await bridge.connect()
        let applied = try await applying.value
        #expect(applied.state == .applied)
        let groups = try await bridge.historyGroups()
        #expect(groups.map(\.state) == [.applied])
        #expect(h.fake.valueString(track: "Kick", device: "EQ Eight", parameter: "4 Gain A") == "-3.0 dB")
    }

    // 2. Two changes of one parameter at once both recorded the same stale old value.
    @Test func twoChangesOfOneParameterChainTheirOldValues() async throws {
        let h = try AbletonHarness(pauseAfterJournal: .milliseconds(300))
        defer { Task { await h.stop() } }
        try await h.bridge.connect()
        let bridge = h.bridge
        let original = try #require(h.fake.rawValue(track: "Pad", device: "Utility", parameter: "Gain"))
        let first = Task { try await bridge.apply(try change("Pad", "Utility", "Gain", "-3dB"), reason: "one") }
        try await Task.sleep(for: .milliseconds(100))
        let second = Task { try await bridge.apply(try change("Pad", "Utility", "Gain", "-9dB"), reason: "two") }
        _ = try await (first.value, second.value)
        let groups = try await bridge.historyGroups()
        #expect(groups.count == 2)
        #expect(groups.map(\.state) == [.applied, .applied])
        #expect(rawEqual(groups[1].changes[0].oldRaw, groups[0].changes[0].newRaw))
        _ = try await bridge.undo(count: 2)
        #expect(h.fake.rawValue(track: "Pad", device: "Utility", parameter: "Gain") == original)
    }

    // 3. A correction write had no journal line: a crash after it left the entry "diverged" for ever.
    @Test func aCrashAfterACorrectionWriteIsStillUndoable() async throws {
        let h = try AbletonHarness()
        defer { Task { await h.stop() } }
        // This Live's band-2 frequency spans 20 Hz … 20 kHz, not the map's 10 Hz … 22 kHz: a correction is needed.
        h.fake.misScale(track: "Lead", device: "EQ Eight", parameter: "2 Frequency A", display: .logarithmic(low: 20, high: 20000, unit: "Hz"))
        let old = try #require(h.fake.rawValue(track: "Lead", device: "EQ Eight", parameter: "2 Frequency A"))
        let applied = try await h.bridge.apply(try change("Lead", "EQ Eight", "2 Frequency A", "300Hz"), reason: "near")
        #expect(applied.state == .applied)
        // The crash: the process died before the outcome line reached the disk.
        let url = try await h.bridge.journalURL()
        var lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: true)
        #expect(lines.count >= 3, "intent, at least one write line, outcome")
        lines.removeLast()
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: url)
        let restarted = try await h.restartedBridge()
        defer { Task { await restarted.close() } }
        try await restarted.connect()
        let groups = try await restarted.historyGroups()
        #expect(groups.map(\.state) == [.applied])
        _ = try await restarted.undo()
        #expect(h.fake.rawValue(track: "Lead", device: "EQ Eight", parameter: "2 Frequency A") == old)
    }

    // 3. One timeout while reconciling turned the group into a permanent "diverged".
    @Test func aTimeoutWhileReconcilingIsRetriedNotDiverged() async throws {
        let h = try AbletonHarness(requestTimeout: .milliseconds(300))
        defer { Task { await h.stop() } }
        try await h.bridge.connect()
        let url = try await h.bridge.journalURL()
        let intent = JournalEntry(kind: .intent, groupID: "interrupted", time: Date(), action: .apply, reason: "interrupted",
                                  setFingerprint: "x", changes: [.init(track: "Pad", trackIndex: 3, device: "EQ Eight", deviceClass: "Eq8",
                                                                       deviceIndex: 2, parameter: "6 Gain A", parameterIndex: 29,
                                                                       oldRaw: 0, oldText: "0.0 dB", newRaw: -6)],
                                  state: .pending)
        try Journal(url: url).append(intent)
        h.fake.moveByHand(track: "Pad", device: "EQ Eight", parameter: "6 Gain A", raw: -6)
        let restarted = try await h.restartedBridge()
        defer { Task { await restarted.close() } }
        // Live is busy: the value read and its retry go unanswered.
        h.fake.dropReplies(to: "/live/device/get/parameter/value", count: 2)
        try await restarted.connect()
        #expect(try await restarted.historyGroups().map(\.state) == [.pending])
        #expect(await restarted.warnings.contains { $0.contains("try again") })
        // Next connect, Live answers: the change is found applied, and undoable.
        try await restarted.connect()
        #expect(try await restarted.historyGroups().map(\.state) == [.applied])
        _ = try await restarted.undo()
        #expect(h.fake.rawValue(track: "Pad", device: "EQ Eight", parameter: "6 Gain A") == 0)
    }

    // 4. A value read that succeeded with a display-text read that failed trapped on a force-unwrap.
    @Test func aMissingDisplayTextAfterAWriteIsAnErrorNotACrash() async throws {
        let h = try AbletonHarness(requestTimeout: .milliseconds(300))
        defer { Task { await h.stop() } }
        try await h.bridge.connect()
        h.fake.dropReplies(to: "/live/device/get/parameter/value_string", afterNextSet: 4)
        let error = await abletonError { _ = try await h.bridge.apply(try change("Kick", "EQ Eight", "4 Gain A", "-3dB"), reason: "lost") }
        #expect(error?.code == .liveNotReachable)
        #expect(error?.message.contains("check it") == true)
        // The write did land; the next connect settles it, and undo restores the old value.
        let restarted = try await h.restartedBridge()
        defer { Task { await restarted.close() } }
        try await restarted.connect()
        #expect(try await restarted.historyGroups().map(\.state) == [.applied])
        _ = try await restarted.undo()
        #expect(h.fake.rawValue(track: "Kick", device: "EQ Eight", parameter: "4 Gain A") == 0)
    }

    // 5. A late reply (Live busy past the timeout) was taken by the next read of the same key.
    @Test func aLateReplyIsNotTakenByTheNextRead() async throws {
        let (send, listen) = (try freeUDPPort(), try freeUDPPort())
        let fake = try FakeAbletonOSC(options: .init(listenPort: send, replyPort: listen, tickMS: 0))
        let client = try AbletonOSCClient(endpoint: AbletonEndpoint(sendPort: send, listenPort: listen), requestTimeout: .milliseconds(200))
        defer { client.close(); fake.stop() }
        let tdp: [OSCValue] = [.int32(0), .int32(0), .int32(19)]  // Kick › EQ Eight › 4 Gain A
        #expect(try await client.read("/live/device/get/parameter/value", tdp) == [.float32(0)])
        fake.stall(ms: 500)
        let first = await abletonError { _ = try await client.read("/live/device/get/parameter/value", tdp, retry: false) }
        #expect(first?.code == .timeout)
        // Live, once free, handles in order: the old read (replying 0), this write, the new read.
        try client.write("/live/device/set/parameter/value", tdp + [.float32(-7)])
        let second = try await client.read("/live/device/get/parameter/value", tdp)
        #expect(second == [.float32(-7)])
    }

    // 7. The receive thread held the client: a client nobody held was never freed, its port never released.
    @Test func aClientNobodyHoldsIsFreedAndItsPortReleased() async throws {
        let (send, listen) = (try freeUDPPort(), try freeUDPPort())
        weak var weakClient: AbletonOSCClient?
        do {
            let client = try AbletonOSCClient(endpoint: AbletonEndpoint(sendPort: send, listenPort: listen), requestTimeout: .milliseconds(100))
            weakClient = client
            _ = try? await client.read("/live/test", [], echo: 0, retry: false)
        }
        for _ in 0..<100 where weakClient != nil { try await Task.sleep(for: .milliseconds(10)) }
        #expect(weakClient == nil)
        var again: AbletonOSCClient? = nil
        for _ in 0..<100 where again == nil {
            again = try? AbletonOSCClient(endpoint: AbletonEndpoint(sendPort: send, listenPort: listen))
            if again == nil { try await Task.sleep(for: .milliseconds(10)) }
        }
        #expect(again != nil, "the reply port was never released")
        again?.close()
    }

    // 7. Replies were accepted from any port of Live's host.
    @Test func repliesFromAnotherPortOfLivesHostAreIgnored() async throws {
        let (send, listen) = (try freeUDPPort(), try freeUDPPort())
        let client = try AbletonOSCClient(endpoint: AbletonEndpoint(sendPort: send, listenPort: listen), requestTimeout: .milliseconds(400))
        defer { client.close() }
        // From Live's own host, but another port than AbletonOSC's.
        let forger = try startForgingTestReplies(fromHost: "127.0.0.1", port: try freeUDPPort(), to: listen)
        defer { close(forger) }
        let error = await abletonError { _ = try await client.read("/live/test", [], echo: 0, retry: false) }
        #expect(error?.code == .timeout)
    }
}

/// 6. Errors of `uplift ableton` go to standard error; with --json a stable error object goes to standard output.
@Suite struct CLIErrorTests {
    func errorObject(_ run: UpliftRun) -> (kind: String?, message: String?) {
        let object = try? JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        let error = object?["error"] as? [String: Any]
        return (error?["kind"] as? String, error?["message"] as? String)
    }

    @Test func errorsGoToStandardErrorAndJSONCallersGetAnErrorObject() async throws {
        let ports = ["--send-port", "\(try freeUDPPort())", "--listen-port", "\(try freeUDPPort())"]
        let noLive = try await runUplift(["ableton", "status"] + ports, stateHome: temporaryDirectory())
        #expect(noLive.status != 0)
        #expect(noLive.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "stdout: \(noLive.stdout)")
        #expect(noLive.stderr.contains("no reply to /live/test"))
        let noLiveJSON = try await runUplift(["ableton", "status", "--json"] + ports, stateHome: temporaryDirectory())
        #expect(noLiveJSON.status != 0)
        #expect(errorObject(noLiveJSON).kind == "live_absent")
        #expect(errorObject(noLiveJSON).message?.contains("Ableton Live is not answering") == true)

        let port = try freeUDPPort()
        let holder = try AbletonOSCClient(endpoint: AbletonEndpoint(sendPort: try freeUDPPort(), listenPort: port))
        defer { holder.close() }
        let taken = try await runUplift(["ableton", "get", "Kick", "EQ", "1 Gain A", "--json", "--listen-port", "\(port)"], stateHome: temporaryDirectory())
        #expect(taken.status != 0)
        #expect(errorObject(taken).kind == "port_in_use")
        #expect(taken.stderr.contains("already taken"))
    }

    @Test func notFoundAndAmbiguousHaveStableKinds() async throws {
        let (send, listen) = (try freeUDPPort(), try freeUDPPort())
        let fake = try FakeAbletonOSC(options: .init(listenPort: send, replyPort: listen, tickMS: 0))
        defer { fake.stop() }
        let ports = ["--send-port", "\(send)", "--listen-port", "\(listen)"]
        let home = temporaryDirectory()
        let unknown = try await runUplift(["ableton", "get", "Kik", "EQ", "1 Gain A", "--json"] + ports, stateHome: home)
        #expect(unknown.status != 0)
        #expect(errorObject(unknown).kind == "not_found")
        #expect(unknown.stderr.contains("no track 'Kik'"))
        let ambiguous = try await runUplift(["ableton", "set", "Kick", "EQ Eight", "1", "--json", "-3dB"] + ports, stateHome: home)
        #expect(ambiguous.status != 0)
        #expect(errorObject(ambiguous).kind == "ambiguous")
    }
}
