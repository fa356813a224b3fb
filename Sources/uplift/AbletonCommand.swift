import ArgumentParser
import Foundation
import UpliftAbleton
import UpliftModel
import UpliftStudio

/// `uplift ableton …`: talk to Live through AbletonOSC.
struct AbletonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ableton",
        abstract: "Read and change Ableton Live device parameters through AbletonOSC, with undo.",
        discussion: """
            Needs the AbletonOSC remote script in Live (Preferences → Link, Tempo & MIDI → Control Surface: AbletonOSC).
            Every change is journalled under the state directory before it is sent, verified against what Live
            displays, and can be undone and redone, also after a crash.
            """,
        subcommands: [AbletonStatus.self, AbletonParams.self, AbletonGet.self, AbletonSet.self, AbletonCalibrate.self,
                      AbletonHistory.self, AbletonUndo.self, AbletonRedo.self])
}

/// Where Live is; defaults are AbletonOSC's (send to 11000, listen on 127.0.0.1:11001).
struct AbletonConnectionOptions: ParsableArguments {
    @Option(help: "Host running Live with AbletonOSC.")
    var host: String = "127.0.0.1"

    @Option(help: "AbletonOSC's port.")
    var sendPort: UInt16 = 11000

    @Option(help: "Our reply port (AbletonOSC always replies to 11001).")
    var listenPort: UInt16 = 11001

    @Option(help: "Interface our reply socket binds (127.0.0.1 unless you need another).")
    var listenHost: String = "127.0.0.1"

    @Option(help: "The track standing in for the master bus (config: ableton.mix_bus_track).")
    var mixBus: String?

    func bridgeOptions() -> BridgeOptions {
        let environment = ProcessInfo.processInfo.environment
        func pause(_ key: String) -> Duration? { environment[key].flatMap(Int.init).map { .milliseconds($0) } }
        return BridgeOptions(
            endpoint: AbletonEndpoint(liveHost: host, sendPort: sendPort, listenHost: listenHost, listenPort: listenPort),
            journalDirectory: Journal.defaultDirectory(environment: environment),
            // A garbled config.toml is `uplift gaps`' to report; here it only means no mix bus is named.
            mixBusTrackName: mixBus ?? (try? UpliftConfig.load(environment: environment))?.mixBusTrack,
            pauseAfterJournal: pause("UPLIFT_ABLETON_PAUSE_AFTER_JOURNAL_MS"),
            pauseAfterWrite: pause("UPLIFT_ABLETON_PAUSE_AFTER_WRITE_MS"),
            pauseAfterCorrection: pause("UPLIFT_ABLETON_PAUSE_AFTER_CORRECTION_MS"),
            pauseAfterOutcome: pause("UPLIFT_ABLETON_PAUSE_AFTER_OUTCOME_MS"))
    }
}

// MARK: - Subcommands

struct AbletonStatus: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status",
        abstract: "Connected or not, Live and AbletonOSC reachable, tempo, tracks with their devices.")
    @OptionGroup var connection: AbletonConnectionOptions
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let status = try withBridge(connection, json: json) { bridge in
            try await bridge.connect()
            return await bridge.status()
        }
        AbletonCLI.warn(status.warnings)
        if json {
            print(try AbletonOutput.json(status))
        } else {
            print(AbletonOutput.status(status, endpoint: connection.bridgeOptions().endpoint))
        }
    }
}

struct AbletonParams: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "params",
        abstract: "Every parameter of a device with value, unit and range.")
    @OptionGroup var connection: AbletonConnectionOptions
    @Argument(help: "Track name (case-insensitive; a unique prefix is enough).") var track: String
    @Argument(help: "Device name.") var device: String
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let (track, device) = (self.track, self.device)
        let (liveTrack, liveDevice, curves) = try withBridge(connection, json: json) { bridge in
            let (t, d) = try await bridge.parameters(track: track, device: device)
            return (t, d, await bridge.curveStatus(of: d))
        }
        print(json ? try AbletonOutput.json(AbletonOutput.parameterRows(liveDevice, curves: curves))
                   : AbletonOutput.parameters(liveTrack, liveDevice, curves: curves))
    }
}

struct AbletonGet: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "get", abstract: "One parameter's value as Live shows it.")
    @OptionGroup var connection: AbletonConnectionOptions
    @Argument var track: String
    @Argument var device: String
    @Argument var param: String
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let (track, device, param) = (self.track, self.device, self.param)
        let (t, d, p) = try withBridge(connection, json: json) { bridge in try await bridge.parameter(track: track, device: device, parameter: param) }
        if json {
            print(try AbletonOutput.json(AbletonOutput.row(p, className: d.className)))
        } else {
            print("\(t.name) › \(d.name) › \(p.name) = \(p.valueString) (raw \(AbletonOutput.raw(p.value)), range \(AbletonOutput.range(p, className: d.className)))")
        }
    }
}

struct AbletonSet: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "set",
        abstract: "Set a parameter in its unit (-3dB, 2.5kHz, 30ms, 4:1, 80%, a choice name) or raw with --raw; journalled and verified.")
    @OptionGroup var connection: AbletonConnectionOptions
    @Flag(help: "VALUE is Live's raw value.") var raw = false
    @Flag(help: "Print JSON.") var json = false
    @Option(help: "Why (kept in the journal).") var reason: String = "uplift ableton set"
    @Argument var track: String
    @Argument var device: String
    @Argument var param: String
    // Captures "-3dB", which would otherwise look like an option.
    @Argument(parsing: .allUnrecognized, help: "The value, e.g. -3dB, 2.5kHz, 30ms, 4:1, 80%, Bell.") var value: [String] = []

    func run() throws {
        // `--json` after the value lands in `value` (it captures what follows the parameter).
        let json = self.json || value.contains("--json")
        let words = value.filter { $0 != "--json" }
        guard !words.isEmpty else { throw AbletonCLI.fail(AbletonError(.invalidValue, "give a VALUE, e.g. -3dB, 2.5kHz, 30ms, 4:1 or 80%"), json: json) }
        let target: ParameterTarget
        do { target = try ParameterTarget.parse(words.joined(separator: " "), raw: raw) } catch { throw AbletonCLI.fail(error, json: json) }
        let request = ParameterChangeRequest(track: track, device: device, parameter: param, target: target)
        let reason = self.reason
        let applied = try withBridge(connection, json: json) { bridge in try await bridge.apply(request, reason: reason) }
        if json {
            print(try AbletonOutput.json(AbletonOutput.AppliedRow(applied)))
        } else {
            for line in AbletonOutput.applied(applied) { print(line) }
        }
    }
}

struct AbletonCalibrate: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "calibrate",
        abstract: "Measure how Live displays a device's parameters (a few journalled writes, then the old values back).",
        discussion: "Levels are only measured below their current value. Later writes of these parameters land in one write.")
    @OptionGroup var connection: AbletonConnectionOptions
    @Argument var track: String
    @Argument var device: String
    @Argument(help: "One parameter (default: every mapped continuous parameter).") var param: String?
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let (track, device, param) = (self.track, self.device, self.param)
        let measured = try withBridge(connection, json: json) { bridge in try await bridge.calibrate(track: track, device: device, parameter: param) }
        if json {
            print(try AbletonOutput.json(measured))
        } else {
            for m in measured {
                let error = PhysicalValue(m.mapError, PhysicalUnit(rawValue: m.unit) ?? .plain).description
                print("\(m.parameter): measured \(m.points.count) points; the built-in map is off by up to \(error)")
            }
        }
    }
}

struct AbletonHistory: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "history", abstract: "This set's journal of changes.")
    @OptionGroup var connection: AbletonConnectionOptions
    @Flag(help: "Print JSON.") var json = false

    @Flag(help: "Do not ask Live which parameters still exist (the journal alone).") var offline = false

    func run() throws {
        // The journal is on disk: history needs no Live. When Live answers, changes whose
        // parameters are gone from the open set are marked.
        let options = connection.bridgeOptions()
        let offline = self.offline
        let (groups, path, warnings): ([JournalGroup], String, [String])
        do { (groups, path, warnings) = try AbletonBridge.offlineHistory(options: options) } catch { throw AbletonCLI.fail(error, json: json) }
        AbletonCLI.warn(warnings)
        var missing: [String: [String]] = [:]
        if !offline && !groups.isEmpty {
            var shortWait = options
            shortWait.requestTimeout = .milliseconds(400)
            let quick = shortWait
            do {
                missing = try blockOn {
                    let bridge = try AbletonBridge(options: quick)
                    defer { Task { await bridge.close() } }
                    return try await bridge.missingParameters()
                }
            } catch {
                AbletonCLI.warn(["Live is not reachable (\((error as? AbletonError)?.kind ?? "error")): the journal is shown without checking which parameters still exist"])
            }
        }
        if json {
            print(try AbletonOutput.json(groups.map { AbletonOutput.HistoryRow($0, missing: missing[$0.groupID] ?? []) }))
        } else {
            print(AbletonOutput.history(groups, path: path, missing: missing))
        }
    }
}

struct AbletonUndo: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "undo",
        abstract: "Write the old values of the last N changes back (never Live's own undo).")
    @OptionGroup var connection: AbletonConnectionOptions
    @Argument(help: "How many changes.") var count: Int = 1
    @Flag(help: "Overwrite parameters moved by hand since.") var force = false
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let count = self.count
        let done = try withBridgeAsking(connection, force: force, json: json) { bridge, force in try await bridge.undo(count: count, force: force) }
        try AbletonOutput.printApplied(done, json: json)
    }
}

struct AbletonRedo: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "redo", abstract: "Apply the last N undone changes again.")
    @OptionGroup var connection: AbletonConnectionOptions
    @Argument(help: "How many changes.") var count: Int = 1
    @Flag(help: "Overwrite parameters moved by hand since.") var force = false
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let count = self.count
        let done = try withBridgeAsking(connection, force: force, json: json) { bridge, force in try await bridge.redo(count: count, force: force) }
        try AbletonOutput.printApplied(done, json: json)
    }
}

// MARK: - Running the bridge from a synchronous command

enum AbletonCLI {
    /// Prints the one-line error on standard error and, for `--json`, `{"error": {"kind", "message"}}`
    /// on standard output; exits 1.
    static func fail(_ error: Error, json: Bool = false) -> ExitCode {
        if let exit = error as? ExitCode { return exit }
        let ableton = error as? AbletonError
        let text = ableton?.message ?? "\(error)"
        StandardError.line(text)
        if json {
            let object = ["error": ["kind": ableton?.kind ?? "internal", "message": text]]
            if let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) {
                print(String(decoding: data, as: UTF8.self))
            }
        }
        return ExitCode(1)
    }

    /// Warnings go to standard error, never into the results.
    static func warn(_ warnings: [String]) {
        for warning in warnings { StandardError.warning(warning) }
    }
}

func withBridge<T: Sendable>(_ connection: AbletonConnectionOptions, connect: Bool = true, json: Bool = false,
                             _ body: @escaping @Sendable (AbletonBridge) async throws -> T) throws -> T {
    let options = connection.bridgeOptions()
    do {
        return try blockOn {
            let bridge = try AbletonBridge(options: options)
            do {
                if connect { try await bridge.connect() }
                let result = try await body(bridge)
                await bridge.close()
                return result
            } catch {
                await bridge.close()
                throw error
            }
        }
    } catch let error as ExitCode {
        throw error
    } catch {
        throw AbletonCLI.fail(error, json: json)
    }
}

/// Undo/redo: when a parameter was moved by hand, ask on a terminal, else say to use --force.
func withBridgeAsking<T: Sendable>(_ connection: AbletonConnectionOptions, force: Bool, json: Bool = false,
                                   _ body: @escaping @Sendable (AbletonBridge, Bool) async throws -> T) throws -> T {
    do {
        let options = connection.bridgeOptions()
        return try blockOn {
            let bridge = try AbletonBridge(options: options)
            defer { Task { await bridge.close() } }
            try await bridge.connect()
            do {
                return try await body(bridge, force)
            } catch let error as AbletonError where error.code == .movedByHand && isatty(STDIN_FILENO) == 1 && !json {
                StandardError.write("uplift: \(error.message)\nOverwrite anyway? [y/N] ")
                guard let answer = readLine(), answer.lowercased().hasPrefix("y") else { throw error }
                return try await body(bridge, true)
            }
        }
    } catch {
        throw AbletonCLI.fail(error, json: json)
    }
}
