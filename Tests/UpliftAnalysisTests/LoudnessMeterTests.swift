import Foundation
import Testing
import UpliftAnalysis
import UpliftDSP
import UpliftModel
import UpliftSynth

@Suite("Loudness meter beyond the EBU cases")
struct LoudnessMeterTests {
    @Test("a -23 dBFS stereo 1 kHz sine reads -23 LUFS at every rate from 8 kHz to 192 kHz",
          arguments: [8_000.0, 22_050, 44_100, 48_000, 96_000, 192_000])
    func everyRate(sampleRate: Double) throws {
        let l = try AnalysisHarness.loudness(Tones.sine(frequencyHz: 1000, levelDBFS: -23, durationS: 4, sampleRate: sampleRate),
                                             sampleRate: sampleRate)
        #expect(abs(l.integratedLUFS - -23) <= 0.1, "\(l.integratedLUFS)")
        #expect(abs(l.samplePeakDBFS - -23) < 0.05)
    }

    @Test("silence reads -inf everywhere, never NaN; LRA 0")
    func silence() throws {
        let l = try AnalysisHarness.loudness(Tones.silence(durationS: 4, sampleRate: 44_100), sampleRate: 44_100)
        for value in [l.integratedLUFS, l.truePeakDBTP, l.samplePeakDBFS, l.shortTermMaxLUFS, l.momentaryMaxLUFS, l.plrDB] {
            #expect(value == -.infinity)
        }
        #expect(l.lraLU == 0)
    }

    @Test("PLR is true peak minus integrated loudness")
    func plr() throws {
        let l = try AnalysisHarness.loudness(Tones.sine(frequencyHz: 997, levelDBFS: -10, durationS: 3, sampleRate: 44_100), sampleRate: 44_100)
        #expect(abs(l.plrDB - (l.truePeakDBTP - l.integratedLUFS)) < 1e-9)
        #expect(abs(l.plrDB - 0) < 0.2)
    }

    @Test("live values: momentary follows a level step within 400 ms, short-term within 3 s, max true peak held")
    func liveValues() throws {
        let rate = 44_100.0
        let signal = Tones.sineSequence(segments: [(-30, 4), (-20, 4)], sampleRate: rate)
        let format = try STFTFormat(sampleRate: rate)
        let meter = LoudnessMeter(format: format, expectedFrames: nil)
        var momentaryBeforeStep = 0.0, momentaryAfterStep = 0.0, shortAfterStep = 0.0
        var hop = 0
        let hopsPerSecond = rate / Double(format.hopSize)
        _ = try AnalysisHarness.run(signal, sampleRate: rate, extractors: { _, _ in [meter] }) { _ in
            hop += 1
            let t = Double(hop) / hopsPerSecond
            if abs(t - 3.9) < 0.5 / hopsPerSecond { momentaryBeforeStep = meter.momentaryLUFS }
            if abs(t - 4.6) < 0.5 / hopsPerSecond { momentaryAfterStep = meter.momentaryLUFS }
            if abs(t - 7.5) < 0.5 / hopsPerSecond { shortAfterStep = meter.shortTermLUFS }
        }
        #expect(abs(momentaryBeforeStep - -30) < 0.1)
        #expect(abs(momentaryAfterStep - -20) < 0.1)
        #expect(abs(shortAfterStep - -20) < 0.1)
        #expect(abs(meter.truePeakDBTP - -20) < 0.1)
        #expect(meter.shortTermHistory.count == min(80, meter.historyCapacity))
        // Integrated so far (histogram): -30 for 4 s and -20 for 4 s; -30 is within 10 LU of the mean, so both count.
        let exact = 10 * log10((pow(10, -3.0) + pow(10, -2.0)) / 2)
        #expect(abs(meter.integratedLUFS - exact) < 0.15, "\(meter.integratedLUFS) vs \(exact)")
    }

    @Test("live (histogram) and offline (exact) summaries agree within 0.1 LU")
    func liveMatchesOffline() throws {
        let rate = 22_050.0
        let signal = Tones.sineSequence(segments: [(-20, 8), (-31, 8), (-26, 8)], sampleRate: rate)
        let offline = try AnalysisHarness.run(signal, sampleRate: rate) { f, n in [LoudnessMeter(format: f, expectedFrames: n)] }.loudness!
        let live = try AnalysisHarness.run(signal, sampleRate: rate) { f, _ in [LoudnessMeter(format: f, expectedFrames: nil)] }.loudness!
        #expect(abs(offline.integratedLUFS - live.integratedLUFS) < 0.1)
        #expect(abs(offline.lraLU - live.lraLU) < 0.1)
        #expect(offline.lraLU > 5, "the three levels give a real range: \(offline.lraLU)")
    }
}
