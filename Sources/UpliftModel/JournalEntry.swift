import Foundation

/// One line of the Ableton undo journal (JSON Lines, one file per Live endpoint).
///
/// A change of several parameters (an EQ band: on + type + frequency + gain + Q) is one group.
/// Its `intent` line is appended and flushed to disk *before* anything is sent to Live; an
/// `outcome` line with the same `groupID` follows once the writes are verified (or have failed).
/// A group with an intent and no outcome was interrupted, and is reconciled by reading Live.
/// Lines are only ever appended: the history is the fold of all lines in order.
public struct JournalEntry: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable {
        case intent
        /// A further write of the group (a correction, a restore), on disk before it is sent:
        /// its `changes` hold only the parameters written, `newRaw` the value about to be sent.
        case write
        case outcome
    }

    public enum Action: String, Codable, Sendable {
        /// A new change (a fix, or `uplift ableton set`).
        case apply
        /// Old values written back for `targetGroupID`.
        case undo
        /// `targetGroupID`'s new values written again.
        case redo
    }

    public enum State: String, Codable, Sendable {
        /// Intent written, outcome not yet known.
        case pending
        /// Every parameter verified at its new value.
        case applied
        /// Nothing was stored (Live refused, or the set changed under us).
        case failed
        /// Verification missed; the old values were written back and verified.
        case restored
        /// Reconciled after a crash: Live still shows the old values.
        case notApplied = "not_applied"
        /// Reconciled after a crash: some parameters new, some old.
        case partial
        /// Reconciled after a crash: a parameter shows neither the old nor the new value.
        case diverged
    }

    /// One parameter of a group, identified by names first and indices second (indices move).
    public struct ParameterChange: Codable, Sendable, Equatable {
        public var track: String
        public var trackIndex: Int
        public var device: String
        public var deviceClass: String
        public var deviceIndex: Int
        public var parameter: String
        public var parameterIndex: Int
        public var oldRaw: Double
        public var oldText: String
        /// The raw value written (intent) or read back after verification (outcome).
        public var newRaw: Double
        /// Live's display of `newRaw`; nil in an intent (Live shows it only once set).
        public var newText: String?
        /// What was asked, in the producer's words ("-3.0 dB", "raw 0.5", "Bell").
        public var target: String?

        public init(track: String, trackIndex: Int, device: String, deviceClass: String, deviceIndex: Int,
                    parameter: String, parameterIndex: Int, oldRaw: Double, oldText: String,
                    newRaw: Double, newText: String? = nil, target: String? = nil) {
            self.track = track
            self.trackIndex = trackIndex
            self.device = device
            self.deviceClass = deviceClass
            self.deviceIndex = deviceIndex
            self.parameter = parameter
            self.parameterIndex = parameterIndex
            self.oldRaw = oldRaw
            self.oldText = oldText
            self.newRaw = newRaw
            self.newText = newText
            self.target = target
        }
    }

    public var kind: Kind
    public var groupID: String
    public var time: Date
    public var action: Action
    /// For undo/redo: the group whose values are written back or again.
    public var targetGroupID: String?
    /// Why: free text for now, a fix id once the gap report hands fixes over.
    public var reason: String
    public var setFingerprint: String
    public var changes: [ParameterChange]
    public var state: State
    /// What happened, in words (Live's error, the verification miss, the reconciliation).
    public var message: String?

    public init(kind: Kind, groupID: String, time: Date, action: Action, targetGroupID: String? = nil,
                reason: String, setFingerprint: String, changes: [ParameterChange], state: State, message: String? = nil) {
        self.kind = kind
        self.groupID = groupID
        self.time = time
        self.action = action
        self.targetGroupID = targetGroupID
        self.reason = reason
        self.setFingerprint = setFingerprint
        self.changes = changes
        self.state = state
        self.message = message
    }

    enum CodingKeys: String, CodingKey {
        case kind, time, action, reason, changes, state, message
        case groupID = "group_id"
        case targetGroupID = "target_group_id"
        case setFingerprint = "set_fingerprint"
    }
}

extension JournalEntry.ParameterChange {
    enum CodingKeys: String, CodingKey {
        case track, device, parameter, target
        case trackIndex = "track_index"
        case deviceClass = "device_class"
        case deviceIndex = "device_index"
        case parameterIndex = "parameter_index"
        case oldRaw = "old_raw"
        case oldText = "old_text"
        case newRaw = "new_raw"
        case newText = "new_text"
    }
}
