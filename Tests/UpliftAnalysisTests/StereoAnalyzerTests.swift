import Foundation
import Testing
import UpliftAnalysis
import UpliftModel
import UpliftSynth

@Suite("Stereo: correlation and side/mid")
struct StereoAnalyzerTests {
    static let sampleRate = 44_100.0

    func stereo(_ signal: [Float]) throws -> TrackAnalysis.Stereo? {
        try AnalysisHarness.run(signal, sampleRate: Self.sampleRate) { format, _ in [StereoAnalyzer(format: format)] }.stereo
    }

    func noise(_ placement: Tones.Placement) -> [Float] {
        Tones.pinkNoise(levelDBFS: -18, durationS: 2, sampleRate: Self.sampleRate, placement: placement, seed: 11)
    }

    @Test("mono reads correlation +1 and no side")
    func mono() throws {
        let s = try #require(try stereo(noise(.dualMono)))
        #expect(abs(s.correlation - 1) < 1e-4)
        #expect(s.sideMidRatio < 1e-6)
        #expect(s.bands.count == 5 && s.bands.values.allSatisfy { abs($0.correlation - 1) < 1e-3 })
    }

    @Test("a polarity-inverted side reads -1, and side/mid is infinite (the mid cancels)")
    func inverted() throws {
        let s = try #require(try stereo(noise(.antiPhase)))
        #expect(abs(s.correlation - -1) < 1e-4)
        #expect(s.sideMidRatio > 1e6)
    }

    @Test("independent noise on each side reads about 0 and side/mid about 1")
    func independent() throws {
        let s = try #require(try stereo(noise(.independent)))
        #expect(abs(s.correlation) < 0.05)
        #expect(abs(s.sideMidRatio - 1) < 0.1)
    }

    @Test("side/mid is (S/M)² for a panned source: R = L/2 gives 1/9")
    func panned() throws {
        var signal = noise(.dualMono)
        for i in stride(from: 1, to: signal.count, by: 2) { signal[i] *= 0.5 }
        let s = try #require(try stereo(signal))
        #expect(abs(s.sideMidRatio - 1.0 / 9) < 1e-3)
        #expect(abs(s.correlation - 1) < 1e-4)
    }

    @Test("each broad band is measured on its own")
    func perBand() throws {
        let sub = Tones.sine(frequencyHz: 40, levelDBFS: -12, durationS: 2, sampleRate: Self.sampleRate, placement: .dualMono)
        let air = Tones.sine(frequencyHz: 10_000, levelDBFS: -12, durationS: 2, sampleRate: Self.sampleRate, placement: .antiPhase)
        let s = try #require(try stereo(zip(sub, air).map { $0 + $1 }))
        #expect(abs(s.bands[.sub]!.correlation - 1) < 1e-3)
        #expect(abs(s.bands[.air]!.correlation - -1) < 1e-3)
        #expect(s.bands[.sub]!.sideMidRatio < 1e-4)
        // Equal energy in a mono band and an anti-phase band: overall correlation near 0.
        #expect(abs(s.correlation) < 0.05)
    }

    @Test("silence has no stereo section")
    func silence() throws {
        #expect(try stereo(Tones.silence(durationS: 1, sampleRate: Self.sampleRate)) == nil)
    }
}
