import Foundation

/// Analysis windows, periodic (for STFT overlap-add and spectral analysis).
public enum Window: String, Sendable, CaseIterable {
    case hann
    case blackmanHarris = "blackman-harris"

    public func coefficients(size: Int) -> [Float] {
        let n = Double(size)
        return (0..<size).map { i in
            let x = 2 * Double.pi * Double(i) / n
            switch self {
            case .hann:
                return Float(0.5 - 0.5 * cos(x))
            case .blackmanHarris:
                return Float(0.35875 - 0.48829 * cos(x) + 0.14128 * cos(2 * x) - 0.01168 * cos(3 * x))
            }
        }
    }

    /// Sum of the coefficients: divides FFT magnitudes so a full-scale sine reads its amplitude.
    public func coherentGain(size: Int) -> Double {
        coefficients(size: size).reduce(0) { $0 + Double($1) }
    }
}
