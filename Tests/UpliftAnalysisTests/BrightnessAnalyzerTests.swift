import Foundation
import Testing
import UpliftAnalysis
import UpliftModel

@Suite struct BrightnessAnalyzerTests {
    static func measure(_ signal: StereoSignal) throws -> TrackAnalysis.Brightness? {
        try DetectAnalysis.run(signal) { format, _ in [BrightnessAnalyzer(format: format)] }.0.brightness
    }

    static func sines(_ partials: [(hz: Double, amplitude: Double)], seconds: Double = 1) -> StereoSignal {
        var s = StereoSignal(seconds: seconds)
        for i in 0..<s.frameCount {
            let t = Double(i) / s.sampleRate
            let v = Float(partials.reduce(0) { $0 + $1.amplitude * sin(2 * Double.pi * $1.hz * t) })
            s.left[i] = v; s.right[i] = v
        }
        return s
    }

    @Test func centroidOfASineIsItsFrequency() throws {
        for hz in [500.0, 2000, 6000] {
            let b = try #require(try Self.measure(Self.sines([(hz, 0.5)])))
            #expect(abs(b.centroidHz - hz) / hz < 0.05, "\(hz) Hz → \(b.centroidHz)")
        }
    }

    @Test func highRatioIsTheEnergyShareAbove4kHz() throws {
        let b = try #require(try Self.measure(Self.sines([(1000, 0.5), (8000, 0.5)])))
        #expect(abs(b.highRatio - 0.5) < 0.02)
        // Magnitude-weighted: equal amplitudes put the centroid halfway.
        #expect(abs(b.centroidHz - 4500) < 250)
        let dull = try #require(try Self.measure(Self.sines([(1000, 0.5), (8000, 0.05)])))
        #expect(dull.highRatio < 0.02)
        #expect(dull.centroidHz < b.centroidHz)
    }

    @Test func levelDoesNotChangeBrightness() throws {
        let loud = try #require(try Self.measure(Self.sines([(300, 0.5), (3000, 0.2)])))
        let quiet = try #require(try Self.measure(Self.sines([(300, 0.05), (3000, 0.02)])))
        #expect(abs(loud.centroidHz - quiet.centroidHz) < 1)
        #expect(abs(loud.highRatio - quiet.highRatio) < 1e-6)
    }

    @Test func silenceHasNoBrightness() throws {
        #expect(try Self.measure(StereoSignal(seconds: 1)) == nil)
    }
}
