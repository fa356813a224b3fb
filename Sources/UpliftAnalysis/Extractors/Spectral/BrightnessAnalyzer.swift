import Foundation
import UpliftDSP
import UpliftModel

/// Spectral brightness: the magnitude-weighted spectral centroid (20 Hz–10 kHz) averaged over
/// the hops that are not near-silent, and the share of energy above 4 kHz (to Nyquist) over the
/// whole track.
///
/// Magnitude weights (not power) keep the bass from pinning the centroid near 100 Hz on every
/// dance track, so it follows the treble the ear hears as brightness. The centroid stops at 10 kHz
/// because magnitude weights make it sensitive to the noise floor: up to Nyquist, the same music
/// would read brighter at 48 kHz than at 22.05 kHz.
public final class BrightnessAnalyzer: HopExtractor {
    public static let highBandHz = 4000.0
    /// Hops quieter than this (mean-square magnitude, about −80 dBFS) carry no brightness.
    static let silenceGate = 1e-8

    public static let centroidTopHz = 10_000.0
    private let lowBin: Int, highStartBin: Int, centroidEndBin: Int, binHz: Double
    private var centroidSum = 0.0, centroidHops = 0
    private var totalPower = 0.0, highPower = 0.0

    public init(format: STFTFormat) {
        binHz = format.binHz
        lowBin = max(1, Int((20 / format.binHz).rounded(.up)))
        highStartBin = min(format.binCount - 1, Int((Self.highBandHz / format.binHz).rounded(.up)))
        centroidEndBin = min(format.binCount - 1, Int((Self.centroidTopHz / format.binHz).rounded(.down)))
    }

    public func reset() {
        centroidSum = 0; centroidHops = 0; totalPower = 0; highPower = 0
    }

    public func process(_ hop: borrowing Hop) {
        let magnitude = hop.monoMagnitude
        var weighted = 0.0, sum = 0.0, power = 0.0, high = 0.0
        for k in lowBin..<magnitude.count {
            let m = Double(magnitude[k])
            if k <= centroidEndBin {
                weighted += m * Double(k)
                sum += m
            }
            power += m * m
            if k >= highStartBin { high += m * m }
        }
        totalPower += power
        highPower += high
        guard power / Double(magnitude.count) > Self.silenceGate, sum > 0 else { return }
        centroidSum += weighted / sum * binHz
        centroidHops += 1
    }

    public func summarize(into analysis: inout TrackAnalysis, context: SummaryContext) {
        guard centroidHops > 0, totalPower > 0 else { return }
        analysis.brightness = TrackAnalysis.Brightness(centroidHz: centroidSum / Double(centroidHops),
                                                       highRatio: highPower / totalPower)
    }
}

extension BrightnessAnalyzer: WindowCopyable {
    public var checkpointSize: Int { 4 }
    public func writeCheckpoint(into sums: UnsafeMutablePointer<Double>) {
        sums[0] = centroidSum; sums[1] = Double(centroidHops); sums[2] = totalPower; sums[3] = highPower
    }
    public func copyWindow(into twin: any HopExtractor, hops: Int, checkpoint: UnsafePointer<Double>) {
        let twin = twin as! BrightnessAnalyzer
        twin.centroidSum = centroidSum - checkpoint[0]
        twin.centroidHops = centroidHops - Int(checkpoint[1])
        twin.totalPower = totalPower - checkpoint[2]
        twin.highPower = highPower - checkpoint[3]
    }
}
