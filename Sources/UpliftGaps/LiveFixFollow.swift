import Foundation
import UpliftModel

/// After a fix is approved while the studio listens to Live (`uplift live --profile`), the gap's value
/// in the rolling window is followed until the whole window was played after the fix: "closing: +5.1 →
/// +1.8 dB over 8 bars" while old audio still shares the window, then the measured result ("narrowed …,
/// 65 % of the gap closed, measured on 32 bars all after the fix"). Measured, not assumed, without an export.
///
/// Departures are what the fix is meant to close: the distance outside the references' p10–p90
/// (0 inside), signed (+ above, − below), in the gap's unit.
public struct LiveFixFollow: Sendable, Equatable {
    public enum Phase: String, Sendable { case measuring, closing, closed, narrowed, overshot, unchanged = "did not move", widened }

    /// Share of the window that must have been played after the fix before its move is judged: below it the
    /// window's own drift (a breakdown leaving it, a drop entering) outweighs the fix.
    public static let judgedFromShare = 0.25

    public struct Followed: Sendable, Equatable {
        public var fixID: String
        public var gap: Gap
        public var fix: Fix
        /// Stream time (s) the fix reached Live.
        public var appliedAtS: Double
        /// Departure when the fix was applied.
        public var startDeparture: Double
        /// The newest measurement: departure, and the window's end.
        public var latestDeparture: Double?
        public var latestValue: Double?
        public var latestEndS: Double?
    }

    /// One gap's follow-up after a window: the line for the gap pane, and whether it is the final measurement.
    public struct Update: Sendable, Equatable {
        public var gapID: String
        public var fixID: String
        public var phase: Phase
        public var line: String
        /// The whole window was played after the fix: this is the measured result (the history keeps it).
        public var isFinal: Bool
        /// Share of the departure that went away (1 = inside the references, < 0 = grew).
        public var closedFraction: Double?
        /// The fix promised a value and the measurement did not reach half of the way there.
        public var fellShort: Bool
    }

    public private(set) var followed: [Followed] = []

    public init() {}

    /// Starts following `fix` of `gap`, applied at stream time `appliedAtS` (a gap followed already is restarted:
    /// a second fix on it changes what is measured).
    public mutating func start(fix: Fix, of gap: Gap, appliedAtS: Double) {
        followed.removeAll { $0.gap.id == gap.id }
        followed.append(Followed(fixID: fix.id, gap: gap, fix: fix, appliedAtS: appliedAtS,
                                 startDeparture: Self.departure(gap.value, gap: gap)))
    }

    /// Stops following a fix (undone: the gap is back where it was; its next report says so).
    public mutating func stop(fixID: String) { followed.removeAll { $0.fixID == fixID } }

    public var followedFixIDs: [String] { followed.map(\.fixID) }

    /// A new window: its measurements (`GapReport.measured`), the stream times it covers, and the bar
    /// length (nil without a grid: "over 12 s"). Fixes whose window is all after them end here.
    public mutating func observe(measured: [String: Double], windowStartS: Double, windowEndS: Double,
                                 barS: Double?) -> [Update] {
        var updates: [Update] = []
        var kept: [Followed] = []
        for var item in followed {
            // A window that ended before the fix reached Live says nothing about it.
            guard windowEndS > item.appliedAtS, let value = measured[GapProgress.measuredKey(item.gap)], value.isFinite else {
                kept.append(item)
                continue
            }
            let departure = Self.departure(value, gap: item.gap)
            item.latestDeparture = departure
            item.latestValue = value
            item.latestEndS = windowEndS
            let isFinal = windowStartS >= item.appliedAtS - 0.05
            let update = Self.update(item, value: value, departure: departure, windowStartS: windowStartS,
                                     windowEndS: windowEndS, barS: barS, isFinal: isFinal)
            updates.append(update)
            if !isFinal { kept.append(item) }
        }
        followed = kept
        return updates
    }

    static func update(_ item: Followed, value: Double, departure: Double, windowStartS: Double, windowEndS: Double,
                       barS: Double?, isFinal: Bool) -> Update {
        let start = item.startDeparture, unit = item.gap.unit
        let fraction: Double? = abs(start) > 1e-12 ? 1 - abs(departure) / abs(start) : nil
        // Below this share of the departure, a move is the window's own wobble, not the fix.
        let tolerance = 0.1
        let phase: Phase
        if departure == 0 { phase = isFinal ? .closed : .closing }
        else if start != 0, departure.sign != start.sign { phase = .overshot }  // past the references' range on the other side
        else if let f = fraction, f > tolerance { phase = isFinal ? .narrowed : .closing }  // an overshoot shows in the signs
        else if let f = fraction, f < -tolerance { phase = .widened }
        else { phase = .unchanged }
        var fellShort = false
        if isFinal, let promised = item.fix.expectedValue {
            let wanted = promised - item.gap.value, got = value - item.gap.value
            fellShort = abs(wanted) > 1e-9 && got / wanted < 0.5
        }
        let elapsed = span(windowEndS - item.appliedAtS, barS: barS)
        let share = (windowEndS - item.appliedAtS) / max(windowEndS - windowStartS, 1e-9)
        if !isFinal && share < judgedFromShare {
            return Update(gapID: item.gap.id, fixID: item.fixID, phase: .measuring,
                          line: "measuring: \(elapsed) of the window's \(span(windowEndS - windowStartS, barS: barS)) played since the fix (was \(signed(start, unit: unit)))",
                          isFinal: false, closedFraction: nil, fellShort: false)
        }
        let move = "\(signed(start, unit: unit)) → \(signed(departure, unit: unit))"
        var line: String
        if isFinal {
            let pct = fraction.map { " (\(Int(($0 * 100).rounded())) % of the gap closed)" } ?? ""
            let what = phase == .closed ? " (inside the references)" : (phase == .overshot ? " (past the references' range on the other side)" : pct)
            line = "\(phase.rawValue): \(move)\(what), measured on \(span(windowEndS - windowStartS, barS: barS)) all after the fix"
            if fellShort, let promised = item.fix.expectedValue {
                line += "; the fix promised \(fmt(promised)), measured \(fmt(value))"
            }
        } else {
            let word: String
            switch phase {
            case .closing: word = "closing"
            case .widened: word = "widening"
            case .overshot: word = "overshooting (past the references' range on the other side)"
            default: word = "not moving yet"
            }
            line = "\(word): \(move) over \(elapsed)"
        }
        return Update(gapID: item.gap.id, fixID: item.fixID, phase: phase, line: line, isFinal: isFinal,
                      closedFraction: fraction, fellShort: fellShort)
    }

    /// Distance outside the gap's p10–p90 (0 inside), signed.
    public static func departure(_ value: Double, gap: Gap) -> Double {
        if value > gap.profileP90 { return value - gap.profileP90 }
        if value < gap.profileP10 { return value - gap.profileP10 }
        return 0
    }

    /// `+5.1 dB`, `-120 Hz`, `+0.040` (no unit: a ratio).
    static func signed(_ v: Double, unit: String) -> String {
        switch unit {
        case "dB", "LU", "LUFS", "dBTP": return String(format: "%+.1f dB", v)
        case "Hz": return String(format: "%+.0f Hz", v)
        default: return (v >= 0 ? "+" : "") + fmt(v) + (unit.isEmpty || unit == "ratio" ? "" : " \(unit)")
        }
    }

    /// `8 bars` with a grid, `12 s` without.
    static func span(_ seconds: Double, barS: Double?) -> String {
        if let barS, barS > 0 {
            let bars = max(1, Int((seconds / barS).rounded()))
            return "\(bars) bar\(bars == 1 ? "" : "s")"
        }
        return "\(max(1, Int(seconds.rounded()))) s"
    }
}
