import Foundation
import UpliftModel
import UpliftProfile

/// Gaps the producer rejected, per profile: `rejections.json` in the state directory, replaced
/// atomically on every change. A rejected gap is shown dimmed and not proposed again unless asked.
public struct RejectionStore: Sendable {
    public struct Rejection: Codable, Sendable, Equatable {
        public var gapID: String
        public var feature: String
        public var section: String?
        public var reason: String?
        /// ISO 8601.
        public var at: String
        enum CodingKeys: String, CodingKey { case feature, section, reason, at, gapID = "gap_id" }
    }

    struct File: Codable {
        var schema = "uplift.rejections/1"
        /// profile name → gap id → rejection.
        var profiles: [String: [String: Rejection]]
    }

    public let path: String
    public init(path: String) { self.path = path }

    /// `$XDG_STATE_HOME/uplift/rejections.json` (`~/.local/state` by default; `~/Library/Application Support` on macOS).
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        stateDirectory(environment: environment) + "/rejections.json"
    }

    public static func stateDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        UpliftDirectories.state(environment: environment)
    }

    func load() throws -> File {
        guard FileManager.default.fileExists(atPath: path) else { return File(profiles: [:]) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw GapsError(.storeFailed, "\(path): cannot read the rejections file (permission?)")
        }
        do { return try UpliftJSON.decoder().decode(File.self, from: data) } catch {
            throw GapsError(.storeFailed, "\(path): rejections file is garbled; move it aside to start afresh (nothing else depends on it)",
                            cause: "\(error)")
        }
    }

    func save(_ file: File) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        do { try AtomicFile.write(try UpliftJSON.encoder().encode(file), to: path) } catch {
            throw GapsError(.storeFailed, "cannot save the rejection; nothing was changed", cause: "\(error)")
        }
    }

    public func rejections(profile: String) throws -> [String: Rejection] { try load().profiles[profile] ?? [:] }

    public func rejectedIDs(profile: String) throws -> Set<String> { Set(try rejections(profile: profile).keys) }

    public func reject(_ gap: Gap, profile: String, reason: String?, now: Date = Date()) throws {
        var file = try load()
        let formatter = ISO8601DateFormatter()
        file.profiles[profile, default: [:]][gap.id] = Rejection(gapID: gap.id, feature: gap.feature, section: gap.section,
                                                                  reason: reason, at: formatter.string(from: now))
        try save(file)
    }

    /// Forget a rejection (undo of a reject, or "propose it again").
    public func unreject(gapID: String, profile: String) throws {
        var file = try load()
        guard file.profiles[profile]?[gapID] != nil else { return }
        file.profiles[profile]![gapID] = nil
        try save(file)
    }
}
