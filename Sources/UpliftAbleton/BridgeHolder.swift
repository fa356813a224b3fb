import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Who holds Live's reply port. AbletonOSC answers one client, so while the studio (`uplift live` / `watch
/// --profile`) is connected, `uplift ableton …` cannot bind the port; the studio leaves this note in the state
/// folder so that the command can say *who* holds it and where undo and redo are done meanwhile, instead of
/// "taken by another OSC client".
public struct BridgeHolder: Codable, Sendable, Equatable {
    public var pid: Int32
    /// `uplift live --input - --profile favs…` (shortened).
    public var command: String
    public var listenPort: UInt16

    public init(pid: Int32, command: String, listenPort: UInt16) {
        self.pid = pid; self.command = command; self.listenPort = listenPort
    }

    /// `bridge-holder-11001.json` beside the calibration file (the state folder).
    public static func url(for options: BridgeOptions) -> URL {
        options.calibrationFile.deletingLastPathComponent().appendingPathComponent("bridge-holder-\(options.endpoint.listenPort).json")
    }

    /// The studio holds the port from now on (written atomically; a note that cannot be written only costs the
    /// better message).
    public static func claim(_ options: BridgeOptions, command: String = BridgeHolder.thisCommand()) {
        let holder = BridgeHolder(pid: getpid(), command: command, listenPort: options.endpoint.listenPort)
        guard let bytes = try? JSONEncoder().encode(holder) else { return }
        try? DurableFile.write(bytes, to: url(for: options), what: "the bridge holder note")
    }

    /// The studio let the port go: its note is removed (only this process's own).
    public static func release(_ options: BridgeOptions) {
        let url = url(for: options)
        guard let data = try? Data(contentsOf: url), let holder = try? JSONDecoder().decode(BridgeHolder.self, from: data),
              holder.pid == getpid() else { return }
        try? FileManager.default.removeItem(at: url)
    }

    /// Another running process that said it holds the port; nil when none did, or it has ended (a crash leaves
    /// the note behind: a dead pid is no holder).
    public static func current(_ options: BridgeOptions) -> BridgeHolder? {
        guard let data = try? Data(contentsOf: url(for: options)),
              let holder = try? JSONDecoder().decode(BridgeHolder.self, from: data),
              holder.pid > 0, holder.pid != getpid(), holder.listenPort == options.endpoint.listenPort else { return nil }
        // Signal 0 checks that the process exists; EPERM means it does, under another user.
        guard kill(holder.pid, 0) == 0 || errno == EPERM else { return nil }
        return holder
    }

    /// The message for a command that found the port held by the studio.
    public var explanation: String {
        "Live's reply port \(listenPort) is held by the Uplift studio (`\(command)`, pid \(pid)): AbletonOSC answers one "
            + "client at a time, so approve, undo (u) and redo (r) there, or quit it to use `uplift ableton`"
    }

    /// This process's command line, shortened for the message.
    public static func thisCommand() -> String {
        var args = CommandLine.arguments
        if let first = args.first { args[0] = URL(fileURLWithPath: first).lastPathComponent }
        let text = args.joined(separator: " ")
        return text.count > 60 ? String(text.prefix(59)) + "…" : text
    }
}
