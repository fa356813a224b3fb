import Foundation
import UpliftDSP
import UpliftModel

/// ITU-R BS.1770-4 / EBU R128 loudness: K-weighted momentary (400 ms), short-term (3 s) and
/// gated integrated loudness, loudness range (EBU Tech 3342), 4× true peak and sample peak.
///
/// Both channels are weighted 1 (the file is stereo by the time it reaches the engine). Mean
/// squares are kept per 100 ms block; momentary and short-term values are the means of the last
/// 4 and 30 blocks, so both refresh every 100 ms (Tech 3341 asks for ≥ 10 Hz). Integrated loudness
/// gates the 400 ms blocks (75 % overlap) at −70 LUFS absolute and −10 LU relative; loudness
/// range gates the short-term values at −70 LUFS and −20 LU and takes the 10th–95th percentile.
/// Silence reads −infinity, never NaN.
///
/// Offline (`expectedFrames` known) every 100 ms block is stored in preallocated buffers and the
/// summary is exact; live, histograms of 0.1 LU keep memory fixed however long the input runs.
public final class LoudnessMeter: HopExtractor {
    public static let absoluteGateLUFS = -70.0
    public static let integratedRelativeGateLU = -10.0
    public static let rangeRelativeGateLU = -20.0

    public let sampleRate: Double
    public let blockFrames: Int

    // MARK: Live values (updated every 100 ms block; read them between hops)

    public private(set) var momentaryLUFS = -Double.infinity
    public private(set) var shortTermLUFS = -Double.infinity
    /// Gated integrated loudness of everything so far (computed on read from 0.1 LU histograms).
    public var integratedLUFS: Double { momentaryHistogram.gatedLoudness(relativeGateLU: Self.integratedRelativeGateLU) }
    /// Loudness range of everything so far (0 until two short-term values pass the gates).
    public var loudnessRangeLU: Double { shortTermHistogram.loudnessRange() }
    public private(set) var momentaryMaxLUFS = -Double.infinity
    public private(set) var shortTermMaxLUFS = -Double.infinity
    /// Maximum true peak so far, dBTP.
    public var truePeakDBTP: Double { Self.decibels(amplitude: Double(truePeakLinear)) }
    public var samplePeakDBFS: Double { Self.decibels(amplitude: Double(samplePeakLinear)) }

    /// Short-term loudness every 100 ms, oldest first, at most `historyCapacity` values (allocates:
    /// call it when publishing a snapshot, not per hop).
    public var shortTermHistory: [Double] {
        let n = min(historyCount, historyCapacity)
        return (0..<n).map { history[(historyCount - n + $0) % historyCapacity] }
    }
    public let historyCapacity = 600

    // MARK: State

    private let shelf: BiquadCoefficients
    private let highPass: BiquadCoefficients
    private var shelfZ1 = SIMD2<Double>(), shelfZ2 = SIMD2<Double>()
    private var highPassZ1 = SIMD2<Double>(), highPassZ2 = SIMD2<Double>()
    private var blockFill = 0
    private var blockSum = 0.0
    /// The last 30 block powers (a ring) for the sliding momentary and short-term windows.
    private var recentBlocks = [Double](repeating: 0, count: 30)
    private var blocksSeen = 0

    private var momentaryHistogram = LoudnessHistogram()
    private var shortTermHistogram = LoudnessHistogram()
    /// Exact stores (offline): momentary and short-term block powers, as they decode (paged: a long
    /// mix's go to a temporary file, not memory). Live: unused, the histograms give the readings.
    private let storesGrow: Bool
    private let momentaryStore = PagedBuffer<Double>(repeating: 0)
    private let shortTermStore = PagedBuffer<Double>(repeating: 0)

    private var history: [Double]
    private var historyCount = 0

    private let interpolator: TruePeakInterpolator
    private var truePeakLinear: Float = 0
    private var samplePeakLinear: Float = 0
    private var previousHopPeak: Float = 0

    public init(format: STFTFormat, expectedFrames: Int?) {
        sampleRate = format.sampleRate
        let blockFrames = max(1, Int((format.sampleRate / 10).rounded()))
        self.blockFrames = blockFrames
        shelf = KWeighting.shelf(sampleRate: format.sampleRate)
        highPass = KWeighting.highPass(sampleRate: format.sampleRate)
        storesGrow = expectedFrames != nil
        history = [Double](repeating: -.infinity, count: historyCapacity)
        interpolator = TruePeakInterpolator(maxFrames: format.hopSize)
    }

    public func reset() {
        shelfZ1 = .zero; shelfZ2 = .zero; highPassZ1 = .zero; highPassZ2 = .zero
        blockFill = 0; blockSum = 0; blocksSeen = 0
        for i in 0..<recentBlocks.count { recentBlocks[i] = 0 }
        momentaryHistogram.reset(); shortTermHistogram.reset()
        momentaryStore.removeAll(); shortTermStore.removeAll()
        historyCount = 0
        momentaryLUFS = -.infinity; shortTermLUFS = -.infinity
        momentaryMaxLUFS = -.infinity; shortTermMaxLUFS = -.infinity
        truePeakLinear = 0; samplePeakLinear = 0; previousHopPeak = 0
    }

    public func process(_ hop: borrowing Hop) {
        let frames = hop.validFrames
        guard frames > 0 else { return }
        let left = hop.left.baseAddress!, right = hop.right.baseAddress!

        // Sample peak of the hop (also the bound that lets the true-peak FIR skip quiet hops).
        var hopPeak: Float = 0
        var i = 0
        while i < frames {
            let l = abs(left[i]), r = abs(right[i])
            if l > hopPeak { hopPeak = l }
            if r > hopPeak { hopPeak = r }
            i += 1
        }
        samplePeakLinear = max(samplePeakLinear, hopPeak)
        updateTruePeak(hop, frames: frames, hopPeak: hopPeak)

        // K-weighting and 100 ms mean squares, split at block boundaries.
        var start = 0
        while start < frames {
            let count = min(frames - start, blockFrames - blockFill)
            blockSum += filterAndSquare(left: left + start, right: right + start, count: count)
            blockFill += count
            start += count
            if blockFill == blockFrames { completeBlock() }
        }
    }

    /// Runs both K-weighting stages on both channels and returns Σ(l² + r²). Scalar on purpose:
    /// the two channels are independent chains the CPU overlaps, and it stays fast in debug builds.
    @inline(__always)
    private func filterAndSquare(left: UnsafePointer<Float>, right: UnsafePointer<Float>, count: Int) -> Double {
        let s = shelf, h = highPass
        var lz1 = shelfZ1.x, lz2 = shelfZ2.x, rz1 = shelfZ1.y, rz2 = shelfZ2.y
        var lw1 = highPassZ1.x, lw2 = highPassZ2.x, rw1 = highPassZ1.y, rw2 = highPassZ2.y
        var sumLeft = 0.0, sumRight = 0.0
        var i = 0
        while i < count {
            let xl = Double(left[i]), xr = Double(right[i])
            let yl = s.b0 * xl + lz1, yr = s.b0 * xr + rz1
            lz1 = s.b1 * xl - s.a1 * yl + lz2; rz1 = s.b1 * xr - s.a1 * yr + rz2
            lz2 = s.b2 * xl - s.a2 * yl; rz2 = s.b2 * xr - s.a2 * yr
            let kl = h.b0 * yl + lw1, kr = h.b0 * yr + rw1
            lw1 = h.b1 * yl - h.a1 * kl + lw2; rw1 = h.b1 * yr - h.a1 * kr + rw2
            lw2 = h.b2 * yl - h.a2 * kl; rw2 = h.b2 * yr - h.a2 * kr
            sumLeft += kl * kl
            sumRight += kr * kr
            i += 1
        }
        shelfZ1 = SIMD2(lz1, rz1); shelfZ2 = SIMD2(lz2, rz2)
        highPassZ1 = SIMD2(lw1, rw1); highPassZ2 = SIMD2(lw2, rw2)
        return sumLeft + sumRight
    }

    /// True peak of the hop, interpolating only where it could matter: a 32-frame stretch whose
    /// samples (with the 15 before, which the filter also reads) bound every interpolated point
    /// below the running maximum is skipped. The bound is exact, so skipping changes no reading;
    /// in music the loud stretches are few, so most of the FIR work is avoided.
    private func updateTruePeak(_ hop: borrowing Hop, frames: Int, hopPeak: Float) {
        truePeakLinear = max(truePeakLinear, hopPeak)
        let bound = interpolator.gainBound
        let reach = TruePeakInterpolator.tapsPerPhase - 1
        // The previous hop's tail is read too, so compare with the larger of the two peaks.
        let hopBound = max(hopPeak, previousHopPeak) * bound
        previousHopPeak = hopPeak
        guard hopBound > truePeakLinear else { return }
        let left = hop.windowLeft.baseAddress!, right = hop.windowRight.baseAddress!
        let first = hop.windowLeft.count - hop.format.hopSize
        let end = first + frames
        var start = first
        while start < end {
            let stop = min(start + Self.truePeakStretch, end)
            var local: Float = 0
            var i = start - reach
            while i < stop {
                let l = abs(left[i]), r = abs(right[i])
                if l > local { local = l }
                if r > local { local = r }
                i += 1
            }
            if local * bound > truePeakLinear {
                truePeakLinear = max(truePeakLinear,
                                     interpolator.peak(of: left, from: start, to: stop),
                                     interpolator.peak(of: right, from: start, to: stop))
            }
            start = stop
        }
    }

    private static let truePeakStretch = 32

    private func completeBlock() {
        let power = blockSum / Double(blockFrames)
        blockSum = 0
        blockFill = 0
        recentBlocks[blocksSeen % recentBlocks.count] = power
        blocksSeen += 1

        if blocksSeen >= 4 {
            let momentaryPower = meanOfRecent(4)
            momentaryLUFS = Self.lufs(power: momentaryPower)
            momentaryMaxLUFS = max(momentaryMaxLUFS, momentaryLUFS)
            momentaryHistogram.add(power: momentaryPower)
            if storesGrow { momentaryStore.append(momentaryPower) }
        }
        if blocksSeen >= 30 {
            let shortPower = meanOfRecent(30)
            shortTermLUFS = Self.lufs(power: shortPower)
            shortTermMaxLUFS = max(shortTermMaxLUFS, shortTermLUFS)
            shortTermHistogram.add(power: shortPower)
            if storesGrow { shortTermStore.append(shortPower) }
        } else {
            // Before 3 s have passed, show the short-term value over what there is.
            shortTermLUFS = Self.lufs(power: meanOfRecent(blocksSeen))
        }
        history[historyCount % historyCapacity] = shortTermLUFS
        historyCount += 1
    }

    private func meanOfRecent(_ n: Int) -> Double {
        var sum = 0.0
        for k in 1...n { sum += recentBlocks[(blocksSeen - k) % recentBlocks.count] }
        return sum / Double(n)
    }

    public func summarize(into analysis: inout TrackAnalysis, context: SummaryContext) {
        let exact = storesGrow
        let integrated: Double
        let range: Double
        if exact {
            integrated = Self.gatedLoudness(momentaryStore, relativeGateLU: Self.integratedRelativeGateLU)
            range = Self.loudnessRange(shortTermStore)
        } else {
            integrated = momentaryHistogram.gatedLoudness(relativeGateLU: Self.integratedRelativeGateLU)
            range = shortTermHistogram.loudnessRange()
        }
        let truePeak = truePeakDBTP
        // PLR only means something when both ends were measured; silence has neither.
        let plr = integrated.isFinite && truePeak.isFinite ? truePeak - integrated : -Double.infinity
        analysis.loudness = TrackAnalysis.Loudness(
            integratedLUFS: integrated, lraLU: range, truePeakDBTP: truePeak, samplePeakDBFS: samplePeakDBFS,
            shortTermMaxLUFS: shortTermMaxLUFS, momentaryMaxLUFS: momentaryMaxLUFS, plrDB: plr)
    }

    // MARK: Exact gating (offline summary)

    /// BS.1770 gating over block powers: absolute −70 LUFS, then `relativeGateLU` below the mean.
    static func gatedLoudness(_ powers: PagedBuffer<Double>, relativeGateLU: Double) -> Double {
        let absoluteGate = power(lufs: absoluteGateLUFS)
        guard let mean = gatedMean(powers, above: absoluteGate) else { return -.infinity }
        guard let gated = gatedMean(powers, above: power(lufs: lufs(power: mean) + relativeGateLU)) else { return -.infinity }
        return lufs(power: gated)
    }

    /// Mean of the powers above `gate`, in one pass over the store (summed in order, as a filtered
    /// array's sum), nil when none is.
    private static func gatedMean(_ powers: PagedBuffer<Double>, above gate: Double) -> Double? {
        var sum = 0.0, count = 0
        for i in 0..<powers.count where powers[i] > gate { sum += powers[i]; count += 1 }
        return count > 0 ? sum / Double(count) : nil
    }

    /// EBU Tech 3342 over short-term powers: gates −70 LUFS and −20 LU, then the 10th to 95th
    /// percentile of the loudness values that remain (0 when fewer than two remain). The percentiles'
    /// neighbours are found by counting (`OrderStatistic`), not by sorting a copy: loudness rises with
    /// power, so the k-th smallest loudness is that of the k-th smallest power.
    static func loudnessRange(_ powers: PagedBuffer<Double>) -> Double {
        let absoluteGate = power(lufs: absoluteGateLUFS)
        guard let mean = gatedMean(powers, above: absoluteGate) else { return 0 }
        let relativeGate = power(lufs: lufs(power: mean) + rangeRelativeGateLU)
        var count = 0
        for i in 0..<powers.count where powers[i] > absoluteGate && powers[i] > relativeGate { count += 1 }
        guard count >= 2 else { return 0 }
        func loudness(rank: Int) -> Double {
            lufs(power: OrderStatistic.select(rank: rank) { body in
                for i in 0..<powers.count where powers[i] > absoluteGate && powers[i] > relativeGate { body(powers[i]) }
            })
        }
        func percentile(_ p: Double) -> Double {
            let position = p * Double(count - 1)
            let low = Int(position.rounded(.down)), high = min(low + 1, count - 1)
            let lowValue = loudness(rank: low)
            return lowValue + (loudness(rank: high) - lowValue) * (position - Double(low))
        }
        return percentile(0.95) - percentile(0.10)
    }

    /// Loudness of a K-weighted mean square summed over channels: −0.691 + 10 log10(power).
    static func lufs(power: Double) -> Double { power > 0 ? -0.691 + 10 * log10(power) : -.infinity }
    static func power(lufs: Double) -> Double { pow(10, (lufs + 0.691) / 10) }
    static func decibels(amplitude: Double) -> Double { amplitude > 0 ? 20 * log10(amplitude) : -.infinity }
}

// MARK: - Live readings for the studio's Loudness pane

extension LoudnessMeter: LiveLoudnessSource {
    /// Copies the running figures into the snapshot; the history is rewritten in place, so once its
    /// capacity is reached (600 values) publishing does not allocate.
    public func readLiveLoudness(into loudness: inout AnalysisSnapshot.LiveLoudness) {
        loudness.momentaryLUFS = momentaryLUFS
        loudness.shortTermLUFS = shortTermLUFS
        loudness.integratedLUFS = integratedLUFS
        loudness.truePeakDBTP = truePeakDBTP
        loudness.lraLU = loudnessRangeLU
        let n = min(historyCount, historyCapacity)
        loudness.shortTermHistory.removeAll(keepingCapacity: true)
        loudness.shortTermHistory.reserveCapacity(historyCapacity)
        for i in 0..<n { loudness.shortTermHistory.append(history[(historyCount - n + i) % historyCapacity]) }
    }
}
