import UpliftModel

extension TrackAnalysis.PumpingClass {
    static let allCasesInOrder: [TrackAnalysis.PumpingClass] = [.none, .moderate, .heavy]
}

/// "Measured, not assumed": what a new analysis says about the gaps and fixes of an earlier report.
public struct GapProgress: Sendable, Equatable {
    /// `measurementChanged`: the gap's measurement is not comparable across the two exports (the
    /// section layout or the pumping class changed), so "closed" or "widened" would be a guess.
    public enum Status: String, Sendable { case closed, narrowed, unchanged, widened, measurementChanged = "measurement changed" }

    public struct Item: Sendable, Equatable {
        public var gapID: String
        public var feature: String
        public var section: String?
        public var before: Double
        public var after: Double?
        /// Share of the distance beyond p10/p90 that went away (1 = closed, < 0 = grew).
        public var closedFraction: Double?
        public var status: Status
        /// Fixes whose promise the new measurement did not keep (less than half the promised move,
        /// or the wrong way), with what happened.
        public var brokenPromises: [String]
        public var line: String
    }

    public var items: [Item]

    /// - Parameters:
    ///   - appliedFixIDs: fixes that were applied between the two reports (their promises are checked).
    public init(previous: GapReport, current: GapReport, appliedFixIDs: Set<String>) {
        items = previous.gaps.filter { !$0.rejected }.map { gap in
            let key = Self.measuredKey(gap)
            let after = current.measured[key]
            let beforeOutside = abs(gap.outsideAmount)
            var afterOutside: Double?
            if let after {
                afterOutside = after > gap.profileP90 ? after - gap.profileP90 : (after < gap.profileP10 ? gap.profileP10 - after : 0)
            }
            let fraction = afterOutside.map { beforeOutside > 0 ? 1 - $0 / beforeOutside : 1 }
            var status: Status
            switch (afterOutside, fraction) {
            case (0?, _): status = .closed
            case (_, let f?) where f > 0.1: status = .narrowed
            case (_, let f?) where f < -0.1: status = .widened
            default: status = .unchanged
            }
            let incomparable = after == nil ? nil : Self.incomparability(gap, previous: previous.measured, current: current.measured)
            if incomparable != nil { status = .measurementChanged }
            var broken: [String] = []
            for fix in gap.fixes where appliedFixIDs.contains(fix.id) {
                guard let promised = fix.expectedValue, let after else { continue }
                let wanted = promised - gap.value, got = after - gap.value
                if abs(wanted) > 1e-9, got / wanted < 0.5 {
                    broken.append("\(fix.id) \(fix.action.summary): promised \(fmt(gap.value)) → \(fmt(promised)), measured \(fmt(after))")
                }
            }
            let what = gap.section.map { "\(gap.feature) (\($0))" } ?? (gap.band.map { "spectrum \(hzText($0.lowHz))–\(hzText($0.highHz))" } ?? gap.feature)
            let afterText = after.map(fmt) ?? "not measured"
            let pct = fraction.map { " (\(Int(($0 * 100).rounded())) % of the gap closed)" } ?? ""
            let line = "\(what): \(fmt(gap.value)) → \(afterText), \(status.rawValue)"
                + (incomparable.map { " (\($0): re-check by ear before counting it closed)" } ?? pct)
                + (broken.isEmpty ? "" : "; fix did not do what it promised: " + broken.joined(separator: "; "))
            return Item(gapID: gap.id, feature: gap.feature, section: gap.section, before: gap.value, after: after,
                        closedFraction: fraction, status: status, brokenPromises: broken, line: line)
        }
    }

    /// Why a gap's measurement cannot be compared across two exports, or `nil` when it can: section
    /// and arrangement gaps need the same section layout (same kinds, lengths within 2 bars or 20 %);
    /// pumping gaps need the pumping class not to jump two steps (heavy ↔ none).
    public static func incomparability(_ gap: Gap, previous: [String: Double], current: [String: Double]) -> String? {
        if gap.section != nil || gap.feature.hasPrefix("arrangement.") || gap.feature.hasPrefix("section.") {
            let keys = { (m: [String: Double]) in Set(m.keys.filter { $0.hasPrefix("arrangement.") && $0.hasSuffix(".bars") }) }
            let a = keys(previous), b = keys(current)
            if a != b {
                let gone = a.subtracting(b).map { $0.split(separator: ".")[1] }.sorted(), new = b.subtracting(a).map { $0.split(separator: ".")[1] }.sorted()
                return "the section layout changed" + (gone.isEmpty ? "" : ", no \(gone.joined(separator: "/")) any more") + (new.isEmpty ? "" : ", new \(new.joined(separator: "/"))")
            }
            for key in a.sorted() {
                let x = previous[key]!, y = current[key]!
                if abs(x - y) > max(2, 0.2 * max(x, y)) {
                    return "the section layout changed: \(key.split(separator: ".")[1]) \(Int(x.rounded())) → \(Int(y.rounded())) bars"
                }
            }
        }
        if gap.feature.hasPrefix("pumping."), let x = previous[pumpingClassKey], let y = current[pumpingClassKey], abs(x - y) >= 2 {
            let names = TrackAnalysis.PumpingClass.allCasesInOrder
            return "the pumping class jumped \(names[Int(x)].rawValue) → \(names[Int(y)].rawValue)"
        }
        return nil
    }

    /// `GapReport.measured` key of the pumping class (0 none, 1 moderate, 2 heavy).
    public static let pumpingClassKey = "pumping.class_rank"

    /// The key of `GapReport.measured` holding a gap's feature.
    public static func measuredKey(_ gap: Gap) -> String {
        // The value of a spectrum gap is its normalized level at the peak band.
        if let band = gap.band { return GapAnalyzer.spectrumKey(band.peakHz) }
        if let section = gap.section {
            let parts = gap.feature.split(separator: ".", maxSplits: 1)
            return "\(parts[0]).\(section).\(parts.count > 1 ? String(parts[1]) : "")"
        }
        return gap.feature
    }
}
