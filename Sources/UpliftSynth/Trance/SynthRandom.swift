import UpliftDSP

/// The synthesizer's random numbers: `SeededRandom` (SplitMix64) from `seed` offset by one step,
/// so a seed always gives the same audio.
struct SynthRandom {
    private var generator: SeededRandom
    init(seed: UInt64) { generator = SeededRandom(seed: seed &+ 0x9E37_79B9_7F4A_7C15) }

    mutating func next() -> UInt64 { generator.next() }

    /// Uniform in [0, 1).
    mutating func unit() -> Double { generator.unit() }
    /// Uniform in [-1, 1).
    mutating func bipolar() -> Float { Float(unit() * 2 - 1) }
    mutating func int(below n: Int) -> Int { Int(next() % UInt64(n)) }
}
