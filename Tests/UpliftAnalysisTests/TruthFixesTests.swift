import Foundation
import Testing
import UpliftAnalysis
import UpliftModel
import UpliftSynth
import UpliftTestSupport

/// The fixes issue 18's truth corpus called for, each on a signal whose answer is known by construction.
@Suite("Truth-corpus fixes: silence, mono loudness, nulls in the schema")
struct TruthFixesTests {
    static let rate = 22_050.0

    static func analyze(_ stereo: [Float]) throws -> TrackAnalysis {
        try AnalysisHarness.run(stereo, sampleRate: rate) { format, frames in
            try StandardExtractors.make(format: format, expectedFrames: frames)
        }
    }

    @Test("10 s of silence before and 30 s after leave the sections unchanged and are reported as silence")
    func silenceAroundTheMusic() throws {
        let recipe = TranceRecipe(seed: 2, bpm: 138, sections: TranceRecipe.standardArrangement(barsEach: 8))
        let track = recipe.render(sampleRate: Self.rate)
        let lead = 10.0, tail = 30.0
        let padded = [Float](repeating: 0, count: 2 * Int(lead * Self.rate)) + track.interleaved
            + [Float](repeating: 0, count: 2 * Int(tail * Self.rate))
        let plain = try #require(try Self.analyze(track.interleaved).sections)
        let withSilence = try Self.analyze(padded)
        let sections = try #require(withSilence.sections)
        let barS = 4 * 60 / recipe.bpm
        #expect(sections.map(\.kind) == plain.map(\.kind), "\(plain.map(\.kind)) became \(sections.map(\.kind))")
        for (a, b) in zip(sections, plain) {
            #expect(abs(a.startS - lead - b.startS) <= barS, "\(a.kind) starts at \(a.startS - lead) s, \(b.startS) s without silence")
            #expect(abs(a.endS - lead - b.endS) <= barS, "\(a.kind) ends at \(a.endS - lead) s, \(b.endS) s without silence")
        }
        // Neither the intro nor the outro swallows the silence; the silence is reported as such.
        #expect(sections.first!.startS >= lead - 0.5 && sections.last!.endS <= lead + track.durationS + 0.5)
        let silence = try #require(withSilence.silence)
        #expect(silence.count == 2, "\(silence)")
        #expect(abs(silence.first!.startS) < 0.1 && abs(silence.first!.endS - lead) < 0.3)
        #expect(abs(silence.last!.startS - (lead + track.durationS)) < 0.3)
        // The energy curve covers the music only.
        let curve = try #require(withSilence.energy?.curve)
        #expect(curve.allSatisfy { $0.tS >= lead - 0.1 && $0.rmsDB > -80 })
    }

    @Test("a mono file reads 3.01 LU below the same signal as a dual-mono stereo file; --dual-mono reads them alike")
    func monoLoudnessIsSingleChannel() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("uplift-mono-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        // 20 s of a 1 kHz tone at -20 dBFS with a slow tremolo, so gating has work to do.
        let rate = 48_000, n = 20 * rate
        let mono = (0..<n).map { i -> Float in
            let t = Double(i) / Double(rate)
            return Float(0.1 * (0.75 + 0.25 * sin(2 * .pi * 0.5 * t)) * sin(2 * .pi * 1000 * t))
        }
        let stereo = mono.flatMap { [$0, $0] }
        let monoPath = dir.appendingPathComponent("mono.wav").path, stereoPath = dir.appendingPathComponent("stereo.wav").path
        try WAVBytes.float32(mono, channels: 1, sampleRate: rate).write(to: URL(fileURLWithPath: monoPath))
        try WAVBytes.float32(stereo, channels: 2, sampleRate: rate).write(to: URL(fileURLWithPath: stereoPath))
        let single = try #require(try TrackAnalyzer().analyze(path: monoPath).loudness)
        let dual = try #require(try TrackAnalyzer(dualMono: true).analyze(path: monoPath).loudness)
        let two = try #require(try TrackAnalyzer().analyze(path: stereoPath).loudness)
        #expect(abs(two.integratedLUFS - single.integratedLUFS - 3.0103) < 0.01, "stereo \(two.integratedLUFS), mono \(single.integratedLUFS)")
        #expect(abs(dual.integratedLUFS - two.integratedLUFS) < 0.01)
        #expect(abs(two.shortTermMaxLUFS - single.shortTermMaxLUFS - 3.0103) < 0.01)
        // Peaks are what they are on either reading.
        #expect(abs(single.truePeakDBTP - two.truePeakDBTP) < 0.01)
    }

    @Test("acid.confidence is in the JSON; unmeasured acid parts, detune and the tempo alternative are null, never left out")
    func nullsInTheSchema() throws {
        var analysis = TrackAnalysis(file: "x.wav", durationS: 10, sampleRate: 44_100, channels: 2)
        analysis.acid = TrackAnalysis.Acid(score: 0, sweep: 0, resonance: 0, glide: 0, accent: 0, confidence: 0)
        analysis.supersaw = TrackAnalysis.Supersaw(width: 0.2, correlation: 0.9, detuneCents: nil)
        analysis.tempo = TrackAnalysis.Tempo(bpm: 140, confidence: 0.9, stability: 1, firstBeatS: 0)
        let data = try UpliftJSON.encoder().encode(analysis)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["schema"] as? String == "uplift.analysis/2")
        let acid = try #require(object["acid"] as? [String: Any])
        #expect(acid["confidence"] as? Double == 0)
        #expect(acid["score"] as? Double == 0)
        for part in ["sweep", "resonance", "glide", "accent"] { #expect(acid[part] is NSNull, "\(part): \(String(describing: acid[part]))") }
        #expect((object["supersaw"] as? [String: Any])?["detune_cents"] is NSNull)
        #expect((object["tempo"] as? [String: Any])?["alternative_bpm"] is NSNull)
        // A measured line writes its parts; the JSON reads back to the same value.
        analysis.acid = TrackAnalysis.Acid(score: 0.6, sweep: 0.5, resonance: 0.7, glide: 0.4, accent: 0.3, confidence: 0.8)
        let again = try UpliftJSON.decoder().decode(TrackAnalysis.self, from: try UpliftJSON.encoder().encode(analysis))
        #expect(again.acid == analysis.acid)
        // A schema-1 analysis (no confidence) still reads.
        let old = #"{"score": 0.5, "sweep": 0.4, "resonance": 0.3, "glide": 0.2, "accent": 0.1}"#
        let acidV1 = try JSONDecoder().decode(TrackAnalysis.Acid.self, from: Data(old.utf8))
        #expect(acidV1.confidence == 1 && acidV1.sweep == 0.4)
    }

    @Test("the analyzer writes acid.confidence 0 and null parts on music without a 303 line")
    func analyzerWritesNullsWithoutALine() throws {
        let noAcid = TrancePattern(kick: true, offbeatHats: true, claps: true, bass: true, pads: true)
        let recipe = TranceRecipe(seed: 5, bpm: 140, sections: [
            TranceSection(kind: .intro, bars: 4, pattern: .intro), TranceSection(kind: .drop, bars: 12, pattern: noAcid),
        ])
        let analysis = try Self.analyze(recipe.render(sampleRate: Self.rate).interleaved)
        let acid = try #require(analysis.acid)
        #expect(acid.confidence == 0 && acid.score == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: try UpliftJSON.encoder().encode(analysis)) as? [String: Any])
        #expect((object["acid"] as? [String: Any])?["sweep"] is NSNull)
    }
}
