import Foundation
import UpliftDSP

/// The listening tools' five bands.
public enum ABBand: Int, Sendable, CaseIterable {
    case sub, bass, lowMid, highMid, air

    /// Crossover frequencies between neighbouring bands (sub | bass | low-mid | high-mid | air).
    public static let edgesHz: [Double] = [60, 250, 2000, 8000]

    public var label: String {
        switch self {
        case .sub: "sub <60 Hz"
        case .bass: "bass 60–250 Hz"
        case .lowMid: "low-mid 250 Hz–2 kHz"
        case .highMid: "high-mid 2–8 kHz"
        case .air: "air >8 kHz"
        }
    }
}

/// One biquad's coefficients and its state (transposed direct form II), in doubles.
struct ABBiquad {
    var b0 = 1.0, b1 = 0.0, b2 = 0.0, a1 = 0.0, a2 = 0.0
    var z1 = 0.0, z2 = 0.0

    init(_ c: BiquadCoefficients) { b0 = c.b0; b1 = c.b1; b2 = c.b2; a1 = c.a1; a2 = c.a2 }

    /// RBJ second-order all-pass: what a Linkwitz-Riley 4th-order low + high pair sums to (Q = 1/√2).
    static func allPass(frequencyHz: Double, sampleRate: Double) -> ABBiquad {
        let w0 = 2 * Double.pi * frequencyHz / sampleRate
        let alpha = sin(w0) / (2 * 0.5.squareRoot())
        let a0 = 1 + alpha
        return ABBiquad(BiquadCoefficients(b0: (1 - alpha) / a0, b1: -2 * cos(w0) / a0, b2: 1, a1: -2 * cos(w0) / a0,
                                           a2: (1 - alpha) / a0))
    }

    @_noLocks
    mutating func process(_ x: Double) -> Double {
        let y = b0 * x + z1
        z1 = b1 * x - a1 * y + z2
        z2 = b2 * x - a2 * y
        return y
    }
}

/// Five bands on Linkwitz-Riley 4th-order crossovers (two cascaded Butterworth sections each)
/// that sum flat: a tree of splits, where each lower band also passes the all-passes of the
/// splits above it, so every band carries the same phase and their sum is one all-pass.
/// One channel; the mixer keeps two. Runs every band every sample, so a band solo can change
/// without a transient from cold filters.
struct ABCrossoverChannel {
    // Per split k: low pair at [4k, 4k+1], high pair at [4k+2, 4k+3]. Then the compensating
    // all-passes: sub gets splits 1,2,3 (16,17,18), bass 2,3 (19,20), low-mid 3 (21).
    static let filterCount = 22
    let filters: UnsafeMutablePointer<ABBiquad>

    init(sampleRate: Double) {
        filters = .allocate(capacity: Self.filterCount)
        let q = 0.5.squareRoot()
        for (k, f) in ABBand.edgesHz.enumerated() {
            let low = ABBiquad(BiquadCoefficients(.lowPass, frequencyHz: f, q: q, sampleRate: sampleRate))
            let high = ABBiquad(BiquadCoefficients(.highPass, frequencyHz: f, q: q, sampleRate: sampleRate))
            (filters + 4 * k).initialize(to: low)
            (filters + 4 * k + 1).initialize(to: low)
            (filters + 4 * k + 2).initialize(to: high)
            (filters + 4 * k + 3).initialize(to: high)
        }
        let allPassSplits = [1, 2, 3, 2, 3, 3]
        for (i, k) in allPassSplits.enumerated() {
            (filters + 16 + i).initialize(to: .allPass(frequencyHz: ABBand.edgesHz[k], sampleRate: sampleRate))
        }
    }

    func free() { filters.deallocate() }

    /// Feeds `x` through the whole tree; returns band `band`'s output (all five are updated).
    /// Written out split by split: no iterator or closure, so the audio callback can call it.
    @_noLocks
    func process(_ x: Double, band: Int) -> Double {
        let f = filters
        // Split k: the low side is band k (after the all-passes of the splits above), the high side goes on.
        let sub = f[18].process(f[17].process(f[16].process(f[1].process(f[0].process(x)))))
        let rest1 = f[3].process(f[2].process(x))
        let bass = f[20].process(f[19].process(f[5].process(f[4].process(rest1))))
        let rest2 = f[7].process(f[6].process(rest1))
        let lowMid = f[21].process(f[9].process(f[8].process(rest2)))
        let rest3 = f[11].process(f[10].process(rest2))
        let highMid = f[13].process(f[12].process(rest3))
        let air = f[15].process(f[14].process(rest3))
        switch band {
        case 0: return sub
        case 1: return bass
        case 2: return lowMid
        case 3: return highMid
        default: return air
        }
    }
}
