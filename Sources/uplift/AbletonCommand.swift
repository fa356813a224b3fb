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
        subcommands: [AbletonStatus.self, AbletonParams.self, AbletonGet.self, AbletonSet.self,
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
            pauseAfterWrite: pause("UPLIFT_ABLETON_PAUSE_AFTER_WRITE_MS"))
    }
}

// MARK: - Subcommands

struct AbletonStatus: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status",
        abstract: "Connected or not, Live and AbletonOSC reachable, tempo, tracks with their devices.")
    @OptionGroup var connection: AbletonConnectionOptions
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let status = try withBridge(connection, connect: false) { bridge in await bridge.status() }
        if json {
            print(try AbletonOutput.json(status))
        } else {
            print(AbletonOutput.status(status, endpoint: connection.bridgeOptions().endpoint))
        }
        if !status.connected { throw ExitCode(1) }
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
        let (liveTrack, liveDevice) = try withBridge(connection) { bridge in try await bridge.parameters(track: track, device: device) }
        print(json ? try AbletonOutput.json(AbletonOutput.parameterRows(liveDevice)) : AbletonOutput.parameters(liveTrack, liveDevice))
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
        let (t, d, p) = try withBridge(connection) { bridge in try await bridge.parameter(track: track, device: device, parameter: param) }
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
    @Option(help: "Why (kept in the journal).") var reason: String = "uplift ableton set"
    @Argument var track: String
    @Argument var device: String
    @Argument var param: String
    // Captures "-3dB", which would otherwise look like an option.
    @Argument(parsing: .allUnrecognized, help: "The value, e.g. -3dB, 2.5kHz, 30ms, 4:1, 80%, Bell.") var value: [String] = []

    func run() throws {
        guard !value.isEmpty else { throw AbletonCLI.fail(AbletonError(.invalidValue, "give a VALUE, e.g. -3dB, 2.5kHz, 30ms, 4:1 or 80%")) }
        let target: ParameterTarget
        do { target = try ParameterTarget.parse(value.joined(separator: " "), raw: raw) } catch { throw AbletonCLI.fail(error) }
        let request = ParameterChangeRequest(track: track, device: device, parameter: param, target: target)
        let reason = self.reason
        let applied = try withBridge(connection) { bridge in try await bridge.apply(request, reason: reason) }
        for line in AbletonOutput.applied(applied) { print(line) }
    }
}

struct AbletonHistory: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "history", abstract: "This set's journal of changes.")
    @OptionGroup var connection: AbletonConnectionOptions
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let (groups, path, warnings) = try withBridge(connection) { bridge in
            (try await bridge.historyGroups(), try await bridge.journalURL().path, await bridge.warnings)
        }
        for warning in warnings { StandardError.line(warning) }
        if json {
            print(try AbletonOutput.json(groups.map { AbletonOutput.HistoryRow($0) }))
        } else {
            print(AbletonOutput.history(groups, path: path))
        }
    }
}

struct AbletonUndo: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "undo",
        abstract: "Write the old values of the last N changes back (never Live's own undo).")
    @OptionGroup var connection: AbletonConnectionOptions
    @Argument(help: "How many changes.") var count: Int = 1
    @Flag(help: "Overwrite parameters moved by hand since.") var force = false

    func run() throws {
        let count = self.count
        let done = try withBridgeAsking(connection, force: force) { bridge, force in try await bridge.undo(count: count, force: force) }
        for change in done { for line in AbletonOutput.applied(change) { print(line) } }
    }
}

struct AbletonRedo: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "redo", abstract: "Apply the last N undone changes again.")
    @OptionGroup var connection: AbletonConnectionOptions
    @Argument(help: "How many changes.") var count: Int = 1
    @Flag(help: "Overwrite parameters moved by hand since.") var force = false

    func run() throws {
        let count = self.count
        let done = try withBridgeAsking(connection, force: force) { bridge, force in try await bridge.redo(count: count, force: force) }
        for change in done { for line in AbletonOutput.applied(change) { print(line) } }
    }
}

// MARK: - Running the bridge from a synchronous command

enum AbletonCLI {
    /// Prints the one-line error and exits 1.
    static func fail(_ error: Error) -> ExitCode {
        StandardError.line((error as? AbletonError)?.message ?? "\(error)")
        return ExitCode(1)
    }
}

func withBridge<T: Sendable>(_ connection: AbletonConnectionOptions, connect: Bool = true,
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
        throw AbletonCLI.fail(error)
    }
}

/// Undo/redo: when a parameter was moved by hand, ask on a terminal, else say to use --force.
func withBridgeAsking<T: Sendable>(_ connection: AbletonConnectionOptions, force: Bool,
                                   _ body: @escaping @Sendable (AbletonBridge, Bool) async throws -> T) throws -> T {
    do {
        let options = connection.bridgeOptions()
        return try blockOn {
            let bridge = try AbletonBridge(options: options)
            defer { Task { await bridge.close() } }
            try await bridge.connect()
            do {
                return try await body(bridge, force)
            } catch let error as AbletonError where error.code == .movedByHand && isatty(STDIN_FILENO) == 1 {
                StandardError.write("uplift: \(error.message)\nOverwrite anyway? [y/N] ")
                guard let answer = readLine(), answer.lowercased().hasPrefix("y") else { throw error }
                return try await body(bridge, true)
            }
        }
    } catch {
        throw AbletonCLI.fail(error)
    }
}
