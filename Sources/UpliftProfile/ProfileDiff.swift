import UpliftModel

/// What changed between two profiles: per feature, how far the median moved in units of the
/// pooled robust spread (IQR / 1.349, the normal-equivalent σ; the std when the IQR is 0).
/// A shift of at least `threshold` (default 1) counts as moved.
public struct ProfileDiff: Sendable {
    public struct FeatureChange: Sendable, Equatable {
        public var feature: String
        public var medianA: Double
        public var medianB: Double
        /// (median B − median A) / pooled spread.
        public var shift: Double
    }

    public struct BandChange: Sendable, Equatable {
        public var bandHz: Double
        /// p50 of B minus p50 of A, dB.
        public var deltaDB: Double
    }

    public var features: [FeatureChange]
    public var onlyInA: [String]
    public var onlyInB: [String]
    /// Spectrum bands whose median moved by at least 1 dB (both loudness-normalized the same way).
    public var spectrum: [BandChange]
    public let threshold: Double

    public var moved: [FeatureChange] { features.filter { abs($0.shift) >= threshold } }

    public init(_ a: Profile, _ b: Profile, threshold: Double = 1.0) {
        self.threshold = threshold
        var changes: [FeatureChange] = []
        for name in Set(a.features.keys).intersection(b.features.keys) {
            let fa = a.features[name]!, fb = b.features[name]!
            func spread(_ s: Profile.FeatureStats) -> Double { s.iqr > 0 ? s.iqr / 1.349 : s.std }
            let pooled = ((spread(fa) * spread(fa) + spread(fb) * spread(fb)) / 2).squareRoot()
            let delta = fb.median - fa.median
            let shift = pooled > 0 ? delta / pooled : (delta == 0 ? 0 : (delta > 0 ? .infinity : -.infinity))
            changes.append(FeatureChange(feature: name, medianA: fa.median, medianB: fb.median, shift: shift))
        }
        features = changes.sorted { abs($0.shift) != abs($1.shift) ? abs($0.shift) > abs($1.shift) : $0.feature < $1.feature }
        onlyInA = Set(a.features.keys).subtracting(b.features.keys).sorted()
        onlyInB = Set(b.features.keys).subtracting(a.features.keys).sorted()
        var bands: [BandChange] = []
        if let sa = a.spectrum, let sb = b.spectrum, sa.normalization == sb.normalization {
            var indexB: [Int: Int] = [:]
            for (i, hz) in sb.bandsHz.enumerated() { indexB[Int((hz * 10).rounded())] = i }
            for (i, hz) in sa.bandsHz.enumerated() {
                guard let j = indexB[Int((hz * 10).rounded())] else { continue }
                let delta = (sb.p50DB[j] - sb.referenceLevel) - (sa.p50DB[i] - sa.referenceLevel)
                if delta.isFinite && abs(delta) >= 1 { bands.append(BandChange(bandHz: hz, deltaDB: delta)) }
            }
        }
        spectrum = bands
    }
}
