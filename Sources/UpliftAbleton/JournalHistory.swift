import UpliftModel

/// One group of the journal: its intent and, once known, its outcome.
public struct JournalGroup: Sendable, Equatable {
    public var intent: JournalEntry
    /// Corrections and restores, in the order written.
    public var writes: [JournalEntry] = []
    public var outcome: JournalEntry?

    public var groupID: String { intent.groupID }
    public var state: JournalEntry.State { outcome?.state ?? .pending }
    /// The changes as they ended: the outcome's observed values when there is one.
    public var changes: [JournalEntry.ParameterChange] { outcome?.changes ?? intent.changes }

    /// Every raw value Uplift sent to change `index` of the group (intent, corrections, restores).
    public func writtenRaws(_ index: Int) -> [Double] {
        var raws = [intent.changes[index].newRaw]
        let change = intent.changes[index]
        for line in writes {
            for c in line.changes where c.track == change.track && c.device == change.device && c.parameter == change.parameter
                && c.deviceClass == change.deviceClass {
                raws.append(c.newRaw)
            }
        }
        return raws
    }
}

/// The history is a fold of the journal's lines: which applied groups can be undone (newest
/// last), which undone ones can be redone.
public struct JournalHistory: Sendable {
    public private(set) var groups: [JournalGroup] = []
    /// Applied groups not undone, oldest first.
    public private(set) var undoable: [String] = []
    /// Undone groups, the most recently undone last.
    public private(set) var redoable: [String] = []

    public init(entries: [JournalEntry]) {
        var index: [String: Int] = [:]
        for entry in entries {
            switch entry.kind {
            case .intent:
                index[entry.groupID] = groups.count
                groups.append(JournalGroup(intent: entry))
            case .write:
                guard let i = index[entry.groupID], groups[i].outcome == nil else { continue }
                groups[i].writes.append(entry)
            case .outcome:
                guard let i = index[entry.groupID], groups[i].outcome == nil else { continue }
                groups[i].outcome = entry
                apply(groups[i])
            }
        }
    }

    public func group(_ id: String) -> JournalGroup? { groups.first { $0.groupID == id } }

    /// Groups still without an outcome (the process died between the journal line and the check).
    public var unresolved: [JournalGroup] { groups.filter { $0.outcome == nil } }

    private mutating func apply(_ group: JournalGroup) {
        // A partly applied group counts as applied: undo writes every old value back.
        guard group.state == .applied || group.state == .partial else { return }
        switch group.intent.action {
        case .apply:
            undoable.append(group.groupID)
            redoable.removeAll()
        case .undo:
            guard let target = group.intent.targetGroupID else { return }
            undoable.removeAll { $0 == target }
            redoable.append(target)
        case .redo:
            guard let target = group.intent.targetGroupID else { return }
            redoable.removeAll { $0 == target }
            undoable.append(target)
        }
    }

    /// The values the target group left in Live (its latest applied apply/redo outcome).
    public func appliedChanges(of id: String) -> [JournalEntry.ParameterChange]? {
        group(id)?.changes
    }
}
