/// Per-dimension robust standardisation from the library: (x − median) / (IQR / 1.349), clipped to
/// ±6; a missing value (`nan`) becomes 0, the median. A dimension with no spread in the library
/// (every track the same) is scaled by 1, so it neither explodes nor matters.
public struct RobustScaler: Sendable, Equatable, Codable {
    public var median: [Double]
    public var scale: [Double]
    public static let clip = 6.0

    public init(median: [Double], scale: [Double]) { self.median = median; self.scale = scale }

    public init(fitting rows: [[Double]]) {
        let d = rows.first?.count ?? 0
        var median = [Double](repeating: 0, count: d), scale = [Double](repeating: 1, count: d)
        for j in 0..<d {
            let values = rows.map { $0[j] }.filter(\.isFinite).sorted()
            guard !values.isEmpty else { continue }
            func quantile(_ p: Double) -> Double {
                let h = Double(values.count - 1) * p, lo = Int(h.rounded(.down)), hi = min(values.count - 1, lo + 1)
                return values[lo] + (h - Double(lo)) * (values[hi] - values[lo])
            }
            median[j] = quantile(0.5)
            let iqr = (quantile(0.75) - quantile(0.25)) / 1.349
            if iqr > 1e-9 {
                scale[j] = iqr
            } else {
                // Half the tracks share a value (a flag, a floor): fall back to the standard deviation.
                let mean = values.reduce(0, +) / Double(values.count)
                let sd = (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)).squareRoot()
                scale[j] = sd > 1e-9 ? sd : 1
            }
        }
        self.median = median; self.scale = scale
    }

    public func transform(_ x: [Double]) -> [Float] {
        var out = [Float](repeating: 0, count: x.count)
        for j in 0..<min(x.count, median.count) where x[j].isFinite {
            out[j] = Float(max(-Self.clip, min(Self.clip, (x[j] - median[j]) / scale[j])))
        }
        return out
    }
}
