import Foundation
import UpliftDSP
import UpliftModel

/// Musical key from a tuning-corrected 12-bin chroma, matched against the EDM key profiles of
/// Faraldo et al. ("edma") in all 24 rotations.
///
/// Per long-window frame, prominent spectral peaks (tonal components, not noise or transients)
/// between 55 Hz and 5 kHz add their magnitude to a 5-cent pitch histogram. At summary, the tuning
/// offset (A4 ≠ 440 Hz) is the circular mean of all peaks' deviation from the equal-tempered grid,
/// and the histogram folds into 12 pitch classes centred on that tuning.
public final class KeyDetector: HopExtractor {
    public static let pitchNames = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"]
    /// Faraldo et al., "Key Estimation in Electronic Dance Music" (ECIR 2016), edma profiles, degrees I…VII chromatic.
    public static let majorProfile: [Double] = [1.0000, 0.2875, 0.5020, 0.4048, 0.6050, 0.5614, 0.3205, 0.7966, 0.3159, 0.4506, 0.4202, 0.3889]
    public static let minorProfile: [Double] = [1.0000, 0.3096, 0.4415, 0.5827, 0.3262, 0.4948, 0.2889, 0.7804, 0.4328, 0.2903, 0.5331, 0.3217]

    private static let histogramBinsPerSemitone = 20   // 5 cents
    private let histogram: UnsafeMutableBufferPointer<Double>
    private let spectrum: LongWindowSpectrum
    private var tuningRe = 0.0, tuningIm = 0.0
    private var tonalWeight = 0.0

    /// Tuning offset in cents from A4 = 440 Hz found by the last summary.
    public private(set) var estimatedTuningCents = 0.0
    /// The tuning-corrected chroma of the last summary (C first), normalized to a maximum of 1.
    public private(set) var chroma: [Double] = Array(repeating: 0, count: 12)

    public init(format: STFTFormat, spectrum: LongWindowSpectrum? = nil) throws(DSPError) {
        if let spectrum { self.spectrum = spectrum } else { self.spectrum = try LongWindowSpectrum(format: format) }
        histogram = .allocate(capacity: 12 * Self.histogramBinsPerSemitone)
        histogram.initialize(repeating: 0)
    }

    deinit { histogram.deallocate() }

    public func reset() {
        spectrum.reset()
        histogram.update(repeating: 0)
        tuningRe = 0; tuningIm = 0; tonalWeight = 0
    }

    public func process(_ hop: borrowing Hop) {
        guard spectrum.update(hop) else { return }
        let power = spectrum.power
        let binsPerSemitone = Self.histogramBinsPerSemitone
        let histogramCount = 12 * binsPerSemitone
        for i in 0..<spectrum.peakCount {
            let frequencyHz = spectrum.peakFrequencyHz[i]
            guard frequencyHz >= 55, frequencyHz <= 5000 else { continue }
            let k = spectrum.peakBins[i]
            // Prominence: a tonal peak stands well above the bins 4…10 away; noise, hats and the
            // kick's broadband thump do not.
            guard k >= 10, k + 10 < spectrum.binCount else { continue }
            var surround: Float = 0
            for d in 4...10 { surround += power[k - d] + power[k + d] }
            surround /= 14
            let peak = spectrum.peakPower[i]
            guard peak > 8 * surround else { continue }
            // Sub band (kick, sub rumble) counts little; upper harmonics fade out.
            let bandWeight: Double = frequencyHz < 100 ? 0.3 : (frequencyHz > 2000 ? 2000 / frequencyHz : 1)
            let magnitude = Double(peak).squareRoot() * bandWeight
            let centsFromC = 1200 * log2(frequencyHz / 440) + 900
            let phase = 2 * Double.pi * centsFromC / 100
            tuningRe += magnitude * cos(phase)
            tuningIm += magnitude * sin(phase)
            tonalWeight += magnitude
            var index = Int((centsFromC * Double(binsPerSemitone) / 100).rounded(.down)) % histogramCount
            if index < 0 { index += histogramCount }
            histogram[index] += magnitude
        }
    }

    public func summarize(into analysis: inout TrackAnalysis, context: SummaryContext) {
        guard tonalWeight > 0 else { return }
        estimatedTuningCents = atan2(tuningIm, tuningRe) / (2 * Double.pi) * 100
        let binsPerSemitone = Self.histogramBinsPerSemitone
        let binCents = 100.0 / Double(binsPerSemitone)
        var folded = Array(repeating: 0.0, count: 12)
        for index in 0..<(12 * binsPerSemitone) {
            // Centre of this 5-cent bin relative to the tuned grid, then the nearest pitch class.
            let cents = (Double(index) + 0.5) * binCents - estimatedTuningCents
            var pitchClass = Int((cents / 100).rounded()) % 12
            if pitchClass < 0 { pitchClass += 12 }
            folded[pitchClass] += histogram[index]
        }
        let peak = folded.max() ?? 0
        chroma = peak > 0 ? folded.map { $0 / peak } : folded
        let best = Self.bestKey(chroma: chroma)
        analysis.key = TrackAnalysis.Key(tonic: Self.pitchNames[best.tonic], mode: best.minor ? "minor" : "major",
                                         camelot: Self.camelot(tonic: best.tonic, minor: best.minor),
                                         strength: best.correlation)
    }

    /// The rotation of either profile that correlates best (Pearson) with `chroma` (C first).
    public static func bestKey(chroma: [Double]) -> (tonic: Int, minor: Bool, correlation: Double) {
        var best = (tonic: 0, minor: false, correlation: -2.0)
        for minor in [false, true] {
            let profile = minor ? minorProfile : majorProfile
            for tonic in 0..<12 {
                let rotated = (0..<12).map { profile[($0 - tonic + 12) % 12] }
                let r = pearson(chroma, rotated)
                if r > best.correlation { best = (tonic, minor, r) }
            }
        }
        return best
    }

    /// Camelot wheel: 8B = C major, 8A = A minor; one step clockwise is a fifth up.
    public static func camelot(tonic: Int, minor: Bool) -> String {
        let major = minor ? (tonic + 3) % 12 : tonic
        let number = (major * 7 % 12 + 7) % 12 + 1
        return "\(number)\(minor ? "A" : "B")"
    }

    static func pearson(_ x: [Double], _ y: [Double]) -> Double {
        let n = Double(x.count)
        let mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for i in x.indices {
            sxy += (x[i] - mx) * (y[i] - my); sxx += (x[i] - mx) * (x[i] - mx); syy += (y[i] - my) * (y[i] - my)
        }
        return sxx > 0 && syy > 0 ? sxy / (sxx * syy).squareRoot() : 0
    }
}

extension KeyDetector: WindowCopyable {
    public var checkpointSize: Int { 3 + histogram.count }
    public func writeCheckpoint(into sums: UnsafeMutablePointer<Double>) {
        sums[0] = tuningRe; sums[1] = tuningIm; sums[2] = tonalWeight
        (sums + 3).update(from: histogram.baseAddress!, count: histogram.count)
    }
    public func copyWindow(into twin: any HopExtractor, hops: Int, checkpoint: UnsafePointer<Double>) {
        let twin = twin as! KeyDetector
        twin.tuningRe = tuningRe - checkpoint[0]; twin.tuningIm = tuningIm - checkpoint[1]
        twin.tonalWeight = tonalWeight - checkpoint[2]
        for i in 0..<histogram.count { twin.histogram[i] = max(0, histogram[i] - checkpoint[3 + i]) }
    }
}
