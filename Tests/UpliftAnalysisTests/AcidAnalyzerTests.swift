import Foundation
import Testing
import UpliftAnalysis
import UpliftModel
import UpliftSynth

@Suite struct AcidAnalyzerTests {
    static let rate = 22_050.0
    /// Every step a different degree from the one before, so every slide is a pitch change.
    static let melody: [Int?] = [0, 4, 7, 2, 0, 5, 3, 7, 0, 4, 2, 5, 0, 7, 3, 4]

    static func analyze(_ recipe: TranceRecipe) throws -> (TrackAnalysis.Acid?, AcidAnalyzer) {
        let (analysis, extractors) = try DetectAnalysis.run(StereoSignal(recipe.render(sampleRate: rate))) { format, frames in
            [try AcidAnalyzer(format: format, expectedFrames: frames)]
        }
        return (analysis.acid, extractors[0] as! AcidAnalyzer)
    }

    static func recipe(_ pattern: TrancePattern, resonance: Double = 0.7, slides: Set<Int> = [3, 7, 10, 14],
                       notes: [Int?]? = nil, bars: Int = 4, seed: UInt64 = 11) -> TranceRecipe {
        TranceRecipe(seed: seed, sections: TranceRecipe.loop(pattern, bars: bars),
                     acid: AcidSettings(resonance: resonance, notes: notes, slideSteps: slides))
    }

    @Test func glideRatioTracksTheNumberOfSlides() throws {
        let slideSets: [Set<Int>] = [[], [3, 11], [1, 5, 9, 13], [1, 3, 5, 7, 9, 11, 13, 15]]
        var ratios: [Double] = []
        for slides in slideSets {
            let (_, acid) = try Self.analyze(Self.recipe(TrancePattern(acid: true), slides: slides, notes: Self.melody))
            let ratio = acid.glideRatioMeasured ?? -1
            print("slides \(slides.count)/16: transitions \(acid.transitions) glides \(acid.glides) ratio \(ratio)")
            ratios.append(ratio)
        }
        #expect(ratios[0] < 0.05)
        for (a, b) in zip(ratios, ratios.dropFirst()) { #expect(b > a) }
        #expect(ratios[3] > 0.2)
    }

    @Test func acidScoreIsHigherWithTheAcidLineAtEveryResonance() throws {
        // The line over kick, claps, off-beat hats and the sidechain. (Under sustained pads the
        // tracker loses the line and the score stays 0 with or without it: see AcidAnalyzer.)
        let contexts: [(String, TrancePattern)] = [
            ("beat", TrancePattern(kick: true, offbeatHats: true, claps: true)),
        ]
        for (name, context) in contexts {
            var without = context
            without.acid = false
            var with = context
            with.acid = true
            let (noAcid, n) = try Self.analyze(Self.recipe(without))
            print("\(name) without: score \(noAcid?.score ?? -1) sweep \(n.sweepOctavesMeasured) res \(n.resonanceDBMeasured) glide \(n.glideRatioMeasured ?? -1) tr \(n.transitions) accent \(n.accentCorrelationMeasured) notes \(n.notes)")
            for resonance in [0.0, 0.5, 0.95] {
                let (withAcid, d) = try Self.analyze(Self.recipe(with, resonance: resonance))
                print("\(name) res \(resonance): score \(withAcid?.score ?? -1) sweep \(d.sweepOctavesMeasured) res \(d.resonanceDBMeasured) glide \(d.glideRatioMeasured ?? -1) tr \(d.transitions) accent \(d.accentCorrelationMeasured) notes \(d.notes)")
                #expect((withAcid?.score ?? 0) > (noAcid?.score ?? 1) + 0.2)
                #expect(withAcid != nil && noAcid != nil)
            }
        }
    }
}
