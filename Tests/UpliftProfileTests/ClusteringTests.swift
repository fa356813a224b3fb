import Foundation
import Testing
import UpliftModel
import UpliftTestSupport
@testable import UpliftProfile

@Suite struct ClusteringTests {
    /// 3 × 20 tracks: 138 BPM acid, 132 BPM progressive, 140 BPM uplifting, every feature noisy.
    static func plantedProfile(clusterCount: Int? = nil, seed: UInt64 = 11) throws -> (Profile, [String: String]) {
        var g = Gaussian(seed: seed)
        var analyses: [TrackAnalysis] = []
        var truth: [String: String] = [:]
        for style in [PlantedStyle.acid, .progressive, .uplifting] {
            for i in 0..<20 {
                let path = "/refs/\(style.name)-\(i).flac"
                analyses.append(Fixtures.analysis(style, file: path, noise: &g))
                truth[path] = style.name
            }
        }
        analyses.shuffle(using: &g.rng)
        let options = ProfileAssembler.Options(name: "planted", roots: ["/refs"], clusterCount: clusterCount)
        let profile = try ProfileAssembler(options: options)
            .assemble(tracks: Fixtures.tracks(analyses), skipped: [], analyzerVersion: 1)
        return (profile, truth)
    }

    @Test func recoversPlantedSubStylesWithAdjustedRandAtLeast0_9() throws {
        let (profile, truth) = try Self.plantedProfile()
        #expect(profile.clusters.count == 3, "silhouette should pick k = 3, got \(profile.clustering?.silhouetteByK ?? [:])")
        let paths = profile.sources.map(\.path)
        let predicted = profile.sources.map { $0.cluster ?? -1 }
        let ari = adjustedRandIndex(paths.map { truth[$0]! }, predicted)
        #expect(ari >= 0.9, "ARI \(ari)")
        let silhouette = try #require(profile.silhouette)
        // Noise in 12 of the 18 clustering features keeps it modest; k = 3 must be the best of 2…6.
        #expect(silhouette > 0.1)
        let byK = try #require(profile.clustering?.silhouetteByK)
        #expect(byK.count == 5 && byK.values.max() == byK["3"] && byK["3"] == silhouette)
        #expect(profile.clusters.map(\.size).reduce(0, +) == 60)
    }

    @Test func clusterNamesComeFromTheirDistinctiveTraits() throws {
        let (profile, truth) = try Self.plantedProfile()
        func cluster(holding style: String) -> Profile.Cluster? {
            profile.clusters.max { a, b in
                a.members.filter { truth[$0] == style }.count < b.members.filter { truth[$0] == style }.count
            }
        }
        let acid = try #require(cluster(holding: "acid"))
        let progressive = try #require(cluster(holding: "progressive"))
        let uplifting = try #require(cluster(holding: "uplifting"))
        #expect(acid.name.contains("acid"), "\(acid.name)")
        #expect(progressive.name.contains("slow"), "\(progressive.name)")
        #expect(uplifting.name.contains("wide supersaws") || uplifting.name.contains("pumping"), "\(uplifting.name)")
        #expect(Set(profile.clusters.map(\.name)).count == 3)
        // Each cluster's own statistics: the acid cluster's tempo sits near 138.
        let acidBPM = try #require(acid.features["tempo.bpm"])
        #expect(abs(acidBPM.median - 138) < 1.5)
        #expect(abs((acid.means["acid.score"] ?? 0) - 0.72) < 0.1)
    }

    @Test func fixedClusterCountIsHonouredAndNearestClusterPlacesANewTrack() throws {
        let (profile, _) = try Self.plantedProfile(clusterCount: 2)
        #expect(profile.clusters.count == 2)
        #expect(profile.clustering?.kFixed == true)
        let (three, truth) = try Self.plantedProfile()
        var g = Gaussian(seed: 99)
        let newAcid = Fixtures.analysis(.acid, file: "/new.wav", noise: &g)
        let clustering = try #require(three.clustering)
        let index = try #require(clustering.nearestCluster(to: newAcid.finiteScalarFeatures, in: three.clusters))
        let members = three.clusters[index].members
        #expect(members.filter { truth[$0] == "acid" }.count > members.count / 2)
    }

    @Test func sameInputSameClusters() throws {
        let (a, _) = try Self.plantedProfile()
        let (b, _) = try Self.plantedProfile()
        #expect(a.clusters == b.clusters)
    }

    @Test func adjustedRandIndexMatchesHandComputedValue() {
        // Truth {a,a,b,b}, predicted {1,1,1,2}: Σ C(nij,2) = 1; rows 1+1 = 2; cols 3+0 = 3; C(4,2) = 6.
        // expected = 2·3/6 = 1; max = 2.5; ARI = (1 − 1)/(2.5 − 1) = 0.
        #expect(adjustedRandIndex(["a", "a", "b", "b"], [1, 1, 1, 2]) == 0)
        #expect(adjustedRandIndex(["a", "a", "b", "b", "c"], [7, 7, 3, 3, 9]) == 1)
        // Truth {a,a,a,b,b,b}, predicted {1,1,2,2,2,2}: index 1+0+3 = 4... computed: n11=2,n12=1,n22=3 → 1+0+3 = 4;
        // rows 3+3 = 6; cols 1+6 = 7; total 15; expected 42/15 = 2.8; max 6.5; ARI = 1.2/3.7.
        #expect(abs(adjustedRandIndex(["a", "a", "a", "b", "b", "b"], [1, 1, 2, 2, 2, 2]) - 1.2 / 3.7) < 1e-12)
    }

    @Test func silhouetteOfTwoTightFarGroupsIsNearOneAndKMeansSplitsThem() {
        let points: [[Double]] = [[0, 0], [0, 0.1], [0.1, 0], [10, 10], [10, 10.1], [10.1, 10]]
        let result = KMeans.cluster(points, k: 2, seed: 1)
        #expect(Set(result.labels[0..<3]).count == 1 && Set(result.labels[3..<6]).count == 1)
        #expect(result.labels[0] != result.labels[3])
        #expect(KMeans.meanSilhouette(points, labels: result.labels) > 0.95)
        // A bad split scores low.
        #expect(KMeans.meanSilhouette(points, labels: [0, 1, 0, 1, 0, 1]) < 0)
    }
}
