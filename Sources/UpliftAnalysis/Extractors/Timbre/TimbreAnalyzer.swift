import Foundation
import UpliftDSP
import UpliftModel

/// MFCCs (40 log-mel bands, 30 Hz–16 kHz, → 20 coefficients by an orthonormal DCT-II), a
/// pitch-class profile and the 1/6-octave spectrum in ~1 s blocks, from the engine's STFT frames:
/// the material of the similarity descriptor (`TrackAnalysis.timbre`), in the same pass as the rest.
///
/// Per hop, the power spectrum is the mean of |L|² and |R|² on the scale of `SpectrumAnalyzer`
/// (a full-scale sine reads 0 dB in its band). Hops below −100 dB in total are silence: they add
/// nothing to the MFCC statistics or the chroma, and blocks of silence are left out of the section
/// spectra. A gain change moves c0 alone (log of scaled power, DCT of a constant), and moves every
/// section level by the same dB, so the descriptor can take the shape without the level.
///
/// Offline only. The section spectra keep at most 4096 blocks of 1 s, allocated in `init` whatever the file
/// announces (`expectedFrames` sizes nothing: a header may lie); past 4096 blocks, neighbouring blocks are
/// merged in pairs and blocks get twice as long, so a long file makes longer blocks, never more memory, and
/// the result does not depend on the announced length. `process` does not allocate.
public final class TimbreAnalyzer: HopExtractor {
    public static let melBands = 40
    public static let coefficients = 20
    public static let maxBlocks = 4096
    static let silencePower = 1e-10

    private let format: STFTFormat
    public let bandsHz: [Double]
    private let powerScale: Float
    /// 1/6-octave bands: band b takes `bandWeights[i]` of bin `bandBins[i]`, i in `bandStart[b]..<bandStart[b+1]`.
    private let bandBins: [Int], bandWeights: [Float], bandStart: [Int]
    private let melBins: [Int], melWeights: [Float], melStart: [Int]
    /// DCT-II, orthonormal: `coefficients` rows of `melBands`.
    private let dct: [Float]
    private let chromaBins: [Int], chromaClass: [Int], chromaWeights: [Float]

    private let power: UnsafeMutableBufferPointer<Float>
    private let logMel: UnsafeMutableBufferPointer<Float>
    private let mfcc: UnsafeMutableBufferPointer<Double>
    private let mfccSum: UnsafeMutableBufferPointer<Double>
    private let mfccProducts: UnsafeMutableBufferPointer<Double>
    private let chroma: UnsafeMutableBufferPointer<Double>
    private var voicedHops = 0

    private let firstBlockHops: Int
    private var blockHops: Int
    private let blockCapacity = TimbreAnalyzer.maxBlocks
    private let blocks: UnsafeMutableBufferPointer<Double>   // blockCapacity × bands, mean power per block
    private let blockAccumulator: UnsafeMutableBufferPointer<Double>
    private var blockFill = 0
    private var blockCount = 0

    public init(format: STFTFormat, expectedFrames: Int) {
        self.format = format
        let binHz = format.binHz
        var centres: [Double] = []
        for k in -33...25 { centres.append(1000 * pow(2, Double(k) / 6)) }
        bandsHz = centres
        func split(_ lowHz: Double, _ highHz: Double) -> [(Int, Float)] {
            let first = max(1, Int((lowHz / binHz - 0.5).rounded(.down)))
            let last = min(format.binCount - 2, Int((highHz / binHz + 0.5).rounded(.up)))
            guard first <= last else { return [] }
            return (first...last).compactMap { k in
                let overlap = min((Double(k) + 0.5) * binHz, highHz) - max((Double(k) - 0.5) * binHz, lowHz)
                return overlap > 0 ? (k, Float(overlap / binHz)) : nil
            }
        }
        var bins: [Int] = [], weights: [Float] = [], start = [0]
        for c in centres {
            for (k, w) in split(c * pow(2, -1.0 / 12), c * pow(2, 1.0 / 12)) { bins.append(k); weights.append(w) }
            start.append(bins.count)
        }
        bandBins = bins; bandWeights = weights; bandStart = start

        // Triangular mel filters with edges evenly spaced in mel (HTK formula), unit peak.
        func mel(_ f: Double) -> Double { 2595 * log10(1 + f / 700) }
        func hz(_ m: Double) -> Double { 700 * (pow(10, m / 2595) - 1) }
        let top = min(16_000, format.sampleRate / 2 - binHz)
        let edges = (0...(Self.melBands + 1)).map { hz(mel(30) + (mel(top) - mel(30)) * Double($0) / Double(Self.melBands + 1)) }
        var mBins: [Int] = [], mWeights: [Float] = [], mStart = [0]
        for m in 0..<Self.melBands {
            let lo = edges[m], mid = edges[m + 1], hi = edges[m + 2]
            var any = false
            for k in 1..<(format.binCount - 1) {
                let f = Double(k) * binHz
                guard f > lo, f < hi else { continue }
                let w = f <= mid ? (f - lo) / (mid - lo) : (hi - f) / (hi - mid)
                mBins.append(k); mWeights.append(Float(w)); any = true
            }
            // A filter narrower than a bin (low rates) takes the nearest bin whole.
            if !any { mBins.append(min(format.binCount - 2, max(1, Int((mid / binHz).rounded())))); mWeights.append(1) }
            mStart.append(mBins.count)
        }
        melBins = mBins; melWeights = mWeights; melStart = mStart
        var d = [Float](repeating: 0, count: Self.coefficients * Self.melBands)
        let n = Double(Self.melBands)
        for j in 0..<Self.coefficients {
            let scale = j == 0 ? (1 / n).squareRoot() : (2 / n).squareRoot()
            for m in 0..<Self.melBands { d[j * Self.melBands + m] = Float(scale * cos(Double.pi * Double(j) * (Double(m) + 0.5) / n)) }
        }
        dct = d

        // Pitch classes: each bin's power goes to its two nearest semitones, linearly.
        var cBins: [Int] = [], cClass: [Int] = [], cWeights: [Float] = []
        for k in 1..<(format.binCount - 1) {
            let f = Double(k) * binHz
            guard f >= 200, f <= 5000 else { continue }
            let midi = 69 + 12 * log2(f / 440)
            let below = midi.rounded(.down), frac = midi - below
            let pc = ((Int(below) % 12) + 12) % 12
            cBins.append(k); cClass.append(pc); cWeights.append(Float(1 - frac))
            cBins.append(k); cClass.append((pc + 1) % 12); cWeights.append(Float(frac))
        }
        chromaBins = cBins; chromaClass = cClass; chromaWeights = cWeights

        let window = Window.hann.coefficients(size: format.windowSize)
        let sum = window.reduce(0) { $0 + Double($1) }, sumSquares = window.reduce(0) { $0 + Double($1) * Double($1) }
        let enbwBins = Double(format.windowSize) * sumSquares / (sum * sum)
        powerScale = Float(0.5 * (2 / sum) * (2 / sum) / enbwBins)

        func buffer<T: Numeric>(_ n: Int) -> UnsafeMutableBufferPointer<T> {
            let b = UnsafeMutableBufferPointer<T>.allocate(capacity: n); b.initialize(repeating: 0); return b
        }
        power = buffer(format.binCount)
        logMel = buffer(Self.melBands)
        mfcc = buffer(Self.coefficients)
        mfccSum = buffer(Self.coefficients)
        mfccProducts = buffer(Self.coefficients * Self.coefficients)
        chroma = buffer(12)
        firstBlockHops = max(1, Int((1.0 / format.hopSeconds).rounded()))
        blockHops = firstBlockHops
        blocks = buffer(Self.maxBlocks * centres.count)
        blockAccumulator = buffer(centres.count)
    }

    deinit {
        power.deallocate(); logMel.deallocate(); mfcc.deallocate(); mfccSum.deallocate(); mfccProducts.deallocate()
        chroma.deallocate(); blocks.deallocate(); blockAccumulator.deallocate()
    }

    public func reset() {
        mfccSum.update(repeating: 0); mfccProducts.update(repeating: 0); chroma.update(repeating: 0)
        blocks.update(repeating: 0); blockAccumulator.update(repeating: 0)
        voicedHops = 0; blockFill = 0; blockCount = 0; blockHops = firstBlockHops
    }

    public func process(_ hop: borrowing Hop) {
        let lr = hop.leftRe, li = hop.leftIm, rr = hop.rightRe, ri = hop.rightIm
        var total: Float = 0
        for k in 0..<format.binCount {
            let p = (lr[k] * lr[k] + li[k] * li[k] + rr[k] * rr[k] + ri[k] * ri[k]) * powerScale
            power[k] = p
            total += p
        }
        let bandCount = bandsHz.count
        for b in 0..<bandCount {
            var p: Float = 0
            for i in bandStart[b]..<bandStart[b + 1] { p += bandWeights[i] * power[bandBins[i]] }
            blockAccumulator[b] += Double(p)
        }
        blockFill += 1
        if blockFill >= blockHops { closeBlock(final: false) }

        guard Double(total) > Self.silencePower else { return }
        // The floor follows the hop's level (−100 dB under its total), so an empty band reads the same
        // relative level at any gain and a gain change still moves c0 alone.
        let floor = total * 1e-10
        for m in 0..<Self.melBands {
            var e: Float = 0
            for i in melStart[m]..<melStart[m + 1] { e += melWeights[i] * power[melBins[i]] }
            logMel[m] = 10 * log10(max(e, floor))
        }
        let c = Self.coefficients
        for j in 0..<c {
            var v: Float = 0
            for m in 0..<Self.melBands { v += dct[j * Self.melBands + m] * logMel[m] }
            mfcc[j] = Double(v)
            mfccSum[j] += Double(v)
        }
        for i in 0..<c {
            for j in i..<c { mfccProducts[i * c + j] += mfcc[i] * mfcc[j] }
        }
        for i in 0..<chromaBins.count { chroma[chromaClass[i]] += Double(chromaWeights[i] * power[chromaBins[i]]) }
        voicedHops += 1
    }

    private func closeBlock(final: Bool) {
        guard blockFill > 0 else { return }
        if blockCount == blockCapacity {
            mergeBlocksInPairs()
            // The open block is half as long as the merged ones: it goes on filling (the last one may end short).
            if !final && blockFill < blockHops { return }
        }
        let bands = bandsHz.count
        for b in 0..<bands {
            blocks[blockCount * bands + b] = blockAccumulator[b] / Double(blockFill)
            blockAccumulator[b] = 0
        }
        blockCount += 1
        blockFill = 0
    }

    /// Every two neighbouring blocks become one (mean power), and blocks are twice as long from now on.
    private func mergeBlocksInPairs() {
        let bands = bandsHz.count, half = blockCount / 2
        for i in 0..<half {
            for b in 0..<bands { blocks[i * bands + b] = (blocks[2 * i * bands + b] + blocks[(2 * i + 1) * bands + b]) / 2 }
        }
        for k in (half * bands)..<(blockCount * bands) { blocks[k] = 0 }
        blockCount = half
        blockHops *= 2
    }

    public func summarize(into analysis: inout TrackAnalysis, context: SummaryContext) {
        closeBlock(final: true)
        guard voicedHops > 0 else { return }
        let c = Self.coefficients, n = Double(voicedHops)
        let mean = (0..<c).map { mfccSum[$0] / n }
        var covariance: [Double] = []
        covariance.reserveCapacity(c * (c + 1) / 2)
        for i in 0..<c { for j in i..<c { covariance.append(mfccProducts[i * c + j] / n - mean[i] * mean[j]) } }
        let chromaTotal = (0..<12).reduce(0.0) { $0 + chroma[$1] }
        let chromaNorm = (0..<12).map { chromaTotal > 0 ? chroma[$0] / chromaTotal : 0 }

        let bands = bandsHz.count
        let blockSeconds = Double(blockHops) * format.hopSeconds
        let floorDB = -120.0
        func spectrum(_ kind: TrackAnalysis.SectionSpectrum.Kind, where include: (Double) -> Bool) -> TrackAnalysis.SectionSpectrum? {
            var chosen: [Int] = []
            for i in 0..<blockCount {
                var total = 0.0
                for b in 0..<bands { total += blocks[i * bands + b] }
                if total > Self.silencePower, include((Double(i) + 0.5) * blockSeconds) { chosen.append(i) }
            }
            guard chosen.count >= 2 else { return nil }
            var levels: [Double] = [], spreads: [Double] = []
            // A band's level in a block is floored 100 dB under the block's total, so the spread of an
            // empty band does not depend on the gain.
            let blockFloorDB = chosen.map { i in (0..<bands).reduce(0.0) { $0 + blocks[i * bands + $1] } }.map { 10 * log10($0) - 100 }
            for b in 0..<bands {
                var sum = 0.0, dbSum = 0.0, dbSquares = 0.0
                for (n, i) in chosen.enumerated() {
                    let p = blocks[i * bands + b]
                    sum += p
                    let db = p > 0 ? max(blockFloorDB[n], 10 * log10(p)) : blockFloorDB[n]
                    dbSum += db; dbSquares += db * db
                }
                let m = Double(chosen.count)
                levels.append(sum > 0 ? max(floorDB, 10 * log10(sum / m)) : floorDB)
                spreads.append(max(0, dbSquares / m - (dbSum / m) * (dbSum / m)).squareRoot())
            }
            return .init(kind: kind, levelsDB: levels, spreadDB: spreads, seconds: Double(chosen.count) * blockSeconds)
        }
        var sections: [TrackAnalysis.SectionSpectrum] = []
        if let whole = spectrum(.whole, where: { _ in true }) { sections.append(whole) }
        let found = analysis.sections ?? []
        for (kind, sectionKind) in [(TrackAnalysis.SectionSpectrum.Kind.drop, TrackAnalysis.SectionKind.drop), (.breakdown, .breakdown)] {
            let spans = found.filter { $0.kind == sectionKind }
            guard !spans.isEmpty else { continue }
            if let s = spectrum(kind, where: { t in spans.contains { t >= $0.startS && t < $0.endS } }) { sections.append(s) }
        }
        analysis.timbre = TrackAnalysis.Timbre(mfccMean: mean, mfccCovariance: covariance, chroma: chromaNorm, sections: sections)
    }
}
