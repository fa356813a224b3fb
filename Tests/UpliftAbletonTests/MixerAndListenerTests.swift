import Foundation
import Testing
import Synchronization
@testable import UpliftAbleton
import UpliftModel
import UpliftTestSupport

@Suite struct MixerTests {
    func change(_ track: String, _ parameter: String, _ value: String) throws -> ParameterChangeRequest {
        ParameterChangeRequest(track: track, device: "Mixer", parameter: parameter, target: try ParameterTarget.parse(value, raw: false))
    }

    @Test func volumePanAndSendsAreSetJournalledAndUndone() async throws {
        let h = try AbletonHarness()
        defer { Task { await h.stop() } }
        let (_, mixer) = try await h.bridge.parameters(track: "Bass", device: "Mixer")
        #expect(mixer.parameters?.map(\.name) == ["Volume", "Pan", "Send A", "Send B"])
        #expect(mixer.parameters?.first?.valueString == "0.0 dB")

        let volume = try await h.bridge.apply(try change("Bass", "Volume", "-6dB"), reason: "level")
        #expect(volume.changes[0].oldText == "0.0 dB" && volume.changes[0].newText == "-6.0 dB")
        #expect(abs(Double(h.fake.set.tracks[1].volume) - (0.85 - 6.0 / 40)) < 1e-6)
        _ = try await h.bridge.apply(try change("Bass", "Pan", "20L"), reason: "pan")
        #expect(abs(h.fake.set.tracks[1].panning - -0.4) < 1e-6)
        let send = try await h.bridge.apply(try change("Bass", "Send A", "-12dB"), reason: "send")
        #expect(send.changes[0].newText == "-12.0 dB")
        #expect(abs(Double(h.fake.set.tracks[1].sends[0]) - (1 - 12.0 / 40)) < 1e-6)

        let error = await abletonError { _ = try await h.bridge.apply(try change("Bass", "Volume", "+9dB"), reason: "loud") }
        #expect(error?.code == .valueOutOfRange)
        #expect(await abletonError { _ = try await h.bridge.apply(try change("Bass", "Send C", "-3dB"), reason: "x") }?.code == .parameterNotFound)

        let lines = try journalLines(try await h.bridge.journalURL())
        #expect(lines.filter { $0.changes.first?.device == "Mixer" }.count == 6)
        _ = try await h.bridge.undo(count: 3)
        #expect(h.fake.set.tracks[1].volume == 0.85 && h.fake.set.tracks[1].panning == 0 && h.fake.set.tracks[1].sends[0] == 0)
        _ = try await h.bridge.redo()
        #expect(abs(Double(h.fake.set.tracks[1].volume) - 0.7) < 1e-6)
    }

    @Test func aDeviceNamedMixerIsReachedByItsIndex() async throws {
        let h = try AbletonHarness()
        defer { Task { await h.stop() } }
        h.fake.edit { $0.tracks[0].devices[1].name = "Mixer" }  // Kick's Utility, renamed by the producer
        let (_, device) = try await h.bridge.parameters(track: "Kick", device: "#2")
        #expect(device.className == "StereoGain")
        let (_, mixer) = try await h.bridge.parameters(track: "Kick", device: "Mixer")
        #expect(mixer.className == "Mixer")
    }
}

@Suite struct JournalTests {
    @Test func historyNeedsNoLive() async throws {
        let h = try AbletonHarness()
        _ = try await h.bridge.apply(ParameterChangeRequest(track: "Kick", device: "EQ Eight", parameter: "4 Gain A",
                                                            target: .physical(PhysicalValue(-3, .decibels))), reason: "cut")
        await h.stop()  // Live quits
        let offline = try AbletonBridge.offlineHistory(options: h.options)
        #expect(offline.groups.map(\.intent.reason) == ["cut"])
        #expect(offline.groups[0].state == .applied)
    }

    @Test func historyCommandWorksWithLiveQuit() async throws {
        let (send, listen) = (try freeUDPPort(), try freeUDPPort())
        let fake = try FakeAbletonOSC(options: .init(listenPort: send, replyPort: listen, tickMS: 0))
        let ports = ["--send-port", "\(send)", "--listen-port", "\(listen)"]
        let home = temporaryDirectory()
        let set = try await runUplift(["ableton", "set", "Kick", "Mixer", "Volume", "-6dB"] + ports, stateHome: home)
        #expect(set.status == 0, "\(set.stderr)")
        #expect(set.stdout.contains("Kick › Mixer › Volume: 0.0 dB → -6.0 dB"))
        fake.stop()
        let history = try await runUplift(["ableton", "history", "--json"] + ports, stateHome: home)
        #expect(history.status == 0, "\(history.stderr)")
        let rows = try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [[String: Any]]
        #expect(rows?.count == 1 && rows?.first?["state"] as? String == "applied")
        #expect(history.stderr.contains("Live is not reachable"))
    }

    @Test func aFailedJournalWriteReportsItsOwnErrno() throws {
        // /dev/full takes the open and refuses the write: ENOSPC, the write's own errno.
        let entry = JournalEntry(kind: .intent, groupID: "g", time: Date(), action: .apply, reason: "r", setFingerprint: "x",
                                 changes: [], state: .pending)
        do {
            try Journal(url: URL(fileURLWithPath: "/dev/full")).append(entry)
            Issue.record("a write to /dev/full succeeded")
        } catch {
            #expect(error.code == .journal)
            #expect(error.cause?.contains("No space left on device") == true, "\(error.cause ?? "")")
        }
    }

    @Test func oldPerSetJournalsAreMergedOnTheFirstConnect() async throws {
        let h = try AbletonHarness()
        defer { Task { await h.stop() } }
        // A journal of the old layout: named after the set's fingerprint.
        let legacy = h.journalDirectory.appendingPathComponent("0123456789abcdef.jsonl")
        let change = JournalEntry.ParameterChange(track: "Pad", trackIndex: 3, device: "EQ Eight", deviceClass: "Eq8", deviceIndex: 2,
                                                  parameter: "6 Gain A", parameterIndex: 29, oldRaw: 0, oldText: "0.0 dB", newRaw: -6)
        let intent = JournalEntry(kind: .intent, groupID: "old-group", time: Date(timeIntervalSinceNow: -3600), action: .apply,
                                  reason: "from the old journal", setFingerprint: "0123456789abcdef", changes: [change], state: .pending)
        var outcome = intent
        outcome.kind = .outcome
        outcome.state = .applied
        outcome.changes[0].newText = "-6.0 dB"
        try Journal(url: legacy).append(intent)
        try Journal(url: legacy).append(outcome)
        h.fake.moveByHand(track: "Pad", device: "EQ Eight", parameter: "6 Gain A", raw: -6)
        try await h.bridge.connect()
        #expect(await h.bridge.warnings.contains { $0.contains("merged 1 older journal") })
        #expect(try await h.bridge.historyGroups().map(\.groupID) == ["old-group"])
        #expect(FileManager.default.fileExists(atPath: legacy.path + ".merged"))
        _ = try await h.bridge.undo()
        #expect(h.fake.rawValue(track: "Pad", device: "EQ Eight", parameter: "6 Gain A") == 0)
    }

    @Test func aChangeWhoseParameterIsGoneIsShownAndSkippedByUndo() async throws {
        let h = try AbletonHarness()
        defer { Task { await h.stop() } }
        _ = try await h.bridge.apply(ParameterChangeRequest(track: "Kick", device: "EQ Eight", parameter: "4 Gain A",
                                                            target: .physical(PhysicalValue(-3, .decibels))), reason: "kick")
        _ = try await h.bridge.apply(ParameterChangeRequest(track: "Pad", device: "Utility", parameter: "Gain",
                                                            target: .physical(PhysicalValue(-6, .decibels))), reason: "pad")
        h.fake.edit { $0.tracks[3].devices.remove(at: 1) }  // the producer deletes Pad's Utility
        let missing = try await h.bridge.missingParameters()
        let groups = try await h.bridge.historyGroups()
        #expect(missing[groups[1].groupID] == ["Pad › Utility › Gain"])
        #expect(missing[groups[0].groupID] == nil)
        let undone = try await h.bridge.undo()
        #expect(undone.map(\.reason) == ["undo of: kick"])
        #expect(undone[0].notes.contains { $0.contains("skipped 'pad'") && $0.contains("no longer on 'Pad'") })
        #expect(h.fake.rawValue(track: "Kick", device: "EQ Eight", parameter: "4 Gain A") == 0)
    }
}

@Suite struct ListenerTests {
    @Test func tempoAndBeatPushesAreToldFromReplies() async throws {
        let (send, listen) = (try freeUDPPort(), try freeUDPPort())
        let fake = try FakeAbletonOSC(options: .init(listenPort: send, replyPort: listen, tickMS: 0))
        let client = try AbletonOSCClient(endpoint: AbletonEndpoint(sendPort: send, listenPort: listen))
        defer { client.close(); fake.stop() }
        let pushes = try client.transportPushes()
        let seen = Mutex<[TransportPush]>([])
        let collector = Task { for await push in pushes { seen.withLock { $0.append(push) } } }
        defer { collector.cancel() }
        // The tempo at once; a change in Live; a read of the tempo still gets its reply.
        for _ in 0..<200 where seen.withLock({ $0.isEmpty }) { try await Task.sleep(for: .milliseconds(5)) }
        fake.setTempo(300)  // a beat every 200 ms
        let read = try await client.read("/live/song/get/tempo", [], echo: 0)
        #expect(read.first?.doubleValue == 300)
        fake.setPlaying(true)
        for _ in 0..<400 where seen.withLock({ $0.filter { if case .beat = $0 { true } else { false } }.count }) < 3 {
            try await Task.sleep(for: .milliseconds(10))
        }
        fake.setPlaying(false)
        let all = seen.withLock { $0 }
        #expect(all.first == .tempo(138))
        #expect(all.contains(.tempo(300)))
        let beats = all.compactMap { if case .beat(let n) = $0 { n } else { nil } }
        #expect(beats.count >= 3 && beats == beats.sorted() && beats.first == 1, "\(beats)")
        // Pushes are not left over as unsolicited messages.
        #expect(client.takeUnsolicited().isEmpty)
    }
}
