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
///
/// Phrase-start tonic cue (offline, when the engine gives a frame capacity): a whole-track
/// histogram cannot tell a minor key from its relative major — a pad loop i–VI–III–VII has exactly
/// the pitch classes of vi–IV–I–V; only where the loop starts differs. Sections, loops and phrases
/// start on the tonic, so each frame also keeps its pitch histogram (3 bins per semitone, folded
/// with the tuning at summary), and the key is the one whose profile correlates best with the
/// whole track **plus** the mean correlation with the first tonal bar of each section and of the
/// track (bars and sections from the energy summary, which runs before this one). The two weigh
/// alike (`phraseStartWeight`): the phrase starts decide between keys the whole track scores alike
/// (the relative pair) but cannot overturn a clear whole-track reading alone.
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

    /// Weight of the phrase-start correlation beside the whole track's (see the type's comment).
    public static let phraseStartWeight = 1.0
    /// A bar counts as tonal (pads, bass or melody playing) above this share of the median tonal bar.
    static let tonalBarShare = 0.25
    /// Per-frame pitch histogram: 3 bins per semitone (33 cents), C first at A4 = 440 Hz.
    static let frameBins = 36
    /// The per-frame store, offline: `frameBins` values a frame, and each frame's centre (nil: no store,
    /// whole-track histogram only — the live rolling window). Paged and grown as frames decode: never
    /// sized from a header, and a long mix's frames go to disk rather than memory.
    private let frameRows: PagedBuffer<Float>?
    private let frameCentresS: PagedBuffer<Double>?
    private var framesHeld = 0

    /// Tuning offset in cents from A4 = 440 Hz found by the last summary.
    public private(set) var estimatedTuningCents = 0.0
    /// The tuning-corrected chroma of the last summary (C first), normalized to a maximum of 1.
    public private(set) var chroma: [Double] = Array(repeating: 0, count: 12)

    /// `expectedFrames` given (offline): keep the per-frame pitch store for the phrase-start cue (36
    /// Floats per ~0.37 s frame, ~0.4 kB/s, paged); nil keeps no store. Only its presence is read.
    public init(format: STFTFormat, spectrum: LongWindowSpectrum? = nil, expectedFrames: Int? = nil) throws(DSPError) {
        let long: LongWindowSpectrum
        if let spectrum { long = spectrum } else { long = try LongWindowSpectrum(format: format) }
        self.spectrum = long
        histogram = .allocate(capacity: 12 * Self.histogramBinsPerSemitone)
        histogram.initialize(repeating: 0)
        frameRows = expectedFrames == nil ? nil : PagedBuffer(repeating: 0)
        frameCentresS = expectedFrames == nil ? nil : PagedBuffer(repeating: 0)
    }

    deinit { histogram.deallocate() }

    public func reset() {
        spectrum.reset()
        histogram.update(repeating: 0)
        tuningRe = 0; tuningIm = 0; tonalWeight = 0
        framesHeld = 0
        frameRows?.removeAll(); frameCentresS?.removeAll()
    }

    public func process(_ hop: borrowing Hop) {
        guard spectrum.update(hop) else { return }
        let power = spectrum.power
        let binsPerSemitone = Self.histogramBinsPerSemitone
        let histogramCount = 12 * binsPerSemitone
        // Where this frame's row of the per-frame store starts (nil without a store).
        var row: Int?
        if let frameRows, let frameCentresS {
            row = framesHeld * Self.frameBins
            for _ in 0..<Self.frameBins { frameRows.append(0) }
            frameCentresS.append(hop.timeSeconds - Double(spectrum.size) / 2 / spectrum.sampleRate)
            framesHeld += 1
        }
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
            if let row {
                var bin = Int((centsFromC * Double(Self.frameBins) / 1200).rounded(.down)) % Self.frameBins
                if bin < 0 { bin += Self.frameBins }
                frameRows![row + bin] += Float(magnitude)
            }
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
        let whole = Self.correlations(chroma: chroma)
        var scores = whole
        let starts = phraseStartChromas(analysis: analysis, durationS: context.durationS)
        if !starts.isEmpty {
            for start in starts {
                let cue = Self.correlations(chroma: start)
                for k in 0..<24 { scores[k] += Self.phraseStartWeight * cue[k] / Double(starts.count) }
            }
        }
        var best = 0
        for k in 1..<24 where scores[k] > scores[best] { best = k }
        let tonic = best % 12, minor = best >= 12
        phraseStartBars = starts.count
        analysis.key = TrackAnalysis.Key(tonic: Self.pitchNames[tonic], mode: minor ? "minor" : "major",
                                         camelot: Self.camelot(tonic: tonic, minor: minor),
                                         strength: whole[best])
    }

    /// How many phrase-start bars the last summary weighed (0: whole-track histogram alone).
    public private(set) var phraseStartBars = 0

    /// Chroma (C first, max 1) of the first tonal bar of each section and of the track, from the
    /// per-frame store folded with the estimated tuning. Bars are the energy curve's (one point per
    /// bar, from the downbeat grid); empty without a store, bars or tonal content.
    func phraseStartChromas(analysis: TrackAnalysis, durationS: Double) -> [[Double]] {
        guard framesHeld > 0, let frameRows, let frameCentresS, let curve = analysis.energy?.curve, curve.count >= 2 else { return [] }
        let bins = Self.frameBins
        // Bin → pitch class with the tuning found over the whole track.
        let pitchClassOfBin = (0..<bins).map { b -> Int in
            let cents = (Double(b) + 0.5) * 1200 / Double(bins) - estimatedTuningCents
            return ((Int((cents / 100).rounded()) % 12) + 12) % 12
        }
        // Frames of each bar (by frame centre); frames are in time order.
        let barStarts = curve.map(\.tS)
        var barEnds = Array(barStarts.dropFirst())
        barEnds.append(min(durationS, barStarts[barStarts.count - 1] + (barStarts[barStarts.count - 1] - barStarts[barStarts.count - 2])))
        var firstFrame = [Int](repeating: 0, count: barStarts.count), endFrame = firstFrame
        var weight = [Double](repeating: 0, count: barStarts.count)
        var f = 0
        for bar in barStarts.indices {
            while f < framesHeld && frameCentresS[f] < barStarts[bar] { f += 1 }
            firstFrame[bar] = f
            var g = f
            while g < framesHeld && frameCentresS[g] < barEnds[bar] {
                for b in 0..<bins { weight[bar] += Double(frameRows[g * bins + b]) }
                g += 1
            }
            endFrame[bar] = g
        }
        let positive = weight.filter { $0 > 0 }.sorted()
        guard !positive.isEmpty else { return [] }
        let tonalFloor = Self.tonalBarShare * positive[positive.count / 2]
        let tonal = weight.map { $0 > tonalFloor }
        // Phrase starts: every section's start and the track's first tonal bar; a start on a bar
        // without tonal content (drums only) moves to the next bar when that one is tonal.
        var anchors: [Int] = []
        if let first = tonal.firstIndex(of: true) { anchors.append(first) }
        for section in analysis.sections ?? [] {
            var nearest = 0
            for bar in barStarts.indices where abs(barStarts[bar] - section.startS) < abs(barStarts[nearest] - section.startS) { nearest = bar }
            if let bar = (nearest..<min(nearest + 2, barStarts.count)).first(where: { tonal[$0] }), !anchors.contains(bar) {
                anchors.append(bar)
            }
        }
        return anchors.map { bar in
            var folded = [Double](repeating: 0, count: 12)
            for g in firstFrame[bar]..<endFrame[bar] {
                for b in 0..<bins { folded[pitchClassOfBin[b]] += Double(frameRows[g * bins + b]) }
            }
            let peak = folded.max() ?? 0
            return peak > 0 ? folded.map { $0 / peak } : folded
        }
    }

    /// Pearson correlation of `chroma` (C first) with each key's profile: index tonic (major), 12 + tonic (minor).
    public static func correlations(chroma: [Double]) -> [Double] {
        var out = [Double](repeating: 0, count: 24)
        for minor in [false, true] {
            let profile = minor ? minorProfile : majorProfile
            for tonic in 0..<12 {
                let rotated = (0..<12).map { profile[($0 - tonic + 12) % 12] }
                out[tonic + (minor ? 12 : 0)] = pearson(chroma, rotated)
            }
        }
        return out
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
