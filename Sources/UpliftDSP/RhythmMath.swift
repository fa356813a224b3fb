import Foundation

/// Generic periodicity math for rhythm analysis (onset envelopes, autocorrelation, beat tracking) and the
/// small statistics the rhythm extractors share; the musical parts (the trance tempo prior) stay in `UpliftAnalysis`.
public enum RhythmMath {
    /// Onset envelope ready for periodicity analysis: local mean removed (±`halfWindow` hops),
    /// half-wave rectified, scaled to unit standard deviation.
    public static func detrendedOnset(_ x: [Float], halfWindow: Int) -> [Double] {
        x.withUnsafeBufferPointer { p in detrendedOnset(count: p.count, halfWindow: halfWindow) { p[$0] } }
    }

    /// The same from any store of `count` values read by index (no copy of the input).
    public static func detrendedOnset(count n: Int, halfWindow: Int, value x: (Int) -> Float) -> [Double] {
        detrendedOnsetPaged(count: n, halfWindow: halfWindow, residentBlocks: n >> Paging.blockShift + 2, value: x).toArray()
    }

    /// The same into a `PagedBuffer` (a long track's detrended onset pages to disk instead of growing
    /// memory). The local means come from running prefix sums kept over the window only, the same sums
    /// in the same order as a whole-track prefix array, so the result is bit-identical to it.
    public static func detrendedOnsetPaged(count n: Int, halfWindow: Int, residentBlocks: Int = Paging.residentBlocks,
                                           value x: (Int) -> Float) -> PagedBuffer<Double> {
        let out = PagedBuffer<Double>(repeating: 0, count: max(0, n), residentBlocks: residentBlocks)
        guard n > 0 else { return out }
        let half = max(0, halfWindow)
        // prefix[k] for k in (i - half)...(i + half + 1): a ring of 2·half + 2 sums.
        let ringSize = 2 * half + 2
        var ring = [Double](repeating: 0, count: ringSize)
        var running = 0.0, filled = 0  // prefix[filled] == running
        ring.withUnsafeMutableBufferPointer { prefix in
            for i in 0..<n {
                let a = max(0, i - half), b = min(n, i + half + 1)
                while filled < b { running += Double(x(filled)); filled += 1; prefix[filled % ringSize] = running }
                out[i] = max(0, Double(x(i)) - (prefix[b % ringSize] - prefix[a % ringSize]) / Double(b - a))
            }
        }
        var sum = 0.0
        for i in 0..<n { sum += out[i] }
        let mean = sum / Double(n)
        var squares = 0.0
        for i in 0..<n { squares += (out[i] - mean) * (out[i] - mean) }
        let sd = (squares / Double(n)).squareRoot()
        if sd > 0 { for i in 0..<n { out[i] /= sd } }
        return out
    }

    /// Autocorrelation of the mean-removed signal for lags 0…maxLag, each lag averaged over its
    /// overlap and divided by lag 0 (so 1 = perfectly periodic at that lag).
    public static func autocorrelation(_ x: [Double], maxLag: Int) -> [Double] {
        autocorrelation(PagedBuffer(x, residentBlocks: x.count >> Paging.blockShift + 2), maxLag: maxLag)
    }

    /// The same over a paged signal, read block by block: each block and the `maxLag` values after it
    /// are centred into a window once, and every lag's products over the block are added to that lag's
    /// sum. Each lag still adds its products in ascending order from 0, so the result is bit-identical
    /// to the lag-by-lag loop over a centred copy, without the copy and with two blocks resident.
    public static func autocorrelation(_ x: PagedBuffer<Double>, maxLag: Int) -> [Double] {
        let n = x.count
        var r = [Double](repeating: 0, count: maxLag + 1)
        guard n > 1 else { return r }
        var total = 0.0
        for i in 0..<n { total += x[i] }
        let mean = total / Double(n)
        let lags = min(maxLag, n - 1)
        let chunk = x.blockSize
        var window = [Double](repeating: 0, count: chunk + lags)
        var start = 0
        while start < n {
            let end = min(n, start + chunk)
            let have = min(n, end + lags) - start
            for k in 0..<have { window[k] = x[start + k] - mean }
            window.withUnsafeBufferPointer { c in
                r.withUnsafeMutableBufferPointer { sums in
                    for lag in 0...lags {
                        let last = min(end, n - lag)
                        guard last > start else { continue }
                        var s = sums[lag]
                        for i in 0..<(last - start) { s += c[i] * c[i + lag] }
                        sums[lag] = s
                    }
                }
            }
            start = end
        }
        for lag in 0...lags { r[lag] /= Double(n - lag) }
        let r0 = r[0]
        return r0 > 0 ? r.map { $0 / r0 } : r
    }

    /// Linear interpolation of `r` at a fractional lag (0 outside).
    public static func value(_ r: [Double], at lag: Double) -> Double {
        let i = Int(lag)
        guard i >= 0, i + 1 < r.count else { return 0 }
        let f = lag - Double(i)
        return r[i] * (1 - f) + r[i + 1] * f
    }

    /// Largest value of `r` within ±`radius` of `lag` (tolerates a slightly wrong period).
    public static func peak(_ r: [Double], near lag: Double, radius: Double) -> Double {
        let lo = max(0, Int((lag - radius).rounded(.down))), hi = min(r.count - 1, Int((lag + radius).rounded(.up)))
        guard lo <= hi else { return 0 }
        return r[lo...hi].max() ?? 0
    }

    /// Dynamic-programming beat tracker (Ellis 2007): beats maximize onset strength plus a
    /// penalty `tightness · log²(interval / period)` on every interval, so the grid follows
    /// drift while preferring the period. Returns fractional hop indices of the beats.
    public static func trackBeats(onset: [Double], periodHops: Double, tightness: Double = 400) -> [Double] {
        trackBeats(onset: PagedBuffer(onset, residentBlocks: onset.count >> Paging.blockShift + 2), periodHops: periodHops, tightness: tightness)
    }

    /// The same over a paged onset. The recursion reads scores at most `hi` hops back, so they live
    /// in a sliding window (shifted down every `window` hops); only the back-pointers are per hop,
    /// in a paged buffer read backwards once.
    public static func trackBeats(onset: PagedBuffer<Double>, periodHops: Double, tightness: Double = 400) -> [Double] {
        let n = onset.count
        guard n > 4, periodHops >= 2 else { return [] }
        let back = PagedBuffer<Int32>(repeating: -1, count: 0)  // hop indices: 4 bytes a hop (2³¹ hops ≈ 290 days)
        let lo = max(1, Int((periodHops / 2).rounded())), hi = max(lo + 1, Int((periodHops * 2).rounded()))
        var penalty = [Double](repeating: 0, count: hi + 1)
        for d in lo...hi { let l = log(Double(d) / periodHops); penalty[d] = tightness * l * l }
        // Scores of hops base..<base + window.count; the last `keep` survive each shift (the recursion
        // and the final search over the last period read no further back).
        let keep = max(hi, Int(periodHops.rounded()) + 1) + 1
        var window = [Double](repeating: 0, count: keep + 8192)
        var base = 0
        for t in 0..<n {
            if t - base == window.count {
                let from = window.count - keep
                for k in 0..<keep { window[k] = window[from + k] }
                base += from
            }
            let w = t - base
            var best = -Double.infinity, arg = -1
            if t - lo >= 0 {
                for d in lo...min(hi, t) {
                    let s = window[w - d] - penalty[d]
                    if s > best { best = s; arg = t - d }
                }
            }
            if arg >= 0, best > 0 { window[w] = onset[t] + best; back.append(Int32(arg)) } else { window[w] = onset[t]; back.append(-1) }
        }
        let score = { (t: Int) in window[t - base] }
        // End on the best-scoring beat within the last period.
        let tailStart = max(0, n - Int(periodHops.rounded()) - 1)
        var end = tailStart
        for t in tailStart..<n where score(t) > score(end) { end = t }
        var beats: [Int] = []
        var t = end
        while t >= 0 { beats.append(t); t = Int(back[t]) }
        beats.reverse()
        // Sub-hop precision: parabola through the onset around each beat.
        return beats.map { b in
            guard b > 0, b + 1 < n else { return Double(b) }
            let y0 = onset[b - 1], y1 = onset[b], y2 = onset[b + 1]
            let denom = y0 - 2 * y1 + y2
            guard denom < 0 else { return Double(b) }
            return Double(b) + min(max(0.5 * (y0 - y2) / denom, -0.5), 0.5)
        }
    }

    public static func median(_ x: [Double]) -> Double { percentile(x, 0.5) }

    /// Linear-interpolated percentile, p in 0…1 (0 for an empty input).
    public static func percentile(_ x: [Double], _ p: Double) -> Double {
        guard !x.isEmpty else { return 0 }
        let s = x.sorted()
        let pos = p * Double(s.count - 1)
        let i = Int(pos), f = pos - Double(i)
        return i + 1 < s.count ? s[i] * (1 - f) + s[i + 1] * f : s[i]
    }

    /// Least-squares slope of y against x.
    public static func slope(_ x: [Double], _ y: [Double]) -> Double {
        let n = Double(x.count)
        guard x.count > 1 else { return 0 }
        let mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0
        for i in x.indices { sxy += (x[i] - mx) * (y[i] - my); sxx += (x[i] - mx) * (x[i] - mx) }
        return sxx > 0 ? sxy / sxx : 0
    }
}

/// log(1 + x) for x ≥ 0 to about 1e-3 relative accuracy, several times faster than `log`:
/// the per-hop onset loops call it once per bin.
@inline(__always)
public func fastLog1p(_ x: Float) -> Float {
    let y = 1 + x
    let bits = y.bitPattern
    let exponent = Float(Int32(bitPattern: (bits >> 23) & 0xFF) - 127)
    let m = Float(bitPattern: (bits & 0x007F_FFFF) | 0x3F80_0000) - 1  // mantissa - 1, in [0, 1)
    // Cubic fit of log2(1 + m) on [0, 1).
    let log2m = m * (1.423_475 + m * (-0.587_694 + m * 0.165_524))
    return (exponent + log2m) * 0.693_147_2
}
