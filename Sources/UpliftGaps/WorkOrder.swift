import UpliftModel

/// The order a mix engineer works in, and how the report follows it.
///
/// 1. **safety**: a true peak above 0 dBTP (the mix clips) is always first, whatever the statistics; between
///    −1 and 0 dBTP it is listed below the worth-acting-on line (lossy encoding may clip it).
/// 2. **loudness**: a loudness gap changes how every other gap sounds and is compared (the spectrum is
///    already loudness-normalised before it is compared, so a loudness gap does not also show as a spectrum gap).
/// 3. **tonal balance**: the spectrum, brightness and each section's balance.
/// 4. **dynamics**: peak-to-loudness ratio, loudness range, sidechain pumping, and the macro-dynamics of
///    the sections (each section's level, the drop–breakdown contrast): a level move, not a rewrite.
/// 5. **stereo**: width overall, per band and per section.
/// 6. **arrangement**: section lengths, tempo and the trance elements (kick pattern, acid, supersaw): musical
///    decisions, never above a mix problem of similar size.
///
/// The rule: a gap's priority is multiplied by its tier's weight (1.0, 0.9, 0.8, 0.75, 0.6), so a later tier
/// outranks an earlier one only when its gap is clearly larger (by 1/weight: an arrangement gap must be
/// two thirds larger than a loudness gap to go above it). Safety gaps are always on top. Learned
/// adjustments may move a gap within its tier; they never move the safety gaps.
public enum WorkOrder: String, Sendable, CaseIterable {
    case safety, loudness, tonal, dynamics, stereo, arrangement

    public var weight: Double {
        switch self {
        case .safety, .loudness: 1.0
        case .tonal: 0.9
        case .dynamics: 0.8
        case .stereo: 0.75
        case .arrangement: 0.6
        }
    }

    /// 1-based position in the order of work.
    public var step: Int { Self.allCases.firstIndex(of: self)! + 1 }

    public var title: String {
        switch self {
        case .safety: "true-peak safety"
        case .loudness: "loudness"
        case .tonal: "tonal balance"
        case .dynamics: "dynamics and pumping"
        case .stereo: "stereo"
        case .arrangement: "arrangement and tempo"
        }
    }

    /// Why the gap sits where it does, for the reason line.
    public var why: String {
        switch self {
        case .safety: "a true peak above −1 dBTP distorts on encode: fixed before anything else"
        case .loudness: "loudness first: it changes how every other gap sounds (the spectrum is compared loudness-normalised)"
        case .tonal: "tonal balance comes after loudness and before dynamics"
        case .dynamics: "dynamics come after loudness and tonal balance"
        case .stereo: "stereo comes after level, tone and dynamics"
        case .arrangement: "a musical decision: ranked below mix problems of similar size"
        }
    }

    public static func of(_ gap: Gap) -> WorkOrder { of(feature: gap.feature) }

    public static func of(feature f: String) -> WorkOrder {
        if f == "loudness.true_peak_dbtp" { return .safety }
        if f == "loudness.integrated_lufs" || f == "section.rms_db" { return .loudness }
        if f.hasPrefix("spectrum.") || f.hasPrefix("brightness.") || f == "section.centroid_hz" || f == "section.bass_ratio" { return .tonal }
        if f == "loudness.plr_db" || f == "loudness.lra_lu" || f.hasPrefix("pumping.") || f == "section.relative_rms_db"
            || f == "arrangement.drop_breakdown_contrast_db" { return .dynamics }
        if f.hasPrefix("stereo.") || f == "section.side_mid_ratio" || f == "supersaw.width" || f == "supersaw.correlation" { return .stereo }
        return .arrangement
    }
}
