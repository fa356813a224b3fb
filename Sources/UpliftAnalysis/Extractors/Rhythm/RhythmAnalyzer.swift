import UpliftDSP
import UpliftModel

/// Four-on-the-floor and offbeat hi-hat (Key Finding 3), from the band onsets the tempo tracker
/// keeps per hop and the beat grid it leaves in the summary context.
public final class RhythmAnalyzer: HopExtractor {
    private let tempo: TempoTracker

    /// Reads `tempo`'s series at summary time; `tempo` must run before this extractor.
    public init(tempo: TempoTracker) { self.tempo = tempo }

    /// The band onsets are stored by the tempo tracker: nothing to do per hop.
    public func process(_ hop: borrowing Hop) {}
    public func reset() {}

    public func summarize(into analysis: inout TrackAnalysis, context: SummaryContext) {
        let beats = context.beatTimesS
        guard beats.count >= 8 else {
            analysis.rhythm = TrackAnalysis.Rhythm(fourOnFloor: 0, offbeatHihat: 0)
            return
        }
        // Read in place from the tracker's stores (no [Double] copy of the track): only the hat band's
        // baseline (its median: the steady flux of hat tails and risers, removed so only attacks count)
        // needs a sorted copy, in the store's own 4-byte values.
        let lowStore = tempo.onsetLow, highStore = tempo.onsetHigh
        let low = OnsetView(count: lowStore.count) { Double(lowStore[$0]) }
        let base = Self.median(of: highStore)
        let high = OnsetView(count: highStore.count) { max(0, Double(highStore[$0]) - base) }
        analysis.rhythm = TrackAnalysis.Rhythm(fourOnFloor: fourOnFloor(low: low, beats: beats),
                                               offbeatHihat: offbeatHihat(high: high, beats: beats))
    }

    /// Per-hop values read by index from a store in place (the kick band as stored, the hat band above its baseline).
    struct OnsetView {
        let count: Int
        let value: (Int) -> Double
        init(count: Int, value: @escaping (Int) -> Double) { self.count = count; self.value = value }
    }

    /// `RhythmMath.median` of the stored values (the same interpolation between the two middle
    /// values), found without a sorted copy of the track (`OrderStatistic`; a Float widens to Double
    /// exactly and in order, so the values found are the stored ones).
    static func median(of series: HopSeries) -> Double {
        OrderStatistic.percentile(0.5, count: series.count) { body in for j in 0..<series.count { body(Double(series[j])) } }
    }

    /// Hop index nearest to time `t` (inverse of `TempoTracker.time(ofHop:)`).
    private func hop(at t: Double) -> Int {
        let f = tempo.format
        return Int(((t + 0.5 * Double(f.windowSize) / f.sampleRate) / f.hopSeconds - 1 - Double(tempo.onsetLow.firstHop)).rounded())
    }

    /// Largest value of `x` within ±`radiusS` of `t`.
    private func peak(_ x: OnsetView, at t: Double, radiusS: Double) -> Double {
        let r = max(1, Int((radiusS / tempo.format.hopSeconds).rounded()))
        let c = hop(at: t)
        let lo = max(0, c - r), hi = min(x.count - 1, c + r)
        guard lo <= hi else { return 0 }
        var m = x.value(lo), i = lo + 1
        while i <= hi { m = max(m, x.value(i)); i += 1 }
        return m
    }

    /// Fraction of beats (outside beatless stretches) with a kick-band onset that is strong for
    /// this track and is the strongest kick-band onset of its beat (a rolling bass between kicks is allowed, a kick
    /// pattern that lands between beats is not), weighted by its strength.
    func fourOnFloor(low: OnsetView, beats: [Double]) -> Double {
        var on: [Double] = [], off: [Double] = []
        for i in 0..<(beats.count - 1) {
            let t = beats[i], ibi = beats[i + 1] - t
            on.append(peak(low, at: t, radiusS: 0.03))
            // Between beats: the middle 60 % of the interval.
            off.append(peak(low, at: t + 0.5 * ibi, radiusS: 0.3 * ibi))
        }
        let reference = RhythmMath.percentile(on, 0.9)
        guard reference > 0 else { return 0 }
        let hit = on.indices.map { on[$0] >= 0.4 * reference && on[$0] > off[$0] }
        // Beatless stretches (a breakdown with no kick anywhere within a bar either side) say
        // nothing about the groove; a pattern that skips beats keeps kicks nearby and still counts.
        var total = 0.0, counted = 0
        for i in on.indices where (max(0, i - 4)...min(on.count - 1, i + 4)).contains(where: { hit[$0] }) {
            counted += 1
            if hit[i] { total += min(1, on[i] / reference) }
        }
        return counted > 0 ? total / Double(counted) : 0
    }

    /// How much more hi-hat-band onset lands on the off-beat eighths than on the beats or the
    /// sixteenths between: 1 = only off-beats, 0 = no preference (straight eighths, swing, none).
    func offbeatHihat(high: OnsetView, beats: [Double]) -> Double {
        var onBeat = 0.0, offBeat = 0.0, sixteenths = 0.0
        for i in 0..<(beats.count - 1) {
            let t = beats[i], ibi = beats[i + 1] - t
            onBeat += peak(high, at: t, radiusS: 0.025)
            offBeat += peak(high, at: t + 0.5 * ibi, radiusS: 0.025)
            sixteenths += 0.5 * (peak(high, at: t + 0.25 * ibi, radiusS: 0.025) + peak(high, at: t + 0.75 * ibi, radiusS: 0.025))
        }
        guard offBeat > 0 else { return 0 }
        return min(max((offBeat - max(onBeat, sixteenths)) / offBeat, 0), 1)
    }
}

extension RhythmAnalyzer: WindowCopyable {
    /// Reads its tempo tracker's series, which the tracker's own copy brings along.
    public var checkpointSize: Int { 0 }
    public func writeCheckpoint(into sums: UnsafeMutablePointer<Double>) {}
    public func copyWindow(into twin: any HopExtractor, hops: Int, checkpoint: UnsafePointer<Double>) {}
}
