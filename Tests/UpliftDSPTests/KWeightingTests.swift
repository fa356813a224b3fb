import Foundation
import Testing
import UpliftDSP

@Suite("K-weighting (ITU-R BS.1770-4)")
struct KWeightingTests {
    @Test("reproduces the coefficients BS.1770-4 publishes for 48 kHz")
    func publishedCoefficientsAt48k() {
        let shelf = KWeighting.shelf(sampleRate: 48_000)
        #expect(abs(shelf.b0 - 1.53512485958697) < 1e-7)
        #expect(abs(shelf.b1 - -2.69169618940638) < 1e-7)
        #expect(abs(shelf.b2 - 1.19839281085285) < 1e-7)
        #expect(abs(shelf.a1 - -1.69065929318241) < 1e-7)
        #expect(abs(shelf.a2 - 0.73248077421585) < 1e-7)
        let highPass = KWeighting.highPass(sampleRate: 48_000)
        #expect(highPass.b0 == 1 && highPass.b1 == -2 && highPass.b2 == 1)
        #expect(abs(highPass.a1 - -1.99004745483398) < 1e-7)
        #expect(abs(highPass.a2 - 0.99007225036621) < 1e-7)
    }

    @Test("the curve is the same at every rate from 8 kHz to 192 kHz", arguments: [8_000.0, 22_050, 44_100, 96_000, 192_000])
    func sameCurveAtEveryRate(sampleRate: Double) {
        // Below an eighth of the rate the bilinear transform's warping is small (at 8 kHz the
        // shelf reads 0.4 dB high at 2 kHz: expected, the curve is squeezed under 4 kHz Nyquist).
        for frequency in [20.0, 38.0, 100, 500, 1000, min(1681, sampleRate / 8), min(3000, sampleRate / 8)] {
            let reference = KWeighting.responseDB(frequencyHz: frequency, sampleRate: 48_000)
            let here = KWeighting.responseDB(frequencyHz: frequency, sampleRate: sampleRate)
            #expect(abs(here - reference) < 0.25, "\(frequency) Hz at \(sampleRate) Hz: \(here) vs \(reference) dB")
        }
        // The shape: about -1 dB at 38 Hz region rising to +4 dB at high frequencies, ~0.7 dB at 1 kHz.
        #expect(abs(KWeighting.responseDB(frequencyHz: 1000, sampleRate: sampleRate) - 0.69) < 0.05)
        #expect(KWeighting.responseDB(frequencyHz: 20, sampleRate: sampleRate) < -10)
    }
}
