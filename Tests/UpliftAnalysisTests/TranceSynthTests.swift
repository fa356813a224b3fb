import Foundation
import Testing
import UpliftSynth

@Suite("Trance synthesizer")
struct TranceSynthTests {
    static let rate = 22_050.0

    @Test func sameSeedSameAudioOtherSeedOtherAudio() {
        let recipe = TranceRecipe(seed: 7, bpm: 140, sections: TranceRecipe.loop(.drop, bars: 2))
        let a = recipe.render(sampleRate: Self.rate), b = recipe.render(sampleRate: Self.rate)
        #expect(a.interleaved == b.interleaved)
        var other = recipe; other.seed = 8
        #expect(other.render(sampleRate: Self.rate).interleaved != a.interleaved)
    }

    @Test func truthIsBarExact() {
        let recipe = TranceRecipe(bpm: 120, sections: TranceRecipe.standardArrangement(barsEach: 2))
        let track = recipe.render(sampleRate: Self.rate)
        #expect(track.beatTimesS.count == 40)
        #expect(abs(track.beatTimesS[1] - 0.5) < 1e-12)
        #expect(track.sections.map(\.kind) == [.intro, .breakdown, .buildup, .drop, .outro])
        #expect(track.sections[2].startBar == 4 && abs(track.sections[2].startS - 8.0) < 1e-9)
        #expect(abs(track.durationS - 20.0) < 0.001)
        let peak = track.interleaved.map { abs($0) }.max() ?? 0
        #expect(abs(Double(20 * log10(peak)) - -1) < 0.01)
    }

    @Test func tempoDriftAndStepMoveTheBeats() {
        let drift = TranceRecipe(bpm: 130, tempoChange: .linearDrift(toBPM: 140), sections: TranceRecipe.loop(.intro, bars: 4))
            .render(sampleRate: Self.rate)
        let first = drift.beatTimesS[1] - drift.beatTimesS[0], last = drift.beatTimesS[15] - drift.beatTimesS[14]
        #expect(abs(60 / first - 130) < 1e-9 && abs(60 / last - 139.333) < 0.01)
        let step = TranceRecipe(bpm: 120, tempoChange: .step(atBar: 2, toBPM: 150), sections: TranceRecipe.loop(.intro, bars: 4))
            .render(sampleRate: Self.rate)
        #expect(abs(step.beatTimesS[8] - 4.0) < 1e-9 && abs(step.beatTimesS[9] - 4.4) < 1e-9)
    }

    /// The kick lands on every beat: the low band carries its energy right after each beat time.
    @Test func kickOnEveryBeat() {
        let track = TranceRecipe(bpm: 138, sections: TranceRecipe.loop(TrancePattern(kick: true, offbeatHats: true), bars: 2))
            .render(sampleRate: Self.rate)
        let r = Self.rate
        func energy(_ t0: Double, _ t1: Double) -> Double {
            var e = 0.0
            for i in Int(t0 * r)..<min(Int(t1 * r), track.frameCount) { e += Double(track.interleaved[2 * i] * track.interleaved[2 * i]) }
            return e
        }
        for t in track.beatTimesS.dropFirst() {
            #expect(energy(t, t + 0.05) > 10 * energy(t - 0.06, t - 0.01))
        }
    }

    @Test func contrastMaterialRenders() {
        for style in ContrastRecipe.Style.allCases {
            let track = ContrastRecipe(style: style, bars: 2).render(sampleRate: Self.rate)
            #expect(track.frameCount > 0)
            #expect(track.interleaved.contains { $0 != 0 })
            #expect(track.interleaved.allSatisfy { $0.isFinite })
            #expect((track.bpm == nil) == (style == .ambient))
        }
    }
}
