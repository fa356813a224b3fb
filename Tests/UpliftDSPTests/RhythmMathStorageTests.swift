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

    @Test func autocorrelationCentredInPlaceIsTheSame() {
        let x = RhythmMath.detrendedOnset(Self.onsets(count: 8_000, period: 43), halfWindow: 17)
        let reference = RhythmMath.autocorrelation(x, maxLag: 400)
        var consumed = x
        let inPlace = RhythmMath.autocorrelation(centringInPlace: &consumed, maxLag: 400)
        #expect(inPlace == reference)
        #expect(RhythmMath.peak(inPlace, near: 43, radius: 1) > 0.5)
        let mean = x.reduce(0, +) / Double(x.count)
        #expect(consumed[100] == x[100] - mean)
    }
}
