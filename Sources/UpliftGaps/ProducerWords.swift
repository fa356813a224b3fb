import Foundation
import UpliftModel

/// The first line of a gap in a producer's words: what is heard, by how much, and where the
/// references sit ("2.1 dB more low-mids than your references (they range 4.2–5.8 dB below the total)").
/// No feature keys, no statistics: those stay in the reason.
public enum ProducerWords {
    /// Region names of the spectrum, by frequency.
    public static func region(_ hz: Double) -> String {
        switch hz {
        case ..<60: "sub"
        case ..<250: "bass"
        case ..<500: "low-mids"
        case ..<2000: "mids"
        case ..<4000: "upper mids"
        case ..<8000: "presence"
        default: "air"
        }
    }

    static func bandName(_ key: String) -> String {
        switch key {
        case "sub": "sub"
        case "bass": "bass"
        case "low_mid": "low-mids"
        case "mid": "mids"
        case "high_mid": "upper mids"
        case "presence": "presence"
        case "air": "air"
        default: key.replacingOccurrences(of: "_", with: "-")
        }
    }

    static func one(_ v: Double) -> String { String(format: "%.1f", v) }
    static func signed(_ v: Double) -> String { String(format: "%+.1f", v) }
    static func range(_ a: Double, _ b: Double, _ unit: String) -> String { "\(fmt(a))–\(fmt(b))\(unit.isEmpty ? "" : " " + unit)" }

    public static func headline(_ gap: Gap) -> String {
        let high = gap.direction == .high
        let p10 = gap.profileP10, p90 = gap.profileP90, v = gap.value, m = gap.profileP50
        let sectionPlural = gap.section.map { "\($0)s" }
        if let band = gap.band {
            let name = region((band.lowHz * band.highHz).squareRoot())
            return "\(one(abs(band.sizeDB))) dB \(band.sizeDB > 0 ? "more" : "less") \(name) (\(hzText(band.lowHz))–\(hzText(band.highHz))) than your references "
                + "(they range \(signed(p10 - m)) to \(signed(p90 - m)) dB around their median there)"
        }
        switch gap.feature {
        case "loudness.true_peak_dbtp":
            return v > 0 ? "the mix clips: true peak \(signed(v)) dBTP, above 0 (keep it at or below −1 dBTP)"
                // Two decimals where one would read "-1.0 dBTP, above −1 dBTP".
                : "true peak \(String(format: "%+.2f", v)) dBTP, above the −1 dBTP safety ceiling"
        case "loudness.integrated_lufs":
            return "\(one(abs(v - m))) LU \(high ? "louder" : "quieter") than your references (yours \(one(v)) LUFS, they range \(range(p10, p90, "LUFS")))"
        case "loudness.plr_db":
            return high ? "more dynamic than your references: peaks \(one(v)) dB above the loudness (theirs \(range(p10, p90, "dB")))"
                : "over-compressed: peaks only \(one(v)) dB above the loudness (your references \(range(p10, p90, "dB")))"
        case "loudness.lra_lu":
            return "loudness range \(one(v)) LU, \(high ? "wider" : "narrower") than your references (\(range(p10, p90, "LU")))"
        case "stereo.side_mid_ratio", "section.side_mid_ratio":
            // Width against the nearest edge of the references' range: what is heard beyond the widest (or narrowest).
            let edge = high ? p90 : p10
            let pct = edge > 0 && v > 0 ? Int((abs((v / edge).squareRoot() - 1) * 100).rounded()) : 100
            let what = sectionPlural.map { "the \($0) are" } ?? "the mix is"
            return "\(what) about \(pct) % \(high ? "wider than the widest" : "narrower than the narrowest") of your references (side/mid \(fmt(v)), they range \(range(p10, p90, "")))"
        case "pumping.depth_db":
            return "\(high ? "more" : "less") sidechain pumping than your references: the mix dips \(one(v)) dB on each kick (theirs \(range(p10, p90, "dB")))"
        case "tempo.bpm":
            return "\(one(v)) BPM, \(high ? "faster" : "slower") than your references (\(range(p10, p90, "BPM")))"
        case "section.relative_rms_db":
            return "the \(sectionPlural ?? "sections") sit \(one(abs(v))) dB below the loudest bar, \(high ? "louder" : "quieter") than your references' "
                + "(they sit \(one(abs(p90)))–\(one(abs(p10))) dB below it)"
        case "arrangement.drop_breakdown_contrast_db":
            return "drops \(high ? "" : "only ")\(one(v)) dB louder than the breakdowns: \(high ? "more" : "less") contrast than your references (\(range(p10, p90, "dB")))"
        case "arrangement.bars":
            return "the \(sectionPlural ?? "sections") last \(Int(v.rounded())) bars; your references' \(Int(p10.rounded()))–\(Int(p90.rounded())) bars"
        case "section.centroid_hz", "brightness.centroid_hz":
            return "\(sectionPlural.map { "the \($0) are" } ?? "the mix is") \(high ? "brighter" : "darker") than your references (centre of the spectrum \(hzText(v)), theirs \(hzText(p10))–\(hzText(p90)))"
        case "section.bass_ratio":
            return "the \(sectionPlural ?? "sections") carry \(high ? "more" : "less") bass than your references' (\(Int((v * 100).rounded())) % of the energy, theirs \(Int((p10 * 100).rounded()))–\(Int((p90 * 100).rounded())) %)"
        default: break
        }
        if gap.feature.hasPrefix("spectrum.balance_db.") {
            let name = bandName(String(gap.feature.split(separator: ".").last!))
            func place(_ x: Double) -> String { x <= 0 ? "\(one(-x)) dB below" : "\(one(x)) dB above" }
            let refs = p90 <= 0 ? "\(one(-p90))–\(one(-p10)) dB below the total" : "\(place(p10))–\(place(p90)) the total"
            return "\(one(abs(v - m))) dB \(high ? "more" : "less") \(name) than your references (they range \(refs))"
        }
        if gap.feature.hasPrefix("stereo.bands.") {
            let band = String(gap.feature.split(separator: ".")[2])
            let edge = high ? p90 : p10
            let times = edge > 0 ? (v / edge).squareRoot() : 0
            let size = times >= 1.5 ? "\(one(times))× as wide as the widest of" : "\(high ? "wider than the widest of" : "narrower than the narrowest of")"
            let name = bandName(band)
            // "the low-mids are", but "the bass is", "the air is".
            let verb = name.hasSuffix("s") && name != "bass" ? "are" : "is"
            return "the \(name) \(verb) \(size) your references (side/mid \(fmt(v)), they range \(range(p10, p90, "")))"
        }
        let label = gap.label ?? gap.feature
        let unit = gap.unit == "ratio" ? "" : gap.unit
        return "\(label) \(fmt(v))\(unit.isEmpty ? "" : " " + unit), \(high ? "higher" : "lower") than your references (\(range(p10, p90, unit)))"
    }
}
