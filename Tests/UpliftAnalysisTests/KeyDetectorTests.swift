import Foundation
import Testing
import UpliftAnalysis
import UpliftModel
import UpliftSynth

@Suite struct KeyDetectorTests {
    static func detect(_ signal: StereoSignal) throws -> (TrackAnalysis.Key?, KeyDetector) {
        let (analysis, extractors) = try DetectAnalysis.run(signal) { format, _ in [try KeyDetector(format: format)] }
        return (analysis.key, extractors[0] as! KeyDetector)
    }

    /// The test generator's own chord fixtures (3-voice saws, tonic bass), a third of the keys:
    /// the synthesizer test below covers all 24.
    @Test func rightKeyOnChordFixtures() throws {
        var wrong: [String] = []
        for minor in [false, true] {
            for tonic in stride(from: minor ? 1 : 0, to: 12, by: 3) {
                let (key, _) = try Self.detect(TestSignals.keyFixture(tonic: tonic, minor: minor, secondsPerChord: 0.6))
                let expected = KeyDetector.pitchNames[tonic] + (minor ? " minor" : " major")
                let got = key.map { "\($0.tonic) \($0.mode)" } ?? "none"
                if got != expected { wrong.append("\(expected) → \(got)") }
                #expect(key?.camelot == KeyDetector.camelot(tonic: tonic, minor: minor))
                #expect((key?.strength ?? 0) > 0.5)
            }
        }
        #expect(wrong.isEmpty, "wrong keys: \(wrong)")
    }

    /// The synthesizer's full drop (kick, hats, claps, rolling bass, pads, acid) in every key.
    @Test func rightKeyOnSynthesizedTranceInAll24Keys() throws {
        var wrong: [String] = []
        for key in MusicalKey.all24 {
            let recipe = TranceRecipe(seed: UInt64(key.tonic + 1), key: key, sections: TranceRecipe.loop(.drop, bars: 4))
            let (detected, _) = try Self.detect(StereoSignal(recipe.render(sampleRate: 22_050)))
            let expected = "\(key.tonicName) \(key.mode.rawValue)"
            let got = detected.map { "\($0.tonic) \($0.mode)" } ?? "none"
            if got != expected { wrong.append("\(expected) → \(got)") }
        }
        #expect(wrong.isEmpty, "wrong keys: \(wrong)")
    }

    @Test func camelotCodesMatchTheWheel() {
        #expect(KeyDetector.camelot(tonic: 9, minor: true) == "8A")    // A minor
        #expect(KeyDetector.camelot(tonic: 0, minor: false) == "8B")   // C major
        #expect(KeyDetector.camelot(tonic: 4, minor: true) == "9A")    // E minor
        #expect(KeyDetector.camelot(tonic: 7, minor: false) == "9B")   // G major
        #expect(KeyDetector.camelot(tonic: 5, minor: false) == "7B")   // F major
        #expect(KeyDetector.camelot(tonic: 2, minor: true) == "7A")    // D minor
        #expect(KeyDetector.camelot(tonic: 11, minor: false) == "1B")  // B major
        #expect(KeyDetector.camelot(tonic: 8, minor: true) == "1A")    // G# minor
    }

    /// A track tuned to A4 = 452 Hz (+46.6 cents) sits almost between two semitones: without the
    /// tuning correction half its energy would fold onto the wrong pitch classes.
    @Test func tuningOffsetIsEstimatedAndCorrected() throws {
        let a4 = 452.0
        let expectedCents = 1200 * log2(a4 / 440)
        for (tonic, minor) in [(9, true), (2, false), (6, true)] {
            let (key, detector) = try Self.detect(TestSignals.keyFixture(tonic: tonic, minor: minor, secondsPerChord: 0.6, a4Hz: a4))
            #expect(abs(detector.estimatedTuningCents - expectedCents) < 5, "tuning \(detector.estimatedTuningCents)")
            #expect(key?.tonic == KeyDetector.pitchNames[tonic])
            #expect(key?.mode == (minor ? "minor" : "major"))
        }
    }

    @Test func silenceHasNoKey() throws {
        let (key, _) = try Self.detect(StereoSignal(seconds: 2))
        #expect(key == nil)
    }

    @Test func drumsAloneGiveAWeakKey() throws {
        let (drumKey, _) = try Self.detect(TestSignals.drums(seconds: 3))
        let (padKey, _) = try Self.detect(TestSignals.keyFixture(tonic: 0, minor: false, secondsPerChord: 0.6))
        #expect((drumKey?.strength ?? 0) < (padKey?.strength ?? 0))
    }
}
