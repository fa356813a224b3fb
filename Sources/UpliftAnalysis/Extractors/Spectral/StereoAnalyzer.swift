import Foundation
import UpliftDSP
import UpliftModel

/// Stereo image from the L/R spectra: correlation and side/mid energy ratio, overall
/// (20 Hz–20 kHz) and per broad band (sub, bass, low-mid, high-mid, air).
///
/// Per bin, the cross spectrum Re(L·R̄) and the powers |L|², |R|² are summed over the whole
/// track; correlation = ΣRe(L·R̄) / √(Σ|L|² Σ|R|²), which is +1 for mono, −1 for a polarity-
/// inverted side, ≈ 0 for unrelated channels, and (unlike a time-domain correlation) excludes DC.
/// Mid = (L+R)/2 and side = (L−R)/2, so side/mid = Σ|S|² / Σ|M|²: 0 for mono, 1 for equal energy,
/// +infinity when the mid cancels completely. A band with no energy (or −120 dB under the
/// loudest) is left out rather than given a made-up value.
public final class StereoAnalyzer: HopExtractor {
    private let format: STFTFormat
    private let bandBins: [(band: TrackAnalysis.Band, range: Range<Int>)]
    private let bandRanges: [Range<Int>]
    private var leftPower: [Double]
    private var rightPower: [Double]
    private var cross: [Double]

    /// Running correlation over everything so far (for a live meter); 0 before any signal.
    public var correlation: Double {
        let l = leftPower.reduce(0, +), r = rightPower.reduce(0, +), c = cross.reduce(0, +)
        return l > 0 && r > 0 ? c / (l * r).squareRoot() : 0
    }

    public init(format: STFTFormat) {
        self.format = format
        let binHz = format.binHz
        bandBins = TrackAnalysis.Band.allCases.map { band in
            let first = max(1, Int((band.rangeHz.lowerBound / binHz).rounded(.up)))
            let end = min(format.binCount - 1, Int((band.rangeHz.upperBound / binHz).rounded(.up)))
            return (band, first..<max(first, end))
        }
        bandRanges = bandBins.map(\.range)
        let n = TrackAnalysis.Band.allCases.count
        leftPower = [Double](repeating: 0, count: n)
        rightPower = [Double](repeating: 0, count: n)
        cross = [Double](repeating: 0, count: n)
    }

    public func reset() {
        for b in 0..<leftPower.count { leftPower[b] = 0; rightPower[b] = 0; cross[b] = 0 }
    }

    public func process(_ hop: borrowing Hop) {
        let lr = hop.leftRe.baseAddress!, li = hop.leftIm.baseAddress!
        let rr = hop.rightRe.baseAddress!, ri = hop.rightIm.baseAddress!
        var b = 0
        while b < bandRanges.count {
            var l: Float = 0, r: Float = 0, c: Float = 0
            var k = bandRanges[b].lowerBound
            let end = bandRanges[b].upperBound
            while k < end {
                l += lr[k] * lr[k] + li[k] * li[k]
                r += rr[k] * rr[k] + ri[k] * ri[k]
                c += lr[k] * rr[k] + li[k] * ri[k]
                k += 1
            }
            leftPower[b] += Double(l); rightPower[b] += Double(r); cross[b] += Double(c)
            b += 1
        }
    }

    public func summarize(into analysis: inout TrackAnalysis, context: SummaryContext) {
        func measure(_ l: Double, _ r: Double, _ c: Double) -> TrackAnalysis.Stereo.BandStereo {
            let mid = (l + r + 2 * c) / 4, side = (l + r - 2 * c) / 4
            let correlation = l > 0 && r > 0 ? max(-1, min(1, c / (l * r).squareRoot())) : 0
            let ratio = mid > 0 ? max(0, side) / mid : (side > 0 ? Double.infinity : 0)
            return .init(correlation: correlation, sideMidRatio: ratio)
        }
        let l = leftPower.reduce(0, +), r = rightPower.reduce(0, +), c = cross.reduce(0, +)
        guard l + r > 0 else { return }
        // One silent side: correlation is undefined and reads 0; side/mid reads 1 (fully one-sided).
        let overall = measure(l, r, c)
        var bands: [TrackAnalysis.Band: TrackAnalysis.Stereo.BandStereo] = [:]
        let loudest = zip(leftPower, rightPower).map { $0 + $1 }.max() ?? 0
        for (b, entry) in bandBins.enumerated() {
            let energy = leftPower[b] + rightPower[b]
            guard energy > 0, energy > loudest * 1e-12 else { continue }
            bands[entry.band] = measure(leftPower[b], rightPower[b], cross[b])
        }
        analysis.stereo = TrackAnalysis.Stereo(correlation: overall.correlation, sideMidRatio: overall.sideMidRatio, bands: bands)
    }
}

extension StereoAnalyzer: WindowCopyable {
    public var checkpointSize: Int { 3 * leftPower.count }
    public func writeCheckpoint(into sums: UnsafeMutablePointer<Double>) {
        let n = leftPower.count
        for b in 0..<n { sums[b] = leftPower[b]; sums[n + b] = rightPower[b]; sums[2 * n + b] = cross[b] }
    }
    public func copyWindow(into twin: any HopExtractor, hops: Int, checkpoint: UnsafePointer<Double>) {
        let twin = twin as! StereoAnalyzer
        let n = leftPower.count
        for b in 0..<n {
            twin.leftPower[b] = leftPower[b] - checkpoint[b]
            twin.rightPower[b] = rightPower[b] - checkpoint[n + b]
            twin.cross[b] = cross[b] - checkpoint[2 * n + b]
        }
    }
}
