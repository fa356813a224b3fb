import Foundation

/// The A/B blind test's record: every guess, oldest first. Kept per profile (beside the profile
/// file) or in the state folder; read it with `BlindRecordStore` (UpliftProfile). Issue 17's
/// feedback can weigh what the producer could and could not tell apart.
public struct BlindRecord: Codable, Sendable, Equatable {
    public static let schema = "uplift.ab-blind/1"

    public struct Pick: Codable, Sendable, Equatable {
        public enum Kind: String, Codable, Sendable { case mix, reference }
        public var time: Date
        /// What played (hidden from the producer) and what they said it was.
        public var played: Kind
        public var playedName: String
        public var guessed: Kind
        public var guessedName: String
        public var correct: Bool
        /// Loudness matching was on (a guess with it off may be loudness bias).
        public var matched: Bool
        public init(time: Date, played: Kind, playedName: String, guessed: Kind, guessedName: String, correct: Bool, matched: Bool) {
            self.time = time; self.played = played; self.playedName = playedName; self.guessed = guessed
            self.guessedName = guessedName; self.correct = correct; self.matched = matched
        }
        enum CodingKeys: String, CodingKey {
            case time, played, playedName = "played_name", guessed, guessedName = "guessed_name", correct, matched
        }
    }

    public var schema: String = BlindRecord.schema
    public var picks: [Pick]
    public init(picks: [Pick] = []) { self.picks = picks }

    public var correctCount: Int { picks.filter(\.correct).count }
}
