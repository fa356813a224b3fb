import Foundation
import Testing
import UpliftAnalysis
import UpliftModel

@Suite struct TranceScoreTests {
    typealias A = TrackAnalysis

    /// A textbook trance analysis: every component at its curve's full mark.
    static func ideal() -> TrackAnalysis {
        var a = TrackAnalysis(file: "ideal", durationS: 240, sampleRate: 44_100, channels: 2)
        a.tempo = A.Tempo(bpm: 139, confidence: 0.9, stability: 0.99, firstBeatS: 0)
        a.rhythm = A.Rhythm(fourOnFloor: 0.95, offbeatHihat: 0.9)
        a.pumping = A.Pumping(depthDB: 9, depthLinear: 0.65, regularity: 0.05, class: .heavy)
        a.supersaw = A.Supersaw(width: 0.5, correlation: 0.5, detuneCents: 20)
        a.acid = A.Acid(score: 0.8, sweep: 1, resonance: 0.8, glide: 0.6, accent: 0.6)
        a.brightness = A.Brightness(centroidHz: 4000, highRatio: 0.2)
        a.sections = [A.Section(kind: .intro, startS: 0, endS: 60), A.Section(kind: .breakdown, startS: 60, endS: 120),
                      A.Section(kind: .buildup, startS: 120, endS: 150), A.Section(kind: .drop, startS: 150, endS: 240)]
        a.energy = A.Energy(curve: stride(from: 0.0, to: 240, by: 2).map { t in
            A.EnergyPoint(tS: t, rmsDB: t >= 150 ? -8 : (t >= 60 && t < 120 ? -20 : -12), centroidHz: 2000, bassRatio: 0.4)
        })
        return a
    }

    static func value(_ trance: A.Trance, _ name: String) -> Double {
        trance.components.first { $0.name == name }?.value ?? -1
    }

    @Test func weightsSumToOneInTheSeedsOrder() {
        let total = TranceScore.weights.reduce(0) { $0 + $1.weight }
        #expect(abs(total - 1) < 1e-12)
        #expect(TranceScore.weights.map(\.name) == ["tempo", "pumping", "energy_progression", "four_on_floor", "supersaw",
                                                    "acid_303", "offbeat_hihat", "brightness", "tempo_stability"])
        #expect(TranceScore.weights.map(\.weight) == [0.20, 0.15, 0.15, 0.12, 0.10, 0.08, 0.08, 0.07, 0.05])
    }

    @Test func idealTranceScores100WithEveryComponentReported() {
        let t = TranceScore.evaluate(Self.ideal())
        #expect(abs(t.score - 100) < 1e-9)
        #expect(t.components.count == 9)
        #expect(t.components.allSatisfy { !$0.reason.isEmpty && $0.value == 1 })
    }

    @Test func emptyAnalysisScoresZero() {
        let t = TranceScore.evaluate(TrackAnalysis(file: "x", durationS: 10, sampleRate: 44_100, channels: 2))
        #expect(t.score == 0)
        #expect(t.components.allSatisfy { $0.value == 0 })
    }

    @Test func tempoCurveAnchors() {
        var a = Self.ideal()
        for (bpm, expected) in [(139.0, 1.0), (138, 1), (140, 1), (128, 0.6), (150, 0.6), (120, 0), (160, 0),
                                (174, 0), (90, 0), (133, 0.8), (124, 0.3)] {
            a.tempo?.bpm = bpm
            #expect(abs(Self.value(TranceScore.evaluate(a), "tempo") - expected) < 1e-9, "\(bpm) BPM")
        }
    }

    /// An unmeasurable beat pulls every beat-derived component down, however good the numbers.
    @Test func lowTempoConfidencePullsBeatComponentsDown() {
        var a = Self.ideal()
        a.tempo?.confidence = 0.05
        let t = TranceScore.evaluate(a)
        for name in ["tempo", "pumping", "four_on_floor", "offbeat_hihat", "tempo_stability"] {
            #expect(Self.value(t, name) == 0, "\(name)")
        }
        a.tempo?.confidence = 0.25
        #expect(abs(Self.value(TranceScore.evaluate(a), "tempo") - 0.5) < 1e-9)
        #expect(TranceScore.evaluate(a).score < 100)
    }

    @Test func pumpingCurveFollowsTheSeedsTable() {
        var a = Self.ideal()
        for (depth, cv, expected) in [(8.0, 0.1, 1.0), (12, 0.05, 1), (4, 0.1, 0.5), (6, 0.1, 0.75), (1, 0.1, 0),
                                      (0, 0.1, 0), (8, 0.5, 0.2), (8, 0.325, 0.6)] {
            a.pumping = A.Pumping(depthDB: depth, depthLinear: 0, regularity: cv, class: .moderate)
            #expect(abs(Self.value(TranceScore.evaluate(a), "pumping") - expected) < 1e-9, "\(depth) dB CV \(cv)")
        }
    }

    @Test func supersawRangesScoreOneInsideAndFallOutside() {
        var a = Self.ideal()
        for (w, c, d, expected) in [(0.3, 0.7, 10.0, 1.0), (0.8, 0.3, 40, 1), (0, 1, 0, 0), (0.15, 0.5, 20, 5.0 / 6),
                                    (0.5, 0.85, 20, 5.0 / 6), (0.5, 0.5, 60, 5.0 / 6), (0.5, 0.5, 5, 5.0 / 6)] {
            a.supersaw = A.Supersaw(width: w, correlation: c, detuneCents: d)
            #expect(abs(Self.value(TranceScore.evaluate(a), "supersaw") - expected) < 1e-9, "\(w) \(c) \(d)")
        }
    }

    @Test func energyProgressionNeedsADropAndContrast() {
        var a = Self.ideal()
        #expect(Self.value(TranceScore.evaluate(a), "energy_progression") == 1)
        // Drop 4 dB over the quietest bars (the breakdown at -20 dB): half of the contrast half.
        a.energy = A.Energy(curve: a.energy!.curve.map { var p = $0; if p.tS >= 150 { p.rmsDB = -16 }; return p })
        #expect(abs(Self.value(TranceScore.evaluate(a), "energy_progression") - 0.75) < 1e-9)
        // The contrast does not need the breakdown's label, only the quiet bars.
        a.sections = a.sections!.filter { $0.kind != .breakdown }
        #expect(abs(Self.value(TranceScore.evaluate(a), "energy_progression") - 0.5) < 1e-9)
        a.sections = a.sections!.filter { $0.kind != .drop }
        #expect(Self.value(TranceScore.evaluate(a), "energy_progression") == 0)
        a.sections = nil
        #expect(Self.value(TranceScore.evaluate(a), "energy_progression") == 0)
    }

    @Test func rampedComponentsHitTheirAnchors() {
        var a = Self.ideal()
        a.rhythm = A.Rhythm(fourOnFloor: 0.45, offbeatHihat: 0.1)
        a.acid = A.Acid(score: 0.15, sweep: 0, resonance: 0, glide: 0, accent: 0)
        a.brightness = A.Brightness(centroidHz: 1500, highRatio: 0.1)
        a.tempo?.stability = 0.725
        let t = TranceScore.evaluate(a)
        #expect(abs(Self.value(t, "four_on_floor") - 0.5) < 1e-9)
        #expect(Self.value(t, "offbeat_hihat") == 0)
        #expect(Self.value(t, "acid_303") == 0)
        #expect(abs(Self.value(t, "brightness") - 0.5) < 1e-9)
        #expect(abs(Self.value(t, "tempo_stability") - 0.5) < 1e-9)
        // The total is the weighted sum of the parts.
        let sum = 100 * t.components.reduce(0) { $0 + $1.value * $1.weight }
        #expect(abs(t.score - sum) < 1e-9)
    }

    @Test func extractorWritesTheScoreIntoTheAnalysis() throws {
        var a = Self.ideal()
        let context = SummaryContext(format: try .init(sampleRate: 44_100), durationS: 240)
        TranceScoreExtractor().summarize(into: &a, context: context)
        #expect(a.trance?.score == 100)
    }
}

/// Readable component names in the text report, "not measured" where a feature was not measured,
/// and the JSON keys unchanged (a measured component has no extra key).
@Suite struct TranceReportNamesTests {
    @Test func unmeasuredComponentsSayNotMeasuredAndMeasuredZerosStayNumbers() {
        let empty = TranceScore.evaluate(TrackAnalysis(file: "x", durationS: 10, sampleRate: 44_100, channels: 2))
        #expect(empty.components.allSatisfy { !$0.isMeasured })
        #expect(TranceScore.evaluate(TranceScoreTests.ideal()).components.allSatisfy { $0.isMeasured })
        // A track with sections but no drop: measured, and its 0 is a real 0.
        var noDrop = TranceScoreTests.ideal()
        noDrop.sections = [.init(kind: .intro, startS: 0, endS: 240)]
        let progression = TranceScore.evaluate(noDrop).components.first { $0.name == "energy_progression" }!
        #expect(progression.isMeasured && progression.value == 0)
    }

    @Test func textReportUsesReadableNamesAndSaysNotMeasured() {
        var a = TranceScoreTests.ideal()
        a.acid = nil
        a.trance = TranceScore.evaluate(a)
        let text = AnalysisReportFormatter.text(a)
        for name in ["Tempo", "Pumping", "Energy arc", "Four on floor", "Supersaw", "Acid 303", "Offbeat hats", "Brightness", "Tempo steady"] {
            #expect(text.contains("  \(name) "), "\(name) missing:\n\(text)")
        }
        for key in ["energy_progression", "four_on_floor", "acid_303", "offbeat_hihat", "tempo_stability"] {
            #expect(!text.contains(key), "\(key) in the text report")
        }
        let acidLine = text.split(separator: "\n").first { $0.contains("Acid 303") && $0.contains("×") }!
        #expect(acidLine.contains("not measured") && !acidLine.contains("0.00 ×"), "\(acidLine)")
    }

    /// At a terminal's width, every line fits, breaks only between words, and goes on under its row's
    /// values (the labels stay a column); nothing is lost or reordered.
    @Test func reportFitsATerminalWidthBetweenWords() {
        var a = TranceScoreTests.ideal()
        a.trance = TranceScore.evaluate(a)
        let text = AnalysisReportFormatter.text(a)
        #expect(text.split(separator: "\n").contains { $0.count > 80 }, "nothing to wrap: the test would prove nothing")
        let wrapped = AnalysisReportFormatter.wrapped(text, width: 80)
        let lines = wrapped.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.allSatisfy { $0.count <= 80 }, "\(wrapped)")
        func words(_ s: String) -> [Substring] { s.split(whereSeparator: { $0 == " " || $0 == "\n" }) }
        #expect(words(wrapped) == words(text), "words split, lost or reordered")
        // A continuation starts under the first value of the row it continues, never in the label column.
        for (i, line) in lines.enumerated() where i > 0 && line.hasPrefix("          ") && !lines[i - 1].isEmpty {
            let indent = line.prefix { $0 == " " }.count
            #expect(indent >= 13, "continuation in the label column: \(line)")
        }
        #expect(AnalysisReportFormatter.wrapped(text, width: 200) == text, "a wide terminal changes nothing")
    }

    @Test func jsonKeepsItsKeysAndMarksOnlyTheUnmeasured() throws {
        var a = TranceScoreTests.ideal()
        a.acid = nil
        let trance = TranceScore.evaluate(a)
        let json = String(decoding: try JSONEncoder().encode(trance), as: UTF8.self)
        #expect(json.contains("\"name\":\"energy_progression\""))
        #expect(json.components(separatedBy: "\"measured\"").count - 1 == 1, "\(json)")
        let back = try JSONDecoder().decode(TrackAnalysis.Trance.self, from: Data(json.utf8))
        #expect(back == trance)
        // Written before the flag existed: every component reads as measured.
        let old = #"{"score":50,"components":[{"name":"tempo","value":1,"weight":0.2,"reason":"r"}]}"#
        #expect(try JSONDecoder().decode(TrackAnalysis.Trance.self, from: Data(old.utf8)).components[0].isMeasured)
    }
}
