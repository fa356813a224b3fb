import UpliftModel

/// Where Ableton Live stands for the gap pane: the status line shows it, approve/undo/redo need `.connected`.
public enum BridgeState: Sendable, Equatable {
    case connected(setName: String?)
    /// No AbletonOSC answering: the pane stays read-only.
    case absent
    case error(String)

    var statusText: String {
        switch self {
        case .connected(let name): return "Live: connected" + (name.map { " (\($0))" } ?? "")
        case .absent: return "Live: absent (read-only)"
        case .error(let message): return "Live: error: \(message)"
        }
    }
}

/// Where one proposed fix stands. Only reducer actions move it (the result of an effect arrives as an action).
public enum FixStatus: Sendable, Equatable {
    case proposed
    /// `applyFix` sent; waiting for the bridge's verified read-back.
    case applying
    /// Written and verified: the bridge's read-back text (`3 Gain A = -2.5 dB`).
    case applied(verified: String)
    case failed(message: String)
    case rejected
}

/// The profile's p10–p90 per spectrum band, drawn behind the live spectrum.
public struct ProfileSpectrumBand: Sendable, Equatable {
    public var bandsHz: [Double]
    public var p10DB: [Double]
    public var p90DB: [Double]
    public init(bandsHz: [Double], p10DB: [Double], p90DB: [Double]) {
        self.bandsHz = bandsHz; self.p10DB = p10DB; self.p90DB = p90DB
    }
}

/// "Measured, not assumed": after a re-export, what the new analysis says about the previous
/// report's gaps and about the fixes applied in between.
public struct GapRemeasurement: Sendable, Equatable {
    /// `re-export: 2 closed, 1 narrowed, 1 fix fell short`.
    public var headline: String
    /// One line per gap of the previous report (closed ones included), in its order.
    public var lines: [String]
    /// Lines for gaps still in the new report, by gap id (ids are stable across reports).
    public var lineByGapID: [String: String]
    /// Fixes that did not do what they promised.
    public var brokenPromises: Int
    public init(headline: String, lines: [String], lineByGapID: [String: String], brokenPromises: Int) {
        self.headline = headline; self.lines = lines; self.lineByGapID = lineByGapID; self.brokenPromises = brokenPromises
    }
}

/// After a fix approved while the studio listens to Live: how the gap's value in the rolling window moves
/// ("closing: +5.1 → +1.8 dB over 8 bars"), until the whole window was played after the fix (`isFinal`).
public struct LiveFixLine: Sendable, Equatable {
    public var gapID: String
    public var text: String
    public var isFinal: Bool
    public init(gapID: String, text: String, isFinal: Bool) { self.gapID = gapID; self.text = text; self.isFinal = isFinal }
}

/// "Why reject this?": optional, remembered with the rejection so a later look at the store says why.
public struct RejectPrompt: Sendable, Equatable {
    public var gapID: String
    public var reason = ""
    public static let maximumLength = 120
    public init(gapID: String, reason: String = "") { self.gapID = gapID; self.reason = reason }
}

/// The gap report and what the producer did with it in this session.
public struct GapsState: Sendable, Equatable {
    public var report: GapReport?
    /// Index into `report.gaps`.
    public var selectedIndex = 0
    /// By fix id; a fix missing here is `.proposed`.
    public var fixStatuses: [String: FixStatus] = [:]
    /// Fix ids applied in this session, most recent last (what `u` undoes).
    public var appliedFixIDs: [String] = []
    /// Fix ids undone, most recent last (what `r` redoes); cleared by a new apply.
    public var undoneFixIDs: [String] = []
    /// An undo or redo is on its way to the bridge: a second one waits for its result.
    public var isHistoryOperationPending = false
    /// One line per apply / undo / redo / reject, oldest first.
    public var history: [String] = []
    public var isHistoryVisible = false
    /// The reject prompt: the gap asked about and the reason typed so far (keys go here while it is open).
    public var rejectPrompt: RejectPrompt?
    /// The latest re-export's measurement against the report before it.
    public var remeasurement: GapRemeasurement?
    /// Live input: each followed gap's newest follow-up line, by gap id (kept after the final one).
    public var liveFollow: [String: LiveFixLine] = [:]
    /// Live input: the newest report's own ranking (gap ids) when the shown order was kept to spare the
    /// cursor; nil when they agree.
    public var rankedOrder: [String]?
    public init() {}

    public var selectedGap: Gap? {
        guard let gaps = report?.gaps, gaps.indices.contains(selectedIndex) else { return nil }
        return gaps[selectedIndex]
    }

    public func status(ofFix id: String) -> FixStatus { fixStatuses[id] ?? .proposed }

    /// Which of a gap's fixes `a` applies (`f` cycles them): the first unless the producer chose another.
    public var chosenFixIndex: [String: Int] = [:]

    /// Side effects of fixes, rendered and re-analysed (by `checkKey`), asked for, or why not.
    public var fixChecks: [String: FixCheck] = [:]
    public var fixChecksPending: Set<String> = []
    public var fixCheckFailures: [String: String] = [:]

    /// A check holds for one fix at one size.
    public static func checkKey(_ fix: Fix) -> String { fix.id + " " + fix.action.summary }

    public func chosenFix(of gap: Gap) -> Fix? {
        guard !gap.fixes.isEmpty else { return nil }
        return gap.fixes[min(chosenFixIndex[gap.id] ?? 0, gap.fixes.count - 1)]
    }

    /// The fix of this gap that is applied or on its way, if any (one per gap: fixes of a gap are alternatives).
    public func activeFix(of gap: Gap) -> (Fix, FixStatus)? {
        for fix in gap.fixes {
            let status = status(ofFix: fix.id)
            switch status {
            case .applied, .applying: return (fix, status)
            default: continue
            }
        }
        return nil
    }

    func fix(withID id: String) -> Fix? {
        report?.gaps.lazy.flatMap(\.fixes).first { $0.id == id }
    }
}
