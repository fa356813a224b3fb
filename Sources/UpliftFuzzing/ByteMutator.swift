import UpliftDSP

/// Deterministic mutations of a valid input, the kinds that broke files in the wild: flipped bytes
/// anywhere, flipped bytes in the header, a truncation (a half-copied export), a splice of two
/// files (a rewrite seen mid-way), a zeroed run (a hole in a sparse or damaged file).
public struct ByteMutator: Sendable {
    public enum Kind: String, CaseIterable, Sendable {
        case byteFlips, headerFlips, truncation, splice, zeroedRun
    }

    private var random: SeededRandom

    public init(seed: UInt64) { random = SeededRandom(seed: seed) }

    public mutating func next(upTo bound: Int) -> Int { bound <= 1 ? 0 : Int(random.next() % UInt64(bound)) }

    /// `other` is the second file of a splice (the input itself when nil).
    public mutating func mutate(_ input: [UInt8], kind: Kind, other: [UInt8]? = nil) -> [UInt8] {
        guard !input.isEmpty else { return input }
        var bytes = input
        switch kind {
        case .byteFlips:
            for _ in 0...next(upTo: 8) { bytes[next(upTo: bytes.count)] ^= UInt8(1 + next(upTo: 255)) }
        case .headerFlips:
            let header = min(bytes.count, 64)
            for _ in 0...next(upTo: 3) {
                let at = next(upTo: header)
                // Half the time an extreme value (sizes and counts at their maximum or zero).
                bytes[at] = next(upTo: 2) == 0 ? bytes[at] ^ UInt8(1 + next(upTo: 255)) : (next(upTo: 2) == 0 ? 0xFF : 0)
            }
        case .truncation:
            bytes = Array(bytes.prefix(next(upTo: bytes.count)))
        case .splice:
            let second = other ?? input
            let cut = next(upTo: bytes.count)
            let from = next(upTo: second.count)
            bytes = Array(bytes.prefix(cut)) + second[from...]
        case .zeroedRun:
            let at = next(upTo: bytes.count)
            let length = min(bytes.count - at, 1 + next(upTo: 256))
            for i in at..<(at + length) { bytes[i] = 0 }
        }
        return bytes
    }
}
