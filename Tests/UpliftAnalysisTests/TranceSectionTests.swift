import Testing
import UpliftAnalysis
import UpliftModel
import UpliftSynth

@Suite("Energy curve and sections on synthesized arrangements")
struct TranceSectionTests {
    static let rate = 22_050.0

    static func check(_ recipe: TranceRecipe) throws {
        let track = recipe.render(sampleRate: rate)
        let analysis = try InMemoryAnalysis.analyze(track)
        let sections = try #require(analysis.sections)
        #expect(sections.map(\.kind.rawValue) == track.sections.map(\.kind.rawValue), "got \(sections.map(\.kind))")
        let barS = 4 * 60 / recipe.bpm
        for (got, truth) in zip(sections, track.sections) {
            #expect(abs(got.startS - truth.startS) <= barS, "\(got.kind) starts at \(got.startS), rendered \(truth.startS)")
            #expect(abs(got.endS - truth.endS) <= barS, "\(got.kind) ends at \(got.endS), rendered \(truth.endS)")
        }
        // One energy point per bar, and the drop is louder and bassier than the breakdown.
        let curve = try #require(analysis.energy?.curve)
        #expect(abs(curve.count - recipe.totalBars) <= 1)
        func points(_ kind: TranceSectionKind) -> [TrackAnalysis.EnergyPoint] {
            let s = track.sections.first { $0.kind == kind }!
            return curve.filter { $0.tS >= s.startS + 0.1 && $0.tS < s.endS - 0.1 }
        }
        let drop = points(.drop), breakdown = points(.breakdown)
        #expect(drop.map(\.rmsDB).min()! > breakdown.map(\.rmsDB).max()!)
        #expect(drop.map(\.bassRatio).min()! > breakdown.map(\.bassRatio).max()!)
    }

    @Test func standardArrangementBoundariesWithinOneBar() throws {
        try Self.check(TranceRecipe(seed: 2, bpm: 138, sections: TranceRecipe.standardArrangement(barsEach: 8)))
    }

    @Test func unevenArrangementBoundariesWithinOneBar() throws {
        let sections = [
            TranceSection(kind: .intro, bars: 12, pattern: .intro),
            TranceSection(kind: .breakdown, bars: 8, pattern: .breakdown),
            TranceSection(kind: .buildup, bars: 6, pattern: .buildup),
            TranceSection(kind: .drop, bars: 12, pattern: .drop),
            TranceSection(kind: .outro, bars: 6, pattern: .outro),
        ]
        try Self.check(TranceRecipe(seed: 11, bpm: 132, key: MusicalKey(tonic: 2, mode: .major), sections: sections))
    }

    @Test func beatlessMaterialClaimsNoSections() throws {
        let analysis = try InMemoryAnalysis.analyze(ContrastRecipe(style: .ambient, bars: 12).render(sampleRate: Self.rate))
        #expect(analysis.sections == nil)
        #expect((analysis.energy?.curve.count ?? 0) > 10)
    }
}
