import Testing
import UpliftAnalysis
import UpliftModel
import UpliftSynth

@Suite("Sidechain pumping on synthesized truth")
struct TrancePumpingTests {
    static let rate = 22_050.0

    @Test("depth within ±1.5 dB of the rendered sidechain, class per the seed's table",
          arguments: [0.0, 3, 6, 10, 12])
    func depthAndClass(depthDB: Double) throws {
        let track = TranceRecipe(seed: 5, bpm: 138, sections: TranceRecipe.loop(.kickAndPads, bars: 16),
                                 sidechain: SidechainSettings(depthDB: depthDB)).render(sampleRate: Self.rate)
        let pumping = try #require(try InMemoryAnalysis.analyze(track).pumping)
        #expect(abs(pumping.depthDB - depthDB) <= 1.5, "measured \(pumping.depthDB) dB for \(depthDB) dB")
        #expect(abs(pumping.depthLinear - (1 - pow10(-pumping.depthDB / 20))) < 1e-9)
        // The rendered pump is perfectly regular, so its class follows from its depth alone.
        #expect(pumping.class == PumpingAnalyzer.classify(depthDB: depthDB, regularity: 0),
                "class \(pumping.class) at \(depthDB) dB (regularity \(pumping.regularity))")
    }

    @Test("a full drop (bass, acid, claps, hats) still reads its pump")
    func fullDrop() throws {
        let track = TranceRecipe(seed: 9, bpm: 140, sections: TranceRecipe.loop(.drop, bars: 16),
                                 sidechain: SidechainSettings(depthDB: 10)).render(sampleRate: Self.rate)
        let pumping = try #require(try InMemoryAnalysis.analyze(track).pumping)
        #expect(abs(pumping.depthDB - 10) <= 1.5, "measured \(pumping.depthDB) dB")
        #expect(pumping.class == .heavy)
    }

    @Test("no pumping in a rock kit with chugging guitars or in hip-hop")
    func contrastDoesNotPump() throws {
        for style in [ContrastRecipe.Style.rock, .hipHop] {
            let pumping = try #require(try InMemoryAnalysis.analyze(ContrastRecipe(style: style, bars: 12).render(sampleRate: Self.rate)).pumping)
            #expect(pumping.class == .none, "\(style): \(pumping)")
        }
    }

    @Test("the seed's table")
    func table() {
        #expect(PumpingAnalyzer.classify(depthDB: 9, regularity: 0.05) == .heavy)
        #expect(PumpingAnalyzer.classify(depthDB: 9, regularity: 0.12) == .moderate)
        #expect(PumpingAnalyzer.classify(depthDB: 5, regularity: 0.05) == .moderate)
        #expect(PumpingAnalyzer.classify(depthDB: 5, regularity: 0.2) == .none)
        #expect(PumpingAnalyzer.classify(depthDB: 3, regularity: 0) == .none)
    }

    private func pow10(_ x: Double) -> Double { Foundation.pow(10, x) }
}

import Foundation
