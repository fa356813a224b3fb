import Testing
import UpliftDSP

/// Percentiles of a long track without a sorted copy: counting must find exactly what sorting finds.
@Suite("Order statistic: counting finds what sorting finds")
struct OrderStatisticTests {
    @Test func everyRankIsTheSortedArraysElementBitForBit() {
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        func next() -> UInt64 { state ^= state << 13; state ^= state >> 7; state ^= state << 17; return state }
        // More values than the sorting path takes (4 096). Negatives, both zeros, ties, tiny and huge magnitudes, infinities: everything but NaN.
        var values: [Double] = [0, -0.0, .infinity, -.infinity, .leastNonzeroMagnitude, -.greatestFiniteMagnitude]
        for _ in 0..<6_000 {
            let kind = next() % 4
            let v = Double(Int64(bitPattern: next()) >> 20) / 1e3
            values.append(kind == 0 ? v : kind == 1 ? -v * 1e-200 : kind == 2 ? Double(next() % 5) : v * 1e250)
        }
        let sorted = values.sorted()
        for rank in [0, 1, 2, 3, 10, 3_000, 3_001, 5_999, 6_004, 6_005] {
            let found = OrderStatistic.select(rank: rank) { body in values.forEach(body) }
            // -0.0 and 0.0 compare equal, so a sort may put either first: compare values there, bits elsewhere.
            if sorted[rank] == 0 { #expect(found == 0) } else { #expect(found.bitPattern == sorted[rank].bitPattern, "rank \(rank)") }
        }
        #expect(OrderStatistic.select(rank: 99_999) { body in values.forEach(body) } == .infinity, "a rank past the end is the largest")
        #expect(OrderStatistic.select(rank: 0) { _ in } == 0, "no values")
        // Percentiles interpolate as RhythmMath.percentile does, bit for bit.
        let finite = values.filter(\.isFinite)
        for p in [0.1, 0.25, 0.5, 0.95] {
            let found = OrderStatistic.percentile(p, count: finite.count) { body in finite.forEach(body) }
            #expect(found.bitPattern == RhythmMath.percentile(finite, p).bitPattern, "p \(p)")
        }
        // A few values take the sorting path: the same answers.
        let few = Array(values.prefix(100)), fewSorted = few.sorted()
        for rank in [0, 50, 99] where fewSorted[rank] != 0 {
            #expect(OrderStatistic.select(rank: rank) { body in few.forEach(body) }.bitPattern == fewSorted[rank].bitPattern)
        }
    }
}
