import Foundation
import Testing
import UpliftDSP
import UpliftModel
import UpliftSynth
@testable import UpliftGaps

/// A fix rendered through Uplift's device models and re-analysed, on the degradation suite: a fix that
/// can undo its degradation gives back at least half of it in the rendered audio; what cannot be undone
/// from the audio (folded to mono, over-compressed) is named and not auditioned; a harmful fix is flagged.
@Suite struct AuditionTests {
    static let verbose = ProcessInfo.processInfo.environment["UPLIFT_GAPS_VERBOSE"] != nil

    func audio(_ samples: [Float]) -> StereoAudio { StereoAudio(samples: samples, sampleRate: DegradationSet.sampleRate) }

    /// Renders the top gap's first fix onto `degraded` and re-analyses: (clean, degraded, rendered) of its feature.
    func recovery(_ degraded: [Float], name: String, matching: (Gap) -> Bool) throws -> (recovered: Double, gap: Gap, check: FixCheck) {
        let clean = try DegradationSet.report(DegradationSet.analyze(DegradationSet.heldBack, name: "clean.wav"))
        let mix = DegradationSet.analyze(degraded, name)
        let report = try DegradationSet.report(mix)
        let found = report.gaps.prefix(2).first(where: matching)
        let gap = try #require(found, "\(report.gaps.prefix(4).map(\.feature))")
        let fix = try #require(gap.fixes.first)
        let renderer = try FixRenderer(plan: try AuditionPlan.make(for: fix, mix: mix), mix: audio(degraded))
        let rendered = DegradationSet.analyze(renderer.renderAll(), name + " (fixed)")
        let key = GapProgress.measuredKey(gap)
        let after = try #require(try DegradationSet.report(rendered).measured[key])
        let cleanValue = try #require(clean.measured[key])
        let recovered = (after - gap.value) / (cleanValue - gap.value)
        let check = try FixChecker(profile: DegradationSet.profile).judge(fix: fix, gap: gap, mix: mix, rendered: rendered,
                                                                          summary: renderer.plan.summary)
        if Self.verbose { print("\(name): \(fix.action.summary) clean \(cleanValue) degraded \(gap.value) rendered \(after) → \(recovered); \(check.summary)") }
        return (recovered, gap, check)
    }

    @Test func aQuietMixGetsItsLevelBack() throws {
        let r = try recovery(DegradationSet.gained(DegradationSet.heldBack, db: -7), name: "quiet.wav") { $0.feature == "loudness.integrated_lufs" }
        #expect(r.recovered >= 0.5 && r.recovered <= 1.2, "\(r.recovered)")
        #expect(!r.check.hurtsMoreThanHelps && (r.check.closedShare ?? 0) > 0.5, "\(r.check.summary)")
    }

    @Test func aLowShelfBoostIsCutBack() throws {
        let degraded = DegradationSet.filtered(DegradationSet.heldBack, .lowShelf(gainDB: 4), frequencyHz: 100, q: 0.71)
        let r = try recovery(degraded, name: "shelf.wav") { $0.direction == .high && ($0.band.map { $0.lowHz < 150 } ?? $0.feature.hasSuffix(".bass")) }
        #expect(r.recovered >= 0.5, "\(r.recovered)")
        #expect(!r.check.hurtsMoreThanHelps, "\(r.check.summary)")
    }

    @Test func aCutAt3kHzIsBoostedBack() throws {
        let degraded = DegradationSet.filtered(DegradationSet.heldBack, .peaking(gainDB: -5), frequencyHz: 3000, q: 1)
        let r = try recovery(degraded, name: "dip.wav") { $0.direction == .low && ($0.band.map { $0.lowHz < 3000 && $0.highHz > 3000 } ?? false) }
        #expect(r.recovered >= 0.5, "\(r.recovered)")
    }

    @Test func halvedWidthIsWidenedBack() throws {
        let r = try recovery(DegradationSet.width(DegradationSet.heldBack, factor: 0.5), name: "narrow.wav") { $0.feature == "stereo.side_mid_ratio" }
        #expect(r.recovered >= 0.5, "\(r.recovered)")
        #expect(!r.check.hurtsMoreThanHelps, "\(r.check.summary)")
    }

    @Test func foldedToMonoAndOverCompressedAreNamedNotAuditioned() throws {
        let mono = try DegradationSet.report(DegradationSet.analyze(DegradationSet.width(DegradationSet.heldBack, factor: 0), "mono.wav"))
        let monoFix = try #require(mono.gaps.first?.fixes.first)
        #expect(throws: AuditionPlan.Unavailable.self) { try AuditionPlan.make(for: monoFix, mix: nil) }
        do { _ = try AuditionPlan.make(for: monoFix, mix: nil) } catch { #expect(error.reason.contains("Mono off, Width 100 %"), "\(error.reason)") }
        let squashed = try DegradationSet.report(DegradationSet.analyze(DegradationSet.overCompressed(DegradationSet.heldBack), "squashed.wav"))
        let squashFix = try #require(squashed.gaps.first?.fixes.first)
        do {
            _ = try AuditionPlan.make(for: squashFix, mix: nil)
            Issue.record("over-compressed was auditioned: \(squashFix.action)")
        } catch {
            #expect(error.reason.contains("Threshold") && error.reason.contains("Ratio"), "\(error.reason)")
        }
    }

    /// A low-shelf cut offered for a width gap on a track whose bass is already at the references' low
    /// edge: it closes nothing and pushes the low end out of range.
    @Test func aHarmfulFixIsFlaggedAndRankedDown() throws {
        let thin = DegradationSet.filtered(DegradationSet.heldBack, .lowShelf(gainDB: -1.5), frequencyHz: 150, q: 0.71)
        let narrow = narrowed(thin, factor: 0.5)
        let mix = DegradationSet.analyze(narrow, "thin-narrow.wav")
        let report = try DegradationSet.report(mix)
        let gap = try #require(report.gaps.first { $0.feature == "stereo.side_mid_ratio" }, "\(report.gaps.map(\.feature))")
        var harmful = try #require(gap.fixes.first)
        harmful.id = "harmful"
        harmful.action = .eq(shape: .lowShelf, frequencyHz: 250, gainDB: -6, q: 0.71)
        let renderer = try FixRenderer(plan: try AuditionPlan.make(for: harmful, mix: mix), mix: audio(narrow))
        let check = try FixChecker(profile: DegradationSet.profile).check(fix: harmful, gap: gap, mix: mix, renderer: renderer)
        if Self.verbose { print("harmful: \(check.summary)") }
        #expect(check.hurtsMoreThanHelps, "\(check.summary)")
        #expect(!check.pushedOutside.isEmpty || !check.widened.isEmpty)
        #expect(check.summary.contains("hurts more than it helps"))
        // In the report: the gap whose only fix hurts sinks, and says why.
        var withHarm = report
        let g = withHarm.gaps.firstIndex { $0.id == gap.id }!
        withHarm.gaps[g].fixes = [harmful]
        let ranked = FixChecker.apply([check], to: withHarm)
        let after = try #require(ranked.gaps.first { $0.id == gap.id })
        #expect(after.priority < withHarm.gaps[g].priority * 0.6 && after.reason.contains("hurts more than it helps"))
        #expect(after.fixes.first?.check == check)
        #expect(ReportFormatter.text(ranked).contains("fix hurts more than it helps"))
    }

    // MARK: - Rendering

    @Test func aSectionRenderedAloneMatchesTheWholeRender() throws {
        let mix = audio(DegradationSet.heldBack.interleaved)
        let fix = Fix(id: "f", gapID: "g", action: .eq(shape: .bell, frequencyHz: 200, gainDB: -4, q: 1.5), scope: .mixBus, expectedEffect: "",
                      expectedValue: nil, confidence: 1, adviceOnly: false)
        let renderer = try FixRenderer(plan: try AuditionPlan.make(for: fix, mix: nil), mix: mix)
        let whole = renderer.renderAll()
        let frames = 100_000..<150_000
        let section = renderer.render(frames: frames)
        let worst = zip(section, whole[(2 * frames.lowerBound)..<(2 * frames.upperBound)]).map { abs($0 - $1) }.max()!
        #expect(worst < 1e-5, "\(worst)")
        // And the audition hands out that section first, the whole later, at a matched loudness.
        let audition = FixAudition(renderer: renderer)
        let first = audition.start(aroundS: Double(frames.lowerBound) / mix.sampleRate + 2)
        #expect(first.frames.lowerBound == frames.lowerBound)
        audition.waitUntilComplete()
        #expect(audition.withFix?.samples == whole)
        #expect(audition.withFix(frames: 0..<10)?.count == 20)
        #expect(audition.matchedGainDB > 0 && audition.matchedGainDB < 4, "a cut is played louder to match: \(audition.matchedGainDB)")
    }

    @Test func aGainFixIsMatchedBackToTheOriginalLoudness() throws {
        let mix = audio(DegradationSet.heldBack.interleaved)
        let fix = Fix(id: "f", gapID: "g", action: .gain(gainDB: 3), scope: .mixBus, expectedEffect: "", expectedValue: nil, confidence: 1, adviceOnly: false)
        let audition = FixAudition(renderer: try FixRenderer(plan: try AuditionPlan.make(for: fix, mix: nil), mix: mix))
        audition.start(aroundS: 10)
        #expect(abs(audition.matchedGainDB + 3) < 0.01, "\(audition.matchedGainDB)")
        audition.waitUntilComplete()
        #expect(abs(audition.matchedGainDB + 3) < 0.01)
    }

    /// A fix on a stem: the mix plus the difference the fix makes to the stem, exact when the mix is the sum of its stems.
    @Test func aFixOnAStemIsTheMixPlusTheStemsDifference() throws {
        let track = DegradationSet.heldBack
        let n = track.frameCount
        var bass = [Float](repeating: 0, count: 2 * n), rest = track.interleaved
        let c = BiquadCoefficients(.lowPass, frequencyHz: 150, q: 0.71, sampleRate: track.sampleRate)
        var l = Biquad(c), r = Biquad(c)
        for f in 0..<n {
            bass[2 * f] = Float(l.process(Double(track.interleaved[2 * f]))); bass[2 * f + 1] = Float(r.process(Double(track.interleaved[2 * f + 1])))
            rest[2 * f] -= bass[2 * f]; rest[2 * f + 1] -= bass[2 * f + 1]
        }
        let fix = Fix(id: "f", gapID: "g", action: .eq(shape: .lowShelf, frequencyHz: 100, gainDB: -3, q: 0.71), scope: .track("Bass"),
                      expectedEffect: "", expectedValue: nil, confidence: 1, adviceOnly: false)
        #expect(throws: AuditionPlan.Unavailable.self) { try AuditionPlan.make(for: fix, mix: nil) }
        let plan = try AuditionPlan.make(for: fix, mix: nil, stems: ["Bass"])
        let rendered = try FixRenderer(plan: plan, mix: audio(track.interleaved), stems: ["Bass": audio(bass)]).renderAll()
        var eq = EQEightModel(bands: [EQEightBand(.lowShelf, frequencyHz: 100, gainDB: -3)], sampleRate: track.sampleRate)
        var bassFixed = bass
        eq.process(&bassFixed, range: 0..<bassFixed.count, firstFrame: 0)
        let expected = zip(rest, bassFixed).map { $0 + $1 }
        let worst = zip(rendered, expected).map { abs($0 - $1) }.max()!
        #expect(worst < 1e-5, "\(worst)")
    }
}

/// Side scaled by `factor` on samples (the degradation helpers take a rendered track).
func narrowed(_ samples: [Float], factor: Float) -> [Float] {
    var out = samples
    for i in stride(from: 0, to: out.count, by: 2) {
        let mid = (out[i] + out[i + 1]) / 2, side = (out[i] - out[i + 1]) / 2 * factor
        out[i] = mid + side; out[i + 1] = mid - side
    }
    return out
}
