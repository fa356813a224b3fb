import Foundation
import Testing
import UpliftModel
@testable import UpliftProfile
import UpliftSimilarity
import UpliftSynth

/// The profile's embedding end to end: a small library of synthesized sub-styles in sub-folders,
/// built with the real analyzer, trained, stored, read back, queried.
@Suite("Profile similarity", .serialized)
struct ProfileSimilarityTests {
    static let rate = 22_050.0

    /// Three audibly different styles: bright wide supersaws; a resonant acid line without pads; dark heavy pumping.
    static func recipe(style: Int, variant: UInt64) -> TranceRecipe {
        var r = TranceRecipe(seed: variant * 11 + UInt64(style), bpm: [138, 146, 126][style] + Double(variant),
                             key: MusicalKey(tonic: Int(variant * 5 + UInt64(style)) % 12, mode: .minor),
                             sections: TranceRecipe.standardArrangement(barsEach: 2))
        let change: (inout TrancePattern) -> Void
        switch style {
        case 0:
            r.supersaw = SupersawSettings(voices: 9, detuneCents: 35, stereoSpreadPercent: 100, cutoffHz: 9000, levelDB: -10)
            change = { $0.acid = false }
        case 1:
            r.acid = AcidSettings(resonance: 0.92, baseCutoffHz: 300, sweepOctaves: 2.5, levelDB: -8)
            r.sidechain = SidechainSettings(depthDB: 1)
            change = { $0.pads = false; $0.acid = $0.kick || $0.bass }
        default:
            r.supersaw = SupersawSettings(voices: 3, detuneCents: 8, stereoSpreadPercent: 20, cutoffHz: 1200, levelDB: -14)
            r.sidechain = SidechainSettings(depthDB: 14, releaseMs: 280)
            change = { $0.acid = false }
        }
        r.sections = r.sections.map { s in var p = s.pattern; change(&p); return TranceSection(kind: s.kind, bars: s.bars, pattern: p) }
        return r
    }

    static let styleNames = ["uplifting", "acid", "progressive"]

    static func library(_ dir: TemporaryDirectory) throws -> [String] {
        var paths: [String] = []
        for style in 0..<3 {
            for variant in UInt64(0)..<3 {
                let path = dir.file("lib/\(styleNames[style])/t\(variant).wav")
                try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                let wav = try WAVFile(path: path, sampleRate: Int(rate))
                try wav.write(recipe(style: style, variant: variant).render(sampleRate: rate).interleaved)
                try wav.close()
                paths.append(path)
            }
        }
        return paths
    }

    static func builder() -> ProfileBuilder {
        var b = ProfileBuilder(batch: BatchAnalyzer(cache: nil, jobs: 2))
        var options = LibraryEmbedder.Options()
        options.excerptSeconds = 6
        options.copies = [[.gain], [.pitch]]
        options.trainer.steps = 80
        options.trainer.hiddenSize = 32
        options.trainer.outputSize = 16
        options.trainer.samplesPerClass = 4
        b.embedding = options
        return b
    }

    nonisolated(unsafe) static let built: Result<(TemporaryDirectory, [String], ProfileBuilder.Outcome), any Error> = Result {
        let dir = TemporaryDirectory()
        let paths = try library(dir)
        return (dir, paths, try builder().build(roots: [dir.file("lib")], name: "styles", clusterCount: 3))
    }

    @Test("the build learns an embedding: one vector per source, clusters recomputed in it, stored and read back bit for bit")
    func builtAndStored() throws {
        let (dir, _, outcome) = try Self.built.get()
        #expect(outcome.embeddingNotes.isEmpty, "\(outcome.embeddingNotes)")
        let e = try #require(outcome.profile.embedding)
        #expect(e.vectors.count == outcome.profile.sources.count && e.vectors.allSatisfy { $0 != nil })
        #expect(e.augmentedCopies == 9 * 2)
        #expect(e.clusterOf?.count == 9 && e.silhouette != nil && e.agreementARI != nil)
        try ProfileFile.save(outcome.profile, to: dir.file("styles.uplift-profile"))
        let back = try ProfileFile.load(dir.file("styles.uplift-profile"))
        #expect(back.embedding == e)
        #expect(back.schema == "uplift.profile/2")
        let model = try #require(try ProfileSimilarity.model(of: back))
        #expect(model.network.parameters == Profile.Embedding.decode(e.weights))
    }

    @Test("the same library and seed give the same embedding bit for bit")
    func deterministic() throws {
        let (_, _, outcome) = try Self.built.get()
        // Copies and training again from the same analyses (the batch analysis itself is the cache's business).
        var again = outcome.profile
        again.embedding = nil
        _ = try ProfileSimilarity.attach(to: &again, tracks: outcome.batch.tracks, options: Self.builder().embedding!)
        #expect(again.embedding?.weights == outcome.profile.embedding?.weights)
        #expect(again.embedding?.vectors == outcome.profile.embedding?.vectors)
        #expect(again.embedding == outcome.profile.embedding)
    }

    @Test("each track's nearest references are of its own style; the report explains the difference")
    func nearestAreOwnStyle() throws {
        let (_, paths, outcome) = try Self.built.get()
        let byPath = Dictionary(uniqueKeysWithValues: outcome.batch.tracks.map { ($0.path, $0.analysis) })
        var sameStyle = 0
        for path in paths {
            let style = Self.styleNames.firstIndex { path.contains("/\($0)/") }!
            let hits = try ProfileSimilarity.nearest(byPath[path]!, in: outcome.profile, k: 2, excludingPath: path)
            #expect(hits.count == 2 && !hits.contains { $0.path == path })
            #expect(hits[0].distance <= hits[1].distance)
            sameStyle += hits.filter { $0.path.contains("/\(Self.styleNames[style])/") }.count
            #expect(hits.allSatisfy { $0.differences.count == 3 })
        }
        #expect(Double(sameStyle) / Double(2 * paths.count) >= 0.8, "\(sameStyle) of \(2 * paths.count) neighbours share the style")
    }

    @Test("uplift similar's JSON has the issue's shape; a file outside the library works")
    func reportShape() throws {
        let (dir, _, outcome) = try Self.built.get()
        let outside = dir.file("mix.wav")
        let wav = try WAVFile(path: outside, sampleRate: Int(Self.rate))
        try wav.write(Self.recipe(style: 1, variant: 7).render(sampleRate: Self.rate).interleaved)
        try wav.close()
        let report = try SimilarReport.make(trackPath: outside, profile: outcome.profile, k: 3)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(report.json.utf8)) as? [String: Any])
        #expect(json["query"] as? String == outside)
        let neighbours = try #require(json["neighbours"] as? [[String: Any]])
        #expect(neighbours.count == 3)
        #expect(Set(neighbours[0].keys) == ["path", "distance", "cluster", "differences"])
        let d = try #require(neighbours[0]["differences"] as? [[String: Any]])
        #expect(d.count == 3 && Set(d[0].keys) == ["feature", "value", "reference_value"])
        #expect((neighbours[0]["path"] as? String)?.contains("/acid/") == true, "an acid mix sounds most like an acid reference")
        #expect(report.text(width: 80).split(separator: "\n").allSatisfy { $0.count <= 80 })
    }

    @Test("gaps --nearest K narrows the profile to K references; a schema-1 profile still reads, without embedding")
    func narrowedAndOldSchema() throws {
        let (dir, paths, outcome) = try Self.built.get()
        let analysis = outcome.batch.tracks.first { $0.path == paths[0] }!.analysis
        let (narrowed, neighbours) = try ProfileSimilarity.narrowed(outcome.profile, toNearest: 4, of: analysis)
        #expect(narrowed.sources.count == 4 && narrowed.trackCount == 4 && narrowed.clusters.isEmpty)
        #expect(Set(narrowed.sources.map(\.path)) == Set(neighbours.map(\.path)))
        #expect(narrowed.features["tempo.bpm"]?.n == 4)

        var old = outcome.profile
        old.embedding = nil
        old.schema = "uplift.profile/1"
        try ProfileFile.save(old, to: dir.file("old.uplift-profile"))
        let back = try ProfileFile.load(dir.file("old.uplift-profile"))
        #expect(back.embedding == nil && back.schema == "uplift.profile/1")
        #expect(throws: (any Error).self) { try ProfileSimilarity.nearest(analysis, in: back, k: 2) }
    }
}
