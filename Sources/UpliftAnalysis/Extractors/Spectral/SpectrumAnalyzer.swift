import Foundation
import UpliftDSP
import UpliftModel

/// Long-term average spectrum in 1/6-octave bands (20 Hz–20 kHz) and the broad balance
/// (sub, bass, low-mid, high-mid, air) relative to the total.
///
/// Level convention: each STFT bin's power is the mean of |L|² and |R|² with magnitudes scaled so
/// a sine of amplitude A reads A at its peak bin; a band sums its bins' power divided by the
/// window's equivalent noise bandwidth (1.5 bins for Hann). So a sine of amplitude A inside one
/// band reads 20·log10(A) dB there: a full-scale sine reads 0 dB in its band, broadband noise
/// reads its power per band. Bins straddling band edges are split by overlap. Below about
/// 500 Hz a 1/6-octave band is narrower than the Hann main lobe (3 bins of 21.5 Hz at 44.1 kHz),
/// so a low sine spreads over its neighbours: the peak band reads a few dB under 0 while the
/// neighbours together carry the rest. Levels are floored at −120 dB; bands above Nyquist read
/// the floor.
public final class SpectrumAnalyzer: HopExtractor {
    public static let floorDB = -120.0
    /// Centre frequencies: 1 kHz × 2^(k/6), from 22.1 Hz to 17.96 kHz (59 bands).
    public let bandsHz: [Double]

    /// Short-time band levels for the live pane (smoothed, ~150 ms), dB; updated per hop when live.
    public private(set) var currentLevelsDB: [Double]
    /// Peak-hold of `currentLevelsDB`: holds 1.5 s, then falls 20 dB/s.
    public private(set) var peakLevelsDB: [Double]

    private let format: STFTFormat
    private let live: Bool
    /// Band b takes `weights[i]` of bin `bins[i]` for i in `entryStart[b]..<entryStart[b+1]`.
    private let bins: [Int]
    private let weights: [Double]
    private let entryStart: [Int]
    private let broadBands: [(band: TrackAnalysis.Band, bins: [Int], weights: [Double])]
    private let powerScale: Double
    /// Σ over hops of |L|² + |R|² per bin (unscaled).
    private let powerSum: UnsafeMutablePointer<Double>
    private var hopPower: [Double]
    private var smoothedPower: [Double]
    private var peakHoldHops: [Int]
    private var hops = 0
    private let smoothing: Double
    private let holdHops: Int
    private let fallPerHopDB: Double

    public init(format: STFTFormat, live: Bool) {
        self.format = format
        self.live = live
        var centres: [Double] = []
        for k in -33...25 { centres.append(1000 * pow(2, Double(k) / 6)) }
        bandsHz = centres
        let binHz = format.binHz
        func split(lowHz: Double, highHz: Double) -> (bins: [Int], weights: [Double]) {
            var bins: [Int] = [], weights: [Double] = []
            let first = max(1, Int((lowHz / binHz - 0.5).rounded(.down)))
            let last = min(format.binCount - 2, Int((highHz / binHz + 0.5).rounded(.up)))
            guard first <= last else { return ([], []) }
            for k in first...last {
                let lo = (Double(k) - 0.5) * binHz, hi = (Double(k) + 0.5) * binHz
                let overlap = min(hi, highHz) - max(lo, lowHz)
                if overlap > 0 { bins.append(k); weights.append(overlap / binHz) }
            }
            return (bins, weights)
        }
        var bins: [Int] = [], weights: [Double] = [], entryStart: [Int] = [0]
        for centre in centres {
            let s = split(lowHz: centre * pow(2, -1.0 / 12), highHz: centre * pow(2, 1.0 / 12))
            bins += s.bins; weights += s.weights; entryStart.append(bins.count)
        }
        self.bins = bins; self.weights = weights; self.entryStart = entryStart
        broadBands = TrackAnalysis.Band.allCases.map { band in
            let s = split(lowHz: band.rangeHz.lowerBound, highHz: band.rangeHz.upperBound)
            return (band, s.bins, s.weights)
        }
        // Hop magnitudes are scaled by 2/Σw so a sine's peak bin reads its amplitude; dividing the
        // power by the equivalent noise bandwidth (N Σw² / (Σw)² bins) makes a band read the sine's level.
        let window = Window.hann.coefficients(size: format.windowSize)
        let sum = window.reduce(0) { $0 + Double($1) }, sumSquares = window.reduce(0) { $0 + Double($1) * Double($1) }
        let enbwBins = Double(format.windowSize) * sumSquares / (sum * sum)
        let magnitudeScale = 2 / sum
        powerScale = magnitudeScale * magnitudeScale / enbwBins
        powerSum = .allocate(capacity: format.binCount)
        powerSum.initialize(repeating: 0, count: format.binCount)
        hopPower = [Double](repeating: 0, count: format.binCount)
        smoothedPower = [Double](repeating: 0, count: centres.count)
        currentLevelsDB = [Double](repeating: Self.floorDB, count: centres.count)
        peakLevelsDB = [Double](repeating: Self.floorDB, count: centres.count)
        peakHoldHops = [Int](repeating: 0, count: centres.count)
        smoothing = exp(-format.hopSeconds / 0.15)
        holdHops = Int(1.5 / format.hopSeconds)
        fallPerHopDB = 20 * format.hopSeconds
    }

    deinit { powerSum.deallocate() }

    public func reset() {
        powerSum.update(repeating: 0, count: format.binCount)
        for b in 0..<bandsHz.count {
            smoothedPower[b] = 0; currentLevelsDB[b] = Self.floorDB; peakLevelsDB[b] = Self.floorDB; peakHoldHops[b] = 0
        }
        hops = 0
    }

    public func process(_ hop: borrowing Hop) {
        let count = format.binCount
        let lr = hop.leftRe.baseAddress!, li = hop.leftIm.baseAddress!
        let rr = hop.rightRe.baseAddress!, ri = hop.rightIm.baseAddress!
        let sum = powerSum
        var k = 0
        while k < count {
            let p = lr[k] * lr[k] + li[k] * li[k] + rr[k] * rr[k] + ri[k] * ri[k]
            sum[k] += Double(p)
            k += 1
        }
        hops += 1
        if live { updateLiveLevels(hop) }
    }

    private func updateLiveLevels(_ hop: borrowing Hop) {
        let lr = hop.leftRe, li = hop.leftIm, rr = hop.rightRe, ri = hop.rightIm
        for b in 0..<bandsHz.count {
            var p = 0.0
            for i in entryStart[b]..<entryStart[b + 1] {
                let k = bins[i]
                p += weights[i] * Double(lr[k] * lr[k] + li[k] * li[k] + rr[k] * rr[k] + ri[k] * ri[k])
            }
            p *= 0.5 * powerScale
            smoothedPower[b] = smoothing * smoothedPower[b] + (1 - smoothing) * p
            let level = Self.decibels(power: smoothedPower[b])
            currentLevelsDB[b] = level
            if level >= peakLevelsDB[b] {
                peakLevelsDB[b] = level; peakHoldHops[b] = holdHops
            } else if peakHoldHops[b] > 0 {
                peakHoldHops[b] -= 1
            } else {
                peakLevelsDB[b] = max(level, peakLevelsDB[b] - fallPerHopDB)
            }
        }
    }

    /// Mean power per band over all hops so far (linear, the documented scale).
    public func averageBandPowers() -> [Double] {
        let norm = hops > 0 ? 0.5 * powerScale / Double(hops) : 0
        return (0..<bandsHz.count).map { b in
            var p = 0.0
            for i in entryStart[b]..<entryStart[b + 1] { p += weights[i] * powerSum[bins[i]] }
            return p * norm
        }
    }

    public func summarize(into analysis: inout TrackAnalysis, context: SummaryContext) {
        let norm = hops > 0 ? 0.5 * powerScale / Double(hops) : 0
        var broad: [TrackAnalysis.Band: Double] = [:]
        var total = 0.0
        for entry in broadBands {
            var p = 0.0
            for (k, w) in zip(entry.bins, entry.weights) { p += w * powerSum[k] }
            broad[entry.band] = p * norm
            total += p * norm
        }
        // Silence: no spectrum to speak of (the loudness section says -inf).
        guard total > 0 else { return }
        let levels = averageBandPowers().map { Self.decibels(power: $0) }
        let balance = broad.mapValues { max(Self.floorDB, 10 * log10($0 / total)) }
        analysis.spectrum = TrackAnalysis.Spectrum(bandsHz: bandsHz.map { ($0 * 10).rounded() / 10 },
                                                   levelsDB: levels, balanceDB: balance)
    }

    static func decibels(power: Double) -> Double { power > 0 ? max(floorDB, 10 * log10(power)) : floorDB }
}

extension SpectrumAnalyzer: WindowCopyable {
    public var checkpointSize: Int { format.binCount + 1 }
    public func writeCheckpoint(into sums: UnsafeMutablePointer<Double>) {
        sums.update(from: powerSum, count: format.binCount)
        sums[format.binCount] = Double(hops)
    }
    public func copyWindow(into twin: any HopExtractor, hops: Int, checkpoint: UnsafePointer<Double>) {
        let twin = twin as! SpectrumAnalyzer
        for k in 0..<format.binCount { twin.powerSum[k] = powerSum[k] - checkpoint[k] }
        twin.hops = self.hops - Int(checkpoint[format.binCount])
    }
}
