import Foundation
import UpliftModel

extension AbletonBridge {
    /// Groups left without an outcome (the process died between a journal line and the check,
    /// or Live stopped answering) are settled by reading Live: applied (Live shows a value Uplift
    /// wrote: the intent's, a correction's), not applied (the old value), partly, or diverged
    /// (another value: moved by hand since). A group that cannot be read now (Live busy, a lost
    /// reply, its set not open) is left pending and tried again on the next connect or change:
    /// a temporary failure never settles a group.
    func reconcile() async throws(AbletonError) {
        for group in history.unresolved {
            var changes = group.intent.changes
            var kinds: [String] = []
            var notes: [String] = []
            let located: [LocatedParameter]
            do throws(AbletonError) {
                located = try await locate(changes.map { ParameterIdentity($0) })
            } catch {
                let note = "\(group.intent.action.rawValue) '\(group.intent.reason)' was interrupted and could not be checked now (\(error.message)); Uplift will try again on the next connect"
                if !warnings.contains(note) { warnings.append(note) }
                continue
            }
            for (i, parameter) in located.enumerated() {
                let raw = parameter.parameter.value
                changes[i].newRaw = raw
                changes[i].newText = parameter.parameter.valueString
                let written = group.writtenRaws(i)
                if rawEqual(raw, group.intent.changes[i].oldRaw) {
                    kinds.append("old")
                } else if written.contains(where: { rawEqual(raw, $0) || rawEqual(raw, Double(Float($0))) }) {
                    kinds.append("new")
                } else {
                    kinds.append("neither")
                    notes.append("\(parameter.identity.path) shows \(parameter.parameter.valueString), neither the old \(group.intent.changes[i].oldText) nor a value Uplift wrote")
                }
            }
            let state: JournalEntry.State
            if kinds.allSatisfy({ $0 == "new" }) {
                state = .applied
            } else if kinds.allSatisfy({ $0 == "old" }) {
                state = .notApplied
            } else if !kinds.contains("neither") {
                state = .partial
            } else {
                state = .diverged
            }
            let message = "reconciled on start: Uplift stopped between the journal line and the check; Live shows "
                + (state == .applied ? "the new values" : state == .notApplied ? "the old values (the write never happened)"
                   : state == .partial ? "some new and some old values" : "other values")
                + (notes.isEmpty ? "" : " (\(notes.joined(separator: "; ")))")
            try writeOutcome(group.intent, state: state, changes: changes, message: message)
            warnings.append("\(group.intent.action.rawValue) '\(group.intent.reason)': \(message)")
        }
    }
}
