import Foundation
import Testing
import UpliftAnalysis
import UpliftModel
import UpliftSynth

@Suite struct SupersawAnalyzerTests {
    static let rate = 22_050.0

    static func measure(_ signal: StereoSignal) throws -> TrackAnalysis.Supersaw? {
        try DetectAnalysis.run(signal) { format, _ in [try SupersawAnalyzer(format: format)] }.0.supersaw
    }

    /// Pads alone from the synthesizer: 7 voices, chord per bar, sidechain off.
    static func pads(detuneCents: Double, spreadPercent: Double = 80, voices: Int = 7, bars: Int = 2) -> StereoSignal {
        let recipe = TranceRecipe(seed: 3, sections: TranceRecipe.loop(TrancePattern(pads: true), bars: bars),
                                  sidechain: SidechainSettings(depthDB: 0),
                                  supersaw: SupersawSettings(voices: voices, detuneCents: detuneCents,
                                                             stereoSpreadPercent: spreadPercent))
        return StereoSignal(recipe.render(sampleRate: rate))
    }

    @Test func detuneEstimateRankCorrelatesWithRenderedDetune() throws {
        let detunes: [Double] = [5, 10, 15, 20, 30, 40, 50]
        let estimates = try detunes.map { try Self.measure(Self.pads(detuneCents: $0))?.detuneCents ?? -1 }
        let rho = spearman(detunes, estimates)
        print("detune rendered \(detunes) estimated \(estimates.map { String(format: "%.1f", $0) }) spearman \(rho)")
        #expect(rho >= 0.9, "estimates \(estimates)")
    }

    @Test func detuneEstimateHoldsInAFullMix() throws {
        // Drums, bass, sidechain and acid around the pads bias it up a little, not out of order.
        let estimates = try [10.0, 30.0].map { detune in
            let recipe = TranceRecipe(seed: 5, sections: TranceRecipe.loop(.drop, bars: 2),
                                      supersaw: SupersawSettings(detuneCents: detune))
            let estimate = try Self.measure(StereoSignal(recipe.render(sampleRate: Self.rate)))?.detuneCents ?? -1
            #expect(abs(estimate - detune) < 12, "rendered \(detune), estimated \(estimate)")
            return estimate
        }
        #expect(estimates[1] > estimates[0] + 8)
    }

    @Test func widthAndCorrelationFollowStereoSpread() throws {
        let spreads: [Double] = [0, 25, 50, 75, 100]
        let measured = try spreads.map { spread in
            let m = try Self.measure(Self.pads(detuneCents: 20, spreadPercent: spread, bars: 1))
            return try #require(m)
        }
        print("spread \(spreads) width \(measured.map(\.width)) correlation \(measured.map(\.correlation))")
        #expect(measured[0].width < 0.01)
        #expect(measured[0].correlation > 0.99)
        for (a, b) in zip(measured, measured.dropFirst()) {
            #expect(b.width > a.width)
            #expect(b.correlation < a.correlation)
        }
    }

    @Test func widthIsSideOverMidAmplitude() throws {
        // Left and right independent saws of equal level: side and mid carry equal energy.
        var signal = TestSignals.supersaw(notes: [57], voices: 1, detuneCents: 0, stereoSpread: 0, seconds: 1, sampleRate: Self.rate)
        let other = TestSignals.supersaw(notes: [64.3], voices: 1, detuneCents: 0, stereoSpread: 0, seconds: 1, sampleRate: Self.rate)
        signal.right = other.right
        let m = try Self.measure(signal)
        let s = try #require(m)
        #expect(abs(s.width - 1) < 0.1)
        #expect(abs(s.correlation) < 0.1)
    }

    @Test func noiseHasNoDetuneRatherThanZero() throws {
        // Stereo noise fills the pad/lead band with no tonal cluster: width and correlation are
        // measured, detune is "not found" and stays out of the features (no fake 0 cents).
        var signal = StereoSignal(seconds: 3, sampleRate: Self.rate)
        var random = SeededRandom(seed: 11)
        for n in signal.left.indices {
            signal.left[n] = Float(0.4 * (random.next() - 0.5))
            signal.right[n] = Float(0.4 * (random.next() - 0.5))
        }
        let s = try #require(try Self.measure(signal))
        #expect(s.detuneCents == nil, "detune \(String(describing: s.detuneCents)) from noise")
        #expect(s.width > 0.5)
        var analysis = TrackAnalysis(file: "noise.wav", durationS: 3, sampleRate: Self.rate, channels: 2)
        analysis.supersaw = s
        #expect(analysis.finiteScalarFeatures["supersaw.detune_cents"] == nil)
        #expect(analysis.finiteScalarFeatures["supersaw.width"] != nil)
        // Drums alone (kick, hats, clap) neither.
        let drums = try Self.measure(TestSignals.drums(seconds: 4, sampleRate: Self.rate))
        #expect(drums != nil && drums?.detuneCents == nil, "detune \(String(describing: drums?.detuneCents)) from drums")
        // Pads give a detune, so the nil above is the noise's, not the analyzer's.
        #expect(try Self.measure(Self.pads(detuneCents: 20, bars: 1))?.detuneCents != nil)
    }

    @Test func silenceMeasuresNothing() throws {
        #expect(try Self.measure(StereoSignal(seconds: 1, sampleRate: Self.rate)) == nil)
    }
}
