import Foundation
import UpliftModel

/// With stems (`uplift gaps --stems DIR`), element gaps are measured on the stem of the track they
/// concern instead of inferred from the mix:
/// - a spectrum or broad-band balance gap: each stem's power in the gap's frequency range; when one
///   stem carries at least `dominantShare` of it, the EQ lands on that track, sized so the mix's
///   band moves as much as the mix-bus EQ would have (a stem holding a share f of the band needs
///   10·log10((10^(G/10) − (1 − f)) / f) dB for the mix to move G dB); the mix-bus EQ stays as the
///   alternative;
/// - brightness (energy above 4 kHz): the stem carrying most of it gets the advice;
/// - the overall width: the side energy of each stem that is not kick or bass (low end stays
///   mono); the Utility goes on the stem with the most side energy, sized so the mix's side/mid
///   reaches the same target;
/// - element features (pumping on the bass, acid on the acid track, supersaw on the lead, the
///   kick pattern on the kick): the stem's own value is stated and the fix goes on its track.
/// Stems are assumed to sum to the mix (exported at unity, no master processing); when the band
/// powers of the stems and the mix disagree by more than `sumToleranceDB`, the attribution says so
/// and its confidence drops.
extension GapAnalyzer {
    public static let dominantShare = 0.5
    public static let sumToleranceDB = 3.0
    /// Roles whose stems are kept out of width moves (low end stays mono).
    static let monoRoles: Set<String> = ["kick", "bass"]
    /// Element features, the role whose stem they concern.
    static let elementRoles: [String: String] = [
        "pumping.depth_db": "bass", "pumping.regularity": "bass", "acid.score": "acid",
        "supersaw.width": "lead", "supersaw.detune_cents": "lead", "supersaw.correlation": "lead",
        "rhythm.four_on_floor": "kick", "rhythm.offbeat_hihat": "hats",
    ]

    func attribute(_ gaps: [Gap], mix: TrackAnalysis, stems: StemSet, profile: Profile) -> [Gap] {
        gaps.map { gap in
            var gap = gap
            if let band = bandRange(of: gap) {
                attributeBand(&gap, lowHz: band.lowerBound, highHz: band.upperBound, mix: mix, stems: stems, profile: profile)
            } else if gap.feature == "stereo.side_mid_ratio" {
                attributeWidth(&gap, mix: mix, stems: stems, profile: profile)
            } else if let role = Self.elementRoles[gap.feature], let stem = stems.stem(forRole: role) {
                gap.measuredOn = "stem:\(stem.track)"
                if let v = stem.analysis.finiteScalarFeatures[gap.feature] {
                    gap.reason += " · measured on the stem \"\(stem.track)\": \(fmt(v))\(gap.unit.isEmpty ? "" : " \(gap.unit)")"
                }
                for i in gap.fixes.indices where gap.fixes[i].scope == .role(role) { gap.fixes[i].scope = .track(stem.track) }
            }
            // Advice for a role (widen pads at the source) goes to that role's stem track.
            for i in gap.fixes.indices {
                if case let .role(role) = gap.fixes[i].scope, let stem = stems.stem(forRole: role) { gap.fixes[i].scope = .track(stem.track) }
            }
            return gap
        }
    }

    func bandRange(of gap: Gap) -> ClosedRange<Double>? {
        if let b = gap.band { return b.lowHz...b.highHz }
        // Brightness is measured as the energy above 4 kHz: the stem carrying it is the one to work on.
        if gap.feature == "brightness.high_ratio" { return 4000...20_000 }
        if gap.feature.hasPrefix("spectrum.balance_db."), let band = TrackAnalysis.Band(rawValue: String(gap.feature.split(separator: ".").last!)) {
            return band.rangeHz
        }
        return nil
    }

    static func bandPower(_ spectrum: TrackAnalysis.Spectrum?, _ lowHz: Double, _ highHz: Double) -> Double? {
        guard let spectrum, spectrum.levelsDB.count == spectrum.bandsHz.count else { return nil }
        var sum = 0.0
        for (hz, level) in zip(spectrum.bandsHz, spectrum.levelsDB) where hz >= lowHz && hz <= highHz && level.isFinite {
            sum += pow(10, level / 10)
        }
        return sum
    }

    func attributeBand(_ gap: inout Gap, lowHz: Double, highHz: Double, mix: TrackAnalysis, stems: StemSet, profile: Profile) {
        let powers = stems.stems.compactMap { s in Self.bandPower(s.analysis.spectrum, lowHz, highHz).map { (s, $0) } }
        let total = powers.reduce(0) { $0 + $1.1 }
        guard total > 0, let (top, topPower) = powers.max(by: { $0.1 < $1.1 }) else { return }
        let share = topPower / total
        let range = "\(hzText(lowHz))–\(hzText(highHz))"
        var sumNote = ""
        var confidenceScale = 1.0
        if let mixPower = Self.bandPower(mix.spectrum, lowHz, highHz), mixPower > 0 {
            let differenceDB = 10 * log10(total / mixPower)
            if abs(differenceDB) > Self.sumToleranceDB {
                sumNote = "; the stems sum to \(String(format: "%+.1f", differenceDB)) dB from the mix there (missing stems or master processing?)"
                confidenceScale = 0.6
            }
        }
        guard share >= Self.dominantShare else {
            gap.reason += " · measured on the stems: \(range) is spread over them (largest \"\(top.track)\" \(Int((share * 100).rounded())) %)\(sumNote): the move stays on the mix bus"
            gap.measuredOn = "stems"
            return
        }
        gap.measuredOn = "stem:\(top.track)"
        let carries = "\"\(top.track)\"\(top.role.map { " (\($0))" } ?? "") carries \(Int((share * 100).rounded())) % of \(range)\(sumNote)"
        guard let mixFixIndex = gap.fixes.firstIndex(where: { $0.scope == .mixBus }),
              case let .eq(shape, frequencyHz, mixGainDB, q) = gap.fixes[mixFixIndex].action else {
            // No EQ to resize (advice): the advice goes to the track that carries the band.
            for i in gap.fixes.indices where gap.fixes[i].scope == .mixBus && gap.fixes[i].adviceOnly { gap.fixes[i].scope = .track(top.track) }
            gap.reason += " · measured on the stems: \(carries): work on its track"
            return
        }
        // Stem gain that moves the mix's band by mixGainDB, the rest of the band unchanged.
        let wantedLinear = pow(10, mixGainDB / 10)
        let stemLinear = (wantedLinear - (1 - share)) / share
        let rawStemGain = stemLinear > 0 ? 10 * log10(stemLinear) : -.infinity
        let stemGain = FixSizer.clampGain(rawStemGain)
        let clamped = stemGain != rawStemGain
        let mixMove = 10 * log10(1 - share + share * pow(10, stemGain / 10))
        let mixFix = gap.fixes[mixFixIndex]
        let action = FixAction.eq(shape: shape, frequencyHz: frequencyHz, gainDB: (stemGain * 10).rounded() / 10, q: q)
        let fix = Fix(id: StableID.make([profile.name, gap.feature, gap.section ?? "", "stem:\(top.track.lowercased())", action.stableKey]),
                      gapID: gap.id, action: action, scope: .track(top.track),
                      expectedEffect: "\"\(top.track)\" carries \(Int((share * 100).rounded())) % of \(range): \(String(format: "%+.1f", stemGain)) dB on it moves the mix there by about \(String(format: "%+.1f", mixMove)) dB\(clamped ? " (clamped to a safe move)" : "")",
                      expectedValue: mixFix.expectedValue.map { $0 - mixGainDB + mixMove },
                      confidence: mixFix.confidence * confidenceScale, adviceOnly: false)
        gap.fixes.insert(fix, at: 0)
        gap.reason += " · measured on the stems: \(carries): the EQ goes on its track"
    }

    func attributeWidth(_ gap: inout Gap, mix: TrackAnalysis, stems: StemSet, profile: Profile) {
        guard let mixRatio = mix.stereo?.sideMidRatio, mixRatio.isFinite,
              let mixSpectrum = mix.spectrum else { return }
        let mixTotal = mixSpectrum.levelsDB.reduce(0) { $0 + pow(10, $1 / 10) }
        let mixMid = mixTotal / (1 + mixRatio)
        let candidates = stems.stems.filter { !Self.monoRoles.contains($0.role ?? "") }
            .compactMap { s in s.midSide.map { (s, $0) } }
        guard let (top, ms) = candidates.max(by: { $0.1.side < $1.1.side }) else { return }
        let target = gap.profileP50
        // Closes `amount` of the gap in the same dB sense as the mix-bus Utility (see FixSizer.widthFactor).
        let wantedRatio = mixRatio * pow(target / mixRatio, sizer.amount)
        let sideNeeded = wantedRatio * mixMid - (mixMid * mixRatio - ms.side)
        gap.measuredOn = "stem:\(top.track)"
        guard ms.side > 1e-3 * ms.mid, sideNeeded > 0 else {
            gap.reason += " · measured on the stems: \"\(top.track)\" is the widest non-bass stem but (nearly) mono: widen it at the source"
            return
        }
        let raw = (sideNeeded / ms.side).squareRoot()
        let factor = min(max(raw, 0.5), 2.0)
        let newSide = mixMid * mixRatio - ms.side + factor * factor * ms.side
        let expected = newSide / mixMid
        let fix = Fix(id: StableID.make([profile.name, gap.feature, "", "stem:\(top.track.lowercased())", "utility"]), gapID: gap.id,
                      action: .utility(widthPercent: (100 * factor).rounded()), scope: .track(top.track),
                      expectedEffect: "\"\(top.track)\" carries \(Int((ms.side / max(mixMid * mixRatio, 1e-12) * 100).rounded())) % of the side energy: width ×\(String(format: "%.2f", factor)) on it takes the mix's side/mid \(fmt(mixRatio)) → about \(fmt(expected))\(factor != raw ? " (clamped to a safe move)" : "")",
                      expectedValue: expected, confidence: 0.7, adviceOnly: false)
        gap.fixes.insert(fix, at: 0)
        gap.reason += " · measured on the stems: \"\(top.track)\" carries the most side energy: the Utility goes on its track"
    }
}
