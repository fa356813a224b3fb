import Foundation
import UpliftDSP
import UpliftModel

/// Sidechain pumping (Key Finding 3): how deeply and how regularly the level of the music under
/// the kick dips on each beat.
///
/// Per hop: the mono signal band-passed to 300 Hz–1.5 kHz (pads and bass harmonics; the kick's
/// body is 40 dB down through the fourth-order high-pass), its mean square stored every quarter
/// hop (about 3 ms). Summary: beats that carry a kick are folded onto 32 phase bins; the lower
/// quartile across beats per bin (robust to claps filling the dip on 2 and 4) is the profile.
/// Depth: from the profile's dip in the first half of the beat to its highest point after the
/// dip and after the kick's first 10 %. A dip that recovers at once is a new note's attack,
/// not a compressor's release, and does not count. Regularity is the coefficient of variation
/// of the per-beat depth.
public final class PumpingAnalyzer: HopExtractor {
    public static let phaseBins = 32
    public let format: STFTFormat
    private let tempo: TempoTracker
    private let blocksPerHop = 4
    private let blockLength: Int
    /// Live and in the rolling window's twins: the mean squares, per quarter hop.
    private let envelope: HopSeries
    /// Offline (`compact`): the same, as centi-decibels in two bytes each (the summary reads them
    /// in dB; 0.005 dB of rounding is far below any pump), growing in blocks as hops decode.
    private let levels: CentiDecibelSeries?
    private var highPass1: Biquad
    private var highPass2: Biquad
    private var lowPass: Biquad
    private let highPassCoefficients: BiquadCoefficients
    private let lowPassCoefficients: BiquadCoefficients

    /// `compact` (offline, `expectedFrames` known): the envelope in two bytes per value.
    public init(format: STFTFormat, expectedFrames: Int?, tempo: TempoTracker, compact: Bool = false) {
        self.format = format
        self.tempo = tempo
        blockLength = max(1, format.hopSize / blocksPerHop)
        let blocksPerHop = self.blocksPerHop
        levels = compact && expectedFrames != nil ? CentiDecibelSeries() : nil
        if levels != nil {
            envelope = HopSeries(capacity: 1)  // unused
        } else if let expectedFrames {
            envelope = HopSeries(growableReserving: HopSeries.initialHops(format: format, expectedFrames: expectedFrames) * blocksPerHop)
        } else {
            envelope = HopSeries(capacity: HopSeries(format: format, expectedFrames: nil).capacity * blocksPerHop)
        }
        highPassCoefficients = BiquadCoefficients(.highPass, frequencyHz: 300, q: 0.707, sampleRate: format.sampleRate)
        lowPassCoefficients = BiquadCoefficients(.lowPass, frequencyHz: 1500, q: 0.707, sampleRate: format.sampleRate)
        highPass1 = Biquad(highPassCoefficients); highPass2 = Biquad(highPassCoefficients)
        lowPass = Biquad(lowPassCoefficients)
    }

    public func process(_ hop: borrowing Hop) {
        let left = hop.left, right = hop.right
        var i = 0
        for _ in 0..<blocksPerHop {
            var sum = 0.0
            for _ in 0..<blockLength {
                let x = 0.5 * Double(left[i] + right[i])
                let y = lowPass.process(highPass2.process(highPass1.process(x)))
                sum += y * y
                i += 1
            }
            if let levels { levels.append(sum / Double(blockLength)) } else { envelope.append(Float(sum / Double(blockLength))) }
        }
    }

    public func reset() {
        envelope.reset(); levels?.reset()
        highPass1 = Biquad(highPassCoefficients); highPass2 = Biquad(highPassCoefficients); lowPass = Biquad(lowPassCoefficients)
    }

    /// Profile and per-beat depths of the last summary, for tests and the TUI.
    public private(set) var lastProfileDB: [Double] = []

    public func summarize(into analysis: inout TrackAnalysis, context: SummaryContext) {
        analysis.pumping = measure(beats: context.beatTimesS)
    }

    func measure(beats: [Double]) -> TrackAnalysis.Pumping {
        let none = TrackAnalysis.Pumping(depthDB: 0, depthLinear: 0, regularity: 0, class: .none)
        guard beats.count >= 9 else { return none }
        // Block k covers samples [k·L, (k+1)·L) from the first stored hop (the filter has no window delay).
        let env: (Int) -> Double, envCount: Int, firstSample: Double
        if let levels {
            env = { levels.meanSquare($0) }; envCount = levels.count; firstSample = 0
        } else {
            let values = envelope.toArray()
            env = { Double(values[$0]) }; envCount = values.count
            firstSample = Double(envelope.firstHop) * Double(blockLength)
        }
        let kickBeats = beatsWithKick(beats)
        guard kickBeats.count >= 8 else { return none }

        let bins = Self.phaseBins
        // Each kick beat's profile (32 values about its mean), paged: a long mix's beats go to disk.
        let rows = PagedBuffer<Double>(repeating: 0)
        var rowCount = 0
        for i in kickBeats {
            let t0 = beats[i], t1 = beats[i + 1]
            var sums = [Double](repeating: 0, count: bins), counts = [Int](repeating: 0, count: bins)
            let k0 = Int(((t0 * format.sampleRate - firstSample) / Double(blockLength)).rounded(.down))
            let k1 = Int(((t1 * format.sampleRate - firstSample) / Double(blockLength)).rounded(.up))
            guard k0 >= 0, k1 < envCount, k1 > k0 else { continue }
            for k in k0..<k1 {
                let centre = (firstSample + (Double(k) + 0.5) * Double(blockLength)) / format.sampleRate
                let phase = (centre - t0) / (t1 - t0)
                guard phase >= 0, phase < 1 else { continue }
                let b = min(bins - 1, Int(phase * Double(bins)))
                sums[b] += env(k); counts[b] += 1
            }
            guard counts.allSatisfy({ $0 > 0 }) else { continue }
            var db = (0..<bins).map { 10 * log10(sums[$0] / Double(counts[$0]) + 1e-12) }
            let loudest = db.max()!
            // Silent beats (a gap in the music) carry no pumping information.
            guard loudest > -90 else { continue }
            // Gaps between staccato notes would read as bottomless dips: 30 dB is deeper than any sidechain.
            db = db.map { max($0, loudest - 30) }
            let mean = db.reduce(0, +) / Double(bins)
            for b in 0..<bins { rows.append(db[b] - mean) }
            rowCount += 1
        }
        guard rowCount >= 8 else { return none }
        lastProfileDB = Self.profile(count: rowCount) { rows[$0 * bins + $1] }
        // Pumping where it pumps: eight-bar chunks of kick beats are measured apart, so an intro
        // of kick and rolling bass does not average away the pads' pumping in the drop.
        let chunk = 32
        var depths: [Double] = [], perBeat: [Double] = []
        var chunks = 0
        var start = 0
        while start < rowCount {
            let slice = (start..<min(rowCount, start + chunk)).map { r in (0..<bins).map { rows[r * bins + $0] } }
            start += chunk
            guard slice.count >= chunk / 2 else { continue }
            chunks += 1
            let shape = Self.profile(slice)
            guard let m = Self.depth(profile: shape, raw: Self.profile(slice, smoothed: false)) else { continue }
            depths.append(m)
            // Per-beat depth: the beat's row regressed on the chunk's profile (all 32 bins, so a
            // supersaw's beating averages out), times the profile's depth.
            let centred = shape.map { $0 - shape.reduce(0, +) / Double(shape.count) }
            let norm = centred.reduce(0) { $0 + $1 * $1 }
            // Each beat is read together with its neighbours (three-beat average) so that slow
            // beating between detuned voices, which is not the pump, does not read as irregularity.
            for i in slice.indices where norm > 0 {
                var dot = 0.0
                let neighbours = max(0, i - 1)...min(slice.count - 1, i + 1)
                for j in neighbours { for b in 0..<Self.phaseBins { dot += slice[j][b] * centred[b] } }
                dot /= Double(neighbours.count)
                perBeat.append(1 - pow(10, -max(0, dot / norm * m) / 20))
            }
        }
        guard !depths.isEmpty, Double(depths.count) >= max(1, 0.25 * Double(chunks)) else { return none }
        let depthDB = RhythmMath.median(depths)
        let mean = perBeat.reduce(0, +) / Double(perBeat.count)
        let sd = (perBeat.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(perBeat.count)).squareRoot()
        let regularity = mean > 0 ? sd / mean : 0
        let linear = 1 - pow(10, -depthDB / 20)
        return TrackAnalysis.Pumping(depthDB: depthDB, depthLinear: linear, regularity: regularity,
                                     class: Self.classify(depthDB: depthDB, regularity: regularity))
    }

    /// Lower quartile across beats, per phase bin.
    /// Lightly smoothed across neighbouring bins: the max and min of a noisy profile overstate its range.
    static func profile(_ rows: [[Double]], smoothed: Bool = true) -> [Double] {
        profile(count: rows.count, smoothed: smoothed) { rows[$0][$1] }
    }

    /// The same over `count` rows read by (row, bin), without a copy of a bin's column: each bin's
    /// lower quartile (`RhythmMath.percentile`'s interpolation) from its two order statistics.
    static func profile(count: Int, smoothed: Bool = true, value: (Int, Int) -> Double) -> [Double] {
        let raw = (0..<phaseBins).map { b in
            OrderStatistic.percentile(0.25, count: count) { body in for r in 0..<count { body(value(r, b)) } }
        }
        guard smoothed else { return raw }
        return raw.indices.map { b in
            0.25 * raw[max(b - 1, 0)] + 0.5 * raw[b] + 0.25 * raw[min(b + 1, raw.count - 1)]
        }
    }

    /// Depth of a profile from its dip (first half of the beat) to its highest point after the dip
    /// and after the kick's first 10 %; nil when there is no dip or the level comes back at once
    /// (a note's attack after a gap, not a compressor's release).
    static func depth(profile: [Double], raw: [Double]) -> Double? {
        let bins = profile.count
        let kickBins = max(1, bins / 10)
        let dip = (0..<(bins / 2)).min { profile[$0] < profile[$1] }!
        let afterDip = max(dip + 1, kickBins)
        guard afterDip < bins else { return nil }
        let peakBin = (afterDip..<bins).max { profile[$0] < profile[$1] }!
        let depthDB = profile[peakBin] - profile[dip]
        guard depthDB > 0.5 else { return nil }
        // On the unsmoothed profile, going from 25 % to 75 % of the recovery must take more than one bin.
        let quarter = raw[dip] + 0.25 * depthDB, threeQuarters = raw[dip] + 0.75 * depthDB
        let reachQuarter = (dip...peakBin).first { raw[$0] >= quarter } ?? peakBin
        let reachThreeQuarters = (dip...peakBin).first { raw[$0] >= threeQuarters } ?? peakBin
        guard reachThreeQuarters - reachQuarter >= 2 else { return nil }
        return depthDB
    }

    /// The seed's table: heavy > 8 dB with regularity < 0.1, moderate 4–8 dB (or deeper but
    /// less regular) with regularity < 0.15, otherwise none.
    public static func classify(depthDB: Double, regularity: Double) -> TrackAnalysis.PumpingClass {
        if depthDB > 8, regularity < 0.1 { return .heavy }
        if depthDB >= 4, regularity < 0.15 { return .moderate }
        return .none
    }

    /// Beats (indices into `beats`, each with a following beat) that start with a kick-band onset.
    private func beatsWithKick(_ beats: [Double]) -> [Int] {
        let low = tempo.onsetLow  // read in place, no copy of the track
        let f = tempo.format
        func hop(_ t: Double) -> Int {
            Int(((t + 0.5 * Double(f.windowSize) / f.sampleRate) / f.hopSeconds - 1 - Double(tempo.onsetLow.firstHop)).rounded())
        }
        var strengths: [Double] = []
        for i in 0..<(beats.count - 1) {
            let c = hop(beats[i])
            let lo = max(0, c - 2), hi = min(low.count - 1, c + 2)
            var m = lo <= hi ? Double(low[lo]) : 0, k = lo + 1
            while k <= hi { m = max(m, Double(low[k])); k += 1 }
            strengths.append(m)
        }
        let reference = RhythmMath.percentile(strengths, 0.9)
        guard reference > 0 else { return [] }
        return strengths.indices.filter { strengths[$0] >= 0.4 * reference }
    }
}

extension PumpingAnalyzer: WindowCopyable {
    public var checkpointSize: Int { 0 }
    public func writeCheckpoint(into sums: UnsafeMutablePointer<Double>) {}
    public func copyWindow(into twin: any HopExtractor, hops: Int, checkpoint: UnsafePointer<Double>) {
        let twin = twin as! PumpingAnalyzer
        twin.envelope.copyRecent(hops * blocksPerHop, from: envelope)
    }
}

/// A growing record of mean squares kept as centi-decibels (Int16: −327…+327 dB in 0.01 dB steps),
/// paged like an offline `HopSeries` (a long mix's record goes to a temporary file, not memory).
final class CentiDecibelSeries: RetainedHistory {
    private let values = PagedBuffer<Int16>(repeating: 0, blockShift: Paging.blockShift + 2)  // 4 values a hop
    var count: Int { values.count }

    /// Bytes in memory for the values (the resident blocks).
    var retainedBytes: Int { values.residentBytes }

    @inline(__always)
    func append(_ meanSquare: Double) {
        let db = 10 * log10(meanSquare + 1e-30)
        values.append(Int16(clamping: Int((db * 100).rounded())))
    }

    /// The `i`-th mean square, back from centi-decibels.
    func meanSquare(_ i: Int) -> Double { pow(10, Double(values[i]) / 1000) }

    func reset() { values.removeAll() }
}
