import Foundation
import Testing
import UpliftAnalysis
import UpliftModel
import UpliftSynth

@Suite struct AcidAnalyzerTests {
    static let rate = 22_050.0
    /// Every step a different degree from the one before, so every slide is a pitch change.
    static let melody: [Int?] = [0, 4, 7, 2, 0, 5, 3, 7, 0, 4, 2, 5, 0, 7, 3, 4]

    /// The tempo tracker runs first: the detector reads its beat grid to find a 16th-note line.
    static func analyze(_ recipe: TranceRecipe) throws -> (TrackAnalysis.Acid?, AcidAnalyzer) {
        let (analysis, extractors) = try DetectAnalysis.run(StereoSignal(recipe.render(sampleRate: rate))) { format, frames in
            [TempoTracker(format: format, expectedFrames: frames), try AcidAnalyzer(format: format, expectedFrames: frames)]
        }
        return (analysis.acid, extractors[1] as! AcidAnalyzer)
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

    /// Legato notes without slides change pitch with no silence between them: the window smears
    /// each jump over a hop or two, which must not read as a glide; 60 ms slides must.
    @Test func legatoJumpsAreNotGlides() throws {
        func ratio(slides: Set<Int>) throws -> Double {
            let line = TestSignals.acidLine(seconds: 4, resonance: 0.5, slideSteps: slides, accentSteps: [0, 6],
                                            legato: true, sampleRate: Self.rate)
            let (_, extractors) = try DetectAnalysis.run(line) { format, frames in [try AcidAnalyzer(format: format, expectedFrames: frames)] }
            let acid = extractors[0] as! AcidAnalyzer
            #expect(acid.transitions >= 20)
            return acid.glideRatioMeasured ?? -1
        }
        let jumps = try ratio(slides: [])
        let slides = try ratio(slides: [1, 3, 5, 7, 9, 11, 13, 15])
        print("legato: jumps only \(jumps), half slides \(slides)")
        #expect(jumps < 0.1)
        #expect(slides > 0.1)
    }

    /// The accent evidence reads accents, not the melody or the beat: the same 16th-note line (a
    /// different degree every step, no slides) over kick, claps and hats, 8 bars, without accents
    /// and with 3 in 16. Read against whatever notes were near, level and brightness followed the
    /// pitch, the sidechain and the drums and correlated with no accent at all (issue 18: 0.37 on
    /// an unaccented line, −0.03 on an accented one); read against notes of the same pitch at the
    /// same 16th of the beat they do only when accents play.
    @Test func accentCorrelationReadsAccentsNotTheMelody() throws {
        var beat = TrancePattern(kick: true, offbeatHats: true, claps: true)
        beat.acid = true
        func accent(_ steps: Set<Int>) throws -> AcidAnalyzer {
            var recipe = Self.recipe(beat, slides: [], notes: Self.melody, bars: 8)
            recipe.acid.accentSteps = steps
            return try Self.analyze(recipe).1
        }
        let none = try accent([]), some = try accent([0, 6, 12])
        print("accent r: none \(none.accentCorrelationMeasured) (\(none.notes) notes), 3 of 16 \(some.accentCorrelationMeasured) (\(some.notes) notes)")
        // About 60 notes are compared: chance alone moves r by ±0.13 (one standard error).
        #expect(abs(none.accentCorrelationMeasured) < 0.25)
        #expect(some.accentCorrelationMeasured > 0.45)
        #expect(some.accentCorrelationMeasured > none.accentCorrelationMeasured + 0.3)
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
            var resonanceDB: [Double] = []
            for resonance in [0.0, 0.5, 0.95] {
                let (withAcid, d) = try Self.analyze(Self.recipe(with, resonance: resonance))
                print("\(name) res \(resonance): score \(withAcid?.score ?? -1) sweep \(d.sweepOctavesMeasured) res \(d.resonanceDBMeasured) glide \(d.glideRatioMeasured ?? -1) tr \(d.transitions) accent \(d.accentCorrelationMeasured) notes \(d.notes)")
                #expect((withAcid?.score ?? 0) > (noAcid?.score ?? 1) + 0.2)
                #expect(withAcid != nil && noAcid != nil)
                resonanceDB.append(d.resonanceDBMeasured)
            }
            // The resonance measurement itself follows the filter's resonance.
            #expect(resonanceDB[1] > resonanceDB[0] && resonanceDB[2] > resonanceDB[1], "\(resonanceDB)")
        }
    }
}
