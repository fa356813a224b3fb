import Foundation
import Testing
import UpliftAnalysis
import UpliftModel
import UpliftSynth

/// The acid detector on full mixes: it must hear a 303 line inside a whole trance drop (pads,
/// supersaw, rolling bass, drums, sidechain) and must not hear one in material without it.
@Suite struct AcidInMixTests {
    static let rate = 22_050.0

    /// Tempo first (the detector reads the beat grid at summary time), then the acid detector.
    static func measure(_ track: RenderedTrack) throws -> (score: Double, detector: AcidAnalyzer) {
        var detector: AcidAnalyzer?
        let analysis = try InMemoryAnalysis.analyze(track) { format, frames in
            let acid = try AcidAnalyzer(format: format, expectedFrames: frames)
            detector = acid
            return [TempoTracker(format: format, expectedFrames: frames), acid]
        }
        return (analysis.acid?.score ?? -1, detector!)
    }

    /// An 8-bar drop with every part playing. The 303 sits at lead level (−4 dB setting, about as
    /// loud as the pads), as acid trance mixes it; `acid: false` is the same mix without it.
    static func drop(seed: UInt64, bpm: Double, acid: Bool) -> RenderedTrack {
        var pattern = TrancePattern.drop
        pattern.acid = acid
        var recipe = TranceRecipe(seed: seed, bpm: bpm, sections: TranceRecipe.loop(pattern, bars: 8))
        recipe.acid.levelDB = -4
        return recipe.render(sampleRate: rate)
    }

    static func describe(_ label: String, _ m: (score: Double, detector: AcidAnalyzer)) -> String {
        let d = m.detector
        return String(format: "%@: acid %.2f (line bars %d/%d, sweep %.2f oct, resonance %.1f dB, glides %d/%d, accent r %.2f)",
                      label, m.score, d.lineBars, d.barsMeasured, d.sweepOctavesMeasured, d.resonanceDBMeasured,
                      d.glides, d.transitions, d.accentCorrelationMeasured)
    }

    @Test(arguments: [(UInt64(31), 138.0), (41, 131), (42, 138), (43, 141)])
    func acidLineInAFullDropScoresWellAboveTheSameDropWithoutIt(seed: UInt64, bpm: Double) throws {
        let with = try Self.measure(Self.drop(seed: seed, bpm: bpm, acid: true))
        let without = try Self.measure(Self.drop(seed: seed, bpm: bpm, acid: false))
        print(Self.describe("drop seed \(seed) with acid", with))
        print(Self.describe("drop seed \(seed) without", without))
        #expect(with.score >= without.score + 0.25, "\(Self.describe("with", with)) / \(Self.describe("without", without))")
        #expect(without.score <= 0.1, "\(Self.describe("without", without))")
    }

    /// Drum & bass (sub bass, two-step break), rock, hip-hop, ambient pads, and a trance intro whose
    /// rolling bass repeats the chord root on 16ths: no 303 line in any of them.
    @Test func materialWithoutAnAcidLineReadsNoAcid() throws {
        var tracks: [(String, RenderedTrack)] = ContrastRecipe.Style.allCases.map {
            ($0.rawValue, ContrastRecipe(style: $0, seed: 5, bars: 8).render(sampleRate: Self.rate))
        }
        tracks.append(("trance intro (beat + rolling bass)",
                       TranceRecipe(seed: 7, sections: TranceRecipe.loop(.intro, bars: 8)).render(sampleRate: Self.rate)))
        let reference = try Self.measure(Self.drop(seed: 42, bpm: 138, acid: true))
        print(Self.describe("reference drop with acid", reference))
        for (label, track) in tracks {
            let m = try Self.measure(track)
            print(Self.describe(label, m))
            #expect(m.score <= 0.1, "\(Self.describe(label, m))")
            #expect(m.score <= reference.score - 0.2, "\(Self.describe(label, m))")
        }
    }
}
