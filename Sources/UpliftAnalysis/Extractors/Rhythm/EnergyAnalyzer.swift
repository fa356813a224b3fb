import Foundation
import UpliftDSP
import UpliftModel

/// The energy curve (per beat and per bar: RMS, spectral centroid, bass ratio, derivative) and the
/// sections of the arrangement, labelled with the seed's table after normalizing within the track:
/// breakdown RMS < 0.3 and bass < 0.2; buildup 0.3–0.7, rising; drop RMS > 0.7 and bass > 0.5.
/// Each point also carries its stereo width (side/mid energy), so drops and breakdowns can be
/// compared on width with the references' drops and breakdowns.
///
/// Digital silence (hops below −80 dBFS for at least `silenceMinimumS`) at the start, at the end or
/// inside the track is not music: the curve and the sections cover the music only (silent bars
/// inside are left out of both) and the silence is reported in `TrackAnalysis.silence`, so 60 s of
/// silence after an export is never an "outro 60 dB quieter than the references'".
public final class EnergyAnalyzer: HopExtractor {
    /// A hop's mean square below this (−80 dBFS) is digital silence (dither sits near −90 to −100).
    public static let silenceMeanSquare: Float = 1e-8
    /// Shorter pauses are music (a stop before the drop).
    public static let silenceMinimumS = 1.0
    public let format: STFTFormat
    /// Per hop (live, and the rolling window's twins, which copy ranges of hops).
    private let meanSquare, power, bassPower, weightedFrequency, magnitudeSum, midSquare, sideSquare: HopSeries
    /// Offline (`hopsPerBlock` > 1): the same seven values summed per block of hops instead, so a
    /// long mix keeps a fraction of them (the curve only ever adds them up over beats and bars).
    private let blockSums: [HopBlockSums]
    private let bassBins: Int
    /// Hops per stored value offline: 4 (46 ms at 44.1 kHz), a tenth of a beat at 140 BPM.
    public static let offlineHopsPerBlock = 4
    /// Bass ratio = energy below this (kick and bass, under the pads' range) over all energy.
    public static let bassEdgeHz = 150.0

    /// `hopsPerBlock` > 1 (offline, `expectedFrames` known): block sums instead of per-hop series.
    public init(format: STFTFormat, expectedFrames: Int?, hopsPerBlock: Int = 1) {
        self.format = format
        let blocked = expectedFrames != nil && hopsPerBlock > 1
        // Blocked, the per-hop series are one-value placeholders (never appended to).
        func series() -> HopSeries { blocked ? HopSeries(capacity: 1) : HopSeries(format: format, expectedFrames: expectedFrames) }
        meanSquare = series(); power = series(); bassPower = series(); weightedFrequency = series(); magnitudeSum = series()
        midSquare = series(); sideSquare = series()
        blockSums = blocked ? (0..<7).map { _ in HopBlockSums(format: format, expectedFrames: expectedFrames!, hopsPerBlock: hopsPerBlock) } : []
        bassBins = Int(Self.bassEdgeHz / format.binHz)
    }

    public func process(_ hop: borrowing Hop) {
        var ms: Float = 0, mid2: Float = 0, side2: Float = 0
        for i in 0..<hop.validFrames {
            let l = hop.left[i], r = hop.right[i]
            ms += 0.5 * (l * l + r * r)
            let m = 0.5 * (l + r), s = 0.5 * (l - r)
            mid2 += m * m; side2 += s * s
        }
        let meanSquareValue = ms / Float(max(hop.validFrames, 1))
        let mag = hop.monoMagnitude
        var p: Float = 0, bass: Float = 0, fw: Float = 0, msum: Float = 0
        let binHz = Float(format.binHz)
        for k in 1..<mag.count {
            let m = mag[k], e = m * m
            p += e
            if k <= bassBins { bass += e }
            fw += Float(k) * binHz * m
            msum += m
        }
        if blockSums.isEmpty {
            meanSquare.append(meanSquareValue); midSquare.append(mid2); sideSquare.append(side2)
            power.append(p); bassPower.append(bass); weightedFrequency.append(fw); magnitudeSum.append(msum)
        } else {
            blockSums[0].append(meanSquareValue); blockSums[1].append(p); blockSums[2].append(bass)
            blockSums[3].append(fw); blockSums[4].append(msum); blockSums[5].append(mid2); blockSums[6].append(side2)
        }
    }

    public func reset() {
        for s in [meanSquare, power, bassPower, weightedFrequency, magnitudeSum, midSquare, sideSquare] { s.reset() }
        for s in blockSums { s.reset() }
    }

    /// Hops held and the hop index of the first.
    private var held: (count: Int, firstHop: Int) {
        blockSums.first.map { ($0.hopCount, 0) } ?? (meanSquare.count, meanSquare.firstHop)
    }

    /// Sums of the seven values over held hops `a..<b` (0-based from the first held):
    /// mean square, power, bass power, weighted frequency, magnitude sum, mid², side².
    private func sums(_ a: Int, _ b: Int) -> [Double] {
        if !blockSums.isEmpty { return blockSums.map { $0.sum(a, b) } }
        var out = [Double](repeating: 0, count: 7)
        for i in a..<b {
            out[0] += Double(meanSquare[i]); out[1] += Double(power[i]); out[2] += Double(bassPower[i])
            out[3] += Double(weightedFrequency[i]); out[4] += Double(magnitudeSum[i])
            out[5] += Double(midSquare[i]); out[6] += Double(sideSquare[i])
        }
        return out
    }

    /// One point of the curve, with its normalized values and derivative (per beat or per bar).
    public struct Point: Sendable {
        public var startS: Double
        public var endS: Double
        public var rmsDB: Double
        public var centroidHz: Double
        public var bassRatio: Double
        /// Side energy over mid energy (0 mono; +inf when only side; 0 for silence).
        public var sideMidRatio: Double
        /// Change of `rmsDB` from the previous point to the next, per point (dB).
        public var derivativeDB: Double
    }

    /// Live rolling summaries: the window ends mid-arrangement, so its last section, when rising
    /// and not a drop, is a buildup even though no drop follows yet.
    public var rollingEdge = false
    /// Normalized energy (or brightness) rise per bar that makes a window's last section a buildup:
    /// steeper than the offline rule (0.02) because a breakdown's pads fading in also rise.
    static let rollingBuildupSlope = 0.05

    /// Per-beat points of the last summary (empty without a beat grid).
    public private(set) var beatCurve: [Point] = []
    /// Per-bar points of the last summary.
    public private(set) var barCurve: [Point] = []

    public func summarize(into analysis: inout TrackAnalysis, context: SummaryContext) {
        let (n, firstHop) = held
        guard n > 0 else { return }
        let hopS = format.hopSeconds
        let silent = silentRuns()
        analysis.silence = silent.map { TrackAnalysis.SilenceSpan(startS: Double(firstHop + $0.lowerBound) * hopS,
                                                                   endS: Double(firstHop + $0.upperBound) * hopS) }
        // The music's span: leading and trailing silence cut off.
        let musicFirst = silent.first.map { $0.lowerBound == 0 ? $0.upperBound : 0 } ?? 0
        let musicEnd = silent.last.map { $0.upperBound == n ? $0.lowerBound : n } ?? n
        guard musicEnd > musicFirst else { analysis.energy = TrackAnalysis.Energy(curve: []); return }
        let inside = silent.filter { $0.lowerBound > musicFirst && $0.upperBound < musicEnd }
        let endS = Double(firstHop + musicEnd) * hopS
        let startS = Double(firstHop + musicFirst) * hopS
        let removedFront = context.beatTimesS.prefix { $0 < startS - 0.05 }.count
        let beats = context.beatTimesS.filter { $0 >= startS - 0.05 && $0 < endS }
        var barEdges: [Double]
        if beats.count >= 8 {
            beatCurve = points(edges: [startS] + beats.filter { $0 > startS } + [endS])
            // Bars start at the downbeat; a pick-up before it is a bar of its own.
            let d = ((min(max(context.firstDownbeatIndex, 0), 3) - removedFront) % 4 + 4) % 4
            barEdges = stride(from: d, to: beats.count, by: 4).map { beats[$0] }
            // Past the last beat the grid continues at the last bar length.
            if let last = barEdges.last, barEdges.count >= 2 {
                let barLength = last - barEdges[barEdges.count - 2]
                var t = last + barLength
                while t < endS - 0.5 * barLength { barEdges.append(t); t += barLength }
            }
            barEdges = [startS] + barEdges.filter { $0 > startS + 0.05 && $0 < endS - 0.05 } + [endS]
        } else {
            // No beat: two-second blocks stand in for bars, and no sections are claimed.
            beatCurve = []
            barEdges = Array(stride(from: startS, to: endS, by: 2.0)) + [endS]
        }
        barCurve = points(edges: barEdges)
        // Bars that are mostly silence inside the music are left out of the curve and the sections.
        if !inside.isEmpty {
            func silentShare(_ p: Point) -> Double {
                let a = Int((p.startS / hopS).rounded()) - firstHop, b = Int((p.endS / hopS).rounded()) - firstHop
                guard b > a else { return 0 }
                return Double(inside.reduce(0) { $0 + max(0, min(b, $1.upperBound) - max(a, $1.lowerBound)) }) / Double(b - a)
            }
            barCurve = barCurve.filter { silentShare($0) < 0.5 }
            beatCurve = beatCurve.filter { silentShare($0) < 0.5 }
        }
        analysis.energy = TrackAnalysis.Energy(curve: barCurve.map {
            TrackAnalysis.EnergyPoint(tS: $0.startS, rmsDB: $0.rmsDB, centroidHz: $0.centroidHz, bassRatio: $0.bassRatio,
                                      sideMidRatio: $0.sideMidRatio)
        })
        if beats.count >= 8, barCurve.count >= 4 {
            analysis.sections = Self.sections(bars: barCurve, rollingEdge: rollingEdge)
        }
    }

    /// Runs of silent hops at least `silenceMinimumS` long, as hop ranges relative to the first stored hop.
    /// Offline the hops are held as block sums: silence is then found a block (4 hops, 46 ms) at a time.
    func silentRuns() -> [Range<Int>] {
        let n = held.count, minimum = max(1, Int(Self.silenceMinimumS / format.hopSeconds))
        let step = blockSums.isEmpty ? 1 : Self.offlineHopsPerBlock
        func meanSquareOf(_ a: Int, _ b: Int) -> Double {
            if let series = blockSums.first { return series.sum(a, b) / Double(b - a) }
            return Double(meanSquare[a])  // per hop: step is 1
        }
        var runs: [Range<Int>] = [], start: Int?
        var i = 0
        while i <= n {
            let end = min(n, i + step)
            let quiet = i < n && meanSquareOf(i, end) < Double(Self.silenceMeanSquare)
            if quiet, start == nil { start = i }
            if !quiet, let s = start {
                if i - s >= minimum { runs.append(s..<i) }
                start = nil
            }
            if i == n { break }
            i = end
        }
        return runs
    }

    private func points(edges: [Double]) -> [Point] {
        let hopS = format.hopSeconds, (n, firstHop) = held
        var out: [Point] = []
        out.reserveCapacity(max(0, edges.count - 1))  // a point a beat on a long mix: grown by doubling it held twice that
        for j in 0..<(edges.count - 1) {
            let a = max(0, Int((edges[j] / hopS).rounded()) - firstHop)
            let b = min(n, Int((edges[j + 1] / hopS).rounded()) - firstHop)
            guard b > a else { continue }
            let s = sums(a, b)
            let ms = s[0], p = s[1], bass = s[2], fw = s[3], msum = s[4], mid2 = s[5], side2 = s[6]
            let width = mid2 > 0 ? side2 / mid2 : (side2 > 0 ? Double.infinity : 0)
            let rms = ms / Double(b - a)
            out.append(Point(startS: edges[j], endS: edges[j + 1], rmsDB: rms > 0 ? 10 * log10(rms) : -.infinity,
                             centroidHz: msum > 0 ? fw / msum : 0, bassRatio: p > 0 ? bass / p : 0, sideMidRatio: width,
                             derivativeDB: 0))
        }
        for j in out.indices {
            let prev = out[max(j - 1, 0)].rmsDB, next = out[min(j + 1, out.count - 1)].rmsDB
            let span = Double(min(j + 1, out.count - 1) - max(j - 1, 0))
            out[j].derivativeDB = span > 0 && prev.isFinite && next.isFinite ? (next - prev) / span : 0
        }
        return out
    }

    // MARK: - Sections

    /// Bar features scaled to 0…1 within the track (5th to 95th percentile), as the seed's table asks.
    struct NormalizedBar { var energy, bass, brightness: Double }

    /// Each scale spans at least `minimumRange` (3 dB, 0.15 of bass ratio, half an octave of
    /// centroid), so a loop without an arrangement is not blown up into sections.
    static func normalize(_ bars: [Point]) -> [NormalizedBar] {
        func scale(_ x: [Double], minimumRange: Double) -> [Double] {
            let finite = x.filter(\.isFinite)
            let lo = RhythmMath.percentile(finite, 0.05), hi = max(RhythmMath.percentile(finite, 0.95), lo + minimumRange)
            return x.map { v in v.isFinite ? min(max((v - lo) / (hi - lo), 0), 1) : 0 }
        }
        let e = scale(bars.map(\.rmsDB), minimumRange: 3), q = scale(bars.map(\.bassRatio), minimumRange: 0.15)
        let c = scale(bars.map { log2(max($0.centroidHz, 20)) }, minimumRange: 0.5)
        return bars.indices.map { NormalizedBar(energy: e[$0], bass: q[$0], brightness: c[$0]) }
    }

    /// Novelty segmentation of the bars, then labels from the table and from position: the first
    /// section is the intro, sections after the last drop the outro, a section rising into a
    /// drop the buildup, other quieter middle sections breakdowns.
    static func sections(bars: [Point], rollingEdge: Bool = false) -> [TrackAnalysis.Section] {
        let norm = normalize(bars)
        let n = norm.count
        func mean(_ r: Range<Int>, _ f: (NormalizedBar) -> Double) -> Double {
            r.isEmpty ? 0 : r.reduce(0) { $0 + f(norm[$1]) } / Double(r.count)
        }
        // 1. Novelty: two bars after each bar line against the two before (a chord change inside
        //    a section moves one bar, a section change moves both).
        var novelty = [Double](repeating: 0, count: n + 1)
        for b in 1..<n {
            let left = max(0, b - 2)..<b, right = b..<min(n, b + 2)
            novelty[b] = abs(mean(right, \.energy) - mean(left, \.energy)) + abs(mean(right, \.bass) - mean(left, \.bass))
                + 0.5 * abs(mean(right, \.brightness) - mean(left, \.brightness))
        }
        var starts = [0]
        for b in 1..<n where novelty[b] >= 0.3 && novelty[b] >= novelty[b - 1] && novelty[b] > novelty[b + 1] {
            if b - starts.last! >= 2 { starts.append(b) }
        }
        if starts.count > 1, n - starts.last! < 2 { starts.removeLast() }

        struct Segment { var start, end: Int; var energy, bass, slope: Double }
        func segment(_ s: Int, _ e: Int) -> Segment {
            let x = (s..<e).map { Double($0) }
            let slope = e - s > 1 ? max(RhythmMath.slope(x, (s..<e).map { norm[$0].energy }),
                                        RhythmMath.slope(x, (s..<e).map { norm[$0].brightness })) : 0
            return Segment(start: s, end: e, energy: mean(s..<e, \.energy), bass: mean(s..<e, \.bass), slope: slope)
        }
        var segments = starts.enumerated().map { i, s in segment(s, i + 1 < starts.count ? starts[i + 1] : n) }
        // A ramp cut in pieces by its own rise is one buildup.
        var i = 1
        while i < segments.count {
            let a = segments[i - 1], b = segments[i]
            if a.slope > 0.03, b.slope > 0.03, b.energy > a.energy, !(b.energy > 0.7 && b.bass > 0.5) {
                segments[i - 1] = segment(a.start, b.end); segments.remove(at: i)
            } else { i += 1 }
        }
        // 2. Labels.
        func isPeak(_ s: Segment) -> Bool { s.energy > 0.7 && s.bass > 0.5 }
        var kinds = [TrackAnalysis.SectionKind?](repeating: nil, count: segments.count)
        for j in segments.indices.dropFirst() where isPeak(segments[j]) { kinds[j] = .drop }
        // One section and no arrangement: a full beat with bass throughout reads as one long drop.
        if segments.count == 1 {
            let bass = bars.reduce(0) { $0 + $1.bassRatio } / Double(bars.count)
            kinds[0] = bass > 0.5 ? .drop : .intro
        }
        kinds[0] = kinds[0] ?? .intro
        let lastDrop = kinds.lastIndex { $0 == .drop }
        for j in segments.indices where kinds[j] == nil {
            if let l = lastDrop, j > l { kinds[j] = .outro; continue }
            let leadsIntoDrop = j + 1 < segments.count && kinds[j + 1] == .drop
            kinds[j] = leadsIntoDrop && segments[j].slope > 0.02 ? .buildup : .breakdown
        }
        // The window ends inside its last section: rising after a breakdown, it is the buildup even
        // though no drop follows yet. (Right after the beat stops, pads changing chord move the
        // brightness too: that is the breakdown itself.)
        if rollingEdge, let j = segments.indices.last, j > 0, kinds[j] == .breakdown, kinds[j - 1] == .breakdown,
           segments[j].slope > Self.rollingBuildupSlope {
            kinds[j] = .buildup
        }
        // 3. Neighbours with the same label become one section.
        var out: [TrackAnalysis.Section] = []
        for (j, s) in segments.enumerated() {
            let startS = bars[s.start].startS, endS = bars[s.end - 1].endS
            if let last = out.last, last.kind == kinds[j]! { out[out.count - 1].endS = endS } else {
                out.append(TrackAnalysis.Section(kind: kinds[j]!, startS: startS, endS: endS))
            }
        }
        return out
    }
}

extension EnergyAnalyzer: WindowCopyable {
    public var checkpointSize: Int { 0 }
    public func writeCheckpoint(into sums: UnsafeMutablePointer<Double>) {}
    public func copyWindow(into twin: any HopExtractor, hops: Int, checkpoint: UnsafePointer<Double>) {
        let twin = twin as! EnergyAnalyzer
        twin.meanSquare.copyRecent(hops, from: meanSquare); twin.power.copyRecent(hops, from: power)
        twin.bassPower.copyRecent(hops, from: bassPower); twin.weightedFrequency.copyRecent(hops, from: weightedFrequency)
        twin.magnitudeSum.copyRecent(hops, from: magnitudeSum); twin.midSquare.copyRecent(hops, from: midSquare)
        twin.sideSquare.copyRecent(hops, from: sideSquare)
    }
}
