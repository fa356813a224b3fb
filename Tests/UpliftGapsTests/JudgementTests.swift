import Foundation
import Testing
import UpliftModel
@testable import UpliftGaps
@testable import UpliftProfile

/// The judgement rules, each on hand-built analyses whose numbers are known by construction:
/// audibility floors, the spread floor, the order of work, the safety rules, numbers in fixes.
@Suite struct JudgementTests {
    static func loud(_ file: String, lufs: Double, tp: Double, plr: Double = 8, lra: Double = 5) -> TrackAnalysis {
        var a = TrackAnalysis(file: file, durationS: 60, sampleRate: 44_100, channels: 2)
        a.loudness = .init(integratedLUFS: lufs, lraLU: lra, truePeakDBTP: tp, samplePeakDBFS: tp - 0.2, shortTermMaxLUFS: lufs + 2,
                           momentaryMaxLUFS: lufs + 3, plrDB: plr)
        return a
    }

    /// Ten references: loudness `centre ± spread` (evenly), true peak `tp`.
    static func loudnessProfile(centre: Double, spread: Double, tp: Double = -1.2) throws -> Profile {
        try GapFixtures.profile((0..<10).map { i in
            loud("/refs/\(i).wav", lufs: centre + spread * (Double(i) / 4.5 - 1), tp: tp)
        })
    }

    func report(_ mix: TrackAnalysis, _ profile: Profile, all: Bool = false) throws -> GapReport {
        var options = GapAnalyzer.Options()
        options.wholeProfile = true
        options.includeInaudible = all
        return try GapAnalyzer(options: options).analyze(mix: mix, profile: profile)
    }

    // MARK: - Audibility floors

    @Test func theJNDTableFollowsBandwidthAndDirection() {
        #expect(Audibility.spectralJND(widthOctaves: 3, boost: true) == 1)
        #expect(Audibility.spectralJND(widthOctaves: 1.5, boost: true) == 1.5)
        #expect(Audibility.spectralJND(widthOctaves: 0.7, boost: true) == 2)
        #expect(Audibility.spectralJND(widthOctaves: 0.3, boost: true) == 3)
        #expect(Audibility.spectralJND(widthOctaves: 0.3, boost: false) == 4) // dips are harder to hear
        #expect(Audibility.steps(feature: "loudness.integrated_lufs", value: -10, median: -8) == 2)
        // Width: 10 % is one step (side/mid is an energy ratio: ×1.21).
        #expect(abs(Audibility.steps(feature: "stereo.side_mid_ratio", value: 0.1 * 1.21, median: 0.1) - 1) < 1e-9)
        #expect(!Audibility.moveIsAudible(.eq(shape: .bell, frequencyHz: 700, gainDB: -0.3, q: 0.4)))
        #expect(Audibility.moveIsAudible(.eq(shape: .bell, frequencyHz: 700, gainDB: -0.6, q: 0.4)))
        #expect(!Audibility.moveIsAudible(.utility(widthPercent: 108)) && Audibility.moveIsAudible(.utility(widthPercent: 115)))
    }

    @Test func aDepartureBelowTheJNDIsNotListedUnlessAskedAndThenMarkedInaudible() throws {
        // Near-identical references (±0.05 LU): 0.6 LU louder is far outside p10–p90 but below the 1 LU JND.
        let profile = try Self.loudnessProfile(centre: -8, spread: 0.05)
        let mix = Self.loud("mix.wav", lufs: -7.4, tp: -1.2)
        #expect(try report(mix, profile).gaps.isEmpty)
        let all = try report(mix, profile, all: true)
        let gap = try #require(all.gaps.first { $0.feature == "loudness.integrated_lufs" })
        #expect(gap.audible == false && gap.actionable == false)
        #expect(ReportFormatter.text(all).contains("inaudible"))
        // 2 LU is heard.
        let heard = try #require(try report(Self.loud("mix.wav", lufs: -6, tp: -3.5), profile).gaps.first)
        #expect(heard.feature == "loudness.integrated_lufs" && heard.audible == true)
    }

    @Test func priorityScalesWithAudibleSizeNotOnlyStatisticalDistance() throws {
        // 4 LU just outside a broad profile (±2.5 LU) against 1.2 LU far outside a narrow one (±0.05 LU).
        let narrowProfile = try Self.loudnessProfile(centre: -8, spread: 0.05)
        let broad = try report(Self.loud("mix.wav", lufs: -4, tp: -9), try Self.loudnessProfile(centre: -8, spread: 2.5)).gaps.first
        let narrow = try report(Self.loud("mix.wav", lufs: -6.8, tp: -9), narrowProfile).gaps.first
        let b = try #require(broad), n = try #require(narrow)
        // In the narrow references' own spread the 1.2 LU is dozens of spreads out; the broad one barely one.
        let stats = try #require(narrowProfile.features["loudness.integrated_lufs"])
        #expect((n.value - stats.p90) / RobustPosition.spread(of: stats, floor: 1e-9) > 10)
        #expect(b.severity < 1.5)
        #expect(b.priority > n.priority, "\(b.reason) ||| \(n.reason)")
    }

    // MARK: - Spread floor

    @Test func nearIdenticalReferencesDoNotTurnFractionsOfADecibelIntoManySpreads() throws {
        let profile = try Self.loudnessProfile(centre: -8, spread: 0.02)
        let all = try report(Self.loud("mix.wav", lufs: -9.5, tp: -1.2), profile, all: true)
        let gap = try #require(all.gaps.first { $0.feature == "loudness.integrated_lufs" })
        // Spread floored at √(0.5² + 1²) LU, not the references' 0.01: 1.5 LU is about one spread, not a hundred.
        #expect(abs(gap.z) < 2, "z \(gap.z)")
        let warnings = all.warnings.filter { $0.contains("near-identical") }
        #expect(warnings.count == 1, "\(all.warnings)")
        #expect(warnings[0].contains("integrated loudness"))
    }

    @Test func aSmallProfileSaysSoOnce() throws {
        let profile = try GapFixtures.profile((0..<3).map { Self.loud("/refs/\($0).wav", lufs: -8 + Double($0), tp: -1.2) })
        let r = try report(Self.loud("mix.wav", lufs: -14, tp: -7), profile)
        #expect(r.warnings.filter { $0.contains("only 3 references") }.count == 1, "\(r.warnings)")
    }

    // MARK: - Order of work

    @Test func theOrderOfWorkIsLoudnessThenToneThenDynamicsThenStereoThenArrangement() {
        let weights = WorkOrder.allCases.map(\.weight)
        #expect(weights == weights.sorted(by: >))
        #expect(WorkOrder.of(feature: "loudness.true_peak_dbtp") == .safety)
        #expect(WorkOrder.of(feature: "loudness.integrated_lufs") == .loudness)
        #expect(WorkOrder.of(feature: "spectrum.band") == .tonal)
        #expect(WorkOrder.of(feature: "pumping.depth_db") == .dynamics)
        #expect(WorkOrder.of(feature: "stereo.side_mid_ratio") == .stereo)
        #expect(WorkOrder.of(feature: "tempo.bpm") == .arrangement && WorkOrder.of(feature: "arrangement.bars") == .arrangement)
    }

    /// "Never above a mix problem of similar size": a tempo gap half again as large (in JNDs) as a loudness
    /// gap still ranks below it (without the order of work it would rank above: tempo's importance is 1.0).
    @Test func aLoudnessGapOutranksATempoGapOfSimilarSizeAndTheReasonSaysWhy() throws {
        func ref(_ i: Int) -> TrackAnalysis {
            var a = Self.loud("/refs/\(i).wav", lufs: -8 + 0.2 * Double(i - 5), tp: -1.2)
            a.tempo = .init(bpm: 138 + 0.2 * Double(i - 5), confidence: 0.9, stability: 0.95, firstBeatS: 0)
            return a
        }
        let profile = try GapFixtures.profile((0..<10).map(ref))
        var mix = Self.loud("mix.wav", lufs: -8 - 4, tp: -8)   // 4 LU = 4 JNDs quieter
        mix.tempo = .init(bpm: 138 * 0.94, confidence: 0.9, stability: 0.95, firstBeatS: 0) // 6 % = 6 JNDs slower
        let gaps = try report(mix, profile).gaps
        let loudness = try #require(gaps.firstIndex { $0.feature == "loudness.integrated_lufs" })
        let tempo = try #require(gaps.firstIndex { $0.feature == "tempo.bpm" })
        #expect(loudness < tempo, "\(gaps.map { "\($0.feature) \($0.priority)" })")
        // Without the tier weights the tempo gap would be the larger one.
        #expect(gaps[tempo].priority / WorkOrder.arrangement.weight > gaps[loudness].priority / WorkOrder.loudness.weight)
        #expect(gaps[loudness].reason.contains("order of work 2 of 6") && gaps[loudness].reason.contains("loudness first"))
        #expect(gaps[tempo].reason.contains("musical decision"))
    }

    // MARK: - Safety rules

    @Test func aMixAboveZeroDBTPIsAGapFirstAndItsFixCeilsAtMinusOne() throws {
        let profile = try Self.loudnessProfile(centre: -8, spread: 1)
        var mix = Self.loud("mix.wav", lufs: -8, tp: 0.6)
        mix.tempo = nil
        let gaps = try report(mix, profile).gaps
        let first = try #require(gaps.first)
        #expect(first.feature == "loudness.true_peak_dbtp" && first.actionable == true, "\(gaps.map(\.feature))")
        #expect(first.headline?.contains("clips") == true)
        guard case let .limiter(_, ceiling) = try #require(first.fixes.first).action else { Issue.record("no limiter"); return }
        #expect(ceiling == -1 && first.fixes[0].expectedTruePeakDBTP == -1)
        // Between −1 and 0 dBTP: listed, below the line.
        let near = try #require(try report(Self.loud("mix.wav", lufs: -8, tp: -0.5), profile).gaps.first { $0.feature == "loudness.true_peak_dbtp" })
        #expect(near.actionable == false)
        // At −1.2 dBTP, below the references' −0.5 … nothing: a lower peak is never a gap.
        let clipping = try Self.loudnessProfile(centre: -8, spread: 1, tp: -0.2)
        #expect(try !report(Self.loud("mix.wav", lufs: -8, tp: -3), clipping).gaps.contains { $0.feature == "loudness.true_peak_dbtp" })
    }

    @Test func referencesThatClipAreNotATargetAndNoLoudnessFixPassesMinusOneDBTP() throws {
        let profile = try GapFixtures.profile((0..<10).map { Self.loud("/refs/\($0).wav", lufs: -6 + 0.1 * Double($0), tp: 1.5 + 0.2 * Double($0)) })
        let r = try report(Self.loud("mix.wav", lufs: -12, tp: -1.5), profile)
        #expect(r.warnings.contains { $0.contains("peak above 0 dBTP") && $0.contains("not a target") }, "\(r.warnings)")
        #expect(!r.gaps.contains { $0.feature == "loudness.true_peak_dbtp" })
        let gap = try #require(r.gaps.first)
        #expect(gap.feature == "loudness.integrated_lufs" && gap.direction == .low)
        let fix = try #require(gap.fixes.first)
        guard case let .limiter(g, ceiling) = fix.action else { Issue.record("\(fix.action)"); return }
        // 70 % of 6.45 LU (median −5.55 LUFS) through the Limiter; the ceiling keeps the true peak at −1 dBTP.
        #expect(abs(g - 0.7 * 6.45) < 0.06 && ceiling == -1, "\(g)")
        #expect(try #require(fix.expectedTruePeakDBTP) <= -1)
        #expect(fix.expectedEffect.contains("-1.0 dBTP") && fix.expectedEffect.contains("without it"), "\(fix.expectedEffect)")
    }

    @Test func aLoudnessMoveWithHeadroomIsAUtilityGainWithItsTruePeak() throws {
        let profile = try Self.loudnessProfile(centre: -8, spread: 1)
        let gap = try #require(try report(Self.loud("mix.wav", lufs: -14, tp: -9), profile).gaps.first)
        guard case let .gain(g) = try #require(gap.fixes.first).action else { Issue.record("\(gap.fixes)"); return }
        #expect(abs(g - 0.7 * 6) < 0.06)
        #expect(abs(try #require(gap.fixes[0].expectedTruePeakDBTP) - (-9 + 4.2)) < 0.06)
        #expect(gap.fixes[0].expectedEffect.contains("true peak -9.0 → -4.8 dBTP"), "\(gap.fixes[0].expectedEffect)")
        // Mapped onto the mix bus's Utility Gain.
        let mapped = FixMapper(set: LiveSets.set).map(gap.fixes[0])
        #expect(mapped.parameters == [ParameterChange(name: "Gain", unit: "dB", old: 0, new: 4.2, oldText: "0.0 dB", newText: "4.2 dB")])
    }

    @Test func everyMoveIsClampedAndSaysSo() throws {
        let profile = try Self.loudnessProfile(centre: -8, spread: 1)
        let gap = try #require(try report(Self.loud("mix.wav", lufs: -30, tp: -20), profile).gaps.first)
        guard case let .gain(g) = try #require(gap.fixes.first).action else { Issue.record("\(gap.fixes)"); return }
        #expect(g == GapAnalyzer.maxLoudnessMoveDB)
        #expect(gap.fixes[0].expectedEffect.contains("clamped"))
    }

    @Test func aBoostThatWouldPassMinusOneDBTPCarriesItsGainReduction() throws {
        let boost = Fix(id: "f", gapID: "g", action: .eq(shape: .bell, frequencyHz: 3000, gainDB: 3, q: 1), scope: .mixBus,
                        expectedEffect: "boost", expectedValue: nil, confidence: 0.5, adviceOnly: false)
        let safe = GapJudgement.keepTruePeakSafe(boost, mixTruePeakDBTP: -1.5)
        #expect(abs(try #require(safe.trimDB) - (-2.5)) < 1e-9)
        #expect(try #require(safe.expectedTruePeakDBTP) <= -1)
        let roomy = GapJudgement.keepTruePeakSafe(boost, mixTruePeakDBTP: -6)
        #expect(roomy.trimDB == nil && roomy.expectedTruePeakDBTP == -3)
        // A cut never needs one.
        let cut = Fix(id: "f", gapID: "g", action: .eq(shape: .bell, frequencyHz: 3000, gainDB: -3, q: 1), scope: .mixBus,
                      expectedEffect: "cut", expectedValue: nil, confidence: 0.5, adviceOnly: false)
        #expect(GapJudgement.keepTruePeakSafe(cut, mixTruePeakDBTP: -0.5).trimDB == nil)
        // The trim lands on the same EQ Eight's Output Gain.
        let mapped = FixMapper(set: LiveSets.set).map(safe)
        let output = try #require(mapped.parameters.first { $0.name == "Output Gain" })
        #expect(output.new == -2.5 && mapped.device == "EQ Eight")
    }

    @Test func theLowEndIsNeverWidenedAndAWideOneGetsBassMono() throws {
        func ref(_ i: Int) -> TrackAnalysis {
            var a = TrackAnalysis(file: "/refs/\(i).wav", durationS: 60, sampleRate: 44_100, channels: 2)
            a.stereo = .init(correlation: 0.5, sideMidRatio: 0.12 + 0.005 * Double(i),
                             bands: [.bass: .init(correlation: 0.9, sideMidRatio: 0.03 + 0.005 * Double(i))])
            return a
        }
        let profile = try GapFixtures.profile((0..<10).map(ref))
        func mix(bass: Double) -> TrackAnalysis {
            var m = TrackAnalysis(file: "mix.wav", durationS: 60, sampleRate: 44_100, channels: 2)
            m.stereo = .init(correlation: 0.5, sideMidRatio: 0.14, bands: [.bass: .init(correlation: 0.9, sideMidRatio: bass)])
            return m
        }
        // A mono bass is right: no gap.
        #expect(try report(mix(bass: 0.001), profile, all: true).gaps.isEmpty)
        // Twice as wide: Bass Mono at 150 Hz on the mix bus, mapped to Utility's Bass Mono and Bass Freq.
        let gap = try #require(try report(mix(bass: 0.25), profile).gaps.first)
        guard case let .bassMono(hz) = try #require(gap.fixes.first).action else { Issue.record("\(gap.fixes)"); return }
        #expect(hz == GapAnalyzer.bassMonoBassHz && !gap.adviceOnly)
        #expect(gap.headline?.contains("as wide as") == true, "\(gap.headline ?? "")")
        let utility = LiveSetDescription.Device(index: 0, name: "Utility", className: "StereoGain", parameters: [
            .init(index: 1, name: "Stereo Width", value: 1, min: 0, max: 4, valueString: "100 %", isQuantized: false),
            .init(index: 2, name: "Bass Mono", value: 0, min: 0, max: 1, valueString: "Off", isQuantized: true),
            .init(index: 3, name: "Bass Freq", value: 0.5, min: 0, max: 1, valueString: "120 Hz", isQuantized: false),
        ])
        let set = LiveSetDescription(tracks: [.init(index: 0, name: "Mix Bus", devices: [utility])])
        let mapped = FixMapper(set: set).map(gap.fixes[0])
        #expect(mapped.parameters.map(\.newText) == ["On", "150 Hz"], "\(mapped.parameters)")
        // A widening move on that Utility switches Bass Mono on below 120 Hz with it.
        let widen = FixMapper(set: set).map(LiveSets.fix(.utility(widthPercent: 130), .mixBus))
        #expect(widen.parameters.map(\.name) == ["Stereo Width", "Bass Mono", "Bass Freq"])
        #expect(widen.parameters[1].newText == "On" && widen.parameters[2].new == 120)
    }

    @Test func theLimiterIsInTheMapAndItsCeilingNeverEndsAboveMinusOne() {
        let limiter = LiveSetDescription.Device(index: 0, name: "Limiter", className: "Limiter", parameters: [
            .init(index: 1, name: "Gain", value: 2, min: 0, max: 24, valueString: "2.0 dB", isQuantized: false),
            .init(index: 2, name: "Ceiling", value: -0.3, min: -24, max: 0, valueString: "-0.3 dB", isQuantized: false),
        ])
        let set = LiveSetDescription(tracks: [.init(index: 0, name: "Mix Bus", devices: [limiter])])
        let mapped = FixMapper(set: set).map(LiveSets.fix(.limiter(gainDB: 3.5, ceilingDB: -1), .mixBus))
        #expect(mapped.parameters == [
            ParameterChange(name: "Gain", unit: "dB", old: 2, new: 5.5, oldText: "2.0 dB", newText: "5.5 dB"),
            ParameterChange(name: "Ceiling", unit: "dB", old: -0.3, new: -1, oldText: "-0.3 dB", newText: "-1.0 dB"),
        ])
        #expect(mapped.isApplicable)
        let none = FixMapper(set: LiveSetDescription(tracks: [.init(index: 0, name: "Mix Bus", devices: [])]))
            .map(LiveSets.fix(.limiter(gainDB: 3.5, ceilingDB: -1), .mixBus))
        #expect(none.needs?.contains("add Live's Limiter") == true)
    }

    @Test func aMixFoldedToMonoRestoresTheUtilityThatFoldsIt() {
        let folding = LiveSetDescription.Device(index: 0, name: "Utility", className: "StereoGain", parameters: [
            .init(index: 1, name: "Stereo Width", value: 0, min: 0, max: 4, valueString: "0 %", isQuantized: false),
            .init(index: 2, name: "Mono", value: 1, min: 0, max: 1, valueString: "On", isQuantized: true),
        ])
        let set = LiveSetDescription(tracks: [.init(index: 0, name: "Mix Bus", devices: [folding])])
        let mapped = FixMapper(set: set).map(LiveSets.fix(.restoreStereo, .mixBus))
        #expect(mapped.parameters.map(\.summary) == ["Mono: On → Off", "Stereo Width: 0 % → 100 %"])
        let none = FixMapper(set: LiveSets.set).map(LiveSets.fix(.restoreStereo, .mixBus))
        #expect(none.needs?.contains("no Utility in the set folds the mix") == true && !none.isApplicable)
    }

    // MARK: - Where the producer reads it

    @Test func jsonMarksAudibleAndActionableAndKeepsTheSchema() throws {
        let profile = try Self.loudnessProfile(centre: -8, spread: 1)
        let r = try report(Self.loud("mix.wav", lufs: -14, tp: -9), profile)
        let json = try ReportFormatter.json(r)
        #expect(json.contains("\"audible\" : true") && json.contains("\"actionable\" : true") && json.contains("uplift.gaps/1"), "\(json.prefix(400))")
        let text = ReportFormatter.text(r)
        // Producer's words first; the statistics follow.
        #expect(text.contains("6.0 LU quieter than your references"), "\(text)")
    }

    @Test func headlinesUseAProducersWords() {
        let gap = Gap(id: "g", kind: .feature, feature: "spectrum.balance_db.low_mid", section: nil, value: -3.0, unit: "dB",
                      profileP10: -5.8, profileP50: -5.1, profileP90: -4.2, z: 3, percentile: 100, direction: .high, severity: 2,
                      importance: 0.5, fixability: 1, priority: 1, reason: "")
        let line = ProducerWords.headline(gap)
        #expect(line == "2.1 dB more low-mids than your references (they range 4.2–5.8 dB below the total)", "\(line)")
        for word in ["low_mid", "ratio", "spreads", "pct"] { #expect(!line.contains(word)) }
    }

    // MARK: - Measurement changed is not closed

    @Test func aGapWhoseSectionLayoutChangedIsMeasurementChangedNotClosed() {
        let gap = Gap(id: "g1", kind: .section, feature: "section.relative_rms_db", section: "outro", value: -2, unit: "dB",
                      profileP10: -9, profileP50: -7, profileP90: -5, z: 2, percentile: 100, direction: .high, severity: 2,
                      importance: 0.7, fixability: 0.6, priority: 1, reason: "")
        let before = GapReport(mix: "a.wav", profile: "p", cluster: nil, amount: 0.7, gaps: [gap],
                               measured: ["section.outro.relative_rms_db": -2, "arrangement.outro.bars": 40, "arrangement.drop.bars": 16])
        var after = before
        after.gaps = []
        after.measured = ["section.outro.relative_rms_db": -7, "arrangement.outro.bars": 6, "arrangement.drop.bars": 16]
        let item = GapProgress(previous: before, current: after, appliedFixIDs: []).items[0]
        #expect(item.status == .measurementChanged && item.line.contains("outro 40 → 6 bars"), "\(item.line)")
        // Same layout: closed.
        after.measured["arrangement.outro.bars"] = 39
        #expect(GapProgress(previous: before, current: after, appliedFixIDs: []).items[0].status == .closed)
        // Pumping heavy → none is not a comparable pumping measure.
        let pump = Gap(id: "g2", kind: .feature, feature: "pumping.depth_db", section: nil, value: 2, unit: "dB", profileP10: 6, profileP50: 8,
                       profileP90: 10, z: -3, percentile: 0, direction: .low, severity: 2, importance: 0.75, fixability: 1, priority: 1, reason: "")
        let p0 = GapReport(mix: "a", profile: "p", cluster: nil, amount: 0.7, gaps: [pump], measured: ["pumping.depth_db": 2, GapProgress.pumpingClassKey: 0])
        var p1 = p0
        p1.measured = ["pumping.depth_db": 8, GapProgress.pumpingClassKey: 2]
        #expect(GapProgress(previous: p0, current: p1, appliedFixIDs: []).items[0].status == .measurementChanged)
        p1.measured[GapProgress.pumpingClassKey] = 1
        #expect(GapProgress(previous: p0, current: p1, appliedFixIDs: []).items[0].status == .closed)
    }
}
