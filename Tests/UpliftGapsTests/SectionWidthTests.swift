import Foundation
import Testing
import UpliftModel
import UpliftSynth
@testable import UpliftGaps
@testable import UpliftProfile

/// Per-section width: each energy-curve point carries its side/mid ratio, the profile's section
/// layout summarizes it per section kind, and a drop narrower than the references' drops is a
/// `section.side_mid_ratio` gap with a widening Utility fix.
@Suite("Section width")
struct SectionWidthTests {
    /// The held-back track with only the drop's side signal scaled by `factor`.
    static func dropWidth(factor: Float) -> TrackAnalysis {
        let track = DegradationSet.heldBack
        let drop = track.sections.first { $0.kind == .drop }!
        let range = Int(drop.startS * track.sampleRate)..<min(Int(drop.endS * track.sampleRate), track.frameCount)
        var out = track.interleaved
        for f in range {
            let mid = (out[2 * f] + out[2 * f + 1]) / 2, side = (out[2 * f] - out[2 * f + 1]) / 2 * factor
            out[2 * f] = mid + side
            out[2 * f + 1] = mid - side
        }
        return DegradationSet.analyze(interleaved: out, sampleRate: track.sampleRate, name: "narrow-drop.wav")
    }

    static let narrowDrop = dropWidth(factor: 0.3)

    @Test("energy points carry side/mid: the narrowed drop's bars read about 0.3² of the clean drop's")
    func pointsCarryWidth() throws {
        let clean = DegradationSet.analyze(DegradationSet.heldBack, name: "clean.wav")
        let cleanDrop = try #require(SectionMeasurements(clean)?.kinds[.drop]?.sideMidRatio)
        let narrow = try #require(SectionMeasurements(Self.narrowDrop)?.kinds[.drop]?.sideMidRatio)
        #expect(cleanDrop > 0.02)
        // Side energy scales by 0.09 where the section is detected as the drop; edges may blur a bar.
        #expect(narrow < cleanDrop * 0.2 && narrow > cleanDrop * 0.05, "clean \(cleanDrop), narrowed \(narrow)")
        // The breakdown was left alone.
        let cb = try #require(SectionMeasurements(clean)?.kinds[.breakdown]?.sideMidRatio)
        let nb = try #require(SectionMeasurements(Self.narrowDrop)?.kinds[.breakdown]?.sideMidRatio)
        #expect(abs(cb - nb) < 0.1 * max(cb, 1e-6) + 1e-4)
    }

    @Test("the profile's section layout has width per section kind")
    func layoutHasWidth() throws {
        let layout = try #require(DegradationSet.profile.sectionLayout)
        let drop = try #require(layout.kinds["drop"]?.sideMidRatio)
        #expect(drop.n == DegradationSet.referenceSeeds.count)
        #expect(drop.median > 0.02)
    }

    @Test("a narrow drop against wide reference drops: a drop width gap with a widening Utility fix on the lead")
    func narrowDropGap() throws {
        let report = try DegradationSet.report(Self.narrowDrop)
        let gap = try #require(report.gaps.first { $0.feature == "section.side_mid_ratio" && $0.section == "drop" },
                               "gaps: \(report.gaps.map { "\($0.feature) \($0.section ?? "")" })")
        #expect(gap.direction == .low)
        #expect(gap.kind == .section)
        let fix = try #require(gap.fixes.first)
        guard case let .utility(widthPercent) = fix.action else { Issue.record("not a Utility: \(fix.action)"); return }
        #expect(widthPercent > 100 && widthPercent <= 200)
        #expect(fix.scope == .role("lead"))
        #expect(!fix.adviceOnly)
        // Only the drop was narrowed: no breakdown width gap.
        #expect(!report.gaps.contains { $0.feature == "section.side_mid_ratio" && $0.section == "breakdown" })
        #expect(report.measured["section.drop.side_mid_ratio"] != nil)
        // Mapped onto a set with a lead track, the Utility goes there.
        let set = LiveSetDescription(tracks: [.init(index: 0, name: "Mix Bus", devices: []), .init(index: 1, name: "Lead Saw", devices: [])])
        #expect(FixMapper(set: set).map(fix).track == "Lead Saw")
    }

    @Test("a fully mono drop is a width gap with advice (no device widens mono)")
    func monoDropAdvice() throws {
        let report = try DegradationSet.report(Self.dropWidth(factor: 0))
        let gap = try #require(report.gaps.first { $0.feature == "section.side_mid_ratio" && $0.section == "drop" })
        #expect(gap.adviceOnly)
        #expect(gap.fixes.first?.action.summary.contains("mono") == true)
    }

    @Test("old analyses and profiles without width still decode")
    func backwardCompatible() throws {
        let point = #"{"t_s": 1, "rms_db": -10, "centroid_hz": 900, "bass_ratio": 0.4}"#
        let decoded = try UpliftJSON.decoder().decode(TrackAnalysis.EnergyPoint.self, from: Data(point.utf8))
        #expect(decoded.sideMidRatio == nil)
        let stats = #"{"n":3,"mean":1,"std":0,"median":1,"p10":1,"p25":1,"p75":1,"p90":1,"min":1,"max":1}"#
        let kind = #"{"tracks_with": 3, "count_per_track": \#(stats), "bars": \#(stats)}"#
        let s = try UpliftJSON.decoder().decode(Profile.SectionStats.self, from: Data(kind.utf8))
        #expect(s.sideMidRatio == nil)
        // A mix analysed before width was measured gives no width gap, and no crash.
        var old = Self.narrowDrop
        old.energy = old.energy.map { TrackAnalysis.Energy(curve: $0.curve.map { p in var q = p; q.sideMidRatio = nil; return q }) }
        let report = try DegradationSet.report(old)
        #expect(!report.gaps.contains { $0.feature == "section.side_mid_ratio" })
    }
}

@Suite("Section width: old profiles")
struct SectionWidthOldProfileTests {
    @Test("a profile without section width says so instead of silently skipping width")
    func oldProfileWarns() throws {
        var profile = DegradationSet.profile
        profile.sectionLayout!.kinds = profile.sectionLayout!.kinds.mapValues { var k = $0; k.sideMidRatio = nil; return k }
        let report = try GapAnalyzer().analyze(mix: SectionWidthTests.narrowDrop, profile: profile)
        #expect(report.warnings.contains { $0.contains("no per-section width") })
        #expect(!report.gaps.contains { $0.feature == "section.side_mid_ratio" })
    }
}
