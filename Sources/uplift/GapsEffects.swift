import Foundation
import Synchronization
import UpliftAbleton
import UpliftGaps
import UpliftModel
import UpliftTUI

/// Carries out the Gaps pane's effects for the TUI: fixes through the `AbletonBridge` (journalled and
/// verified as every bridge write is), rejections into the `RejectionStore`. Each effect runs on its own
/// Task; the result comes back through `post` as an action, so the UI thread never waits on OSC.
///
/// Wiring (in `uplift watch MIX --profile P` / the demo, not done here):
/// ```
/// let effects = GapsEffects(bridge: bridgeOrNil, rejections: RejectionStore(path: RejectionStore.defaultPath()),
///                           profile: report.profile, report: mappedReport)   // FixMapper(set:…).map(report)
/// let loop = TUIRunLoop(backend: …, state: …, themes: …, gapEffects: effects) { … }
/// loop.inbox.post(.gapReportLoaded(mappedReport))
/// loop.inbox.post(.bridgeStateChanged(bridgeOrNil == nil ? .absent : .connected(setName: nil)))
/// ```
/// `undoLastFix` / `redoLastFix` undo or redo the bridge journal's last group, which is the last fix
/// applied here unless something else (`uplift ableton set`) wrote in between.
final class GapsEffects: GapEffectHandler {
    private let bridge: AbletonBridge?
    private let rejections: RejectionStore
    private let profile: String
    private let gapsByID: Mutex<[String: Gap]>

    init(bridge: AbletonBridge?, rejections: RejectionStore, profile: String, report: GapReport) {
        self.bridge = bridge
        self.rejections = rejections
        self.profile = profile
        self.gapsByID = Mutex(Dictionary(report.gaps.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first }))
    }

    /// Call when a new report is loaded, so rejections record the right feature and section.
    func update(report: GapReport) {
        gapsByID.withLock { $0 = Dictionary(report.gaps.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first }) }
    }

    func perform(_ effect: Effect, post: @escaping @Sendable (Action) -> Void) {
        switch effect {
        case .applyFix(let fix):
            guard let bridge else { post(.fixFailed(id: fix.id, message: "Live is not connected")); return }
            guard fix.isApplicable, let track = fix.track, let device = fix.device else {
                post(.fixFailed(id: fix.id, message: fix.needs ?? "not mapped onto a Live device"))
                return
            }
            let requests = fix.parameters.map { p in
                ParameterChangeRequest(track: track, device: device, parameter: p.name, target: GapsCommand.target(p))
            }
            let reason = "uplift gaps fix \(fix.id): \(fix.action.summary)"
            Task {
                do throws(AbletonError) {
                    let change = try await bridge.apply(requests, reason: reason)
                    if change.state == .applied {
                        post(.fixApplied(id: fix.id, summary: Self.summary(change.changes, arrow: false)))
                    } else {
                        let notes = change.notes.isEmpty ? "" : ": " + change.notes.joined(separator: "; ")
                        post(.fixFailed(id: fix.id, message: "\(change.state.rawValue)\(notes)"))
                    }
                } catch {
                    post(.fixFailed(id: fix.id, message: "\(error)"))
                }
            }

        case .rejectFix(let gapID, let reason):
            let gap = gapsByID.withLock { $0[gapID] }
            guard let gap else { post(.rejectionNotSaved(gapID: gapID, message: "gap not in the loaded report")); return }
            let rejections = self.rejections, profile = self.profile
            Task {
                do { try rejections.reject(gap, profile: profile, reason: reason) } catch {
                    // The pane already shows it dimmed; say the store did not keep it.
                    post(.rejectionNotSaved(gapID: gapID, message: "\(error)"))
                }
            }

        case .undoLastFix, .redoLastFix:
            let isUndo = effect == .undoLastFix
            guard let bridge else { post(.fixHistoryFailed(message: "Live is not connected")); return }
            Task {
                do throws(AbletonError) {
                    let done = isUndo ? try await bridge.undo() : try await bridge.redo()
                    let summary = Self.summary(done.flatMap(\.changes), arrow: true)
                    post(isUndo ? .fixUndone(summary: summary) : .fixRedone(summary: summary))
                } catch {
                    post(.fixHistoryFailed(message: "\(error)"))
                }
            }

        case .quit, .togglePlayback, .seek, .setLoop:
            break
        }
    }

    /// `3 Gain A = -2.5 dB` (or `3 Gain A 0.0 dB → -2.5 dB` for undo/redo).
    static func summary(_ changes: [JournalEntry.ParameterChange], arrow: Bool) -> String {
        guard !changes.isEmpty else { return "nothing changed" }
        return changes.map { c in
            arrow ? "\(c.parameter) \(c.oldText) → \(c.newText ?? "?")" : "\(c.parameter) = \(c.newText ?? "?")"
        }.joined(separator: ", ")
    }
}
