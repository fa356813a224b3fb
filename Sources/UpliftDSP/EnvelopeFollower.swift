import Foundation

/// Peak envelope with separate attack and release time constants (one-pole smoothing).
public struct EnvelopeFollower: Sendable {
    public let attackCoefficient: Double
    public let releaseCoefficient: Double
    public private(set) var value = 0.0

    /// Times are to reach 1 - 1/e of a step, at `sampleRate` updates per second.
    public init(attackMs: Double, releaseMs: Double, sampleRate: Double) {
        attackCoefficient = attackMs > 0 ? exp(-1 / (attackMs * 0.001 * sampleRate)) : 0
        releaseCoefficient = releaseMs > 0 ? exp(-1 / (releaseMs * 0.001 * sampleRate)) : 0
    }

    @inline(__always)
    public mutating func process(_ x: Double) -> Double {
        let level = abs(x)
        let c = level > value ? attackCoefficient : releaseCoefficient
        value = c * value + (1 - c) * level
        return value
    }

    public mutating func reset() { value = 0 }
}
