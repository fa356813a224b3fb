import Foundation
import Testing
import UpliftDSP
import UpliftModel
@testable import UpliftGaps

/// Known degradations of a held-back track must each rank in the top 2 of its gap report, with a
/// fix that moves the right parameter the right way by 50–100 % of the degradation; the clean
/// track must have no gap above `cleanPriorityLimit`.
@Suite struct DegradationRecoveryTests {
    /// Highest priority a clean track of the reference style may show: the worth-acting-on line. The
    /// clean held-back track peaks at 0.24 (sub width), every degradation at 0.9 or more.
    static let cleanPriorityLimit = GapJudgement.actionLine

    func top2(_ report: GapReport, _ matches: (Gap) -> Bool) -> Gap? {
        if ProcessInfo.processInfo.environment["UPLIFT_GAPS_VERBOSE"] != nil { print("\(report.mix): \(describe(report))") }
        // Above the worth-acting-on line, not only in the first two rows.
        return report.gaps.filter { !$0.rejected }.prefix(2).first { matches($0) && $0.actionable == true }
    }

    func describe(_ report: GapReport) -> String {
        report.gaps.prefix(5).map { "\($0.feature) \($0.section ?? "") \(String(format: "%.2f", $0.priority)) \($0.fixes.first?.action.summary ?? "")" }
            .joined(separator: " | ")
    }

    @Test func cleanHeldBackTrackHasNoGapAboveTheLimit() throws {
        let clean = DegradationSet.analyze(DegradationSet.heldBack, name: "clean.wav")
        let report = try DegradationSet.report(clean)
        let worst = report.gaps.first?.priority ?? 0
        if ProcessInfo.processInfo.environment["UPLIFT_GAPS_VERBOSE"] != nil { print("clean: \(describe(report))") }
        #expect(worst < Self.cleanPriorityLimit, "clean track: \(describe(report))")
        #expect(!report.warnings.contains { $0.contains("lie far") }, "\(report.warnings)")
    }

    /// Something that is not a mix of this style at all (noise of the same length and level) is
    /// far outside on most measures, and the report says so before the list; one degradation is not.
    @Test func aMixOfAnotherKindIsToldTheComparisonIsInDoubt() throws {
        var random = SeededRandom(seed: 5)
        let noise = DegradationSet.heldBack.interleaved.map { _ in Float(random.unit() - 0.5) * 0.5 }
        let report = try DegradationSet.report(DegradationSet.analyze(interleaved: noise, sampleRate: DegradationSet.sampleRate, name: "noise.wav"))
        let warning = try #require(report.warnings.first { $0.contains("lie far") }, "\(report.warnings)")
        #expect(warning.contains("--cluster") && warning.contains("another style"))
        let narrow = DegradationSet.width(DegradationSet.heldBack, factor: 0.5)
        let degraded = try DegradationSet.report(DegradationSet.analyze(interleaved: narrow, sampleRate: DegradationSet.sampleRate, name: "narrow.wav"))
        #expect(!degraded.warnings.contains { $0.contains("lie far") }, "\(degraded.warnings)")
    }

    @Test func lowShelfBoostAt100HzIsFoundAndCut() throws {
        let degraded = DegradationSet.filtered(DegradationSet.heldBack, .lowShelf(gainDB: 4), frequencyHz: 100, q: 0.71)
        let report = try DegradationSet.report(DegradationSet.analyze(interleaved: degraded, sampleRate: DegradationSet.sampleRate, name: "shelf.wav"))
        let gap = try #require(top2(report) { g in
            g.direction == .high && (g.band.map { $0.lowHz < 150 } ?? (g.feature.hasSuffix(".sub") || g.feature.hasSuffix(".bass")))
        }, "top gaps: \(describe(report))")
        #expect(gap.priority >= Self.cleanPriorityLimit)
        guard case let .eq(shape, f, g, _) = try #require(gap.fixes.first).action else { Issue.record("no EQ fix"); return }
        #expect(g <= -2 && g >= -4, "gain \(g) should undo 50–100 % of +4 dB; \(describe(report))")
        #expect(shape == .lowShelf || f < 200, "\(shape) at \(f) Hz")
        #expect(abs(log2(f / 100)) <= 1, "\(f) Hz is more than an octave from 100 Hz")
    }

    @Test func cutAt3kHzIsFoundAndBoosted() throws {
        let degraded = DegradationSet.filtered(DegradationSet.heldBack, .peaking(gainDB: -5), frequencyHz: 3000, q: 1)
        let report = try DegradationSet.report(DegradationSet.analyze(interleaved: degraded, sampleRate: DegradationSet.sampleRate, name: "dip.wav"))
        let gap = try #require(top2(report) { g in
            g.direction == .low && (g.band.map { $0.lowHz < 3000 && $0.highHz > 3000 } ?? g.feature.hasSuffix(".high_mid"))
        }, "top gaps: \(describe(report))")
        guard case let .eq(shape, f, g, _) = try #require(gap.fixes.first).action else { Issue.record("no EQ fix"); return }
        #expect(g >= 2.5 && g <= 5, "gain \(g) should undo 50–100 % of −5 dB")
        #expect(shape == .bell && abs(log2(f / 3000)) <= 0.5, "\(shape) at \(f) Hz")
    }

    @Test func halvedWidthIsFoundAndWidened() throws {
        let degraded = DegradationSet.width(DegradationSet.heldBack, factor: 0.5)
        let report = try DegradationSet.report(DegradationSet.analyze(interleaved: degraded, sampleRate: DegradationSet.sampleRate, name: "narrow.wav"))
        let gap = try #require(top2(report) { $0.feature == "stereo.side_mid_ratio" && $0.direction == .low }, "top gaps: \(describe(report))")
        guard case let .utility(width) = try #require(gap.fixes.first).action else { Issue.record("no Utility fix"); return }
        // Halving is one octave of width; the fix must give back half to all of it: ×1.41 … ×2.
        let octaves = log2(width / 100)
        #expect(octaves >= 0.5 && octaves <= 1.0, "width \(width) %")
    }

    @Test func tempo128InsteadOf138IsFoundAndRaised() throws {
        let slow = DegradationSet.recipe(seed: DegradationSet.heldBackSeed, bpm: 128).render(sampleRate: DegradationSet.sampleRate)
        let report = try DegradationSet.report(DegradationSet.analyze(slow, name: "slow.wav"))
        let gap = try #require(top2(report) { $0.feature == "tempo.bpm" && $0.direction == .low }, "top gaps: \(describe(report))")
        guard case let .tempo(bpm) = try #require(gap.fixes.first).action else { Issue.record("no tempo fix"); return }
        #expect(bpm >= 133 && bpm <= 138.5, "tempo fix \(bpm)")
    }

    @Test func removedPumpingIsFoundAndACompressorProposed() throws {
        let clean = DegradationSet.analyze(DegradationSet.heldBack, name: "clean.wav")
        let flat = DegradationSet.recipe(seed: DegradationSet.heldBackSeed, sidechainDB: 0).render(sampleRate: DegradationSet.sampleRate)
        let degraded = DegradationSet.analyze(flat, name: "nopump.wav")
        let report = try DegradationSet.report(degraded)
        if ProcessInfo.processInfo.environment["UPLIFT_GAPS_VERBOSE"] != nil {
            print("pumping clean \(String(describing: clean.pumping)) degraded \(String(describing: degraded.pumping)) profile \(String(describing: DegradationSet.profile.features["pumping.depth_db"]))")
        }
        let gap = try #require(top2(report) { $0.feature == "pumping.depth_db" && $0.direction == .low }, "top gaps: \(describe(report))")
        let fix = try #require(gap.fixes.first)
        guard case let .compressor(threshold, ratio) = fix.action else { Issue.record("no compressor fix"); return }
        #expect(threshold < FixSizer.assumedKeyPeakDBFS && ratio > 1) // the threshold goes down into the kick
        // The promised extra gain reduction gives back 50–100 % of the depth that was removed.
        let removed = try #require(clean.pumping?.depthDB) - (degraded.pumping?.depthDB ?? 0)
        let promised = try #require(fix.expectedValue) - gap.value
        #expect(promised >= 0.5 * removed && promised <= 1.0 * removed, "promised +\(promised) dB for \(removed) dB removed")
        // Mapped onto the bass track's compressor: the threshold parameter moves down.
        let mapped = FixMapper(set: LiveSets.set).map(fix)
        let thresholdChange = try #require(mapped.parameters.first { $0.name == "Threshold" })
        #expect(thresholdChange.new < thresholdChange.old!)
    }

    @Test func breakdownAsLoudAsTheDropIsFoundAndLowered() throws {
        let (samples, raisedDB) = DegradationSet.loudBreakdown(DegradationSet.heldBack)
        #expect(raisedDB > 3)
        let report = try DegradationSet.report(DegradationSet.analyze(interleaved: samples, sampleRate: DegradationSet.sampleRate, name: "loud-breakdown.wav"))
        let gap = try #require(top2(report) { g in
            (g.feature == "section.relative_rms_db" && g.section == "breakdown" && g.direction == .high)
                || (g.feature == "arrangement.drop_breakdown_contrast_db" && g.direction == .low)
        }, "top gaps: \(describe(report))")
        guard case let .sectionGain(section, g) = try #require(gap.fixes.first).action else { Issue.record("no section gain fix"); return }
        #expect(section == "breakdown")
        #expect(-g >= 0.5 * raisedDB && -g <= raisedDB, "breakdown gain \(g) dB for +\(raisedDB) dB")
    }
}
