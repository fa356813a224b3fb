import UpliftModel

/// What a change asks of one parameter.
public enum ParameterTarget: Sendable, Equatable, CustomStringConvertible {
    /// In the parameter's unit ("-3 dB", "2.5 kHz"); converted through the parameter map.
    case physical(PhysicalValue)
    /// Live's raw value, as is.
    case raw(Double)
    /// A quantized parameter's choice by its display name ("Bell", "On").
    case choice(String)

    /// Parses the producer's VALUE: `-3dB`, `2.5kHz`, `30ms`, `4:1`, `80%`, a bare number (the
    /// parameter's own unit), a choice name, or with `raw` Live's raw number.
    public static func parse(_ text: String, raw: Bool) throws(AbletonError) -> ParameterTarget {
        if raw {
            guard let x = Double(text.trimmingCharacters(in: .whitespaces)), x.isFinite else {
                throw AbletonError(.invalidValue, "'\(text)' is not a number; with --raw give Live's raw value, e.g. 0.5")
            }
            return .raw(x)
        }
        if let value = PhysicalValue.parse(text) { return .physical(value) }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw AbletonError(.invalidValue, "empty value; give e.g. -3dB, 2.5kHz, 30ms, 4:1, 80% or a choice name") }
        return .choice(trimmed)
    }

    public var description: String {
        switch self {
        case .physical(let v): v.description
        case .raw(let x): "raw \(x)"
        case .choice(let name): name
        }
    }
}

/// One parameter change of a group, by names (case-insensitive, unique prefixes accepted).
public struct ParameterChangeRequest: Sendable, Equatable {
    public var track: String
    public var device: String
    public var parameter: String
    public var target: ParameterTarget

    public init(track: String, device: String, parameter: String, target: ParameterTarget) {
        self.track = track
        self.device = device
        self.parameter = parameter
        self.target = target
    }
}

/// The result of an apply, undo or redo: the journal group as it ended.
public struct AppliedChange: Sendable, Equatable {
    public var groupID: String
    public var action: JournalEntry.Action
    public var reason: String
    public var state: JournalEntry.State
    public var changes: [JournalEntry.ParameterChange]
    /// Corrections made along the way, in words.
    public var notes: [String]
    /// From sending the write bundle to the verified read-back (what the benchmark measures).
    public var writeToVerified: Duration = .zero
}

/// What `uplift ableton status` shows.
public struct BridgeStatus: Sendable, Codable, Equatable {
    public var connected: Bool
    public var liveVersion: String?
    public var tempoBPM: Double?
    public var set: LiveSet?
    public var setFingerprint: String?
    public var journalPath: String?
    public var mixBusTrack: String?
    public var warnings: [String]
}
