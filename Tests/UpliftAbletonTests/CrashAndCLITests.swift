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

/// The built `uplift` executable, next to the test bundle (as swift-argument-parser's
/// `AssertExecuteCommand` finds it). `swift build --build-tests` builds it.
func upliftExecutable() throws -> URL {
    var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for _ in 0..<4 {
        let candidate = directory.appendingPathComponent("uplift")
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        directory = directory.deletingLastPathComponent()
    }
    let fallback = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".build/debug/uplift")
    guard FileManager.default.isExecutableFile(atPath: fallback.path) else {
        throw AbletonError(.socket, "the uplift executable is not built; run `swift build --build-tests` first")
    }
    return fallback
}

struct UpliftRun {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Starts `uplift` with a private state directory (so the journal lands in the test's folder).
func startUplift(_ arguments: [String], stateHome: URL, extraEnvironment: [String: String] = [:]) throws -> (Process, Pipe, Pipe) {
    let process = Process()
    process.executableURL = try upliftExecutable()
    process.arguments = arguments
    var environment = ProcessInfo.processInfo.environment
    environment["XDG_STATE_HOME"] = stateHome.path
    environment["XDG_CONFIG_HOME"] = stateHome.appendingPathComponent("config").path
    for (key, value) in extraEnvironment { environment[key] = value }
    process.environment = environment
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    return (process, out, err)
}

/// Runs `uplift` to the end on a thread of its own: blocking waits must not hold one of the
/// few threads of Swift's cooperative pool, which the other (parallel) tests need.
func runUplift(_ arguments: [String], stateHome: URL) async throws -> UpliftRun {
    let (process, out, err) = try startUplift(arguments, stateHome: stateHome)
    return await withCheckedContinuation { continuation in
        let thread = Thread {
            let stdout = out.fileHandleForReading.readDataToEndOfFile()
            let stderr = err.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            continuation.resume(returning: UpliftRun(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                                                     stderr: String(decoding: stderr, as: UTF8.self)))
        }
        thread.start()
    }
}

func journalFiles(_ stateHome: URL) -> [URL] {
    let directory = stateHome.appendingPathComponent("uplift/journal")
    return ((try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)) ?? []).filter { $0.pathExtension == "jsonl" }
}

@Suite struct CrashTests {
    /// `kill -9` of a real child process at one of the two crash windows, then a restart.
    func crash(pauseKey: String, until ready: (FakeAbletonOSC, URL) -> Bool) async throws -> (FakeAbletonOSC, AbletonBridge, URL) {
        let (send, listen) = (try freeUDPPort(), try freeUDPPort())
        let fake = try FakeAbletonOSC(options: .init(listenPort: send, replyPort: listen, tickMS: 0))
        let stateHome = temporaryDirectory()
        let (process, _, _) = try startUplift(
            ["ableton", "set", "Kick", "EQ Eight", "4 Gain A", "-3dB", "--send-port", "\(send)", "--listen-port", "\(listen)", "--reason", "crash test"],
            stateHome: stateHome, extraEnvironment: [pauseKey: "30000"])
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            if let file = journalFiles(stateHome).first, ready(fake, file) { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(process.isRunning, "uplift ended before the crash window")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL)
        let journal = try #require(journalFiles(stateHome).first)
        let bridge = try AbletonBridge(options: BridgeOptions(endpoint: AbletonEndpoint(sendPort: send, listenPort: listen),
                                                              journalDirectory: stateHome.appendingPathComponent("uplift/journal")))
        return (fake, bridge, journal)
    }

    @Test func killedRightAfterTheIntentLine() async throws {
        let (fake, bridge, journal) = try await crash(pauseKey: "UPLIFT_ABLETON_PAUSE_AFTER_JOURNAL_MS") { _, file in
            ((try? journalLines(file)) ?? []).count == 1
        }
        defer { Task { await bridge.close(); fake.stop() } }
        // The intent is on disk, Live never heard the write.
        let before = try journalLines(journal)
        #expect(before.map(\.kind) == [.intent])
        #expect(before[0].changes[0].oldText == "0.0 dB")
        #expect(!fake.handledAddresses.contains("/live/device/set/parameter/value"))
        #expect(fake.rawValue(track: "Kick", device: "EQ Eight", parameter: "4 Gain A") == 0)

        try await bridge.connect()
        let groups = try await bridge.historyGroups()
        #expect(groups.count == 1 && groups[0].state == .notApplied)
        #expect(await bridge.warnings.contains { $0.contains("reconciled on start") })
        #expect(try journalLines(journal).map(\.kind) == [.intent, .outcome])
        // Nothing to undo: the change never happened.
        #expect(await abletonError { _ = try await bridge.undo() }?.code == .nothingToUndo)
    }

    @Test func killedRightAfterTheFirstWrite() async throws {
        let (fake, bridge, journal) = try await crash(pauseKey: "UPLIFT_ABLETON_PAUSE_AFTER_WRITE_MS") { fake, _ in
            fake.rawValue(track: "Kick", device: "EQ Eight", parameter: "4 Gain A") != 0
        }
        defer { Task { await bridge.close(); fake.stop() } }
        #expect(try journalLines(journal).map(\.kind) == [.intent])
        let shown = try #require(fake.valueString(track: "Kick", device: "EQ Eight", parameter: "4 Gain A"))
        try await bridge.connect()
        let groups = try await bridge.historyGroups()
        // Live holds the value the intent line announced: applied, as Live shows it.
        #expect(groups.count == 1 && groups[0].state == .applied)
        #expect(groups[0].changes[0].newText == shown)
        _ = try await bridge.undo()
        #expect(fake.rawValue(track: "Kick", device: "EQ Eight", parameter: "4 Gain A") == 0)
    }

    @Test func killedRightAfterACorrectionWrite() async throws {
        let (fake, bridge, journal) = try await crash(pauseKey: "UPLIFT_ABLETON_PAUSE_AFTER_CORRECTION_MS") { fake, file in
            // The correction's journal line is on disk and Live holds its value.
            guard let line = ((try? journalLines(file)) ?? []).first(where: { $0.kind == .write }) else { return false }
            return fake.rawValue(track: "Kick", device: "EQ Eight", parameter: "4 Gain A") == Float(line.changes[0].newRaw)
        }
        defer { Task { await bridge.close(); fake.stop() } }
        #expect(try journalLines(journal).map(\.kind) == [.intent, .write])
        try await bridge.connect()
        let groups = try await bridge.historyGroups()
        // Neither the intent's value nor the old one: the journalled correction's. Never "diverged".
        #expect(groups.count == 1 && groups[0].state == .applied)
        #expect(groups[0].changes[0].newText == "-3.0 dB")
        _ = try await bridge.undo()
        #expect(fake.rawValue(track: "Kick", device: "EQ Eight", parameter: "4 Gain A") == 0)
    }

    @Test func killedRightAfterTheOutcomeLine() async throws {
        let (fake, bridge, journal) = try await crash(pauseKey: "UPLIFT_ABLETON_PAUSE_AFTER_OUTCOME_MS") { _, file in
            ((try? journalLines(file)) ?? []).last?.kind == .outcome
        }
        defer { Task { await bridge.close(); fake.stop() } }
        #expect(try journalLines(journal).map(\.kind) == [.intent, .write, .outcome])
        try await bridge.connect()
        #expect(await bridge.warnings.allSatisfy { !$0.contains("reconciled") })
        let groups = try await bridge.historyGroups()
        #expect(groups.count == 1 && groups[0].state == .applied && groups[0].changes[0].newText == "-3.0 dB")
        _ = try await bridge.undo()
        #expect(fake.rawValue(track: "Kick", device: "EQ Eight", parameter: "4 Gain A") == 0)
    }
}

@Suite struct CLITests {
    func withFake(_ body: (FakeAbletonOSC, [String], URL) async throws -> Void) async throws {
        let (send, listen) = (try freeUDPPort(), try freeUDPPort())
        let fake = try FakeAbletonOSC(options: .init(listenPort: send, replyPort: listen, tickMS: 0))
        defer { fake.stop() }
        try await body(fake, ["--send-port", "\(send)", "--listen-port", "\(listen)"], temporaryDirectory())
    }

    @Test func setPrintsOldAndNewAsLiveShowsThemAndUndoRestores() async throws {
        try await withFake { fake, ports, home in
            let set = try await runUplift(["ableton", "set", "kick", "eq", "4 gain", "-3dB"] + ports, stateHome: home)
            #expect(set.status == 0, "\(set.stderr)")
            #expect(set.stdout.contains("Kick › EQ Eight › 4 Gain A: 0.0 dB → -3.0 dB (verified)"))
            let history = try await runUplift(["ableton", "history"] + ports, stateHome: home)
            #expect(history.stdout.contains("apply  [applied]  uplift ableton set"))
            let undo = try await runUplift(["ableton", "undo"] + ports, stateHome: home)
            #expect(undo.status == 0, "\(undo.stderr)")
            #expect(undo.stdout.contains("-3.0 dB → 0.0 dB"))
            #expect(fake.rawValue(track: "Kick", device: "EQ Eight", parameter: "4 Gain A") == 0)
            let json = try await runUplift(["ableton", "history", "--json"] + ports, stateHome: home)
            let rows = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]]
            #expect(rows?.map { $0["action"] as? String } == ["apply", "undo"])
        }
    }

    @Test func calibrateThenParamsShowsTheMeasuredCurve() async throws {
        try await withFake { fake, ports, home in
            fake.misScale(track: "Bass", device: "Compressor", parameter: "Attack", display: .linearRange(low: 0.01, high: 1000, unit: "ms"))
            let before = try await runUplift(["ableton", "params", "Bass", "Comp", "--json"] + ports, stateHome: home)
            let rowsBefore = try JSONSerialization.jsonObject(with: Data(before.stdout.utf8)) as? [[String: Any]]
            #expect(rowsBefore?.first { $0["name"] as? String == "Attack" }?["curve"] as? String == "modelled")
            let calibrate = try await runUplift(["ableton", "calibrate", "Bass", "Comp", "Attack"] + ports, stateHome: home)
            #expect(calibrate.status == 0, "\(calibrate.stderr)")
            #expect(calibrate.stdout.contains("Attack: measured 6 points; the built-in map is off by up to"))
            let after = try await runUplift(["ableton", "params", "Bass", "Comp"] + ports, stateHome: home)
            #expect(after.stdout.contains("[curve measured (6 pts, map off by"))
            #expect(after.stdout.contains("[curve modelled]"))
            let set = try await runUplift(["ableton", "set", "Bass", "Comp", "Attack", "30ms", "--json"] + ports, stateHome: home)
            let object = try JSONSerialization.jsonObject(with: Data(set.stdout.utf8)) as? [String: Any]
            #expect(object?["state"] as? String == "applied")
            #expect((object?["notes"] as? [String])?.isEmpty == true, "measured: one write")
        }
    }

    @Test func statusNamesTheMixBusFromConfig() async throws {
        try await withFake { _, ports, home in
            let config = home.appendingPathComponent("config/uplift")
            try FileManager.default.createDirectory(at: config, withIntermediateDirectories: true)
            try Data("[ui]\ntheme = \"dark\"\n\n[ableton]\nmix_bus_track = \"Pad\"  # my bus\n".utf8)
                .write(to: config.appendingPathComponent("config.toml"))
            let status = try await runUplift(["ableton", "status"] + ports, stateHome: home)
            #expect(status.status == 0, "\(status.stderr)")
            #expect(status.stdout.contains("Connected: Live 12.1"))
            #expect(status.stdout.contains("138.00 BPM"))
            #expect(status.stdout.contains("Mix bus: Pad"))
            #expect(status.stdout.contains("Kick") && status.stdout.contains("EQ Eight (Eq8) · Utility (StereoGain)"))
            let json = try await runUplift(["ableton", "status", "--json"] + ports, stateHome: home)
            let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
            #expect(object?["connected"] as? Bool == true)
            #expect(object?["mix_bus_track"] as? String == "Pad")
        }
    }

    @Test func producerFacingErrors() async throws {
        try await withFake { fake, ports, home in
            let unknown = try await runUplift(["ableton", "get", "Kik", "EQ", "1 Gain A"] + ports, stateHome: home)
            #expect(unknown.status == 1)
            #expect(unknown.stderr.contains("no track 'Kik' in this set; tracks: 'Kick', 'Bass', 'Lead', 'Pad', 'Mix Bus'"))
            let range = try await runUplift(["ableton", "set", "Bass", "EQ Eight", "2 Gain A", "40dB"] + ports, stateHome: home)
            #expect(range.status == 1)
            #expect(range.stderr.contains("Invalid value. Check the parameters range with min/max. The range is -15.0 dB … 15.0 dB"))
            let params = try await runUplift(["ableton", "params", "Mix", "Glue", "--json"] + ports, stateHome: home)
            let rows = try JSONSerialization.jsonObject(with: Data(params.stdout.utf8)) as? [[String: Any]]
            #expect(rows?.first { $0["name"] as? String == "Makeup" }?["range"] as? String == "0.0 dB … 20.0 dB")
        }
        let noLive = try await runUplift(["ableton", "status", "--send-port", "\(try freeUDPPort())", "--listen-port", "\(try freeUDPPort())"],
                                   stateHome: temporaryDirectory())
        #expect(noLive.status == 1)
        #expect(noLive.stderr.contains("no reply to /live/test within 1"))
        let port = try freeUDPPort()
        let holder = try AbletonOSCClient(endpoint: AbletonEndpoint(sendPort: try freeUDPPort(), listenPort: port))
        defer { holder.close() }
        let taken = try await runUplift(["ableton", "status", "--listen-port", "\(port)"], stateHome: temporaryDirectory())
        #expect(taken.status == 1)
        #expect(taken.stderr.contains("UDP port \(port) on 127.0.0.1 is already taken"))
    }
}
