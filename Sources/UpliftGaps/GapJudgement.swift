import Foundation
import UpliftModel

/// What a mix engineer would sign: every gap gets its audible size, its place in the order of work,
/// a priority that scales with what is heard, and a producer's headline; then the safety rules
/// (no move may push the true peak above −1 dBTP) are enforced on every fix and the list is ranked.
///
/// Priority = magnitude × importance × fixability × tier weight, where
/// magnitude = min(10, ½ · spreads beyond p10/p90 + ½ · (JNDs beyond p10/p90 − 1)):
/// half statistics (is it unusual for these references?), half audibility (how much more than the
/// nearest reference is heard?). A gap is audible when it lies at least one JND beyond the references'
/// range. A 4 dB departure from the median of a broad profile thus outranks a 1.2 dB one far outside a
/// narrow profile, whose spread is floored at the JND.
///
/// **The worth-acting-on line** is `actionLine` (priority 0.8): a 3 dB section-level error fixed by
/// automation by hand (importance 0.7 × fixability 0.6 × dynamics 0.8, magnitude ≈ 2.7) sits just above
/// it; a reference's own departures from its style stay below it. Gaps above it, audible and not a
/// symptom of another gap, are `actionable`. The leave-one-out tests (every reference ≤ 2 gaps above
/// the line) and the degradation tests (every degradation above it) pin it from both sides.
public struct GapJudgement: Sendable {
    public static let actionLine = 0.8
    /// The highest true peak any fix may leave, dBTP.
    public static let truePeakCeilingDBTP = -1.0

    /// The mix's true peak (dBTP) when measured: boosts are checked against it.
    public var mixTruePeakDBTP: Double?

    public init(mixTruePeakDBTP: Double?) { self.mixTruePeakDBTP = mixTruePeakDBTP }

    /// How far the mix lies beyond what the references do (beyond p90 when high, p10 when low), in JNDs,
    /// and the JND in words. Beyond the range's edge, not from the median: a value a reference of the
    /// profile also has is a matter of taste, however far it is from the typical one.
    public static func audibleSize(_ gap: Gap) -> (steps: Double, jnd: String) {
        if let band = gap.band {
            let jnd = Audibility.spectralJND(widthOctaves: band.widthOctaves, boost: band.sizeDB > 0)
            return (abs(band.outsideDB) / jnd, "\(fmt(jnd)) dB for a \(String(format: "%.1f", band.widthOctaves))-octave \(band.sizeDB > 0 ? "peak" : "dip")")
        }
        if gap.feature == "loudness.true_peak_dbtp" {
            // A safety rule, not a preference: above −1 dBTP is always worth hearing about.
            return (max(1, (gap.value - truePeakCeilingDBTP) / Audibility.levelJNDDB + 1), "the −1 dBTP safety ceiling")
        }
        let edge = gap.direction == .high ? gap.profileP90 : gap.profileP10
        let steps = Audibility.steps(feature: gap.feature, value: gap.value, median: edge)
        let jndText: String
        switch Audibility.scale(for: gap.feature) {
        case let .linear(jnd)?: jndText = "\(fmt(jnd))\(gap.unit.isEmpty || gap.unit == "ratio" ? "" : " " + gap.unit)"
        case let .logRatio(jndDB, _)?: jndText = "\(String(format: "%.2f", jndDB)) dB of the ratio"
        case let .relative(jnd)?: jndText = "\(Int((jnd * 100).rounded())) %"
        case nil: jndText = "–"
        }
        return (steps, jndText)
    }

    /// Whether a gap's first proposed move is large enough to hear.
    public static func moveIsAudible(_ gap: Gap) -> Bool {
        guard let fix = gap.fixes.first else { return true }
        return Audibility.moveIsAudible(fix.action)
    }

    /// Judges each gap (audibility, tier, priority, headline, reason) and enforces the true-peak rule on its fixes.
    public func judge(_ gap: Gap) -> Gap {
        var gap = gap
        let tier = WorkOrder.of(gap)
        let (steps, jnd) = Self.audibleSize(gap)
        let audible = steps >= 1 && Self.moveIsAudible(gap)
        // Safety: above 0 dBTP the mix clips (full size); between −1 and 0 dBTP it stays below the line.
        let magnitude = tier == .safety ? (gap.value > 0 ? GapAnalyzer.severityCap : 0.9 * min(1, gap.value - Self.truePeakCeilingDBTP))
            : min(GapAnalyzer.severityCap, 0.5 * gap.severity + 0.5 * max(0, steps - 1))
        gap.priority = magnitude * gap.importance * gap.fixability * tier.weight
        gap.audible = audible
        gap.tier = tier.rawValue
        if gap.headline == nil { gap.headline = ProducerWords.headline(gap) }
        let moveNote = Self.moveIsAudible(gap) ? "" : ", but the proposed move is below what is heard (< \(fmt(Audibility.minimumMoveDB)) dB or < 10 % width)"
        gap.reason += " · beyond the references' range by \(String(format: "%.1f", steps))× the listener's threshold (\(jnd))\(audible ? "" : ": inaudible")\(moveNote)"
            + " · order of work \(tier.step) of \(WorkOrder.allCases.count), \(tier.title) ×\(String(format: "%.2f", tier.weight)): \(tier.why)"
            + " · priority (½·\(String(format: "%.1f", gap.severity)) + ½·\(String(format: "%.1f", max(0, steps - 1)))) × \(String(format: "%.2f", gap.importance))"
            + " × \(String(format: "%.2f", gap.fixability)) × \(String(format: "%.2f", tier.weight)) = \(String(format: "%.2f", gap.priority))"
        if let tp = mixTruePeakDBTP, tp.isFinite {
            for i in gap.fixes.indices { gap.fixes[i] = Self.keepTruePeakSafe(gap.fixes[i], mixTruePeakDBTP: tp) }
        }
        return gap
    }

    /// A boost on the mix bus can raise the true peak by up to its gain. When that would pass −1 dBTP,
    /// the fix carries the matching gain reduction (EQ Eight's Output Gain) and says so.
    public static func keepTruePeakSafe(_ fix: Fix, mixTruePeakDBTP tp: Double) -> Fix {
        var fix = fix
        guard case .mixBus = fix.scope, case let .eq(_, _, g, _) = fix.action, g > 0 else { return fix }
        let worst = tp + g
        if worst > truePeakCeilingDBTP {
            let trim = ((truePeakCeilingDBTP - worst) * 10).rounded(.down) / 10
            fix.trimDB = trim
            fix.expectedTruePeakDBTP = worst + trim
            fix.expectedEffect += "; with \(String(format: "%.1f", trim)) dB on EQ Eight's Output Gain so the true peak stays at or below −1 dBTP "
                + "(the boost alone could take it to \(String(format: "%+.1f", worst)) dBTP)"
        } else {
            fix.expectedTruePeakDBTP = worst
        }
        return fix
    }

    /// Ranks judged gaps: rejected last; audible before inaudible; a clipping mix on top; then priority, then
    /// the larger departure; symptoms follow their cause. Marks what is above the worth-acting-on line.
    public static func rank(_ gaps: [Gap]) -> [Gap] {
        var gaps = gaps
        // One cause, one gap: fixing the cause closes its symptoms, so it weighs at least as much as the largest.
        for i in gaps.indices where gaps[i].causedBy == nil {
            let id = gaps[i].id
            guard let top = gaps.filter({ $0.causedBy == id && !$0.rejected }).max(by: { $0.priority < $1.priority }),
                  top.priority > gaps[i].priority else { continue }
            gaps[i].priority = top.priority
            gaps[i].reason += " · raised to \(String(format: "%.2f", top.priority)), its symptom \(top.headline ?? top.feature)'s priority"
        }
        for i in gaps.indices {
            gaps[i].actionable = !gaps[i].rejected && gaps[i].audible != false && gaps[i].causedBy == nil && gaps[i].priority >= actionLine
        }
        let main = gaps.filter { $0.causedBy == nil }.sorted { a, b in
            if a.rejected != b.rejected { return !a.rejected }
            if (a.audible != false) != (b.audible != false) { return a.audible != false }
            let aSafe = a.tier == WorkOrder.safety.rawValue && a.value > 0, bSafe = b.tier == WorkOrder.safety.rawValue && b.value > 0
            if aSafe != bSafe { return aSafe }
            if a.priority != b.priority { return a.priority > b.priority }
            // Both at the magnitude cap: the larger departure (in spreads, |z|) still goes first.
            let aSize = abs(a.z) * a.importance * a.fixability, bSize = abs(b.z) * b.importance * b.fixability
            if aSize != bSize { return aSize > bSize }
            return a.id < b.id
        }
        var ranked: [Gap] = []
        let symptoms = gaps.filter { $0.causedBy != nil }
        for gap in main {
            ranked.append(gap)
            ranked += symptoms.filter { $0.causedBy == gap.id }.sorted { $0.priority > $1.priority }
        }
        // A symptom whose cause is not in the list (cannot happen from the analyzer) still shows.
        ranked += symptoms.filter { s in !main.contains { $0.id == s.causedBy } }
        return ranked
    }
}
