import Testing
import UpliftAnalysis
import UpliftModel
import UpliftSynth

@Suite("Four-on-the-floor and offbeat hats on synthesized truth")
struct TranceRhythmTests {
    static let rate = 22_050.0

    @Test func trancePatternIsFourOnTheFloorWithOffbeatHats() throws {
        let track = TranceRecipe(seed: 4, bpm: 140, sections: TranceRecipe.loop(.drop, bars: 12)).render(sampleRate: Self.rate)
        let rhythm = try #require(try InMemoryAnalysis.analyze(track).rhythm)
        #expect(rhythm.fourOnFloor > 0.8, "four on the floor \(rhythm.fourOnFloor)")
        #expect(rhythm.offbeatHihat > 0.4, "offbeat hats \(rhythm.offbeatHihat)")
    }

    @Test func withoutHatsThereIsNoOffbeatHat() throws {
        let track = TranceRecipe(seed: 4, bpm: 140, sections: TranceRecipe.loop(.kickAndPads, bars: 12)).render(sampleRate: Self.rate)
        let rhythm = try #require(try InMemoryAnalysis.analyze(track).rhythm)
        #expect(rhythm.fourOnFloor > 0.8)
        #expect(rhythm.offbeatHihat < 0.1, "offbeat hats \(rhythm.offbeatHihat)")
    }

    @Test("hip-hop, rock and drum & bass are not four on the floor, and their hats are not offbeat")
    func contrast() throws {
        for style in [ContrastRecipe.Style.hipHop, .rock, .drumAndBass] {
            let rhythm = try #require(try InMemoryAnalysis.analyze(ContrastRecipe(style: style, bars: 12).render(sampleRate: Self.rate)).rhythm)
            #expect(rhythm.fourOnFloor < 0.5, "\(style) four on the floor \(rhythm.fourOnFloor)")
            #expect(rhythm.offbeatHihat < 0.2, "\(style) offbeat hats \(rhythm.offbeatHihat)")
        }
    }
}
