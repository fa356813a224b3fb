import UpliftModel
import UpliftTUI

extension LoudnessTarget {
    /// The references' p10–p90 of short-term maximum and integrated loudness; `nil` when the profile
    /// has neither figure.
    public static func references(of profile: Profile) -> LoudnessTarget? {
        guard let integrated = profile.features["loudness.integrated_lufs"],
              let shortTerm = profile.features["loudness.short_term_max_lufs"],
              integrated.p10.isFinite, integrated.p90.isFinite, shortTerm.p10.isFinite, shortTerm.p90.isFinite
        else { return nil }
        return LoudnessTarget(shortTermLUFS: min(shortTerm.p10, shortTerm.p90)...max(shortTerm.p10, shortTerm.p90),
                              integratedLUFS: min(integrated.p10, integrated.p90)...max(integrated.p10, integrated.p90),
                              label: "refs p10–p90")
    }
}
