import UpliftModel

/// Descriptive statistics of the reference set.
///
/// Percentiles interpolate linearly between order statistics (Hyndman & Fan type 7, numpy's
/// default): for sorted x₀…xₙ₋₁ and p in 0…1, h = (n − 1)·p, value = x⌊h⌋ + (h − ⌊h⌋)(x⌊h⌋₊₁ − x⌊h⌋).
/// The standard deviation is the sample one (n − 1). Non-finite values are skipped.
public enum Statistics {
    /// The p-quantile (p in 0…1) of already sorted, finite values; `nil` when empty.
    public static func percentile(sorted: [Double], _ p: Double) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let h = Double(sorted.count - 1) * min(max(p, 0), 1)
        let lower = Int(h.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        return sorted[lower] + (h - Double(lower)) * (sorted[upper] - sorted[lower])
    }

    public static func mean(_ values: [Double]) -> Double? {
        let finite = values.filter(\.isFinite)
        guard !finite.isEmpty else { return nil }
        return finite.reduce(0, +) / Double(finite.count)
    }

    /// Sample standard deviation (n − 1); 0 for a single value.
    public static func standardDeviation(_ values: [Double]) -> Double? {
        let finite = values.filter(\.isFinite)
        guard let m = mean(finite) else { return nil }
        guard finite.count > 1 else { return 0 }
        let ss = finite.reduce(0) { $0 + ($1 - m) * ($1 - m) }
        return (ss / Double(finite.count - 1)).squareRoot()
    }

    /// n, mean, std, median, p10, p25, p75, p90, min, max of the finite values; `nil` when none.
    public static func describe(_ values: [Double]) -> Profile.FeatureStats? {
        let sorted = values.filter(\.isFinite).sorted()
        guard let first = sorted.first, let last = sorted.last,
              let m = mean(sorted), let s = standardDeviation(sorted) else { return nil }
        func q(_ p: Double) -> Double { percentile(sorted: sorted, p)! }
        return Profile.FeatureStats(n: sorted.count, mean: m, std: s, median: q(0.5), p10: q(0.10), p25: q(0.25),
                                    p75: q(0.75), p90: q(0.90), min: first, max: last)
    }

    /// Statistics per feature name over a set of feature maps (each track's `scalarFeatures`).
    public static func describe(features tracks: [[String: Double]]) -> [String: Profile.FeatureStats] {
        var columns: [String: [Double]] = [:]
        for track in tracks {
            for (name, value) in track where value.isFinite { columns[name, default: []].append(value) }
        }
        var result: [String: Profile.FeatureStats] = [:]
        for (name, column) in columns { result[name] = describe(column) }
        return result
    }
}
