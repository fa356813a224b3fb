import Foundation
import Testing
import UpliftModel
@testable import UpliftGaps

/// Live input has no integrated loudness of a whole track, but a whole confirmed drop compares like with like:
/// its mean bar RMS against the references' drops. Only when asked (`compareDropLevel`, set by `uplift live`);
/// a quieter drop gets the Limiter (the live input proves no headroom), a louder one the Utility's Gain.
@Suite("Live drop level")
struct LiveDropLevelTests {
    static func report(_ analysis: TrackAnalysis, dropLevel: Bool) throws -> GapReport {
        var options = GapAnalyzer.Options(amount: 0.7)
        options.compareDropLevel = dropLevel
        return try GapAnalyzer(options: options).analyze(mix: analysis, profile: DegradationSet.profile)
    }

    @Test("a drop 6 dB quieter than the references' drops: a drop level gap raised through the limiter")
    func quieterDrop() throws {
        let quiet = DegradationSet.analyze(interleaved: DegradationSet.gained(DegradationSet.heldBack, db: -6),
                                           sampleRate: DegradationSet.heldBack.sampleRate, name: "quiet.wav")
        let clean = DegradationSet.analyze(DegradationSet.heldBack, name: "clean.wav")
        let cleanDrop = try #require(SectionMeasurements(clean)?.kinds[.drop]?.rmsDB)
        let report = try Self.report(quiet, dropLevel: true)
        let gap = try #require(report.gaps.first { $0.feature == "section.rms_db" && $0.section == "drop" },
                               "gaps: \(report.gaps.map { "\($0.feature) \($0.section ?? "")" })")
        #expect(gap.direction == .low)
        #expect(abs(gap.value - (cleanDrop - 6)) < 0.3, "the drop's bar RMS fell by the 6 dB applied: \(gap.value) vs \(cleanDrop)")
        #expect(report.measured["section.drop.rms_db"] == gap.value)
        let fix = try #require(gap.fixes.first)
        guard case let .limiter(gainDB, ceilingDB) = fix.action else { Issue.record("not the limiter: \(fix.action)"); return }
        #expect(abs(gainDB - (0.7 * (gap.profileP50 - gap.value) * 10).rounded() / 10) < 1e-9)
        #expect(gainDB > 2 && ceilingDB == GapJudgement.truePeakCeilingDBTP)
        // Not asked (an exported file: its integrated loudness is compared instead): no such gap.
        #expect(try Self.report(quiet, dropLevel: false).gaps.allSatisfy { $0.feature != "section.rms_db" })
    }

    @Test("a drop 6 dB louder: lowered on the mix-bus Utility's gain; the clean track has no drop level gap")
    func louderDrop() throws {
        let loud = DegradationSet.analyze(interleaved: DegradationSet.gained(DegradationSet.heldBack, db: 6),
                                          sampleRate: DegradationSet.heldBack.sampleRate, name: "loud.wav")
        let gap = try #require(try Self.report(loud, dropLevel: true).gaps.first { $0.feature == "section.rms_db" })
        guard case let .gain(gainDB) = gap.fixes.first?.action else { Issue.record("not a gain: \(String(describing: gap.fixes.first))"); return }
        #expect(gainDB < -2)
        let clean = DegradationSet.analyze(DegradationSet.heldBack, name: "clean.wav")
        #expect(try Self.report(clean, dropLevel: true).gaps.allSatisfy { $0.feature != "section.rms_db" })
    }
}
