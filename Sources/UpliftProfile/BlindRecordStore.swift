import Foundation
import UpliftModel

/// Where the A/B blind record lives and how it is read and written (atomically).
public enum BlindRecordStore {
    /// Beside the profile (`NAME.ab-blind.json`) with one, else `ab-blind.json` in the state folder.
    public static func path(profilePath: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let profilePath {
            let url = URL(fileURLWithPath: profilePath)
            return url.deletingPathExtension().path + ".ab-blind.json"
        }
        return UpliftDirectories.state(environment: environment) + "/ab-blind.json"
    }

    /// The record at `path`; empty when there is none yet. A damaged file is an error (never overwritten silently).
    public static func load(_ path: String) throws -> BlindRecord {
        guard FileManager.default.fileExists(atPath: path) else { return BlindRecord() }
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(BlindRecord.self, from: data)
    }

    public static func save(_ record: BlindRecord, to path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(try encoder.encode(record), to: path)
    }

    /// Adds `pick` to the record at `path` and writes it back; returns the new record.
    @discardableResult
    public static func append(_ pick: BlindRecord.Pick, to path: String) throws -> BlindRecord {
        var record = try load(path)
        record.picks.append(pick)
        try save(record, to: path)
        return record
    }
}
