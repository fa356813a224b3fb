import Foundation
import Synchronization
import UpliftAbleton
import UpliftGaps
import UpliftModel
import UpliftProfile
import UpliftTUI

/// Carries out the Gaps pane's effects for the TUI: fixes through the `AbletonBridge` (journalled and
/// verified as every bridge write is), rejections into the `RejectionStore`. Each effect runs on its own
/// Task; the result comes back through `post` as an action, so the UI thread never waits on OSC.
/// `StudioGapSession` owns one and hands it the bridge once Live answers.
///
/// `undoLastFix` / `redoLastFix` undo or redo the bridge journal's last group. While the pane runs it
/// holds AbletonOSC's only reply port, so that group is its own last fix; the fix id in the group's
/// reason says so rather than assuming it, and a group that is no gap fix is named as such.
public final class GapsEffects: GapEffectHandler {
    private let rejections: RejectionStore
    /// Where approvals, rejections and undos are recorded for learning (`LearnedRanking`); nil: not recorded.
    private let feedback: FeedbackStore?
    private let profile: String
    private struct Held {
        public var bridge: AbletonBridge?
        var gapsByID: [String: Gap] = [:]
        /// Fixes applied through this handler and not undone, oldest first (for "measured, not assumed").
        var applied: [String] = []
        var undone: [String] = []
        /// Gaps rejected through this handler (the store's write may still be on its way).
        var rejected: Set<String> = []
        /// Live input: the stream time each applied fix reached Live (the rolling window follows it from there).
        var appliedAtS: [String: Double] = [:]
        var clock: (@Sendable () -> Double?)?
        /// Renders a fix onto the current mix and re-analyses it (set by the session once the mix is analysed).
        var checker: (@Sendable (Gap, Fix) throws -> FixCheck)?
        /// Renders a fix for listening (the audition's A/B view), on the current mix.
        var auditioner: (@Sendable (Fix) throws -> FixAudition)?
        var wantedCheck: String?
        var precheckGeneration = 0
    }
    private let held: Mutex<Held>

    public init(bridge: AbletonBridge?, rejections: RejectionStore, profile: String, report: GapReport?, feedback: FeedbackStore? = nil) {
        self.rejections = rejections
        self.feedback = feedback
        self.profile = profile
        self.held = Mutex(Held(bridge: bridge))
        if let report { update(report: report) }
    }

    /// Call when a new report is loaded, so rejections record the right feature and section.
    public func update(report: GapReport) {
        let byID = Dictionary(report.gaps.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        held.withLock { $0.gapsByID = byID }
    }

    /// One check at a time, off the UI thread (each renders and re-analyses the whole mix).
    private let checkQueue = DispatchQueue(label: "uplift.fix-check", qos: .utility)

    /// Checks the first fix of the report's top `count` actionable gaps in the background, one after the
    /// other, posting `fixChecked` as each is done (side effects before approval, without a key press).
    /// Fixes that cannot be rendered are skipped quietly; a newer report's call supersedes this one's.
    public func precheck(_ report: GapReport, count: Int = 3, post: @escaping @Sendable (Action) -> Void) {
        guard let checker = held.withLock({ $0.checker }) else { return }
        let fixes = report.gaps.filter { $0.actionable == true && !$0.rejected }.compactMap { g in g.fixes.first.map { (g, $0) } }
            .filter { !$0.1.adviceOnly }.prefix(count)
        let generation = held.withLock { h -> Int in h.precheckGeneration += 1; return h.precheckGeneration }
        for (gap, fix) in fixes {
            checkQueue.async { [self] in
                guard held.withLock({ $0.precheckGeneration == generation }) else { return }
                if let check = try? checker(gap, fix) { post(.fixChecked(check)) }
            }
        }
    }

    /// How `checkFix` renders and re-analyses a fix on the current mix (nil: not possible, e.g. before the first analysis).
    public func setFixChecker(_ checker: (@Sendable (Gap, Fix) throws -> FixCheck)?) { held.withLock { $0.checker = checker } }

    /// How `A` renders a fix for the A/B view (set with the checker, once the mix is analysed).
    public func setAuditioner(_ auditioner: (@Sendable (Fix) throws -> FixAudition)?) { held.withLock { $0.auditioner = auditioner } }

    /// The fix rendered on the current mix, ready for the A/B view; throws with the reason when it cannot be.
    public func audition(_ fix: Fix) throws -> FixAudition {
        guard let auditioner = held.withLock({ $0.auditioner }) else {
            throw StudioError("the mix is not analysed yet: A works once the gap report is in")
        }
        return try auditioner(fix)
    }

    /// A blind guess in the A/B view opened from the studio (the mix against a reference of the profile),
    /// recorded with the gap whose feature chose the references, when one did.
    public func recordReferenceGuess(_ pick: BlindRecord.Pick, gap: Gap?) {
        guard let feedback else { return }
        try? feedback.record(LearnedRanking.referenceGuess(pick, gap: gap), profile: profile)
    }

    /// A blind audition's pick (mix as it is, with the fix, or no preference), for learning.
    public func recordBlindPick(gap: Gap, fix: Fix, picked: FeedbackStore.Decision.BlindPick.Choice) {
        guard let feedback else { return }
        try? feedback.record(LearnedRanking.blindPick(gap: gap, fix: fix, picked: picked), profile: profile)
    }

    /// Live answered (or went away): fixes go to this bridge from now on.
    public func setBridge(_ bridge: AbletonBridge?) { held.withLock { $0.bridge = bridge } }

    public var bridge: AbletonBridge? { held.withLock { $0.bridge } }

    /// Live input: where the stream is (seconds since listening began), read when a fix is verified.
    public func setStreamClock(_ clock: @escaping @Sendable () -> Double?) { held.withLock { $0.clock = clock } }

    /// Stream time at which a fix applied here was verified, when a stream clock is set.
    public func appliedAtS(_ fixID: String) -> Double? { held.withLock { $0.appliedAtS[fixID] } }

    /// Fix ids applied here and still in effect.
    public var appliedFixIDs: [String] { held.withLock { $0.applied } }

    /// The fixes applied since the last call (a re-export measures them), forgotten here afterwards.
    public func takeAppliedFixIDs() -> [String] {
        held.withLock { held in defer { held.applied.removeAll(); held.undone.removeAll() }; return held.applied }
    }

    public var rejectedGapIDs: Set<String> { held.withLock { $0.rejected } }

    public func perform(_ effect: Effect, post: @escaping @Sendable (Action) -> Void) {
        switch effect {
        case .applyFix(let fix):
            guard let bridge = self.bridge else { post(.fixFailed(id: fix.id, message: "Live is not connected")); return }
            guard fix.isApplicable else {
                post(.fixFailed(id: fix.id, message: fix.needs ?? "not mapped onto a Live device"))
                return
            }
            Task {
                do throws(AbletonError) {
                    let change = try await bridge.apply(fix)
                    if change.state == .applied {
                        self.held.withLock { held in
                            held.applied.append(fix.id); held.undone.removeAll()
                            held.appliedAtS[fix.id] = held.clock?()
                        }
                        self.recordDecision(.approved, fixID: fix.id, gapID: fix.gapID, fix: fix)
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
            let gap = held.withLock { held in
                held.rejected.insert(gapID)
                return held.gapsByID[gapID]
            }
            guard let gap else { post(.rejectionNotSaved(gapID: gapID, message: "gap not in the loaded report")); return }
            let rejections = self.rejections, profile = self.profile
            Task {
                self.recordDecision(.rejected, fixID: nil, gapID: gapID, fix: gap.fixes.first, reason: reason)
                do { try rejections.reject(gap, profile: profile, reason: reason) } catch {
                    // The pane already shows it dimmed; say the store did not keep it.
                    post(.rejectionNotSaved(gapID: gapID, message: "\(error)"))
                }
            }

        case .undoLastFix, .redoLastFix:
            let isUndo = effect == .undoLastFix
            guard let bridge = self.bridge else { post(.fixHistoryFailed(message: "Live is not connected")); return }
            Task {
                do throws(AbletonError) {
                    let done = isUndo ? try await bridge.undo() : try await bridge.redo()
                    // Which fix the journal group was, read from its reason, not assumed.
                    let fixIDs = done.compactMap { FixJournalReason.fixID(in: $0.reason) }
                    self.held.withLock { held in
                        for id in fixIDs {
                            if isUndo, let k = held.applied.lastIndex(of: id) { held.undone.append(held.applied.remove(at: k)) }
                            if !isUndo, let k = held.undone.lastIndex(of: id) {
                                held.applied.append(held.undone.remove(at: k))
                                held.appliedAtS[id] = held.clock?()
                            }
                        }
                    }
                    var summary = Self.summary(done.flatMap(\.changes), arrow: true)
                    if fixIDs.isEmpty, let reason = done.first?.reason {
                        summary += " (not a gap fix: \(FixJournalReason.original(reason)))"
                    }
                    let fixID = fixIDs.first
                    if isUndo { for id in fixIDs { self.recordDecision(.undone, fixID: id, gapID: nil, fix: nil) } }
                    post(isUndo ? .fixUndone(fixID: fixID, summary: summary) : .fixRedone(fixID: fixID, summary: summary))
                } catch {
                    post(.fixHistoryFailed(message: "\(error)"))
                }
            }

        case .checkFix(let fix):
            guard let checker = held.withLock({ $0.checker }), let gap = held.withLock({ $0.gapsByID[fix.gapID] }) else {
                post(.fixCheckFailed(fixID: fix.id, message: "no mix to render the fix onto yet"))
                return
            }
            held.withLock { $0.wantedCheck = fix.id }
            checkQueue.async { [self] in
                // Latest wins: a check asked for and left before it started is not rendered.
                guard held.withLock({ $0.wantedCheck == fix.id }) else {
                    post(.fixCheckFailed(fixID: fix.id, message: "skipped: another gap was selected (select it again to hear it)"))
                    return
                }
                do { post(.fixChecked(try checker(gap, fix))) } catch { post(.fixCheckFailed(fixID: fix.id, message: "\(error)")) }
            }

        case .quit, .togglePlayback, .seek, .setLoop, .ab, .openAB, .closeAB:
            break
        }
    }

    /// Records a decision with its gap's context for learning; a store that cannot be written costs the
    /// learning, never the fix.
    private func recordDecision(_ kind: FeedbackStore.Decision.Kind, fixID: String?, gapID: String?, fix: Fix?, reason: String? = nil) {
        guard let feedback else { return }
        let gap: Gap? = held.withLock { held in
            if let gapID, let g = held.gapsByID[gapID] { return g }
            guard let fixID else { return nil }
            return held.gapsByID.values.first { $0.fixes.contains { $0.id == fixID } }
        }
        guard let gap else { return }
        let chosen = fix ?? fixID.flatMap { id in gap.fixes.first { $0.id == id } }
        // Not written to standard error: the studio's screen owns the terminal.
        try? feedback.record(LearnedRanking.decision(kind, gap: gap, fix: chosen, reason: reason), profile: profile)
    }

    /// `3 Gain A = -2.5 dB` (or `3 Gain A 0.0 dB → -2.5 dB` for undo/redo).
    public static func summary(_ changes: [JournalEntry.ParameterChange], arrow: Bool) -> String {
        guard !changes.isEmpty else { return "nothing changed" }
        return changes.map { c in
            arrow ? "\(c.parameter) \(c.oldText) → \(c.newText ?? "?")" : "\(c.parameter) = \(c.newText ?? "?")"
        }.joined(separator: ", ")
    }
}
