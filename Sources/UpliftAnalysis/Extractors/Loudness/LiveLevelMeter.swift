import Foundation
import UpliftDSP
import UpliftModel

/// RMS and sample peak of the last 400 ms, from per-hop sums kept in a fixed ring of hops.
/// A plain signal level for the status line and the latency benchmark; loudness (LUFS) is the
/// loudness meter's job.
public final class LiveLevelMeter: HopExtractor {
    public let windowS: Double
    private let hopSums: UnsafeMutableBufferPointer<Double>
    private let hopPeaks: UnsafeMutableBufferPointer<Float>
    private let hopFrames: UnsafeMutableBufferPointer<Int>
    private var next = 0

    public init(format: STFTFormat, windowS: Double = 0.4) throws(DSPError) {
        guard windowS > 0 else { throw DSPError(message: "level window \(windowS) s must be positive") }
        self.windowS = windowS
        let hops = max(1, Int((windowS / format.hopSeconds).rounded()))
        hopSums = .allocate(capacity: hops); hopSums.initialize(repeating: 0)
        hopPeaks = .allocate(capacity: hops); hopPeaks.initialize(repeating: 0)
        hopFrames = .allocate(capacity: hops); hopFrames.initialize(repeating: 0)
    }

    deinit { hopSums.deallocate(); hopPeaks.deallocate(); hopFrames.deallocate() }

    @_noLocks
    public func process(_ hop: borrowing Hop) {
        var sum: Double = 0
        var peak: Float = 0
        for i in 0..<hop.validFrames {
            let l = hop.left[i], r = hop.right[i]
            sum += Double(l * l + r * r)
            peak = max(peak, max(abs(l), abs(r)))  // not the variadic max: it builds an array
        }
        hopSums[next] = sum
        hopPeaks[next] = peak
        hopFrames[next] = hop.validFrames
        next = (next + 1) % hopSums.count
    }

    public func reset() {
        hopSums.update(repeating: 0); hopPeaks.update(repeating: 0); hopFrames.update(repeating: 0)
        next = 0
    }

    public func summarize(into analysis: inout TrackAnalysis, context: SummaryContext) {}

    /// RMS of both channels over the window, dBFS (−inf for silence or before the first hop).
    public var rmsDBFS: Double {
        var sum: Double = 0, frames = 0
        for i in 0..<hopSums.count { sum += hopSums[i]; frames += hopFrames[i] }
        guard frames > 0, sum > 0 else { return -.infinity }
        return 10 * log10(sum / Double(2 * frames))
    }

    /// Largest absolute sample over the window, dBFS.
    public var peakDBFS: Double {
        var peak: Float = 0
        for i in 0..<hopPeaks.count { peak = max(peak, hopPeaks[i]) }
        return peak > 0 ? 20 * log10(Double(peak)) : -.infinity
    }
}
