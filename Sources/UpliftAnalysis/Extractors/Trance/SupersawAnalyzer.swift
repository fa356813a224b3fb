import Foundation
import UpliftDSP
import UpliftModel

/// Supersaw character in the pad/lead band (200 Hz–5 kHz): stereo width, L/R correlation and
/// the detune spread of the voices.
///
/// - Width is side RMS over mid RMS (0 = mono; 1 = uncorrelated channels of equal level), and
///   correlation is Σ Re(L·R*) / √(Σ|L|² Σ|R|²), both accumulated over the whole track from the
///   engine's L/R spectra.
/// - Detune (`detune_cents`: the outermost voices' offset from the note, ±D, as synth UIs show it):
///   N voices spread over ±D cents turn each harmonic into a cluster whose frequency spread grows in
///   proportion to the harmonic's frequency. In the long-window spectrum, each dominant peak's
///   power-weighted frequency variance (inside ±3.5 % of its frequency) minus the variance the
///   window alone gives a pure tone leaves the voices' own spread; divided by the frequency it
///   becomes cents. D ≈ 1.5 standard deviations (7 evenly spaced voices give 1.5, many give 1.73,
///   3 give 1.22). Peaks vote with their magnitude × frequency (high harmonics show detune best);
///   the track's value is the weighted median.
public final class SupersawAnalyzer: HopExtractor {
    public static let bandHz: ClosedRange<Double> = 200...5000
    public static let detuneBandHz: ClosedRange<Double> = 300...4000
    /// Outermost offset over standard deviation of evenly spaced voices (7 voices: 1.5).
    static let offsetPerStandardDeviation = 1.5
    /// Half-width of a peak's cluster neighbourhood, relative to its frequency (±60 cents: holds
    /// ±50-cent detune plus the window, stops short of the next semitone).
    static let neighbourhoodFraction = 0.035
    static let histogramCentsPerBin = 0.5
    static let histogramBins = 400   // 0…200 cents

    private let spectrum: LongWindowSpectrum
    private let lowBin: Int, highBin: Int
    private var sumLeftPower = 0.0, sumRightPower = 0.0, sumCross = 0.0, sumMid = 0.0, sumSide = 0.0
    private let detuneHistogram: UnsafeMutableBufferPointer<Double>
    /// Variance (bins²) that the Hann window alone gives a pure tone with this procedure.
    private let windowVarianceBins: Double
    /// Peaks weaker than this fraction of their neighbourhood's maximum power are ignored.
    private static let gateRatio: Float = 0.003   // −25 dB

    public init(format: STFTFormat, spectrum: LongWindowSpectrum? = nil) throws(DSPError) {
        if let spectrum { self.spectrum = spectrum } else { self.spectrum = try LongWindowSpectrum(format: format) }
        lowBin = Int((Self.bandHz.lowerBound / format.binHz).rounded(.up))
        highBin = min(format.binCount - 1, Int((Self.bandHz.upperBound / format.binHz).rounded(.down)))
        detuneHistogram = .allocate(capacity: Self.histogramBins)
        detuneHistogram.initialize(repeating: 0)
        windowVarianceBins = Self.pureToneVarianceBins(size: self.spectrum.size)
    }

    deinit { detuneHistogram.deallocate() }

    public func reset() {
        spectrum.reset()
        sumLeftPower = 0; sumRightPower = 0; sumCross = 0; sumMid = 0; sumSide = 0
        detuneHistogram.update(repeating: 0)
    }

    public func process(_ hop: borrowing Hop) {
        var left = 0.0, right = 0.0, cross = 0.0, mid = 0.0, side = 0.0
        for k in lowBin...highBin {
            let lr = Double(hop.leftRe[k]), li = Double(hop.leftIm[k])
            let rr = Double(hop.rightRe[k]), ri = Double(hop.rightIm[k])
            left += lr * lr + li * li
            right += rr * rr + ri * ri
            cross += lr * rr + li * ri
            let mr = lr + rr, mi = li + ri, sr = lr - rr, si = li - ri
            mid += mr * mr + mi * mi
            side += sr * sr + si * si
        }
        sumLeftPower += left; sumRightPower += right; sumCross += cross; sumMid += mid; sumSide += side

        guard spectrum.update(hop) else { return }
        accumulateDetune()
    }

    private func accumulateDetune() {
        let power = spectrum.power
        let binHz = spectrum.binHz
        for i in 0..<spectrum.peakCount {
            let frequencyHz = spectrum.peakFrequencyHz[i]
            guard Self.detuneBandHz.contains(frequencyHz) else { continue }
            let k = spectrum.peakBins[i]
            let halfWidth = Int((Self.neighbourhoodFraction * frequencyHz / binHz).rounded(.up)) + 2
            guard k - 2 * halfWidth >= 1, k + 2 * halfWidth + 1 < spectrum.binCount else { continue }
            let peak = power[k]
            // Only the dominant peak of its neighbourhood speaks for the cluster.
            var dominant = true
            for j in (k - halfWidth)...(k + halfWidth) where power[j] > peak { dominant = false; break }
            guard dominant else { continue }
            // Tonal: the cluster must stand 15 dB above the mean level of the flank beside it, on
            // the quieter side (a neighbouring harmonic may sit on the other). A mean over the flank,
            // not two bins: noise (hats, reverb, risers) has local maxima 15 dB above single bins,
            // never above its own mean, and would otherwise vote a detune of ~50 cents.
            var leftFlank: Float = 0, rightFlank: Float = 0
            for j in (k - 2 * halfWidth - 1)...(k - halfWidth - 1) { leftFlank += power[j] }
            for j in (k + halfWidth + 1)...(k + 2 * halfWidth + 1) { rightFlank += power[j] }
            let outside = min(leftFlank, rightFlank) / Float(halfWidth + 1)
            guard peak > 30 * outside else { continue }
            let gate = peak * Self.gateRatio
            var weight = 0.0, mean = 0.0
            for j in (k - halfWidth)...(k + halfWidth) {
                let p = Double(power[j] - gate)
                if p > 0 { weight += p; mean += p * Double(j) }
            }
            guard weight > 0 else { continue }
            mean /= weight
            var variance = 0.0
            for j in (k - halfWidth)...(k + halfWidth) {
                let p = Double(power[j] - gate)
                if p > 0 { variance += p * (Double(j) - mean) * (Double(j) - mean) }
            }
            variance /= weight
            let voiceStdHz = max(0, variance - windowVarianceBins).squareRoot() * binHz
            let spreadCents = 1200 * log2(1 + Self.offsetPerStandardDeviation * voiceStdHz / frequencyHz)
            let vote = Double(peak).squareRoot() * frequencyHz / 1000
            let bin = min(Self.histogramBins - 1, Int(spreadCents / Self.histogramCentsPerBin))
            detuneHistogram[bin] += vote
        }
    }

    public func summarize(into analysis: inout TrackAnalysis, context: SummaryContext) {
        guard sumLeftPower + sumRightPower > 1e-9 else { return }
        let width = sumMid > 0 ? (sumSide / sumMid).squareRoot() : 0
        let denominator = (sumLeftPower * sumRightPower).squareRoot()
        // One silent channel: no correlation to speak of; report 0 rather than a fake 1.
        let correlation = denominator > 0 ? sumCross / denominator : 0
        analysis.supersaw = TrackAnalysis.Supersaw(width: width, correlation: correlation,
                                                   detuneCents: weightedMedianDetuneCents())
    }

    /// Median of the voted detune histogram, nil when no tonal cluster was seen.
    func weightedMedianDetuneCents() -> Double? {
        var total = 0.0
        for b in 0..<Self.histogramBins { total += detuneHistogram[b] }
        guard total > 0 else { return nil }
        var running = 0.0
        for b in 0..<Self.histogramBins {
            running += detuneHistogram[b]
            if running >= total / 2 { return (Double(b) + 0.5) * Self.histogramCentsPerBin }
        }
        return nil
    }

    /// The gated power-weighted variance of a windowed pure tone, averaged over sub-bin offsets.
    static func pureToneVarianceBins(size: Int) -> Double {
        let window = Window.hann.coefficients(size: size)
        guard let fft = try? RealFFT(size: size) else { return 0.4 }
        var re = [Float](repeating: 0, count: size / 2 + 1), im = re
        var total = 0.0
        let offsets = [0.0, 0.125, 0.25, 0.375, 0.5]
        for offset in offsets {
            let bin = 200.0 + offset
            let samples = (0..<size).map { Float(sin(2 * Double.pi * bin * Double($0) / Double(size))) * window[$0] }
            samples.withUnsafeBufferPointer { s in
                re.withUnsafeMutableBufferPointer { r in im.withUnsafeMutableBufferPointer { i in fft.forward(s, re: r, im: i) } }
            }
            let power = (0..<re.count).map { re[$0] * re[$0] + im[$0] * im[$0] }
            let gate = (power[195...205].max() ?? 0) * gateRatio
            var weight = 0.0, mean = 0.0
            for j in 195...205 { let p = Double(power[j] - gate); if p > 0 { weight += p; mean += p * Double(j) } }
            mean /= weight
            var variance = 0.0
            for j in 195...205 { let p = Double(power[j] - gate); if p > 0 { variance += p * (Double(j) - mean) * (Double(j) - mean) } }
            total += variance / weight
        }
        return total / Double(offsets.count)
    }
}

extension SupersawAnalyzer: WindowCopyable {
    public var checkpointSize: Int { 5 + Self.histogramBins }
    public func writeCheckpoint(into sums: UnsafeMutablePointer<Double>) {
        sums[0] = sumLeftPower; sums[1] = sumRightPower; sums[2] = sumCross; sums[3] = sumMid; sums[4] = sumSide
        (sums + 5).update(from: detuneHistogram.baseAddress!, count: Self.histogramBins)
    }
    public func copyWindow(into twin: any HopExtractor, hops: Int, checkpoint: UnsafePointer<Double>) {
        let twin = twin as! SupersawAnalyzer
        twin.sumLeftPower = sumLeftPower - checkpoint[0]; twin.sumRightPower = sumRightPower - checkpoint[1]
        twin.sumCross = sumCross - checkpoint[2]; twin.sumMid = sumMid - checkpoint[3]; twin.sumSide = sumSide - checkpoint[4]
        // Differences of large sums can leave rounding dust below zero: a histogram bin is a weight.
        for b in 0..<Self.histogramBins { twin.detuneHistogram[b] = max(0, detuneHistogram[b] - checkpoint[5 + b]) }
    }
}
