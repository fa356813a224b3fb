import Foundation
import Testing
import UpliftAnalysis
import UpliftModel
import UpliftSynth

/// The live musical analysis against synthesized arrangements whose tempo, sections, key and
/// sidechain are known by construction, fed through the live path faster than real time with the
/// summaries made at the bar lines the live thread would use.
@Suite("Live musical analysis on synthesized truth", .serialized)
struct LiveMusicTests {
    static let rate = 22_050.0

    /// Intro, breakdown, buildup, drop, outro, 8 bars each, 138 BPM, E minor (Camelot 9A).
    static let arrangement: (track: RenderedTrack, summaries: [LiveMusic]) = {
        let track = TranceRecipe(seed: 5, bpm: 138, key: MusicalKey(tonic: 4, mode: .minor),
                                 sections: TranceRecipe.standardArrangement(barsEach: 8)).render(sampleRate: rate)
        return (track, try! LiveMusicHarness.run(track))
    }()

    static func barS(_ bpm: Double) -> Double { 240 / bpm }

    @Test("tempo: first estimate within 8 s, ±0.5 BPM of the offline estimate of the same audio from 15 s, no octave flicker")
    func tempo() throws {
        let (track, summaries) = Self.arrangement
        let first = try #require(summaries.first { $0.tempo != nil })
        #expect(first.windowEndS <= 8, "first estimate at \(first.windowEndS) s")
        #expect(abs(try #require(first.tempo).bpm - 138) <= 1, "first estimate \(first.tempo!.bpm)")
        #expect(first.grid != nil)
        for m in summaries where m.tempo != nil {
            #expect(abs(m.tempo!.bpm - 138) <= 1, "at \(m.windowEndS) s: \(m.tempo!.bpm) BPM (octave or drift)")
        }
        // Against the offline analysis of exactly the window's audio, at a few points.
        let late = summaries.filter { $0.windowEndS >= 15 }
        #expect(late.count >= 25)
        for m in [late[0], late[late.count / 2], late[late.count - 1]] {
            let offline = try #require(try LiveMusicHarness.offline(track, fromS: m.windowStartS, toS: m.windowEndS).tempo)
            #expect(abs(m.tempo!.bpm - offline.bpm) <= 0.5, "at \(m.windowEndS) s live \(m.tempo!.bpm), offline \(offline.bpm)")
            #expect(m.tempo!.confidence >= 0.5)
        }
        // The grid's downbeats land on the rendered bar lines.
        for m in late {
            let grid = try #require(m.grid)
            let bars = stride(from: 0, to: track.beatTimesS.count, by: 4).map { track.beatTimesS[$0] }
            let nearest = bars.min { abs($0 - grid.downbeatS) < abs($1 - grid.downbeatS) }!
            #expect(abs(nearest - grid.downbeatS) < 0.03, "downbeat \(grid.downbeatS) s vs bar line \(nearest) s")
        }
    }

    @Test("a tempo step 138 → 140 is followed within 4 bars")
    func tempoStep() throws {
        let track = TranceRecipe(seed: 7, bpm: 138, tempoChange: .step(atBar: 12, toBPM: 140),
                                 sections: TranceRecipe.loop(.drop, bars: 24)).render(sampleRate: Self.rate)
        let summaries = try LiveMusicHarness.run(track)
        let stepS = track.beatTimesS[48]
        let followed = stepS + 4 * Self.barS(140)
        let before = summaries.filter { $0.windowEndS >= 15 && $0.windowEndS < stepS }
        #expect(!before.isEmpty)
        for m in before { #expect(abs(m.tempo!.bpm - 138) <= 0.5, "before the step at \(m.windowEndS) s: \(m.tempo!.bpm)") }
        let after = summaries.filter { $0.windowEndS >= followed }
        #expect(after.count >= 6)
        for m in after { #expect(abs(m.tempo!.bpm - 140) <= 0.5, "after the step at \(m.windowEndS) s: \(m.tempo!.bpm)") }
        let firstFollowing = summaries.first { $0.windowEndS > stepS && abs($0.tempo!.bpm - 140) <= 0.5 }
        let bars = (try #require(firstFollowing).windowEndS - stepS) / Self.barS(140)
        print("tempo step followed \(String(format: "%.2f", bars)) bars after it")
    }

    @Test("beatless music: low confidence and no grid, never a guessed one")
    func beatless() throws {
        let track = ContrastRecipe(style: .ambient, bars: 16).render(sampleRate: Self.rate)
        let summaries = try LiveMusicHarness.run(track)
        #expect(summaries.count >= 10)
        for m in summaries {
            #expect(m.grid == nil, "grid at \(m.windowEndS) s")
            if let tempo = m.tempo { #expect(tempo.confidence < 0.15, "confidence \(tempo.confidence) at \(m.windowEndS) s") }
            #expect(m.sections.isEmpty)
        }
        // Energy still grows (two-second blocks stand in for bars).
        #expect(summaries.last!.energy.count >= Int(track.durationS / 2) - 2)
    }

    @Test("sections: each labelled within 2 bars of its true start, the energy curve one bar per bar")
    func sections() throws {
        let (track, summaries) = Self.arrangement
        let bar = Self.barS(138)
        for truth in track.sections.dropFirst() {
            // The first summary at least two whole bars into the section.
            let m = try #require(summaries.first { $0.windowEndS >= truth.startS + 2 * bar })
            #expect(m.windowEndS < truth.startS + 3 * bar)
            let found = m.sections.last { abs($0.startS - truth.startS) <= 0.5 * bar }
            #expect(found?.kind.rawValue == truth.kind.rawValue,
                    "\(truth.kind) at \(truth.startS) s: at \(m.windowEndS) s the sections are \(m.sections.map { "\($0.kind) \($0.startS)" })")
        }
        let last = summaries.last!
        #expect(last.sections.map(\.kind.rawValue) == track.sections.map(\.kind.rawValue))
        // One point per whole bar heard (the pick-up before the first downbeat may add one).
        let wholeBars = Int(last.windowEndS / bar)
        #expect(abs(last.energy.count - wholeBars) <= 1, "\(last.energy.count) points for \(wholeBars) bars")
        // The curve only grows.
        for (a, b) in zip(summaries, summaries.dropFirst()) where a.grid != nil && b.grid != nil {
            #expect(b.energy.count >= a.energy.count)
        }
    }

    @Test("key correct from 30 s on (E minor, 9A)")
    func key() throws {
        let (_, summaries) = Self.arrangement
        let late = summaries.filter { $0.windowEndS >= 30 }
        #expect(late.count >= 20)
        for m in late { #expect(m.window.key?.camelot == "9A", "at \(m.windowEndS) s: \(String(describing: m.window.key))") }
    }

    @Test("the rolling trance score is within ±5 of the offline score of the same window, with every component")
    func scoreMatchesOfflineWindow() throws {
        let (track, summaries) = Self.arrangement
        let late = summaries.filter { $0.windowEndS >= 20 }
        for m in [late[0], late[late.count / 3], late[2 * late.count / 3], late[late.count - 1]] {
            let live = try #require(m.window.trance)
            let offline = try #require(try LiveMusicHarness.offline(track, fromS: m.windowStartS, toS: m.windowEndS).trance)
            #expect(abs(live.score - offline.score) <= 5,
                    "at \(m.windowEndS) s live \(live.score), offline \(offline.score): \(zip(live.components, offline.components).map { "\($0.name) \(String(format: "%.2f/%.2f", $0.value, $1.value))" })")
            #expect(live.components.count == 9)
            #expect(live.components.allSatisfy { !$0.reason.isEmpty })
        }
        #expect(summaries.last!.windowLabel == "live, last 32 bars")
    }

    @Test("pumping depth within ±1.5 dB of the rendered sidechain", arguments: [4.0, 10])
    func pumping(depthDB: Double) throws {
        let track = TranceRecipe(seed: 5, bpm: 138, sections: TranceRecipe.loop(.kickAndPads, bars: 24),
                                 sidechain: SidechainSettings(depthDB: depthDB)).render(sampleRate: Self.rate)
        let summaries = try LiveMusicHarness.run(track)
        let late = summaries.filter { $0.windowEndS >= 20 }
        #expect(late.count >= 10)
        for m in late {
            let pumping = try #require(m.window.pumping)
            #expect(abs(pumping.depthDB - depthDB) <= 1.5, "at \(m.windowEndS) s: \(pumping.depthDB) dB for \(depthDB) dB")
        }
    }

    @Test("--window: bars or seconds, with clear errors")
    func windowArgument() throws {
        #expect(try LiveMusicAnalyzer.Options(windowArgument: nil).windowBars == 32)
        #expect(try LiveMusicAnalyzer.Options(windowArgument: "16").windowBars == 16)
        #expect(try LiveMusicAnalyzer.Options(windowArgument: "8bars").windowBars == 8)
        let seconds = try LiveMusicAnalyzer.Options(windowArgument: "45s")
        #expect(seconds.windowBars == nil && seconds.windowSeconds == 45)
        #expect(throws: (any Error).self) { try LiveMusicAnalyzer.Options(windowArgument: "2") }
        #expect(throws: (any Error).self) { try LiveMusicAnalyzer.Options(windowArgument: "500s") }
        #expect(throws: (any Error).self) { try LiveMusicAnalyzer.Options(windowArgument: "long") }
    }
}

extension LiveMusicTests {
    /// The Ableton bridge's pushes, as `noteExternalTempo` / `noteExternalBeat` receive them: Live's
    /// beat numbers arriving 120 ms after the beat (OSC and loopback latency), then Live going away.
    @Test("Live's tempo and beat are the grid while it pushes, aligned on the audio; estimation takes over when it stops")
    func liveTransportIsTheGrid() throws {
        let track = TranceRecipe(seed: 5, bpm: 138, sections: TranceRecipe.loop(.drop, bars: 24)).render(sampleRate: Self.rate)
        let beats = track.beatTimesS
        let latencyS = 0.12, stopS = 30.0
        var next = 0
        let summaries = try LiveMusicHarness.run(track) { music, streamS in
            if next == 0 { music.noteExternalTempo(138) }
            while next < beats.count, beats[next] + latencyS <= streamS, streamS < stopS {
                music.noteExternalBeat(next, atStreamS: beats[next] + latencyS)
                next += 1
            }
        }
        let bars = stride(from: 0, to: beats.count, by: 4).map { beats[$0] }
        let following = summaries.filter { $0.windowEndS >= 8 && $0.windowEndS < stopS }
        #expect(following.count >= 8)
        for m in following {
            let grid = try #require(m.grid)
            #expect(grid.source == .ableton)
            #expect(m.tempo?.bpm == 138 && m.tempo?.confidence == 1)
            let nearest = bars.min { abs($0 - grid.downbeatS) < abs($1 - grid.downbeatS) }!
            #expect(abs(nearest - grid.downbeatS) < 0.03, "Live's downbeat at \(grid.downbeatS) s, the bar line at \(nearest) s")
        }
        let after = summaries.filter { $0.windowEndS >= stopS + LiveMusicAnalyzer.externalBeatFreshS + 0.5 }
        #expect(!after.isEmpty)
        for m in after { #expect(m.grid?.source == .detected, "at \(m.windowEndS) s") }
    }

    @Test("Live's tempo wins over the detected one, and its downbeat follows its beat numbers")
    func liveTempoWins() throws {
        // Live says 139 while the audio (a render at 138) says otherwise: the bridge is the truth of the set.
        let grid = try #require(LiveMusicAnalyzer.externalGrid(bpm: 139, beat: 6, beatStreamS: 10, endS: 11, detectedBeats: []))
        #expect(grid.grid.bpm == 139 && grid.offsetS == 0)
        // Beat 6 at 10 s: beat 8 (a downbeat) at 10 + 2 × 60/139 s, the latest before 11 s.
        let expected: Double = 10 + 2 * 60 / 139.0
        #expect(abs(grid.grid.downbeatS - expected) < 1e-9)
        #expect(LiveMusicAnalyzer.externalGrid(bpm: 139, beat: 6, beatStreamS: 10, endS: 20, detectedBeats: []) == nil,
                "a beat push 10 s old is not a transport that plays")
    }
}
