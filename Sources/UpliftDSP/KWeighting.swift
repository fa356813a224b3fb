import Foundation

/// The ITU-R BS.1770-4 K-weighting pre-filter (a high-shelf "head" filter, then the RLB
/// high-pass) designed for any sample rate.
///
/// BS.1770 publishes the coefficients at 48 kHz only. Both stages are re-derived here from the
/// analog prototype they were made from (shelf: centre 1681.97 Hz, gain +4.0 dB, Q 0.7072;
/// high-pass: 38.14 Hz, Q 0.5003) by the bilinear transform with the centre frequency
/// pre-warped, which reproduces the published 48 kHz coefficients to 1e-8 and keeps the same
/// curve at 8 kHz…192 kHz.
public enum KWeighting {
    public static let shelfFrequencyHz = 1681.974450955533
    public static let shelfGainDB = 3.999843853973347
    public static let shelfQ = 0.7071752369554196
    public static let highPassFrequencyHz = 38.13547087602444
    public static let highPassQ = 0.5003270373238773

    /// Stage 1, the high shelf (models the acoustic effect of the head).
    public static func shelf(sampleRate: Double) -> BiquadCoefficients {
        let k = tan(Double.pi * shelfFrequencyHz / sampleRate)
        let vh = pow(10, shelfGainDB / 20)
        // The prototype's band gain: a shelf whose mid-point sits halfway (in dB) up the step.
        let vb = pow(vh, 0.4996667741545416)
        let a0 = 1 + k / shelfQ + k * k
        return BiquadCoefficients(
            b0: (vh + vb * k / shelfQ + k * k) / a0,
            b1: 2 * (k * k - vh) / a0,
            b2: (vh - vb * k / shelfQ + k * k) / a0,
            a1: 2 * (k * k - 1) / a0,
            a2: (1 - k / shelfQ + k * k) / a0)
    }

    /// Stage 2, the RLB high-pass. Numerator (1, −2, 1) as in BS.1770; its gain in the pass band
    /// is within 0.01 dB of unity at every supported rate.
    public static func highPass(sampleRate: Double) -> BiquadCoefficients {
        let k = tan(Double.pi * highPassFrequencyHz / sampleRate)
        let a0 = 1 + k / highPassQ + k * k
        return BiquadCoefficients(b0: 1, b1: -2, b2: 1,
                                  a1: 2 * (k * k - 1) / a0,
                                  a2: (1 - k / highPassQ + k * k) / a0)
    }

    /// Magnitude response of both stages at `frequencyHz`, in dB (for tests and documentation).
    public static func responseDB(frequencyHz: Double, sampleRate: Double) -> Double {
        func gain(_ c: BiquadCoefficients) -> Double {
            let w = 2 * Double.pi * frequencyHz / sampleRate
            // |B(e^jw)| / |A(e^jw)| with z^-1 = e^-jw.
            let br = c.b0 + c.b1 * cos(w) + c.b2 * cos(2 * w), bi = -(c.b1 * sin(w) + c.b2 * sin(2 * w))
            let ar = 1 + c.a1 * cos(w) + c.a2 * cos(2 * w), ai = -(c.a1 * sin(w) + c.a2 * sin(2 * w))
            return ((br * br + bi * bi) / (ar * ar + ai * ai)).squareRoot()
        }
        return 20 * log10(gain(shelf(sampleRate: sampleRate)) * gain(highPass(sampleRate: sampleRate)))
    }
}
