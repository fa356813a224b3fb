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
}
