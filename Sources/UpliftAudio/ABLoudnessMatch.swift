import Foundation

/// Loudness matching for A/B: each slot's gain brings its loudness to the mix's; where raising a
/// slot would take its true peak past the ceiling (−1 dBTP), every slot, the mix included, is
/// lowered by the shortfall instead, so all stay matched and none clips, and `note` says so.
public struct ABLoudnessMatch: Sendable, Equatable {
    public static let ceilingDBTP = -1.0

    public struct Input: Sendable, Equatable {
        public var name: String
        public var loudnessLUFS: Double
        public var truePeakDBTP: Double
        public init(name: String, loudnessLUFS: Double, truePeakDBTP: Double) {
            self.name = name; self.loudnessLUFS = loudnessLUFS; self.truePeakDBTP = truePeakDBTP
        }
    }

    /// Gain per input (index 0 = the mix), dB. Inputs without a finite loudness get 0 dB.
    public var gainsDB: [Double]
    /// How far everything was lowered to keep the loudest-raised slot under the ceiling (≤ 0).
    public var loweredByDB: Double
    /// Which slot needed it.
    public var limitedBy: String?

    public var note: String? {
        guard loweredByDB < -0.05, let limitedBy else { return nil }
        return String(format: "all −%.1f dB: %@ would pass %.0f dBTP", -loweredByDB, limitedBy, Self.ceilingDBTP)
    }

    /// `inputs[0]` is the mix (the level everything matches).
    public init(_ inputs: [Input]) {
        guard let mix = inputs.first, mix.loudnessLUFS.isFinite else {
            gainsDB = inputs.map { _ in 0 }; loweredByDB = 0; limitedBy = nil
            return
        }
        var raw = inputs.map { $0.loudnessLUFS.isFinite ? mix.loudnessLUFS - $0.loudnessLUFS : 0 }
        raw[0] = 0
        var offset = 0.0
        var limiter: String?
        for (i, input) in inputs.enumerated() where input.truePeakDBTP.isFinite && raw[i] > 0 {
            let room = Self.ceilingDBTP - (input.truePeakDBTP + raw[i])
            if room < offset { offset = room; limiter = input.name }
        }
        gainsDB = raw.map { $0 + offset }
        loweredByDB = offset
        limitedBy = limiter
    }
}
