import UpliftModel

/// Where one value sits in a reference distribution, robustly.
///
/// Robust z = (value − median) / spread, spread = IQR / 1.349 (the IQR of a normal distribution is
/// 1.349 σ, so the spread estimates σ without letting one odd reference move it). When the IQR
/// collapses (near-identical references) the spread falls back to (p90 − p10) / 2.563, then to a
/// per-feature floor, so a tiny difference cannot become a huge z.
public struct RobustPosition: Sendable, Equatable {
    public var value: Double
    public var median: Double
    public var spread: Double
    public var z: Double
    /// 0…100: share of references below the value (ties count half).
    public var percentile: Double
    /// Distance beyond p10/p90 in spreads (0 inside the range).
    public var severity: Double
    public var inside: Bool

    public static func spread(of stats: Profile.FeatureStats, floor: Double) -> Double {
        let fromIQR = stats.iqr / 1.349
        if fromIQR >= floor { return fromIQR }
        let fromDeciles = (stats.p90 - stats.p10) / 2.563
        return max(fromDeciles, floor)
    }

    /// - Parameter references: the references' values when known (empirical percentile); otherwise
    ///   the percentile is interpolated through min, p10, p25, p50, p75, p90, max.
    public init(value: Double, stats: Profile.FeatureStats, references: [Double]?, spreadFloor: Double) {
        self.value = value
        median = stats.median
        spread = Self.spread(of: stats, floor: spreadFloor)
        z = (value - stats.median) / spread
        if let references, !references.isEmpty {
            percentile = Self.empiricalPercentile(value, references)
        } else {
            percentile = Self.interpolatedPercentile(value, stats)
        }
        if value > stats.p90 {
            severity = (value - stats.p90) / spread; inside = false
        } else if value < stats.p10 {
            severity = (stats.p10 - value) / spread; inside = false
        } else {
            severity = 0; inside = true
        }
    }

    public static func empiricalPercentile(_ value: Double, _ references: [Double]) -> Double {
        var below = 0.0
        for r in references where r.isFinite {
            if r < value { below += 1 } else if r == value { below += 0.5 }
        }
        let n = references.filter(\.isFinite).count
        return n == 0 ? 50 : 100 * below / Double(n)
    }

    public static func interpolatedPercentile(_ value: Double, _ s: Profile.FeatureStats) -> Double {
        let knots: [(Double, Double)] = [(s.min, 0), (s.p10, 10), (s.p25, 25), (s.median, 50), (s.p75, 75), (s.p90, 90), (s.max, 100)]
        if value <= knots[0].0 { return 0 }
        if value >= knots[knots.count - 1].0 { return 100 }
        for i in 1..<knots.count where value <= knots[i].0 {
            let (x0, p0) = knots[i - 1], (x1, p1) = knots[i]
            return x1 > x0 ? p0 + (value - x0) / (x1 - x0) * (p1 - p0) : p1
        }
        return 100
    }
}
