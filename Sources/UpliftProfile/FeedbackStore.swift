import Foundation
import UpliftModel

/// Every decision the producer makes about a profile's gaps, with its context: approved, rejected
/// (with the reason), undone later, blind picks (mix vs fix, mix vs reference), muted, and the
/// closure measured after a re-export. `feedback.json` in the state directory, beside
/// `rejections.json`, never inside the profile file; replaced atomically on every change.
/// `UpliftGaps.LearnedRanking` turns it into ranking adjustments.
public struct FeedbackStore: Sendable {
    public struct Decision: Codable, Sendable, Equatable {
        public enum Kind: String, Codable, Sendable {
            case approved, rejected, undone
            case blindPick = "blind_pick"
            /// Re-exported after the fix: `promised` and `measured` hold the moves.
            case measured
            /// "Stop reporting this feature" (after a taste check).
            case muted
        }
        /// A blind A/B pick. `mixVsFix`: A the mix, B the mix with a fix; `mixVsReference`: the mix against
        /// a reference of the profile (issue 16's A/B view), `reference` naming it.
        public struct BlindPick: Codable, Sendable, Equatable {
            public enum Comparison: String, Codable, Sendable { case mixVsFix = "mix_vs_fix", mixVsReference = "mix_vs_reference" }
            public enum Choice: String, Codable, Sendable { case mix, fix, reference, noPreference = "no_preference" }
            public var comparison: Comparison
            public var picked: Choice
            /// Whether the producer then guessed which side was which (blind mode's reveal), when asked.
            public var guessedRight: Bool?
            public var reference: String?
            public init(comparison: Comparison, picked: Choice, guessedRight: Bool? = nil, reference: String? = nil) {
                self.comparison = comparison; self.picked = picked; self.guessedRight = guessedRight; self.reference = reference
            }
            enum CodingKeys: String, CodingKey { case comparison, picked, reference, guessedRight = "guessed_right" }
        }

        public var kind: Kind
        /// The gap's feature (`stereo.side_mid_ratio`, `spectrum.band`), and for spectrum gaps `learningKey` narrows it.
        public var feature: String
        /// What learning groups by (`stereo.side_mid_ratio`, `spectrum.band.low.125Hz`); see `UpliftGaps.LearnedRanking.key`.
        public var learningKey: String
        public var section: String?
        public var gapID: String?
        public var fixID: String?
        /// The fix's kind (`FixAction.stableKey`: `eq:bell`, `utility:width`).
        public var fixKind: String?
        /// Which of the gap's alternatives was chosen (0 = the one offered first).
        public var alternative: Int?
        /// The kinds of the alternatives offered, in order (so a preference can be read back).
        public var offered: [String]?
        public var reason: String?
        public var blind: BlindPick?
        /// For `measured`: the move the fix promised (expected − before) and the one measured (after − before), in the feature's unit.
        public var promised: Double?
        public var measured: Double?
        /// The sizing factor learning had applied to the fix when it was proposed (1 = none).
        public var sizing: Double?
        /// ISO 8601.
        public var at: String

        public init(kind: Kind, feature: String, learningKey: String, section: String? = nil, gapID: String? = nil, fixID: String? = nil,
                    fixKind: String? = nil, alternative: Int? = nil, offered: [String]? = nil, reason: String? = nil,
                    blind: BlindPick? = nil, promised: Double? = nil, measured: Double? = nil, sizing: Double? = nil, at: Date = Date()) {
            self.kind = kind; self.feature = feature; self.learningKey = learningKey; self.section = section; self.gapID = gapID
            self.fixID = fixID; self.fixKind = fixKind; self.alternative = alternative; self.offered = offered; self.reason = reason
            self.blind = blind; self.promised = promised; self.measured = measured; self.sizing = sizing
            self.at = ISO8601DateFormatter().string(from: at)
        }

        enum CodingKeys: String, CodingKey {
            case kind, feature, section, alternative, offered, reason, blind, promised, measured, sizing, at
            case learningKey = "learning_key", gapID = "gap_id", fixID = "fix_id", fixKind = "fix_kind"
        }
    }

    struct File: Codable {
        var schema = FeedbackStore.schema
        /// Profile name → its decisions, oldest first.
        var profiles: [String: [Decision]]
    }

    public static let schema = "uplift.feedback/1"
    public let path: String
    public init(path: String) { self.path = path }

    /// `$XDG_STATE_HOME/uplift/feedback.json` (beside `rejections.json`).
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        UpliftDirectories.state(environment: environment) + "/feedback.json"
    }

    func load() throws -> File {
        guard FileManager.default.fileExists(atPath: path) else { return File(profiles: [:]) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ProfileError(.unreadable, "cannot read the feedback record (permission?)", path: path)
        }
        do {
            let file = try UpliftJSON.decoder().decode(File.self, from: data)
            guard file.schema == Self.schema else {
                throw ProfileError(.newerSchema, "feedback record has schema \(file.schema); this Uplift reads \(Self.schema)", path: path)
            }
            return file
        } catch let error as ProfileError { throw error } catch {
            throw ProfileError(.garbled, "feedback record is garbled; move it aside to start afresh (only learning depends on it)",
                               path: path, cause: "\(error)")
        }
    }

    func save(_ file: File) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try AtomicFile.write(try UpliftJSON.encoder().encode(file), to: path)
    }

    /// The decisions recorded for `profile`, oldest first.
    public func decisions(profile: String) throws -> [Decision] { try load().profiles[profile] ?? [] }

    public func record(_ decision: Decision, profile: String) throws { try record([decision], profile: profile) }

    public func record(_ decisions: [Decision], profile: String) throws {
        guard !decisions.isEmpty else { return }
        var file = try load()
        file.profiles[profile, default: []] += decisions
        try save(file)
    }

    /// Forgets what was learned for `profile`: everything, or only the decisions about one feature
    /// (its feature name or learning key; a prefix of a learning key matches, `spectrum.band` all bands).
    /// Returns how many decisions were forgotten.
    @discardableResult
    public func reset(profile: String, feature: String? = nil) throws -> Int {
        var file = try load()
        let all = file.profiles[profile] ?? []
        let kept = feature.map { f in all.filter { $0.feature != f && !$0.learningKey.hasPrefix(f) } } ?? []
        guard kept.count != all.count else { return 0 }
        file.profiles[profile] = kept.isEmpty ? nil : kept
        try save(file)
        return all.count - kept.count
    }
}
