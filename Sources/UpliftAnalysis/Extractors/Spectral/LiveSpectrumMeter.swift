import Foundation
import UpliftDSP
import UpliftModel

/// The live spectrum: 1/6-octave band levels of the current frame, with meter ballistics
/// (instant rise, steady fall) and peak hold, for the spectrum pane.
///
/// Band level is the band's share of the mono spectrum's power, divided by the Hann window's
/// equivalent noise bandwidth (1.5 bins), so a full-scale sine reads 0 dB in its band and noise
/// reads its band power. Each bin covers ±½ bin around its frequency and counts in a band by the
/// fraction of that cover the band overlaps: bands narrower than a bin (below ~250 Hz with a
/// 2048-point frame) get their share of the power, not a whole bin's, so bass is not inflated on
/// broadband music; the price is that a pure low tone spreads over the bands sharing its bins.
/// Live only: `summarize` writes nothing (the long-term spectrum belongs to the analyze extractor).
public final class LiveSpectrumMeter: HopExtractor {
    public static let bandsPerOctave = 6
    /// Lowest level reported (silence).
    public static let floorDB = -120.0

    /// Band centres, 1 kHz · 2^(k/6), from 20 Hz to 20 kHz (limited by Nyquist).
    public let bandsHz: [Double]
    public let fallDBPerS: Double
    public let peakHoldS: Double
    public let peakFallDBPerS: Double

    // Raw buffers, not arrays: `process` is `@_noLocks`, and array access retains.
    private let bandCount: Int
    private let firstBin: UnsafeMutableBufferPointer<Int>
    private let lastBin: UnsafeMutableBufferPointer<Int>  // inclusive
    /// Overlap weight of each (band, bin) pair, bands one after another; `weightStart[band]` indexes it.
    private let weights: UnsafeMutableBufferPointer<Float>
    private let weightStart: UnsafeMutableBufferPointer<Int>
    private let hopS: Double
    private let levels: UnsafeMutableBufferPointer<Double>
    private let peaks: UnsafeMutableBufferPointer<Double>
    private let peakAgesS: UnsafeMutableBufferPointer<Double>
    private let current: UnsafeMutableBufferPointer<Double>

    public init(format: STFTFormat, fallDBPerS: Double = 30, peakHoldS: Double = 1.5, peakFallDBPerS: Double = 20) throws(DSPError) {
        guard fallDBPerS > 0, peakFallDBPerS > 0, peakHoldS >= 0 else {
            throw DSPError(message: "spectrum ballistics must be positive (fall \(fallDBPerS) dB/s, peak fall \(peakFallDBPerS) dB/s, hold \(peakHoldS) s)")
        }
        let nyquist = format.sampleRate / 2
        let edgeRatio = pow(2.0, 1.0 / Double(2 * Self.bandsPerOctave))
        var centres: [Double] = [], first: [Int] = [], last: [Int] = [], starts: [Int] = [], overlap: [Float] = []
        let binHz = format.binHz
        for k in -40...40 {
            let centre = 1000 * pow(2.0, Double(k) / Double(Self.bandsPerOctave))
            guard centre >= 20, centre <= 20_000, centre * edgeRatio < nyquist else { continue }
            let low = centre / edgeRatio, high = centre * edgeRatio
            let lowBin = max(0, Int((low / binHz + 0.5).rounded(.down)))
            let highBin = min(format.binCount - 1, Int((high / binHz + 0.5).rounded(.down)))
            centres.append(centre); first.append(lowBin); last.append(highBin); starts.append(overlap.count)
            for bin in lowBin...highBin {
                let cover = (Double(bin) - 0.5) * binHz...(Double(bin) + 0.5) * binHz
                overlap.append(Float(max(0, min(high, cover.upperBound) - max(low, cover.lowerBound)) / binHz))
            }
        }
        bandsHz = centres
        bandCount = centres.count
        firstBin = .allocate(capacity: first.count)
        _ = firstBin.initialize(from: first)
        lastBin = .allocate(capacity: last.count)
        _ = lastBin.initialize(from: last)
        weights = .allocate(capacity: overlap.count)
        _ = weights.initialize(from: overlap)
        weightStart = .allocate(capacity: starts.count)
        _ = weightStart.initialize(from: starts)
        self.fallDBPerS = fallDBPerS
        self.peakHoldS = peakHoldS
        self.peakFallDBPerS = peakFallDBPerS
        hopS = format.hopSeconds
        func buffer() -> UnsafeMutableBufferPointer<Double> {
            let b = UnsafeMutableBufferPointer<Double>.allocate(capacity: centres.count)
            b.initialize(repeating: Self.floorDB)
            return b
        }
        levels = buffer(); peaks = buffer(); current = buffer()
        peakAgesS = .allocate(capacity: centres.count)
        peakAgesS.initialize(repeating: 0)
    }

    deinit {
        levels.deallocate(); peaks.deallocate(); peakAgesS.deallocate(); current.deallocate()
        firstBin.deallocate(); lastBin.deallocate(); weights.deallocate(); weightStart.deallocate()
    }

    @_noLocks
    public func process(_ hop: borrowing Hop) {
        let magnitude = hop.monoMagnitude
        let fall = fallDBPerS * hopS, peakFall = peakFallDBPerS * hopS
        for band in 0..<bandCount {
            var power: Float = 0
            var weight = weightStart[band]
            for bin in firstBin[band]...lastBin[band] {
                power += weights[weight] * magnitude[bin] * magnitude[bin]
                weight += 1
            }
            // libm's log10 neither allocates nor locks; the checker cannot see into C.
            let db = max(-120.0, 10 * _unsafePerformance { log10(Double(power) / 1.5 + 1e-30) })
            current[band] = db
            levels[band] = max(db, levels[band] - fall)
            if levels[band] >= peaks[band] {
                peaks[band] = levels[band]
                peakAgesS[band] = 0
            } else {
                peakAgesS[band] += hopS
                if peakAgesS[band] > peakHoldS { peaks[band] = max(levels[band], peaks[band] - peakFall) }
            }
        }
    }

    public func reset() {
        levels.update(repeating: Self.floorDB)
        peaks.update(repeating: Self.floorDB)
        current.update(repeating: Self.floorDB)
        peakAgesS.update(repeating: 0)
    }

    public func summarize(into analysis: inout TrackAnalysis, context: SummaryContext) {}

    /// Smoothed level of `band`, dB (full-scale sine = 0).
    public func levelDB(band: Int) -> Double { levels[band] }
    /// Held peak of `band`, dB.
    public func peakDB(band: Int) -> Double { peaks[band] }
    /// Unsmoothed level of the last frame, dB.
    public func frameLevelDB(band: Int) -> Double { current[band] }

    /// Copies the levels and peaks into arrays of the same length, in place (no allocation when
    /// the arrays are uniquely referenced).
    public func copy(into snapshot: inout AnalysisSnapshot.LiveSpectrum) {
        for band in 0..<min(bandsHz.count, snapshot.levelsDB.count, snapshot.peaksDB.count) {
            snapshot.levelsDB[band] = levels[band]
            snapshot.peaksDB[band] = peaks[band]
        }
    }

    /// The band whose centre is nearest to `frequencyHz` on a log scale.
    public func bandIndex(nearestTo frequencyHz: Double) -> Int {
        var best = 0
        for (index, centre) in bandsHz.enumerated()
        where abs(log2(centre / frequencyHz)) < abs(log2(bandsHz[best] / frequencyHz)) { best = index }
        return best
    }
}
