import Foundation
import UpliftModel
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The append-only undo journal of one Live set: `<state dir>/uplift/journal/<fingerprint>.jsonl`.
/// Every line is appended with O_APPEND and fsync'd before the caller goes on; nothing is ever
/// rewritten. A torn last line (power cut mid-write) is reported and skipped.
public struct Journal: Sendable {
    public let url: URL

    public init(url: URL) {
        self.url = url
    }

    /// `journal/` in the state directory (`UpliftDirectories.state`).
    public static func defaultDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        URL(fileURLWithPath: UpliftDirectories.state(environment: environment)).appendingPathComponent("journal")
    }

    public static func forSet(fingerprint: String, directory: URL) -> Journal {
        Journal(url: directory.appendingPathComponent("\(fingerprint).jsonl"))
    }

    public struct Contents: Sendable {
        public var entries: [JournalEntry]
        /// Lines that could not be read, with what was done about them.
        public var warnings: [String]
    }

    /// Appends one line and flushes it to disk (file and, the first time, its directory).
    public func append(_ entry: JournalEntry) throws(AbletonError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let data: Data
        do { data = try encoder.encode(entry) } catch {
            throw AbletonError(.journal, "could not encode a journal entry", cause: "\(error)")
        }
        let directory = url.deletingLastPathComponent()
        let existed = FileManager.default.fileExists(atPath: url.path)
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw AbletonError(.journal, "could not create the journal directory \(directory.path); check its permissions", cause: "\(error)")
        }
        let fd = open(url.path, O_WRONLY | O_APPEND | O_CREAT, 0o644)
        guard fd >= 0 else {
            throw AbletonError(.journal, "could not open the journal \(url.path); nothing was sent to Live", cause: String(cString: strerror(errno)))
        }
        defer { _ = close(fd) }
        var line = [UInt8](data)
        line.append(UInt8(ascii: "\n"))
        // If the file ends in a torn line (power cut), start on a fresh line so this one parses.
        if existed, let last = Journal.lastByte(of: url), last != UInt8(ascii: "\n") { line.insert(UInt8(ascii: "\n"), at: 0) }
        let written = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == line.count, fsync(fd) == 0 else {
            throw AbletonError(.journal, "could not write the journal \(url.path) (disk full?); nothing was sent to Live", cause: String(cString: strerror(errno)))
        }
        if !existed {
            let dfd = open(directory.path, O_RDONLY)
            if dfd >= 0 { _ = fsync(dfd); _ = close(dfd) }
        }
    }

    private static func lastByte(of url: URL) -> UInt8? {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return nil }
        defer { try? handle.close() }
        guard let end = try? handle.seekToEnd(), end > 0 else { return nil }
        try? handle.seek(toOffset: end - 1)
        return try? handle.read(upToCount: 1)?.first
    }

    /// Reads every line; unreadable lines are skipped with a warning (the last one is the usual
    /// victim of a power cut), the rest still loads.
    public func load() throws(AbletonError) -> Contents {
        guard FileManager.default.fileExists(atPath: url.path) else { return Contents(entries: [], warnings: []) }
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw AbletonError(.journal, "could not read the journal \(url.path)", cause: "\(error)")
        }
        return Self.decode(data, name: url.lastPathComponent)
    }

    /// The entries of a journal's bytes (one JSON object a line); torn or garbled lines become warnings.
    public static func decode(_ data: Data, name: String) -> Contents {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        var entries: [JournalEntry] = []
        var warnings: [String] = []
        let lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        // Found once: asking per bad line would make a journal of garbage lines quadratic.
        let lastLine = lines.lastIndex { !$0.isEmpty } ?? -1
        for (number, line) in lines.enumerated() where !line.isEmpty {
            do {
                entries.append(try decoder.decode(JournalEntry.self, from: Data(line)))
            } catch {
                let isLast = number == lastLine
                warnings.append(isLast
                    ? "journal \(name): the last line (\(number + 1)) is incomplete, probably cut by a crash or power loss; it was skipped and the rest loaded"
                    : "journal \(name): line \(number + 1) is unreadable and was skipped")
            }
        }
        return Contents(entries: entries, warnings: warnings)
    }
}
