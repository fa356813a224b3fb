import Foundation
import Testing
import UpliftAnalysis
import UpliftModel
import UpliftSynth

/// The whole `StandardExtractors` chain over the synthesizer's fixtures: trance scores ≥ 70,
/// every contrast style ≤ 40. Needs every trance extractor (tempo, rhythm, pumping, energy and
/// sections as well as key, acid, supersaw, brightness) registered.
@Suite struct TranceScoreEndToEndTests {
    static let rate = 22_050.0

    static func report(_ label: String, _ a: TrackAnalysis) -> String {
        let parts = (a.trance?.components ?? []).map { String(format: "%@ %.2f", $0.name, $0.value) }.joined(separator: ", ")
        let sections = (a.sections ?? []).map { String(format: "%@ %.1f–%.1f", $0.kind.rawValue, $0.startS, $0.endS) }.joined(separator: ", ")
        return String(format: "%@: %.1f [%@] tempo %@ rhythm %@ pumping %@ sections [%@]", label, a.trance?.score ?? -1, parts,
                      String(describing: a.tempo), String(describing: a.rhythm), String(describing: a.pumping), sections)
    }

    static let tranceFixtures: [(String, TranceRecipe)] = [
        ("138 A minor acid", TranceRecipe(seed: 21, bpm: 138, sections: TranceRecipe.standardArrangement(barsEach: 8))),
        ("140 F# major uplifting", TranceRecipe(seed: 22, bpm: 140, key: MusicalKey(tonic: 6, mode: .major),
                                                sections: TranceRecipe.standardArrangement(barsEach: 8),
                                                supersaw: SupersawSettings(detuneCents: 30, stereoSpreadPercent: 90))),
        ("132 D minor", TranceRecipe(seed: 23, bpm: 132, key: MusicalKey(tonic: 2, mode: .minor),
                                     sections: TranceRecipe.standardArrangement(barsEach: 8),
                                     sidechain: SidechainSettings(depthDB: 10))),
    ]

    @Test(arguments: 0..<3)
    func tranceFixturesScoreAtLeast70(index: Int) throws {
        let (label, recipe) = Self.tranceFixtures[index]
        let analysis = try InMemoryAnalysis.analyze(recipe.render(sampleRate: Self.rate))
        print(Self.report(label, analysis))
        #expect((analysis.trance?.score ?? 0) >= 70, "\(Self.report(label, analysis))")
    }

    @Test(arguments: ContrastRecipe.Style.allCases)
    func contrastMaterialScoresAtMost40(style: ContrastRecipe.Style) throws {
        let analysis = try InMemoryAnalysis.analyze(ContrastRecipe(style: style, seed: 5, bars: 8).render(sampleRate: Self.rate))
        print(Self.report(style.rawValue, analysis))
        #expect(analysis.trance != nil)
        #expect((analysis.trance?.score ?? 100) <= 40, "\(Self.report(style.rawValue, analysis))")
    }
}
