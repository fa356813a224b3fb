import Foundation
import UpliftModel
import UpliftProfile

/// Which of a profile's references to A/B the mix against: the nearest by the profile's per-track
/// features, standardized as the profile's clustering was (z-scores), references in the mix's own
/// cluster first. (The similarity issue will replace the distance.)
public enum ABReferences {
    public struct Candidate: Sendable, Equatable {
        public var path: String
        public var distance: Double
        public var sameCluster: Bool
    }

    public static func nearest(profilePath: String, mixPath: String, count: Int) throws -> [String] {
        let profile: Profile
        do { profile = try ProfileFile.load(profilePath) } catch { throw StudioError("\(profilePath): \(error)") }
        guard let mix = ABSession.analysis(path: mixPath, cache: try? AnalysisCache()) else {
            throw StudioError("\(mixPath): cannot be analysed to find its nearest references")
        }
        let ranked = rank(profile: profile, mixFeatures: mix.scalarFeatures)
            .filter { FileManager.default.fileExists(atPath: $0.path) && $0.path != mixPath }
        guard !ranked.isEmpty else { throw StudioError("\(profilePath): none of its references is on this machine") }
        return ranked.prefix(count).map(\.path)
    }

    /// Every source of `profile`, nearest first (same cluster first).
    public static func rank(profile: Profile, mixFeatures: [String: Double]) -> [Candidate] {
        let names: [String]
        let center: [Double], scale: [Double]
        if let clustering = profile.clustering {
            names = clustering.features; center = clustering.center; scale = clustering.scale
        } else {
            names = profile.features.keys.sorted()
            center = names.map { profile.features[$0]!.mean }; scale = names.map { profile.features[$0]!.std }
        }
        func z(_ features: [String: Double]) -> [Double] {
            names.indices.map { i in
                let value = features[names[i]] ?? center[i]
                return scale[i] > 0 ? (value - center[i]) / scale[i] : 0
            }
        }
        let mixZ = z(mixFeatures)
        func distance(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot() }
        // The mix's cluster: the nearest centroid.
        let mixCluster = profile.clusters.min { distance($0.centroid, mixZ) < distance($1.centroid, mixZ) }?.id
        return profile.sources.map { source in
            Candidate(path: source.path, distance: distance(z(source.features), mixZ),
                      sameCluster: mixCluster != nil && source.cluster == mixCluster)
        }.sorted { ($0.sameCluster ? 0 : 1, $0.distance) < ($1.sameCluster ? 0 : 1, $1.distance) }
    }

    /// The references nearest the mix, as the studio's `b` loads them: in the profile's learned
    /// embedding when it has one, else by the z-scored features. `how` says which, for the view.
    /// `locate` finds a reference on this machine (`DemoMaterial.locateReference`: the demo profile's are rendered).
    public static func nearest(profile: Profile, mix: TrackAnalysis, count: Int,
                               locate: (String) -> String? = DemoMaterial.locateReference) -> (paths: [String], how: String) {
        if profile.embedding != nil, let neighbours = try? ProfileSimilarity.nearest(mix, in: profile, k: count + 4, excludingPath: mix.file) {
            let paths = located(neighbours.map(\.path), count: count, excluding: mix.file, locate: locate)
            if !paths.isEmpty { return (paths, "refs nearest this mix (learned similarity)") }
        }
        let ranked = rank(profile: profile, mixFeatures: mix.scalarFeatures).map(\.path)
        return (located(ranked, count: count, excluding: mix.file, locate: locate), "refs nearest this mix (profile features)")
    }

    /// The first `count` of `paths` found on this machine, in order (only as many located as needed).
    static func located(_ paths: [String], count: Int, excluding: String?, locate: (String) -> String?) -> [String] {
        var found: [String] = []
        for path in paths where found.count < count && path != excluding {
            if let here = locate(path), here != excluding, !found.contains(here) { found.append(here) }
        }
        return found
    }

    /// The profile feature a gap is about, as the references carry it: the feature itself, or for a
    /// spectrum run the broad balance band its centre falls in.
    public static func featureKey(of gap: Gap) -> String {
        guard let band = gap.band else { return gap.feature }
        let broad = TrackAnalysis.Band.allCases.first { $0.rangeHz.contains(band.centreHz) } ?? (band.centreHz < 20 ? .sub : .air)
        return "spectrum.balance_db.\(broad.rawValue)"
    }

    /// The references whose value of the gap's feature sits nearest the profile's median ("what
    /// 'enough air' sounds like in your own favourites"), nearest first; nil when none carries it.
    public static func nearMedian(of gap: Gap, profile: Profile, count: Int, excluding mixPath: String?,
                                  locate: (String) -> String? = DemoMaterial.locateReference) -> [String]? {
        let key = featureKey(of: gap)
        guard let stats = profile.features[key] else { return nil }
        let spread = max(stats.p75 - stats.p25, 1e-9)
        let ranked = profile.sources.compactMap { source -> (String, Double)? in
            guard let value = source.features[key], value.isFinite else { return nil }
            return (source.path, abs(value - stats.median) / spread)
        }.sorted { $0.1 < $1.1 }.map(\.0)
        let found = located(ranked, count: count, excluding: mixPath, locate: locate)
        return found.isEmpty ? nil : found
    }
}
