import Foundation
import Testing
import UpliftAnalysis
import UpliftDSP
import UpliftModel
import UpliftSynth

@Suite("Spectrum: 1/6-octave LTAS and balance")
struct SpectrumAnalyzerTests {
    static let sampleRate = 44_100.0

    func spectrum(_ stereo: [Float], sampleRate: Double = sampleRate) throws -> TrackAnalysis.Spectrum? {
        try AnalysisHarness.run(stereo, sampleRate: sampleRate) { format, _ in [SpectrumAnalyzer(format: format, live: false)] }.spectrum
    }

    @Test("a sine's peak lands in its own band, at its level above ~500 Hz",
          arguments: [125.0, 1000, 1587.4, 4000, 10_079])
    func peakBand(frequencyHz: Double) throws {
        let s = try #require(try spectrum(Tones.sine(frequencyHz: frequencyHz, levelDBFS: -6, durationS: 1, sampleRate: Self.sampleRate)))
        let loudest = s.levelsDB.indices.max { s.levelsDB[$0] < s.levelsDB[$1] }!
        // The band whose edges (centre × 2^±1/12) hold the frequency.
        let expected = s.bandsHz.indices.min { abs(log2(s.bandsHz[$0] / frequencyHz)) < abs(log2(s.bandsHz[$1] / frequencyHz)) }!
        #expect(loudest == expected, "\(frequencyHz) Hz peaked at \(s.bandsHz[loudest]) Hz")
        if frequencyHz >= 500 {
            #expect(abs(s.levelsDB[loudest] - -6) < 0.5, "\(s.levelsDB[loudest]) dB")
        }
    }

    @Test("a full-scale sine reads about 0 dB in its band (the documented convention)")
    func fullScale() throws {
        let s = try #require(try spectrum(Tones.sine(frequencyHz: 2000, levelDBFS: 0, durationS: 1, sampleRate: Self.sampleRate)))
        #expect(abs(s.levelsDB.max()! - 0) < 0.5)
    }

    @Test("the balance adds up to the total, and puts a tone in its broad band")
    func balanceSums() throws {
        for signal in [Tones.pinkNoise(levelDBFS: -20, durationS: 2, sampleRate: Self.sampleRate, seed: 4),
                       Tones.whiteNoise(levelDBFS: -20, durationS: 2, sampleRate: Self.sampleRate, seed: 4)] {
            let s = try #require(try spectrum(signal))
            let sum = s.balanceDB.values.reduce(0) { $0 + pow(10, $1 / 10) }
            #expect(abs(sum - 1) < 1e-6)
        }
        let tone = try #require(try spectrum(Tones.sine(frequencyHz: 100, levelDBFS: -10, durationS: 1, sampleRate: Self.sampleRate)))
        #expect(abs(tone.balanceDB[.bass]!) < 0.05)
        #expect(tone.balanceDB[.air]! < -60 && tone.balanceDB[.highMid]! < -60)
    }

    @Test("pink and white noise split across the bands as their slopes say")
    func noiseBalance() throws {
        // Pink: equal energy per octave, so a band's share is log(high/low) / log(20000/20).
        let pink = try #require(try spectrum(Tones.pinkNoise(levelDBFS: -20, durationS: 3, sampleRate: Self.sampleRate, seed: 9)))
        let logTotal = log(20_000.0 / 20)
        for band in TrackAnalysis.Band.allCases {
            let expected = 10 * log10(log(band.rangeHz.upperBound / band.rangeHz.lowerBound) / logTotal)
            #expect(abs(pink.balanceDB[band]! - expected) < 1.2, "pink \(band): \(pink.balanceDB[band]!) vs \(expected)")
        }
        // White: energy per Hz, so a band's share is its width.
        let white = try #require(try spectrum(Tones.whiteNoise(levelDBFS: -20, durationS: 3, sampleRate: Self.sampleRate, seed: 9)))
        for band in TrackAnalysis.Band.allCases {
            let expected = 10 * log10((band.rangeHz.upperBound - band.rangeHz.lowerBound) / 19_980)
            #expect(abs(white.balanceDB[band]! - expected) < 0.6, "white \(band): \(white.balanceDB[band]!) vs \(expected)")
        }
    }

    @Test("silence has no spectrum section rather than made-up numbers")
    func silence() throws {
        #expect(try spectrum(Tones.silence(durationS: 1, sampleRate: Self.sampleRate)) == nil)
    }

    @Test("live band levels follow the current sound, with peak hold")
    func liveLevels() throws {
        let format = try STFTFormat(sampleRate: Self.sampleRate)
        let analyzer = SpectrumAnalyzer(format: format, live: true)
        let tone = Tones.sine(frequencyHz: 1000, levelDBFS: -12, durationS: 1, sampleRate: Self.sampleRate)
        let quiet = Tones.silence(durationS: 0.5, sampleRate: Self.sampleRate)
        var afterTone: [Double] = []
        var hop = 0
        let toneHops = tone.count / 2 / format.hopSize
        _ = try AnalysisHarness.run(tone + quiet, sampleRate: Self.sampleRate, extractors: { _, _ in [analyzer] }) { _ in
            hop += 1
            if hop == toneHops { afterTone = analyzer.currentLevelsDB }
        }
        let band1k = analyzer.bandsHz.firstIndex { abs($0 - 1000) < 1 }!
        #expect(abs(afterTone[band1k] - -12) < 1)
        // 0.5 s of silence later: the level has fallen (150 ms smoothing: about 14 dB), the peak is held.
        #expect(analyzer.currentLevelsDB[band1k] < afterTone[band1k] - 10)
        #expect(abs(analyzer.peakLevelsDB[band1k] - -12) < 1)
    }
}
