/// Short stable identifiers: FNV-1a 64 over the parts joined by `|`, hex, 12 digits.
/// Swift's `hashValue` is seeded per process, so it cannot name a gap across runs.
public enum StableID {
    public static func make(_ parts: [String]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in parts.joined(separator: "|").utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String((String(repeating: "0", count: max(0, 16 - hex.count)) + hex).prefix(12))
    }
}
