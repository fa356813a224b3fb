import Foundation

/// Second-order IIR section coefficients, normalized so a0 = 1.
public struct BiquadCoefficients: Sendable, Equatable {
    public var b0, b1, b2, a1, a2: Double
    public init(b0: Double, b1: Double, b2: Double, a1: Double, a2: Double) {
        self.b0 = b0; self.b1 = b1; self.b2 = b2; self.a1 = a1; self.a2 = a2
    }

    /// RBJ Audio-EQ-Cookbook designs.
    public enum Shape: Sendable { case lowPass, highPass, bandPass, peaking(gainDB: Double), lowShelf(gainDB: Double), highShelf(gainDB: Double) }

    public init(_ shape: Shape, frequencyHz: Double, q: Double, sampleRate: Double) {
        let w0 = 2 * Double.pi * frequencyHz / sampleRate
        let cosw = cos(w0), alpha = sin(w0) / (2 * q)
        var b0 = 0.0, b1 = 0.0, b2 = 0.0, a0 = 1.0, a1 = 0.0, a2 = 0.0
        switch shape {
        case .lowPass:
            b0 = (1 - cosw) / 2; b1 = 1 - cosw; b2 = b0; a0 = 1 + alpha; a1 = -2 * cosw; a2 = 1 - alpha
        case .highPass:
            b0 = (1 + cosw) / 2; b1 = -(1 + cosw); b2 = b0; a0 = 1 + alpha; a1 = -2 * cosw; a2 = 1 - alpha
        case .bandPass:
            b0 = alpha; b1 = 0; b2 = -alpha; a0 = 1 + alpha; a1 = -2 * cosw; a2 = 1 - alpha
        case .peaking(let g):
            let a = pow(10, g / 40)
            b0 = 1 + alpha * a; b1 = -2 * cosw; b2 = 1 - alpha * a; a0 = 1 + alpha / a; a1 = -2 * cosw; a2 = 1 - alpha / a
        case .lowShelf(let g):
            let a = pow(10, g / 40), s = 2 * sqrt(a) * alpha
            b0 = a * ((a + 1) - (a - 1) * cosw + s); b1 = 2 * a * ((a - 1) - (a + 1) * cosw); b2 = a * ((a + 1) - (a - 1) * cosw - s)
            a0 = (a + 1) + (a - 1) * cosw + s; a1 = -2 * ((a - 1) + (a + 1) * cosw); a2 = (a + 1) + (a - 1) * cosw - s
        case .highShelf(let g):
            let a = pow(10, g / 40), s = 2 * sqrt(a) * alpha
            b0 = a * ((a + 1) + (a - 1) * cosw + s); b1 = -2 * a * ((a - 1) + (a + 1) * cosw); b2 = a * ((a + 1) + (a - 1) * cosw - s)
            a0 = (a + 1) - (a - 1) * cosw + s; a1 = 2 * ((a - 1) - (a + 1) * cosw); a2 = (a + 1) - (a - 1) * cosw - s
        }
        self.init(b0: b0 / a0, b1: b1 / a0, b2: b2 / a0, a1: a1 / a0, a2: a2 / a0)
    }
}

/// One biquad section (transposed direct form II, double-precision state). `process` does not allocate.
public struct Biquad: Sendable {
    public var coefficients: BiquadCoefficients
    private var z1 = 0.0, z2 = 0.0

    public init(_ coefficients: BiquadCoefficients) { self.coefficients = coefficients }

    @inline(__always)
    public mutating func process(_ x: Double) -> Double {
        let c = coefficients
        let y = c.b0 * x + z1
        z1 = c.b1 * x - c.a1 * y + z2
        z2 = c.b2 * x - c.a2 * y
        return y
    }

    public mutating func reset() { z1 = 0; z2 = 0 }
}
