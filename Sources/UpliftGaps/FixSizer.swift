import Foundation
import UpliftModel

/// Sizes device-agnostic fixes from the gap, never from a constant: the move closes `amount` of
/// the departure from the references' median, clamped to safe limits.
public struct FixSizer: Sendable {
    /// Largest EQ gain of one move, dB.
    public static let maxGainDB = 6.0
    public static let qRange = 0.3...8.0
    /// Largest width change of one move (factor on the current width).
    public static let widthFactorRange = 0.5...2.0
    /// Assumed peak of the sidechain key (the kick) at the compressor, dBFS; unknowable offline.
    public static let assumedKeyPeakDBFS = -6.0
    public static let sidechainRatio = 4.0

    /// Fraction of the gap a move closes, 0…1 (`--amount`).
    public var amount: Double
    public init(amount: Double = 0.7) { self.amount = min(max(amount, 0), 1) }

    public static func clampGain(_ g: Double) -> Double { min(max(g, -maxGainDB), maxGainDB) }
    public static func clampQ(_ q: Double) -> Double { min(max(q, qRange.lowerBound), qRange.upperBound) }

    /// RBJ peaking-EQ relation between bandwidth in octaves (between the half-gain points) and Q.
    public static func q(forOctaves n: Double) -> Double {
        let n = max(n, 1e-3)
        let p = pow(2, n)
        return p.squareRoot() / (p - 1)
    }

    /// EQ for a run of spectrum bands. `departures` are level − profile median (dB) for every band of
    /// the run, `bandsHz` their centres; `atLowEdge`/`atHighEdge` say whether the run reaches the
    /// lowest/highest usable band (then a shelf fits better than a bell).
    public func eq(bandsHz: [Double], departures: [Double], atLowEdge: Bool, atHighEdge: Bool) -> (FixAction, clamped: Bool) {
        let peakIndex = departures.indices.max { abs(departures[$0]) < abs(departures[$1]) }!
        let peak = departures[peakIndex]
        let rawGain = -amount * peak
        let gain = Self.clampGain(rawGain)
        let half = abs(peak) / 2
        // The contiguous stretch around the peak at or above half the peak: the half-gain width.
        var lo = peakIndex, hi = peakIndex
        while lo > 0, abs(departures[lo - 1]) >= half { lo -= 1 }
        while hi < departures.count - 1, abs(departures[hi + 1]) >= half { hi += 1 }
        func crossing(_ inside: Int, _ outside: Int) -> Double {
            // Interpolate the half-peak crossing in log-frequency between two bands.
            guard outside >= 0, outside < departures.count else { return bandsHz[inside] }
            let a = abs(departures[inside]), b = abs(departures[outside])
            let t = a > b ? (a - half) / (a - b) : 0
            return exp(log(bandsHz[inside]) + t * (log(bandsHz[outside]) - log(bandsHz[inside])))
        }
        let clamped = abs(rawGain) > Self.maxGainDB
        if atLowEdge && lo == 0 {
            return (.eq(shape: .lowShelf, frequencyHz: crossing(hi, hi + 1), gainDB: gain, q: 0.71), clamped)
        }
        if atHighEdge && hi == departures.count - 1 {
            return (.eq(shape: .highShelf, frequencyHz: crossing(lo, lo - 1), gainDB: gain, q: 0.71), clamped)
        }
        let lowHz = crossing(lo, lo - 1), highHz = crossing(hi, hi + 1)
        let octaves = max(log2(highHz / lowHz), 1.0 / 6)
        let centre = (lowHz * highHz).squareRoot()
        let rawQ = Self.q(forOctaves: octaves)
        return (.eq(shape: .bell, frequencyHz: centre, gainDB: gain, q: Self.clampQ(rawQ)), clamped || !Self.qRange.contains(rawQ))
    }

    /// EQ for a broad balance band gap (`spectrum.balance_db.bass`).
    public func balanceEQ(band: TrackAnalysis.Band, departureDB: Double) -> (FixAction, clamped: Bool) {
        let raw = -amount * departureDB
        let gain = Self.clampGain(raw)
        let r = band.rangeHz
        switch band {
        case .sub: return (.eq(shape: .lowShelf, frequencyHz: r.upperBound, gainDB: gain, q: 0.71), abs(raw) > Self.maxGainDB)
        case .air: return (.eq(shape: .highShelf, frequencyHz: r.lowerBound, gainDB: gain, q: 0.71), abs(raw) > Self.maxGainDB)
        default:
            let q = Self.q(forOctaves: log2(r.upperBound / r.lowerBound))
            return (.eq(shape: .bell, frequencyHz: (r.lowerBound * r.upperBound).squareRoot(), gainDB: gain, q: Self.clampQ(q)),
                    abs(raw) > Self.maxGainDB)
        }
    }

    /// Width factor on the current width so side/mid (an energy ratio) closes `amount` of its gap in dB.
    /// `nil` for a (near-)mono mix: a Utility cannot widen what has no side signal.
    public func widthFactor(sideMidRatio value: Double, target: Double) -> (factor: Double, clamped: Bool)? {
        guard value > 0.002, target > 0 else { return nil }
        let raw = pow(target / value, 0.5 * amount)
        let f = min(max(raw, Self.widthFactorRange.lowerBound), Self.widthFactorRange.upperBound)
        return (f, f != raw)
    }

    /// Extra gain reduction (dB) the sidechain compressor should make, and its threshold for a
    /// 4:1 ratio with the key peaking at `assumedKeyPeakDBFS`.
    public func pumping(depthDB value: Double, target: Double) -> (extraDepthDB: Double, thresholdDB: Double, ratio: Double) {
        let extra = min(amount * (target - value), 12)
        let threshold = Self.assumedKeyPeakDBFS - extra / (1 - 1 / Self.sidechainRatio)
        return (extra, threshold, Self.sidechainRatio)
    }

    /// Gain (dB) for a section whose level departs from the references by `departureDB`.
    public func sectionGain(departureDB: Double) -> (Double, clamped: Bool) {
        let raw = -amount * departureDB
        return (Self.clampGain(raw), abs(raw) > Self.maxGainDB)
    }
}
