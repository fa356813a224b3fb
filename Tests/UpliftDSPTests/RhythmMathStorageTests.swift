import Foundation
import Testing
import UpliftDSP

/// The tempo summary reads its onsets in place and keeps only a window of prefix sums (issue 20: a
/// 2-hour mix's summary must not copy the track several times). The results must stay bit for bit
/// those of the whole-track formulation, so a stored analysis never moves because of how it is kept.
@Suite("Rhythm math: windowed storage, same results")
struct RhythmMathStorageTests {
    /// The whole-track formulation (one prefix sum per hop), as the tracker computed it before.
    static func referenceDetrended(_ x: [Float], halfWindow: Int) -> [Double] {
        let n = x.count
        guard n > 0 else { return [] }
        var prefix = [Double](repeating: 0, count: n + 1)
        for i in 0..<n { prefix[i + 1] = prefix[i] + Double(x[i]) }
        var out = [Double](repeating: 0, count: n)
        for i in 0..<n {
            let a = max(0, i - halfWindow), b = min(n, i + halfWindow + 1)
            out[i] = max(0, Double(x[i]) - (prefix[b] - prefix[a]) / Double(b - a))
        }
        let mean = out.reduce(0, +) / Double(n)
        let sd = (out.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n)).squareRoot()
        if sd > 0 { for i in 0..<n { out[i] /= sd } }
        return out
    }

    /// An onset-like signal: pulses every `period` hops over a noise floor (deterministic).
    static func onsets(count: Int, period: Int) -> [Float] {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        return (0..<count).map { i in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let noise = Float(state >> 40) / Float(1 << 24)
            return (i % period == 0 ? 40 : 0) + 3 * noise + Float(i % 7)
        }
    }

    @Test(arguments: [(0, 1), (0, 50), (1, 2), (17, 10), (17, 35), (17, 5_000), (40, 20_000)])
    func detrendedFromAWindowOfPrefixSumsIsBitIdentical(halfWindow: Int, count: Int) {
        let x = Self.onsets(count: count, period: 43)
        let reference = Self.referenceDetrended(x, halfWindow: halfWindow)
        let streamed = RhythmMath.detrendedOnset(count: x.count, halfWindow: halfWindow) { x[$0] }
        #expect(streamed.count == reference.count)
        let differing = zip(streamed, reference).filter { $0.0.bitPattern != $0.1.bitPattern }.count
        #expect(differing == 0, "\(differing) of \(count) values differ")
        #expect(RhythmMath.detrendedOnset(x, halfWindow: halfWindow).elementsEqual(reference), "the array entry point differs")
    }

    /// The lag-by-lag autocorrelation over a centred copy, as the tracker computed it before paging.
    static func referenceAutocorrelation(_ x: [Double], maxLag: Int) -> [Double] {
        let n = x.count
        let mean = x.reduce(0, +) / Double(n)
        let c = x.map { $0 - mean }
        var r = [Double](repeating: 0, count: maxLag + 1)
        for lag in 0...maxLag where lag < n {
            var s = 0.0
            for i in 0..<(n - lag) { s += c[i] * c[i + lag] }
            r[lag] = s / Double(n - lag)
        }
        return r[0] > 0 ? r.map { $0 / r[0] } : r
    }

    /// Ellis's dynamic programme with whole-track score and back-pointer arrays, as before paging.
    static func referenceBeats(onset: [Double], periodHops: Double, tightness: Double = 400) -> [Double] {
        let n = onset.count
        var score = [Double](repeating: 0, count: n), back = [Int](repeating: -1, count: n)
        let lo = max(1, Int((periodHops / 2).rounded())), hi = max(lo + 1, Int((periodHops * 2).rounded()))
        for t in 0..<n {
            var best = -Double.infinity, arg = -1
            if t - lo >= 0 {
                for d in lo...min(hi, t) {
                    let l = log(Double(d) / periodHops)
                    let s = score[t - d] - tightness * l * l
                    if s > best { best = s; arg = t - d }
                }
            }
            if arg >= 0, best > 0 { score[t] = onset[t] + best; back[t] = arg } else { score[t] = onset[t] }
        }
        var end = max(0, n - Int(periodHops.rounded()) - 1)
        for t in end..<n where score[t] > score[end] { end = t }
        var beats: [Int] = []
        var t = end
        while t >= 0 { beats.append(t); t = back[t] }
        return beats.reversed().map { b in
            guard b > 0, b + 1 < n else { return Double(b) }
            let denom = onset[b - 1] - 2 * onset[b] + onset[b + 1]
            guard denom < 0 else { return Double(b) }
            return Double(b) + min(max(0.5 * (onset[b - 1] - onset[b + 1]) / denom, -0.5), 0.5)
        }
    }

    /// Block by block over a buffer that pages (blocks of 256, two resident), the autocorrelation is
    /// the lag-by-lag one bit for bit, and the detrended onset paged is the array one.
    @Test func pagedAutocorrelationIsBitIdentical() {
        let raw = Self.onsets(count: 20_000, period: 43)
        let x = RhythmMath.detrendedOnset(raw, halfWindow: 17)
        let paged = RhythmMath.detrendedOnsetPaged(count: raw.count, halfWindow: 17, residentBlocks: 2) { raw[$0] }
        #expect(paged.toArray().map(\.bitPattern) == x.map(\.bitPattern))
        let small = PagedBuffer(x, blockShift: 8, residentBlocks: 2)
        let acf = RhythmMath.autocorrelation(small, maxLag: 400)
        #expect(small.blocksWritten > 0, "the buffer did not page")
        let reference = Self.referenceAutocorrelation(x, maxLag: 400)
        let differing = zip(acf, reference).filter { $0.0.bitPattern != $0.1.bitPattern }.count
        #expect(differing == 0, "\(differing) of 401 lags differ")
        #expect(RhythmMath.peak(acf, near: 43, radius: 1) > 0.5)
        // Shorter than the lags asked for: lags past the signal read 0, as before.
        #expect(RhythmMath.autocorrelation(Array(x.prefix(50)), maxLag: 80) == Self.referenceAutocorrelation(Array(x.prefix(50)), maxLag: 80))
    }

    /// The beat tracker keeps a sliding window of scores (shifted every 8192 hops) and pages its
    /// back-pointers: over 30 000 hops (three shifts) it places exactly the beats of the whole-array version.
    @Test func beatTrackingWithASlidingScoreWindowIsBitIdentical() {
        let x = RhythmMath.detrendedOnset(Self.onsets(count: 30_000, period: 43), halfWindow: 17)
        let beats = RhythmMath.trackBeats(onset: PagedBuffer(x, blockShift: 9, residentBlocks: 2), periodHops: 43.2)
        let reference = Self.referenceBeats(onset: x, periodHops: 43.2)
        #expect(beats.count == reference.count && beats.count > 600)
        #expect(beats.map(\.bitPattern) == reference.map(\.bitPattern))
    }
}
