import UpliftModel

/// Names a cluster after its most distinctive traits: the features whose cluster mean sits
/// furthest from the mean of all tracks (in standard deviations), as words a producer uses.
public enum ClusterNamer {
    /// Feature → (word when the cluster is above the others, word when below).
    public static let words: [String: (high: String, low: String)] = [
        "tempo.bpm": ("fast", "slow"),
        "acid.score": ("acid", "no acid"),
        "brightness.centroid_hz": ("bright", "dark"),
        "brightness.high_ratio": ("bright", "dark"),
        "supersaw.width": ("wide supersaws", "narrow supersaws"),
        "supersaw.detune_cents": ("detuned", "tight detune"),
        "pumping.depth_db": ("pumping", "light sidechain"),
        "rhythm.four_on_floor": ("four-on-the-floor", "broken beat"),
        "rhythm.offbeat_hihat": ("offbeat hats", "few offbeat hats"),
        "loudness.integrated_lufs": ("loud", "quiet"),
        "loudness.lra_lu": ("dynamic", "flat dynamics"),
        "spectrum.balance_db.sub": ("sub-heavy", "light sub"),
        "spectrum.balance_db.bass": ("bassy", "lean bass"),
        "spectrum.balance_db.low_mid": ("warm", "scooped mids"),
        "spectrum.balance_db.high_mid": ("forward", "soft highs"),
        "spectrum.balance_db.air": ("airy", "dull top"),
        "stereo.side_mid_ratio": ("wide", "narrow"),
        "stereo.correlation": ("mono-solid", "phasey"),
        "trance.score": ("trancey", "less trance"),
    ]

    /// Traits with |z| ≥ `minimumZ`, most distinctive first, one per word.
    public static func traits(clusterMeans: [String: Double], overall: [String: Profile.FeatureStats],
                              features: [String], minimumZ: Double = 0.5) -> [Profile.Trait] {
        var candidates: [Profile.Trait] = []
        for feature in features {
            guard let mean = clusterMeans[feature], let all = overall[feature], all.std > 0 else { continue }
            let z = (mean - all.mean) / all.std
            guard abs(z) >= minimumZ else { continue }
            let pair = words[feature] ?? ("high \(feature)", "low \(feature)")
            candidates.append(Profile.Trait(feature: feature, word: z > 0 ? pair.high : pair.low, z: z))
        }
        candidates.sort { abs($0.z) != abs($1.z) ? abs($0.z) > abs($1.z) : $0.feature < $1.feature }
        var seen = Set<String>()
        return candidates.filter { seen.insert($0.word).inserted }
    }

    /// "fast · acid · bright" from the top traits; distinct across clusters (more traits, then a number).
    public static func names(for traitLists: [[Profile.Trait]], maxWords: Int = 3) -> [String] {
        var used = Set<String>()
        return traitLists.map { traits in
            var count = min(maxWords, traits.count)
            var name = count == 0 ? "typical" : traits.prefix(count).map(\.word).joined(separator: " · ")
            while used.contains(name) && count < traits.count {
                count += 1
                name = traits.prefix(count).map(\.word).joined(separator: " · ")
            }
            var candidate = name, suffix = 2
            while used.contains(candidate) { candidate = "\(name) (\(suffix))"; suffix += 1 }
            used.insert(candidate)
            return candidate
        }
    }
}
