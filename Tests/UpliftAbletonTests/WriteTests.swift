import Foundation
import Testing
@testable import UpliftAbleton
import UpliftModel
import UpliftTestSupport

@Suite struct WriteTests {
    func change(_ track: String, _ device: String, _ parameter: String, _ value: String, raw: Bool = false) throws -> ParameterChangeRequest {
        ParameterChangeRequest(track: track, device: device, parameter: parameter, target: try ParameterTarget.parse(value, raw: raw))
    }

    @Test(arguments: [
        ("Kick", "EQ Eight", "4 Gain A", "-3dB", "-3.0 dB"),
        ("Kick", "EQ Eight", "4 Frequency A", "2.5kHz", "2.50 kHz"),
        ("Kick", "EQ Eight", "2 Frequency A", "75Hz", "75.0 Hz"),
        ("Kick", "Utility", "Gain", "-6dB", "-6.0 dB"),
        ("Bass", "Compressor", "Ratio", "4:1", "4.00 : 1"),
        ("Bass", "Compressor", "Attack", "30ms", "30.0 ms"),
        ("Bass", "Compressor", "Release", "1.2s", "1.20 s"),
        ("Bass", "Compressor", "Threshold", "-18dB", "-18.0 dB"),
        ("Lead", "Compressor", "Dry/Wet", "80%", "80 %"),
        ("Lead", "Auto Filter", "Frequency", "1kHz", "1.00 kHz"),
        ("Pad", "Utility", "Stereo Width", "120%", "120 %"),
        ("Mix Bus", "Glue Compressor", "Ratio", "4:1", "4 : 1"),
        ("Mix Bus", "EQ Eight", "1 Filter Type A", "Low Shelf", "Low Shelf"),
    ])
    func setsInPhysicalUnitsAndVerifies(track: String, device: String, parameter: String, value: String, shown: String) async throws {
        let h = try AbletonHarness()
        defer { Task { await h.stop() } }
        let before = try #require(h.fake.rawValue(track: track, device: device, parameter: parameter))
        let applied = try await h.bridge.apply(try change(track, device, parameter, value), reason: "test")
        #expect(applied.state == .applied)
        let target = try ParameterTarget.parse(value, raw: false)
        let fakeShows = try #require(h.fake.valueString(track: track, device: device, parameter: parameter))
        if case .physical(let goal) = target {
            // At Live's display resolution ("1000 Hz" and "1.00 kHz" both show 1 kHz).
            #expect(DisplayText.shows(fakeShows, goal), "\(fakeShows)")
        } else {
            #expect(fakeShows == shown)
        }
        #expect(applied.changes.first?.newText == fakeShows)
        #expect(applied.changes.first?.oldRaw == Double(before))
        // Nothing measured yet: at most three writes (the map's 80 % step, then secant steps).
        #expect(applied.notes.count <= 2, "needed more than three writes: \(applied.notes)")
        // Journal: intent first (no new text yet), a line per further write, then the outcome with what Live showed.
        let lines = try journalLines(try await h.bridge.journalURL())
        #expect(lines.first?.kind == .intent && lines.last?.kind == .outcome)
        #expect(lines.count == 2 + applied.notes.count)
        #expect(lines[0].state == .pending && lines[0].changes[0].newText == nil)
        #expect(lines.last?.state == .applied && lines.last?.changes[0].newText == fakeShows)
        // The second time the curve is measured: one write.
        let again = try await h.bridge.apply(try change(track, device, parameter, value), reason: "again")
        #expect(again.notes.isEmpty)
    }

    @Test func rawWritesAndQuantizedParametersTakeOnlyAllowedValues() async throws {
        let h = try AbletonHarness()
        defer { Task { await h.stop() } }
        _ = try await h.bridge.apply(try change("Kick", "EQ Eight", "4 Resonance A", "0.5", raw: true), reason: "raw")
        #expect(h.fake.rawValue(track: "Kick", device: "EQ Eight", parameter: "4 Resonance A") == 0.5)

        let half = await abletonError { _ = try await h.bridge.apply(try change("Kick", "EQ Eight", "4 Filter Type A", "2.5", raw: true), reason: "q") }
        #expect(half?.code == .invalidValue)
        #expect(half?.message.contains("Bell (3)") == true)
        let ratio = await abletonError { _ = try await h.bridge.apply(try change("Mix Bus", "Glue", "Ratio", "3:1"), reason: "q") }
        #expect(ratio?.code == .invalidValue)
        #expect(ratio?.message.contains("4 : 1 (1)") == true)
        #expect(h.fake.handledAddresses.filter { $0.hasPrefix("/live/device/set") }.count == 1)

        _ = try await h.bridge.apply(try change("Kick", "EQ Eight", "1 Filter On A", "on"), reason: "toggle")
        #expect(h.fake.valueString(track: "Kick", device: "EQ Eight", parameter: "1 Filter On A") == "On")
    }

    @Test func outOfRangePassesLivesMessageWithTheRange() async throws {
        let h = try AbletonHarness()
        defer { Task { await h.stop() } }
        let error = await abletonError { _ = try await h.bridge.apply(try change("Kick", "EQ Eight", "3 Gain A", "+30dB"), reason: "loud") }
        #expect(error?.code == .valueOutOfRange)
        #expect(error?.message.contains("Invalid value. Check the parameters range with min/max") == true)
        #expect(error?.message.contains("-15.0 dB … 15.0 dB") == true)
        #expect(h.fake.rawValue(track: "Kick", device: "EQ Eight", parameter: "3 Gain A") == 0)
        let lines = try journalLines(try await h.bridge.journalURL())
        #expect(lines.last?.state == .failed)
        // A refused write is not blindly retried.
        #expect(h.fake.handledAddresses.filter { $0 == "/live/device/set/parameter/value" }.count == 1)
    }

    @Test func aValueLivesCurveCannotReachIsRestoredNamingTheClosest() async throws {
        let h = try AbletonHarness()
        defer { Task { await h.stop() } }
        // This Live's band 4 only spans 10 … 500 Hz: 1 kHz is out of its reach.
        h.fake.misScale(track: "Bass", device: "EQ Eight", parameter: "4 Frequency A", display: .linearRange(low: 10, high: 500, unit: "Hz"))
        let old = try #require(h.fake.rawValue(track: "Bass", device: "EQ Eight", parameter: "4 Frequency A"))
        let error = await abletonError { _ = try await h.bridge.apply(try change("Bass", "EQ", "4 Freq", "1kHz"), reason: "scale") }
        #expect(error?.code == .verificationFailed)
        #expect(error?.message.contains("asked 1.00 kHz") == true)
        #expect(error?.message.contains("the closest Live showed was 500.0 Hz") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("restored") == true)
        #expect(h.fake.rawValue(track: "Bass", device: "EQ Eight", parameter: "4 Frequency A") == old)
        let lines = try journalLines(try await h.bridge.journalURL())
        #expect(lines.last?.state == .restored)
        // At most three writes toward the target, then the restore; each with its journal line first.
        let sets = h.fake.handledAddresses.filter { $0 == "/live/device/set/parameter/value" }.count
        #expect(sets >= 2 && sets <= 4)
        #expect(lines.filter { $0.kind != .outcome }.count == sets)
    }

    @Test func aNearlyRightScaleIsCorrectedOnce() async throws {
        let h = try AbletonHarness()
        defer { Task { await h.stop() } }
        h.fake.misScale(track: "Lead", device: "EQ Eight", parameter: "2 Frequency A", display: .logarithmic(low: 20, high: 20000, unit: "Hz"))
        let applied = try await h.bridge.apply(try change("Lead", "EQ Eight", "2 Frequency A", "300Hz"), reason: "near")
        #expect(applied.state == .applied)
        #expect(applied.notes.count <= 2)
        let shown = try #require(PhysicalValue.parse(h.fake.valueString(track: "Lead", device: "EQ Eight", parameter: "2 Frequency A") ?? ""))
        #expect(PhysicalUnit.hertz.withinTolerance(shown.value, of: 300))
    }

    @Test func aDeviceMovedBetweenDiscoveryAndWriteIsFoundByName() async throws {
        let h = try AbletonHarness()
        defer { Task { await h.stop() } }
        _ = try await h.bridge.parameters(track: "Bass", device: "Compressor")
        // Utility now sits where Compressor was, and has a parameter at Ratio's index too.
        h.fake.moveDevice(track: "Bass", from: 2, to: 1)
        let utilityBefore = h.fake.set.tracks[1].devices[1].parameters.map(\.value)
        let applied = try await h.bridge.apply(try change("Bass", "Compressor", "Ratio", "8:1"), reason: "moved")
        #expect(applied.changes[0].deviceIndex == 2)
        #expect(h.fake.valueString(track: "Bass", device: "Compressor", parameter: "Ratio") == "8.00 : 1")
        #expect(h.fake.set.tracks[1].devices[1].parameters.map(\.value) == utilityBefore)
    }

    @Test func aNameThatBecameAmbiguousIsRefused() async throws {
        let h = try AbletonHarness()
        defer { Task { await h.stop() } }
        _ = try await h.bridge.parameters(track: "Kick", device: "EQ Eight")
        h.fake.edit { $0.tracks[0].devices.insert(.eqEight(), at: 0) }
        let error = await abletonError { _ = try await h.bridge.apply(try change("Kick", "EQ Eight", "4 Gain A", "-2dB"), reason: "dup") }
        #expect(error?.code == .ambiguousName)
        #expect(error?.message.contains("Rename one") == true)
        #expect(!h.fake.handledAddresses.contains("/live/device/set/parameter/value"))
    }

    func eqBand(_ track: String) throws -> [ParameterChangeRequest] {
        [try change(track, "EQ Eight", "3 Filter On A", "On"), try change(track, "EQ Eight", "3 Filter Type A", "Bell"),
         try change(track, "EQ Eight", "3 Frequency A", "250Hz"), try change(track, "EQ Eight", "3 Gain A", "-4.5dB"),
         try change(track, "EQ Eight", "3 Resonance A", "2.0")]
    }

    @Test func undoAndRedoAGroupWithoutLivesUndo() async throws {
        let h = try AbletonHarness()
        defer { Task { await h.stop() } }
        let names = ["3 Filter On A", "3 Filter Type A", "3 Frequency A", "3 Gain A", "3 Resonance A"]
        let before = names.map { h.fake.rawValue(track: "Bass", device: "EQ Eight", parameter: $0) }
        let applied = try await h.bridge.apply(try eqBand("Bass"), reason: "cut mud")
        let after = names.map { h.fake.rawValue(track: "Bass", device: "EQ Eight", parameter: $0) }
        #expect(applied.changes.count == 5)
        #expect(after != before)
        #expect(h.fake.valueString(track: "Bass", device: "EQ Eight", parameter: "3 Gain A") == "-4.5 dB")

        let undone = try await h.bridge.undo()
        #expect(undone.count == 1 && undone[0].action == .undo)
        #expect(names.map { h.fake.rawValue(track: "Bass", device: "EQ Eight", parameter: $0) } == before)

        let redone = try await h.bridge.redo()
        #expect(redone[0].action == .redo)
        #expect(names.map { h.fake.rawValue(track: "Bass", device: "EQ Eight", parameter: $0) } == after)
        #expect(!h.fake.handledAddresses.contains("/live/song/undo"))
        #expect(!h.fake.handledAddresses.contains("/live/song/redo"))

        let groups = try await h.bridge.historyGroups()
        #expect(groups.map(\.intent.action) == [.apply, .undo, .redo])
        #expect(groups.allSatisfy { $0.state == .applied })
        #expect(await abletonError { _ = try await h.bridge.redo() }?.code == .nothingToRedo)
    }

    @Test func undoOfSeveralStepsGoesNewestFirst() async throws {
        let h = try AbletonHarness()
        defer { Task { await h.stop() } }
        _ = try await h.bridge.apply(try change("Pad", "Utility", "Gain", "-3dB"), reason: "one")
        _ = try await h.bridge.apply(try change("Pad", "Utility", "Gain", "-9dB"), reason: "two")
        let undone = try await h.bridge.undo(count: 2)
        #expect(undone.map(\.reason) == ["undo of: two", "undo of: one"])
        #expect(h.fake.valueString(track: "Pad", device: "Utility", parameter: "Gain") == "0.0 dB")
        #expect(await abletonError { _ = try await h.bridge.undo() }?.code == .nothingToUndo)
    }

    @Test func aParameterMovedByHandIsNotOverwrittenWithoutForce() async throws {
        let h = try AbletonHarness()
        defer { Task { await h.stop() } }
        _ = try await h.bridge.apply(try change("Lead", "EQ Eight", "5 Gain A", "-3dB"), reason: "tame")
        h.fake.moveByHand(track: "Lead", device: "EQ Eight", parameter: "5 Gain A", raw: -1)
        let error = await abletonError { _ = try await h.bridge.undo() }
        #expect(error?.code == .movedByHand)
        #expect(error?.message.contains("shows -1.0 dB, Uplift left -3.0 dB") == true)
        #expect(error?.message.contains("--force") == true)
        #expect(h.fake.rawValue(track: "Lead", device: "EQ Eight", parameter: "5 Gain A") == -1)
        _ = try await h.bridge.undo(force: true)
        #expect(h.fake.rawValue(track: "Lead", device: "EQ Eight", parameter: "5 Gain A") == 0)
    }

    @Test func aTruncatedLastJournalLineIsReportedAndSkipped() async throws {
        let h = try AbletonHarness()
        defer { Task { await h.stop() } }
        _ = try await h.bridge.apply(try change("Kick", "Utility", "Gain", "-2dB"), reason: "a")
        _ = try await h.bridge.apply(try change("Kick", "Utility", "Gain", "-4dB"), reason: "b")
        let url = try await h.bridge.journalURL()
        let whole = try journalLines(url).count
        let handle = try FileHandle(forWritingTo: url)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("{\"kind\":\"intent\",\"group_id\":\"to".utf8))  // power cut mid-line
        try handle.close()
        let size = try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int

        let restarted = try await h.restartedBridge()
        defer { Task { await restarted.close() } }
        try await restarted.connect()
        let warnings = await restarted.warnings
        #expect(warnings.contains { $0.contains("last line (\(whole + 1)) is incomplete") })
        let groups = try await restarted.historyGroups()
        #expect(groups.map(\.intent.reason) == ["a", "b"])
        // The journal is never rewritten in place: the torn bytes are still there.
        #expect(try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int == size)
        // And it keeps working: an undo appends after the torn line and reads back cleanly.
        _ = try await restarted.undo()
        #expect(h.fake.valueString(track: "Kick", device: "Utility", parameter: "Gain") == "-2.0 dB")
        let contents = try Journal(url: url).load()
        #expect(contents.entries.count == whole + 2)
        #expect(contents.warnings.count == 1 && contents.warnings[0].contains("line \(whole + 1) is unreadable"))
    }

    @Test func anInterruptedChangeIsReconciledOnStart() async throws {
        // In-process version of the crash: the journal has an intent, Live has (or has not) the value.
        let h = try AbletonHarness()
        defer { Task { await h.stop() } }
        try await h.bridge.connect()
        let url = try await h.bridge.journalURL()
        let fingerprint = url.deletingPathExtension().lastPathComponent
        func intent(_ id: String, band: Int, newRaw: Double) -> JournalEntry {
            JournalEntry(kind: .intent, groupID: id, time: Date(), action: .apply, reason: id, setFingerprint: fingerprint,
                         changes: [.init(track: "Pad", trackIndex: 3, device: "EQ Eight", deviceClass: "Eq8", deviceIndex: 2,
                                         parameter: "\(band) Gain A", parameterIndex: 4 + 5 * (band - 1), oldRaw: 0, oldText: "0.0 dB", newRaw: newRaw)],
                         state: .pending)
        }
        try Journal(url: url).append(intent("never-sent", band: 5, newRaw: -5))
        try Journal(url: url).append(intent("sent", band: 6, newRaw: -6))
        h.fake.moveByHand(track: "Pad", device: "EQ Eight", parameter: "6 Gain A", raw: -6)
        let restarted = try await h.restartedBridge()
        defer { Task { await restarted.close() } }
        try await restarted.connect()
        let groups = try await restarted.historyGroups()
        #expect(groups.map(\.state) == [.notApplied, .applied])
        #expect(await restarted.warnings.count == 2)
        // The reconciled group is undoable like any other.
        _ = try await restarted.undo()
        #expect(h.fake.rawValue(track: "Pad", device: "EQ Eight", parameter: "6 Gain A") == 0)
    }
}
