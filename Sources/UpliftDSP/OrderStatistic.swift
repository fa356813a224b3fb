/// The value a sort would place at a rank, found by counting instead of sorting: no copy of the
/// values, whatever their number (a long mix's percentiles without a sorted array of the track).
///
/// The values' bit patterns, made to order as the values do, are counted 16 bits at a time: the
/// first pass finds which top-16-bit bucket holds the rank, the next counts the following 16 bits
/// of the values in that bucket, and so on: four passes over the values for a `Double`, each with a
/// 65 536-entry table. The result is bit for bit the sorted array's element (NaN must not occur).
public enum OrderStatistic {
    /// The `rank`-th smallest (0-based, clamped to the values there are) of the values `forEach`
    /// enumerates; `forEach` must enumerate the same values on every call. 0 when there are none.
    public static func select(rank: Int, forEach: ((Double) -> Void) -> Void) -> Double {
        var counts = [UInt32](repeating: 0, count: 1 << 16)
        var total = 0
        forEach { _ in total += 1 }
        guard total > 0 else { return 0 }
        // A few values: sorting them costs less than four passes with a 65 536-entry table.
        if total <= smallCount {
            var values: [Double] = []
            values.reserveCapacity(total)
            forEach { values.append($0) }
            values.sort()
            return values[min(max(0, rank), total - 1)]
        }
        var remaining = min(max(0, rank), total - 1)
        var prefix: UInt64 = 0  // the key's bits found so far, above `shift + 16`
        for shift in stride(from: 48, through: 0, by: -16) {
            for j in counts.indices { counts[j] = 0 }
            let above = shift + 16
            forEach { v in
                let k = key(v)
                if above == 64 || k >> UInt64(above) == prefix { counts[Int((k >> UInt64(shift)) & 0xFFFF)] += 1 }
            }
            var digit = 0
            while remaining >= Int(counts[digit]) { remaining -= Int(counts[digit]); digit += 1 }
            prefix = prefix << 16 | UInt64(digit)
        }
        return value(ofKey: prefix)
    }

    /// `RhythmMath.percentile` (linear interpolation between the two nearest ranks, p in 0…1) of the
    /// `count` values `forEach` enumerates, bit for bit, from two order statistics. 0 when there are none.
    public static func percentile(_ p: Double, count: Int, forEach: ((Double) -> Void) -> Void) -> Double {
        guard count > 0 else { return 0 }
        let pos = p * Double(count - 1)
        let i = Int(pos), f = pos - Double(i)
        let low = select(rank: i, forEach: forEach)
        return i + 1 < count ? low * (1 - f) + select(rank: i + 1, forEach: forEach) * f : low
    }

    /// Up to this many values are sorted instead of counted.
    static let smallCount = 4_096

    /// Negative doubles order reversed by their bits: flip them all; set the sign bit of the rest.
    @inline(__always)
    static func key(_ v: Double) -> UInt64 {
        let b = v.bitPattern
        return b & (1 << 63) != 0 ? ~b : b | (1 << 63)
    }

    static func value(ofKey k: UInt64) -> Double {
        Double(bitPattern: k & (1 << 63) != 0 ? k & ~(1 << 63) : ~k)
    }
}
