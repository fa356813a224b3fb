import Foundation

/// Loudness values binned at 0.1 LU from −70 to +10 LUFS, with the summed power per bin: gated
/// integrated loudness and loudness range in fixed memory, for live input that never ends.
/// Results are within 0.05 LU of the exact computation (one bin), apart from blocks whose
/// loudness lies in the very bin of a relative gate.
struct LoudnessHistogram {
    static let floorLUFS = -70.0
    static let binLU = 0.1
    static let binCount = 800

    private var counts: [Int]
    private var powers: [Double]
    private(set) var total = 0

    init() {
        counts = [Int](repeating: 0, count: Self.binCount)
        powers = [Double](repeating: 0, count: Self.binCount)
    }

    mutating func reset() {
        for i in 0..<Self.binCount { counts[i] = 0; powers[i] = 0 }
        total = 0
    }

    /// Adds a block of mean-square `power` (absolute gate: below −70 LUFS it is not counted).
    mutating func add(power: Double) {
        let lufs = LoudnessMeter.lufs(power: power)
        guard lufs >= Self.floorLUFS else { return }
        let bin = min(Self.binCount - 1, Int((lufs - Self.floorLUFS) / Self.binLU))
        counts[bin] += 1
        powers[bin] += power
        total += 1
    }

    private func centreLUFS(_ bin: Int) -> Double { Self.floorLUFS + (Double(bin) + 0.5) * Self.binLU }

    private func firstBin(atOrAbove lufs: Double) -> Int {
        max(0, min(Self.binCount, Int(((lufs - Self.floorLUFS) / Self.binLU).rounded(.down))))
    }

    /// Power mean of the counted blocks from `bin` up, or nil when there are none.
    private func powerMean(from bin: Int) -> Double? {
        var sum = 0.0, n = 0
        for i in bin..<Self.binCount { sum += powers[i]; n += counts[i] }
        return n > 0 ? sum / Double(n) : nil
    }

    /// BS.1770 gated loudness: power mean above the absolute gate, then above `relativeGateLU` below it.
    func gatedLoudness(relativeGateLU: Double = -10) -> Double {
        guard let mean = powerMean(from: 0) else { return -.infinity }
        let gate = LoudnessMeter.lufs(power: mean) + relativeGateLU
        guard let gated = powerMean(from: firstBin(atOrAbove: gate)) else { return -.infinity }
        return LoudnessMeter.lufs(power: gated)
    }

    /// EBU Tech 3342 loudness range of the values added (short-term loudness): −20 LU relative
    /// gate, then the 10th to 95th percentile spread.
    func loudnessRange() -> Double {
        guard let mean = powerMean(from: 0) else { return 0 }
        let start = firstBin(atOrAbove: LoudnessMeter.lufs(power: mean) - 20)
        var n = 0
        for i in start..<Self.binCount { n += counts[i] }
        guard n >= 2 else { return 0 }
        func percentile(_ p: Double) -> Double {
            let rank = Int((p * Double(n - 1)).rounded())
            var seen = 0
            for i in start..<Self.binCount {
                seen += counts[i]
                if seen > rank { return centreLUFS(i) }
            }
            return centreLUFS(Self.binCount - 1)
        }
        return percentile(0.95) - percentile(0.10)
    }
}
