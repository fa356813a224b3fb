import Foundation
import UpliftModel
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The append-only undo journal of one Live endpoint: `<state dir>/uplift/journal/live-<host>-<port>.jsonl`.
/// AbletonOSC exposes no set name or path, and a set's contents change (Uplift itself asks for
/// devices), so the journal is not keyed by the set: its entries find their parameters by names
/// at undo time, and undo refuses a parameter that no longer holds what Uplift wrote.
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

    public static func forEndpoint(_ endpoint: AbletonEndpoint, directory: URL) -> Journal {
        Journal(url: directory.appendingPathComponent("live-\(endpoint.liveHost)-\(endpoint.sendPort).jsonl"))
    }

    /// The endpoint's journal; the first time, the journals of earlier versions (one per set
    /// fingerprint, `<16 hex>.jsonl`) are merged into it in time order and renamed `….merged`.
    public static func opening(endpoint: AbletonEndpoint, directory: URL) throws(AbletonError) -> (Journal, [String]) {
        let journal = forEndpoint(endpoint, directory: directory)
        guard !FileManager.default.fileExists(atPath: journal.url.path) else { return (journal, []) }
        let legacy = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).filter { name in
            name.hasSuffix(".jsonl") && name.count == 22 && name.prefix(16).allSatisfy(\.isHexDigit)
        }.sorted()
        guard !legacy.isEmpty else { return (journal, []) }
        var merged: [(Date, Int, JournalEntry)] = []
        var warnings: [String] = []
        for name in legacy {
            let contents = try Journal(url: directory.appendingPathComponent(name)).load()
            warnings += contents.warnings
            for entry in contents.entries { merged.append((entry.time, merged.count, entry)) }
        }
        // Time order across files, file order within a second (the times have whole seconds).
        merged.sort { ($0.0, $0.1) < ($1.0, $1.1) }
        try journal.writeAtomically(merged.map(\.2))
        for name in legacy {
            let from = directory.appendingPathComponent(name)
            try? FileManager.default.moveItem(at: from, to: from.appendingPathExtension("merged"))
        }
        warnings.append("merged \(legacy.count) older journal\(legacy.count == 1 ? "" : "s") (one per set) into \(journal.url.lastPathComponent)")
        return (journal, warnings)
    }

    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    /// Writes a whole journal to a temporary file, flushes it, renames it into place and flushes the folder.
    func writeAtomically(_ entries: [JournalEntry]) throws(AbletonError) {
        var bytes = Data()
        do {
            for entry in entries {
                bytes.append(try Journal.encoder().encode(entry))
                bytes.append(UInt8(ascii: "\n"))
            }
        } catch {
            throw AbletonError(.journal, "could not encode a journal entry", cause: "\(error)")
        }
        try DurableFile.write(bytes, to: url, what: "the journal")
    }
    public struct Contents: Sendable {
        public var entries: [JournalEntry]
        /// Lines that could not be read, with what was done about them.
        public var warnings: [String]
    }

    /// Appends one line and flushes it to disk (file and, the first time, its directory).
    public func append(_ entry: JournalEntry) throws(AbletonError) {
        let data: Data
        do { data = try Journal.encoder().encode(entry) } catch {
            throw AbletonError(.journal, "could not encode a journal entry", cause: "\(error)")
        }
        let directory = url.deletingLastPathComponent()
        let existed = FileManager.default.fileExists(atPath: url.path)
        let directoryExisted = FileManager.default.fileExists(atPath: directory.path)
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
        // The errno of the write itself, read before any other call can change it.
        let writeErrno = errno
        guard written == line.count else {
            let cause = written < 0 ? String(cString: strerror(writeErrno)) : "short write: \(written) of \(line.count) bytes"
            throw AbletonError(.journal, "could not write the journal \(url.path) (disk full?); nothing was sent to Live", cause: cause)
        }
        guard fsync(fd) == 0 else {
            let fsyncErrno = errno
            throw AbletonError(.journal, "could not flush the journal \(url.path) to disk; nothing was sent to Live", cause: String(cString: strerror(fsyncErrno)))
        }
        // A new file's name lives in its folder: flush the folder too (and its parent when the folder is new).
        if !existed { DurableFile.syncDirectory(directory) }
        if !directoryExisted { DurableFile.syncDirectory(directory.deletingLastPathComponent()) }
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

/// Atomic, durable whole-file writes (temporary file, fsync, rename, fsync of the folder).
enum DurableFile {
    static func write(_ bytes: Data, to url: URL, what: String) throws(AbletonError) {
        let directory = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw AbletonError(.journal, "could not create \(directory.path); check its permissions", cause: "\(error)")
        }
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
        let fd = open(temporary.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else {
            let e = errno
            throw AbletonError(.journal, "could not write \(what) \(url.path)", cause: String(cString: strerror(e)))
        }
        var offset = 0
        var failure: String? = nil
        bytes.withUnsafeBytes { buffer in
            while offset < buffer.count {
                guard let base = buffer.baseAddress else { return }
                let n = Glibc_write(fd, base + offset, buffer.count - offset)
                if n <= 0 { failure = n < 0 ? String(cString: strerror(errno)) : "short write"; return }
                offset += n
            }
        }
        if failure == nil, fsync(fd) != 0 { failure = String(cString: strerror(errno)) }
        _ = close(fd)
        if let failure {
            unlink(temporary.path)
            throw AbletonError(.journal, "could not write \(what) \(url.path) (disk full?)", cause: failure)
        }
        guard rename(temporary.path, url.path) == 0 else {
            let e = errno
            unlink(temporary.path)
            throw AbletonError(.journal, "could not replace \(what) \(url.path)", cause: String(cString: strerror(e)))
        }
        syncDirectory(directory)
    }

    static func syncDirectory(_ directory: URL) {
        let dfd = open(directory.path, O_RDONLY)
        if dfd >= 0 { _ = fsync(dfd); _ = close(dfd) }
    }
}

private func Glibc_write(_ fd: Int32, _ pointer: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, pointer, count)
}
