import Foundation
import UpliftDSP
import UpliftModel

/// The live spectrum: 1/6-octave band levels of the current frame, with meter ballistics
/// (instant rise, steady fall) and peak hold, for the spectrum pane.
///
/// Band level is the band's share of the mono spectrum's power, divided by the Hann window's
/// equivalent noise bandwidth (1.5 bins), so a full-scale sine reads 0 dB in its band and noise
/// reads its band power. Bands narrower than one bin (the lowest ones at small FFT sizes) read the
/// bin nearest their centre. Live only: `summarize` writes nothing (the offline long-term spectrum
/// belongs to the analyze spectrum extractor).
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
        var centres: [Double] = [], first: [Int] = [], last: [Int] = []
        for k in -40...40 {
            let centre = 1000 * pow(2.0, Double(k) / Double(Self.bandsPerOctave))
            guard centre >= 20, centre <= 20_000, centre * edgeRatio < nyquist else { continue }
            let lowBin = Int((centre / edgeRatio / format.binHz).rounded(.up))
            let highBin = Int((centre * edgeRatio / format.binHz).rounded(.up)) - 1
            if highBin >= lowBin {
                first.append(lowBin); last.append(min(highBin, format.binCount - 1))
            } else {
                let nearest = min(Int((centre / format.binHz).rounded()), format.binCount - 1)
                first.append(nearest); last.append(nearest)
            }
            centres.append(centre)
        }
        bandsHz = centres
        bandCount = centres.count
        firstBin = .allocate(capacity: first.count)
        _ = firstBin.initialize(from: first)
        lastBin = .allocate(capacity: last.count)
        _ = lastBin.initialize(from: last)
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
        firstBin.deallocate(); lastBin.deallocate()
    }

    @_noLocks
    public func process(_ hop: borrowing Hop) {
        let magnitude = hop.monoMagnitude
        let fall = fallDBPerS * hopS, peakFall = peakFallDBPerS * hopS
        for band in 0..<bandCount {
            var power: Float = 0
            for bin in firstBin[band]...lastBin[band] { power += magnitude[bin] * magnitude[bin] }
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
