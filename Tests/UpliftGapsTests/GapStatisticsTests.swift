import Foundation
import Testing
import UpliftModel
@testable import UpliftGaps
@testable import UpliftProfile

@Suite struct GapStatisticsTests {
    let refs: [Double] = (1...10).map(Double.init)

    @Test func robustZAndPercentileAgainstHandComputedValues() throws {
        let stats = try #require(Statistics.describe(refs))
        // Type-7 quantiles of 1…10: median 5.5, p25 3.25, p75 7.75, p10 1.9, p90 9.1; IQR 4.5 → spread 4.5/1.349.
        let spread = 4.5 / 1.349
        let above = RobustPosition(value: 12, stats: stats, references: refs, spreadFloor: 0.01)
        #expect(abs(above.spread - spread) < 1e-12)
        #expect(abs(above.z - (12 - 5.5) / spread) < 1e-12)
        #expect(abs(above.severity - (12 - 9.1) / spread) < 1e-9)
        #expect(above.percentile == 100)
        #expect(!above.inside)
        let low = RobustPosition(value: 1.5, stats: stats, references: refs, spreadFloor: 0.01)
        #expect(low.percentile == 10)
        #expect(abs(low.severity - (1.9 - 1.5) / spread) < 1e-9)
        #expect(low.z < 0)
        let tie = RobustPosition(value: 4, stats: stats, references: refs, spreadFloor: 0.01)
        #expect(tie.percentile == 35) // 3 below + half of one tie, of 10
        #expect(tie.inside && tie.severity == 0)
        // Without the references: interpolated through the stored percentiles (p25 3.25 → 25, p50 5.5 → 50).
        let interpolated = RobustPosition(value: 4.375, stats: stats, references: nil, spreadFloor: 0.01)
        #expect(abs(interpolated.percentile - 37.5) < 1e-9)
    }

    @Test func oneOddReferenceDoesNotMoveTheRobustZ() throws {
        let stats = try #require(Statistics.describe(refs))
        let outlier = try #require(Statistics.describe(Array(refs.dropLast()) + [1000]))
        let a = RobustPosition(value: 20, stats: stats, references: nil, spreadFloor: 0.01)
        let b = RobustPosition(value: 20, stats: outlier, references: nil, spreadFloor: 0.01)
        #expect(abs(a.z - b.z) < 1e-9) // median and IQR ignore the 1000
        #expect(abs(stats.std - outlier.std) > 100) // while the standard deviation explodes
    }

    @Test func collapsedSpreadFallsBackToTheFloor() throws {
        let stats = try #require(Statistics.describe([5, 5, 5, 5, 5, 5]))
        let p = RobustPosition(value: 6, stats: stats, references: nil, spreadFloor: 0.5)
        #expect(p.spread == 0.5)
        #expect(p.z == 2)
    }

    @Test func featureInsideP10P90IsNotAGapAndOutsideIs() throws {
        let analyses = (0..<10).map { i -> TrackAnalysis in
            var a = TrackAnalysis(file: "/refs/\(i).wav", durationS: 60, sampleRate: 44_100, channels: 2)
            a.stereo = .init(correlation: 0.5, sideMidRatio: 0.10 + 0.01 * Double(i), bands: [:])
            return a
        }
        let profile = try GapFixtures.profile(analyses)
        func report(_ ratio: Double) throws -> GapReport {
            var mix = TrackAnalysis(file: "mix.wav", durationS: 60, sampleRate: 44_100, channels: 2)
            mix.stereo = .init(correlation: 0.5, sideMidRatio: ratio, bands: [:])
            var options = GapAnalyzer.Options()
            options.wholeProfile = true
            return try GapAnalyzer(options: options).analyze(mix: mix, profile: profile)
        }
        #expect(try report(0.14).gaps.isEmpty)
        let gap = try #require(try report(0.04).gaps.first { $0.feature == "stereo.side_mid_ratio" })
        let stats = try #require(profile.features["stereo.side_mid_ratio"])
        #expect(gap.direction == .low)
        #expect(abs(gap.profileP10 - stats.p10) < 1e-12 && abs(gap.profileP90 - stats.p90) < 1e-12)
        #expect(abs(gap.z - (0.04 - stats.median) / (stats.iqr / 1.349)) < 1e-9)
        #expect(gap.percentile == 0)
        // priority = (½ severity + ½ (JNDs − 1)) × importance × fixability × tier weight, and the reason says so.
        let steps = Audibility.steps(feature: gap.feature, value: 0.04, median: stats.p10)
        let magnitude = min(10, 0.5 * gap.severity + 0.5 * max(0, steps - 1))
        #expect(abs(gap.priority - magnitude * gap.importance * gap.fixability * WorkOrder.stereo.weight) < 1e-12)
        #expect(gap.audible == true && gap.tier == "stereo")
        #expect(gap.importance == 0.60 && gap.fixability == 1)
        #expect(gap.reason.contains("importance 0.60") && gap.reason.contains("fixability 1.00"))
        // Width: side/mid is energy, so the Utility factor is sqrt(target/value)^0.7 (70 % of the gap in dB).
        guard case let .utility(width) = try #require(gap.fixes.first).action else { Issue.record("no utility fix"); return }
        #expect(abs(width - (100 * pow(stats.median / 0.04, 0.35)).rounded()) < 1e-9)
    }

    /// Severity stops at the cap so one wild feature cannot bury the rest, but among capped gaps
    /// the larger departure ranks first, and the reason says the size was capped.
    @Test func cappedGapsStillRankByTheirSize() throws {
        func stereo(_ lowMid: Double, _ highMid: Double) -> TrackAnalysis.Stereo {
            .init(correlation: 0.5, sideMidRatio: 0.1, bands: [.lowMid: .init(correlation: 0.5, sideMidRatio: lowMid),
                                                                .highMid: .init(correlation: 0.5, sideMidRatio: highMid)])
        }
        let analyses = (0..<10).map { i -> TrackAnalysis in
            var a = TrackAnalysis(file: "/refs/\(i).wav", durationS: 60, sampleRate: 44_100, channels: 2)
            a.stereo = stereo(0.10 + 0.01 * Double(i), 0.10 + 0.01 * Double(i))
            return a
        }
        let profile = try GapFixtures.profile(analyses)
        let lowKey = "stereo.bands.low_mid.side_mid_ratio", highKey = "stereo.bands.high_mid.side_mid_ratio"
        let stats = try #require(profile.features[highKey])
        let spread = RobustPosition.spread(of: stats, floor: Audibility.spreadFloor(feature: highKey, repeatability: 0.02, median: stats.median))
        // Both far beyond the cap (same importance and fixability); high-mid departs 4× as far.
        for (lowSpreads, highSpreads) in [(300.0, 1200.0), (1200.0, 300.0)] {
            var mix = TrackAnalysis(file: "mix.wav", durationS: 60, sampleRate: 44_100, channels: 2)
            mix.stereo = stereo(stats.p90 + lowSpreads * spread, stats.p90 + highSpreads * spread)
            var options = GapAnalyzer.Options()
            options.wholeProfile = true
            let gaps = try GapAnalyzer(options: options).analyze(mix: mix, profile: profile).gaps
            let low = try #require(gaps.firstIndex { $0.feature == lowKey }), high = try #require(gaps.firstIndex { $0.feature == highKey })
            #expect(gaps[low].priority == gaps[high].priority && gaps[low].severity == GapAnalyzer.severityCap)
            #expect((low < high) == (lowSpreads > highSpreads), "\(gaps.map(\.feature))")
            #expect(gaps[high].reason.contains("\(String(format: "%.1f", highSpreads)) spreads above p90, counted as 10"), "\(gaps[high].reason)")
        }
    }

    @Test func trancePriorityUsesTheTranceScoreWeights() {
        #expect(FeatureCatalog.entry("tempo.bpm")?.importance == 1.0)
        #expect(abs((FeatureCatalog.entry("pumping.depth_db")?.importance ?? 0) - 0.75) < 1e-12)
        #expect(abs((FeatureCatalog.entry("acid.score")?.importance ?? 0) - 0.40) < 1e-12)
        #expect(FeatureCatalog.entry("trance.score") == nil) // a derived duplicate is not compared
    }
}
