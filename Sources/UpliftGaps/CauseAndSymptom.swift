import Foundation
import UpliftModel

/// One cause, one gap. A low-end gap changes the section measurements too: the drops carry the bass,
/// so a bass boost raises the drop–breakdown contrast and the drops' level. Such a section or
/// arrangement gap is a *symptom* when re-measuring the sections with the low end brought back to the
/// references' median removes it (or drops it below the worth-acting-on line); it is then shown under
/// its cause, not ranked on its own.
///
/// The re-measurement is a model, not a re-render: every bar's power below the energy analyser's bass
/// edge (150 Hz, the bar's `bassRatio` share) is scaled by the cause's departure, and the section
/// measurements are recomputed from the corrected curve. Only low-end causes can be modelled this way
/// (the bar curve carries no other band); a mid or high EQ gap never claims symptoms.
extension GapAnalyzer {
    /// Highest centre frequency of a spectral gap the bar curve's bass share can model.
    static let symptomModelMaxHz = 212.0

    func attachSymptoms(_ gaps: [Gap], mix: TrackAnalysis, layout: Profile.SectionLayout, profile: Profile,
                        judgement: GapJudgement) -> [Gap] {
        var gaps = gaps
        let causes = gaps.filter { $0.audible == true && !$0.rejected && Self.lowEndDepartureDB($0) != nil }
            .sorted { $0.priority > $1.priority }
        for cause in causes {
            let departure = Self.lowEndDepartureDB(cause)!
            guard let corrected = Self.withLowEnd(mix, shiftedByDB: -departure), let sections = SectionMeasurements(corrected) else { continue }
            let remeasured = Dictionary(sectionGaps(layout: layout, sections: sections, profile: profile, mix: corrected)
                .map(judgement.judge).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            for i in gaps.indices where gaps[i].causedBy == nil && (gaps[i].kind == .section || gaps[i].kind == .arrangement) {
                let before = gaps[i]
                // Only a symptom the correction removes, or pushes from above the line to below it.
                let after = remeasured[before.id]
                let removed = after == nil || (before.priority >= GapJudgement.actionLine && after!.priority < GapJudgement.actionLine)
                guard removed, before.priority < cause.priority * 2 else { continue }
                gaps[i].causedBy = cause.id
                gaps[i].reason += " · a symptom of the \(cause.headline ?? cause.feature) gap: with the low end at the references' median it "
                    + (after == nil ? "falls inside their range" : "drops to priority \(String(format: "%.2f", after!.priority))")
                    + "; fix the cause first"
            }
        }
        return gaps
    }

    /// Width is one quantity measured several ways: overall, per band above the bass, per section. When the
    /// overall width departs, the per-band and per-section width gaps in the same direction are that
    /// departure seen again (one Utility or one synth's spread moves them all): symptoms of it. Without an
    /// overall width gap, the section width gaps in one direction share a cause (the same wide or narrow
    /// element plays in each): the largest stands for them. The sub and bass bands are not symptoms: a
    /// too-wide low end has its own fix (Bass Mono).
    static func attachWidthSymptoms(_ gaps: [Gap]) -> [Gap] {
        var gaps = gaps
        func isCandidate(_ g: Gap) -> Bool {
            guard g.causedBy == nil, !g.rejected, g.audible != false else { return false }
            if g.feature == "section.side_mid_ratio" || g.feature == "supersaw.width" { return true }
            if g.feature.hasPrefix("stereo.bands."), !g.feature.contains(".sub."), !g.feature.contains(".bass.") { return true }
            return false
        }
        for direction in [Gap.Direction.high, .low] {
            let overall = gaps.first { $0.feature == "stereo.side_mid_ratio" && $0.direction == direction && !$0.rejected && $0.audible != false }
            let members = gaps.indices.filter { isCandidate(gaps[$0]) && gaps[$0].direction == direction }
            let cause: Gap? = overall ?? members.filter { gaps[$0].feature == "section.side_mid_ratio" }
                .max { gaps[$0].priority < gaps[$1].priority }.map { gaps[$0] }
            guard let cause else { continue }
            for i in members where gaps[i].id != cause.id {
                gaps[i].causedBy = cause.id
                gaps[i].reason += " · the same width \(direction == .high ? "excess" : "shortfall") as the \(cause.headline ?? cause.feature) gap: "
                    + "one Utility or one synth's stereo spread moves both; fix that one first"
            }
        }
        return gaps
    }

    /// Brightness (the spectral centroid, the energy above 4 kHz) and the sections' balance are the spectrum
    /// summed up: when a spectrum gap explains their direction (too little top or too much low end makes a
    /// mix darker; a section carries more bass when the low end is too loud), they are its symptoms, and
    /// the EQ that closes the spectrum gap moves them.
    static func attachTonalSymptoms(_ gaps: [Gap]) -> [Gap] {
        var gaps = gaps
        let bands = gaps.filter { $0.band != nil && $0.causedBy == nil && !$0.rejected && $0.audible != false }
            .sorted { $0.priority > $1.priority }
        func darkening(_ g: Gap) -> Bool {
            guard let b = g.band else { return false }
            return (b.sizeDB < 0 && b.highHz > 2000) || (b.sizeDB > 0 && b.highHz <= 500)
        }
        func brightening(_ g: Gap) -> Bool {
            guard let b = g.band else { return false }
            return (b.sizeDB > 0 && b.highHz > 2000) || (b.sizeDB < 0 && b.highHz <= 500)
        }
        for i in gaps.indices where gaps[i].causedBy == nil {
            let f = gaps[i].feature, high = gaps[i].direction == .high
            let cause: Gap?
            switch f {
            case "brightness.centroid_hz", "brightness.high_ratio", "section.centroid_hz":
                cause = bands.first { high ? brightening($0) : darkening($0) }
            case "section.bass_ratio":
                cause = bands.first { b in b.band!.highHz <= 500 && (b.band!.sizeDB > 0) == high }
            default: cause = nil
            }
            guard let cause else { continue }
            gaps[i].causedBy = cause.id
            gaps[i].reason += " · follows the \(cause.headline ?? cause.feature) gap: the EQ that closes it moves this too; fix that one first"
        }
        return gaps
    }

    /// The low-end departure (dB from the references' median) a gap stands for, when the bar curve can model it.
    static func lowEndDepartureDB(_ gap: Gap) -> Double? {
        if let band = gap.band, band.centreHz <= symptomModelMaxHz { return band.sizeDB }
        if gap.feature == "spectrum.balance_db.sub" || gap.feature == "spectrum.balance_db.bass" { return gap.value - gap.profileP50 }
        return nil
    }

    /// The analysis with every bar's bass share moved by `db` (power below 150 Hz × 10^(db/10)).
    static func withLowEnd(_ mix: TrackAnalysis, shiftedByDB db: Double) -> TrackAnalysis? {
        guard var energy = mix.energy, !energy.curve.isEmpty else { return nil }
        let g = pow(10, db / 10)
        for i in energy.curve.indices {
            let b = min(max(energy.curve[i].bassRatio, 0), 1)
            let factor = 1 - b + b * g
            guard factor > 0 else { continue }
            energy.curve[i].rmsDB += 10 * log10(factor)
            energy.curve[i].bassRatio = b * g / factor
        }
        var copy = mix
        copy.energy = energy
        return copy
    }
}
