import Foundation
import Testing
import UpliftModel
@testable import UpliftProfile

@Suite struct StatisticsTests {
    @Test func describesAgainstHandComputedValues() throws {
        // Sorted 1, 2, 3, 4, 10: mean 20/5 = 4; squared deviations 9+4+1+0+36 = 50, /(n−1) = 12.5.
        // Type-7 percentiles, h = 4p: p10 → h 0.4 → 1.4; p25 → h 1 → 2; p75 → h 3 → 4; p90 → h 3.6 → 4 + 0.6·6 = 7.6.
        let s = try #require(Statistics.describe([10, 3, 1, 4, 2, .nan, -.infinity]))
        #expect(s.n == 5)
        #expect(s.mean == 4)
        #expect(abs(s.std - 12.5.squareRoot()) < 1e-12)
        #expect(s.median == 3)
        #expect(abs(s.p10 - 1.4) < 1e-12)
        #expect(s.p25 == 2)
        #expect(s.p75 == 4)
        #expect(abs(s.p90 - 7.6) < 1e-12)
        #expect(s.min == 1 && s.max == 10)
        #expect(s.iqr == 2)
    }

    @Test func evenCountMedianInterpolatesAndSingleValueHasNoSpread() throws {
        let s = try #require(Statistics.describe([4, 1, 3, 2]))
        #expect(s.median == 2.5)          // h = 1.5 between 2 and 3
        #expect(abs(s.p90 - 3.7) < 1e-12) // h = 2.7 → 3 + 0.7
        let one = try #require(Statistics.describe([-9]))
        #expect(one.std == 0 && one.median == -9 && one.p10 == -9 && one.p90 == -9)
        #expect(Statistics.describe([]) == nil)
        #expect(Statistics.describe([.nan]) == nil)
    }

    @Test func oneOutlierMovesTheMeanNotTheMedianOrQuartiles() throws {
        let calm = try #require(Statistics.describe([138, 138, 139, 140, 140, 138, 139, 139, 140]))
        let odd = try #require(Statistics.describe([138, 138, 139, 140, 140, 138, 139, 139, 70]))
        #expect(odd.median == 139 && calm.median == 139)
        #expect(odd.p25 == calm.p25)
        #expect(abs(odd.mean - calm.mean) > 7)
    }

    @Test func perFeatureStatisticsSkipAbsentAndNonFiniteValues() throws {
        let stats = Statistics.describe(features: [["a": 1, "b": 10], ["a": 3], ["a": .infinity, "b": 20]])
        #expect(stats["a"]?.n == 2 && stats["a"]?.mean == 2)
        #expect(stats["b"]?.n == 2 && stats["b"]?.median == 15)
    }
}

/// The cache key: XXH3-128 (libxxhash) of a file's bytes, checked against `xxhsum -H2` 0.8.1 (computed
/// by that separate program, not by our binding), a file longer than one read, and a file that cannot be read.
@Suite struct ContentHashTests {
    @Test(arguments: [
        ("", "99aa06d3014798d86001c324468d497f"),
        ("abc", "06b05ab6733a618578af5f94892f3950"),
    ])
    func xxhsumVectors(message: String, digest: String) {
        #expect(ContentHash.hex(of: Data(message.utf8)) == "xxh3-128:" + digest)
        #expect(ContentHash.isCurrent(ContentHash.hex(of: Data(message.utf8))))
    }

    @Test func anOlderSHA256HashIsNotCurrent() {
        #expect(!ContentHash.isCurrent("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"))
    }

    @Test func aFileLongerThanOneReadHashesWhole() throws {
        // A million "a" (xxhsum's value), then 1.5 million: the file spans two 1 MiB reads.
        let dir = TemporaryDirectory()
        FileManager.default.createFile(atPath: dir.file("a.bin"), contents: Data(repeating: UInt8(ascii: "a"), count: 1_000_000))
        #expect(try ContentHash.hexOfFile(atPath: dir.file("a.bin")) == "xxh3-128:a545df8e384a9579b1fd6fae5285c4eb")
        let long = Data(repeating: UInt8(ascii: "a"), count: 1_500_000)
        FileManager.default.createFile(atPath: dir.file("b.bin"), contents: long)
        #expect(try ContentHash.hexOfFile(atPath: dir.file("b.bin")) == ContentHash.hex(of: long))
        #expect(throws: ProfileError.self) { try ContentHash.hexOfFile(atPath: dir.file("missing.bin")) }
    }
}

@Suite struct ScalarFeatureTests {
    /// Every numeric leaf of the analysis JSON (objects only, arrays aside) by dotted path.
    static func numericLeaves(_ value: Any, prefix: String = "") -> [String: Double] {
        var result: [String: Double] = [:]
        if let object = value as? [String: Any] {
            for (key, child) in object {
                result.merge(numericLeaves(child, prefix: prefix.isEmpty ? key : "\(prefix).\(key)")) { a, _ in a }
            }
        } else if let number = value as? NSNumber, !(value is Bool) {
            result[prefix] = number.doubleValue
        }
        return result
    }

    @Test func namesAreTheJSONKeyPathsOfAnalyze() throws {
        var g = Gaussian(seed: 7)
        let analysis = Fixtures.analysis(.acid, file: "/x.wav", noise: &g)
        let json = try JSONSerialization.jsonObject(with: UpliftJSON.encoder().encode(analysis))
        var leaves = Self.numericLeaves(json)
        // Documented exclusions: file format and the beat phase.
        for excluded in ["sample_rate", "channels", "tempo.first_beat_s"] { #expect(leaves.removeValue(forKey: excluded) != nil) }
        // Trance components are an array in JSON; they appear as trance.components.<name>.
        var expected = leaves
        for c in analysis.trance!.components { expected["trance.components.\(c.name)"] = c.value }
        let features = analysis.scalarFeatures
        #expect(Set(features.keys) == Set(expected.keys))
        // JSONSerialization may round the last digit; the values themselves come from the model.
        for (name, value) in expected { #expect(abs((features[name] ?? .nan) - value) <= 1e-9 * max(1, abs(value)), "\(name)") }
        #expect(features["loudness.integrated_lufs"] == analysis.loudness!.integratedLUFS)
        #expect(features["spectrum.balance_db.low_mid"] == analysis.spectrum!.balanceDB[.lowMid])
        #expect(features["trance.components.pumping"] != nil)
    }

    @Test func absentSectionsGiveAbsentKeysAndSilenceStaysNonFinite() {
        var a = TrackAnalysis(file: "/s.wav", durationS: 10, sampleRate: 48_000, channels: 2)
        #expect(a.scalarFeatures == ["duration_s": 10])
        a.loudness = .init(integratedLUFS: -.infinity, lraLU: 0, truePeakDBTP: -.infinity, samplePeakDBFS: -.infinity,
                           shortTermMaxLUFS: -.infinity, momentaryMaxLUFS: -.infinity, plrDB: .nan)
        #expect(a.scalarFeatures["loudness.integrated_lufs"] == -.infinity)
        #expect(a.finiteScalarFeatures["loudness.integrated_lufs"] == nil)
        #expect(a.finiteScalarFeatures["loudness.lra_lu"] == 0)
    }
}
