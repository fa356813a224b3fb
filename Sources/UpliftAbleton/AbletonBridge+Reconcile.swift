import Foundation
import UpliftModel

extension AbletonBridge {
    /// Groups left without an outcome (the process died between the journal line and the
    /// check) are settled by reading Live: applied, not applied, partly, or neither.
    func reconcile() async throws(AbletonError) {
        for group in history.unresolved {
            var changes = group.intent.changes
            var kinds: [String] = []
            var notes: [String] = []
            let identities = changes.map {
                ParameterIdentity(track: $0.track, device: $0.device, deviceClass: $0.deviceClass, parameter: $0.parameter)
            }
            do throws(AbletonError) {
                let located = try await locate(identities)
                for (i, parameter) in located.enumerated() {
                    let raw = parameter.parameter.value
                    changes[i].newRaw = raw
                    changes[i].newText = parameter.parameter.valueString
                    if rawEqual(raw, group.intent.changes[i].newRaw) {
                        kinds.append("new")
                    } else if rawEqual(raw, group.intent.changes[i].oldRaw) {
                        kinds.append("old")
                    } else {
                        kinds.append("neither")
                        notes.append("\(parameter.identity.path) shows \(parameter.parameter.valueString), neither the old \(group.intent.changes[i].oldText) nor the value Uplift wrote")
                    }
                }
            } catch {
                kinds = ["neither"]
                notes.append("could not read the parameters back: \(error.message)")
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
