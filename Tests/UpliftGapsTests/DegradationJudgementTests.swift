import Foundation
import Testing
import UpliftDSP
import UpliftModel
@testable import UpliftGaps

/// The judgement on rendered music: degradations a producer would hear at once lead the report,
/// above the worth-acting-on line, with the fix a mix engineer would sign; references of a style
/// do not look broken against it; the measurements do not move under the moves the report proposes.
@Suite struct DegradationJudgementTests {
    static let verbose = ProcessInfo.processInfo.environment["UPLIFT_GAPS_VERBOSE"] != nil

    func describe(_ report: GapReport, _ n: Int = 6) -> String {
        report.gaps.prefix(n).map { "\($0.feature) \($0.section ?? "") \(String(format: "%.2f", $0.priority))\($0.actionable == true ? "*" : "")\($0.causedBy != nil ? "(symptom)" : "") \($0.fixes.first?.action.summary ?? "")" }
            .joined(separator: " | ")
    }

    func report(_ samples: [Float], _ name: String) throws -> GapReport {
        let r = try DegradationSet.report(DegradationSet.analyze(samples, name))
        if Self.verbose { print("\(name): \(describe(r))") }
        return r
    }

    @Test func aMix7LUTooQuietLeadsWithItsGainAndItsTruePeak() throws {
        let clean = DegradationSet.analyze(DegradationSet.heldBack, name: "clean.wav")
        let r = try report(DegradationSet.gained(DegradationSet.heldBack, db: -7), "quiet.wav")
        let first = try #require(r.gaps.first)
        #expect(first.feature == "loudness.integrated_lufs" && first.direction == .low && first.actionable == true, "\(describe(r))")
        let fix = try #require(first.fixes.first)
        guard case let .gain(g) = fix.action else { Issue.record("no gain fix: \(fix.action)"); return }
        // 70 % of the distance to the references' median (the clean track sits near it).
        let distance = first.profileP50 - first.value
        #expect(abs(distance - 7) < 1.5, "\(distance) LU")
        #expect(abs(g - 0.7 * distance) < 0.06)
        let tp = try #require(fix.expectedTruePeakDBTP)
        #expect(abs(tp - (try #require(clean.loudness?.truePeakDBTP) - 7 + g)) < 0.1 && tp <= -1)
        #expect(fix.expectedEffect.contains("true peak") && fix.expectedEffect.contains("dBTP"))
        #expect(first.headline?.contains("LU quieter than your references") == true)
    }

    @Test func aMixFoldedToMonoLeadsWithWidthAndRestoresTheFoldingUtility() throws {
        let r = try report(DegradationSet.width(DegradationSet.heldBack, factor: 0), "mono.wav")
        let first = try #require(r.gaps.first)
        #expect(first.feature == "stereo.side_mid_ratio" && first.direction == .low && first.actionable == true, "\(describe(r))")
        #expect(first.fixes.first?.action == .restoreStereo)
        let advice = try #require(first.fixes.dropFirst().first)
        guard case let .advice(text) = advice.action else { Issue.record("\(advice.action)"); return }
        #expect(text.contains("side/mid 0.000") && text.contains("references"), "\(text)")
        // On a set whose mix bus has a Utility on Mono: switch it off and put the width back.
        let folding = LiveSetDescription.Device(index: 0, name: "Utility", className: "StereoGain", parameters: [
            .init(index: 1, name: "Stereo Width", value: 1, min: 0, max: 4, valueString: "100 %", isQuantized: false),
            .init(index: 2, name: "Mono", value: 1, min: 0, max: 1, valueString: "On", isQuantized: true),
        ])
        let mapped = FixMapper(set: LiveSetDescription(tracks: [.init(index: 0, name: "Mix Bus", devices: [folding])])).map(first.fixes[0])
        #expect(mapped.parameters.map(\.summary) == ["Mono: On → Off"] && mapped.isApplicable)
    }

    @Test func anOverCompressedMixLeadsWithItsDynamicsAndNamesTheCompressor() throws {
        let squashed = DegradationSet.overCompressed(DegradationSet.heldBack)
        let r = try report(squashed, "squashed.wav")
        if Self.verbose {
            let a = DegradationSet.analyze(squashed, "squashed.wav"), c = DegradationSet.analyze(DegradationSet.heldBack, name: "clean.wav")
            print("squashed loudness \(String(describing: a.loudness)) clean \(String(describing: c.loudness)) peak \(squashed.map(abs).max()!)")
        }
        let first = try #require(r.gaps.first)
        #expect((first.feature == "loudness.plr_db" || first.feature == "loudness.lra_lu") && first.direction == .low && first.actionable == true,
                "\(describe(r))")
        let text = first.fixes.map(\.action.summary).joined(separator: " ")
        #expect(text.contains("Threshold") && text.contains("Ratio"), "\(text)")
    }

    @Test func whenTheReferencesClipNoFixRaisesTheTruePeakAboveMinusOne() throws {
        let hot = DegradationSet.hotReferencesProfile(db: 4)
        let clean = DegradationSet.analyze(DegradationSet.heldBack, name: "clean.wav")
        let r = try GapAnalyzer().analyze(mix: clean, profile: hot)
        if Self.verbose { print("hot refs: \(describe(r)) \(r.warnings)") }
        #expect(r.warnings.contains { $0.contains("above 0 dBTP") })
        let loudness = try #require(r.gaps.first)
        #expect(loudness.feature == "loudness.integrated_lufs" && loudness.direction == .low, "\(describe(r))")
        let mixTP = try #require(clean.loudness?.truePeakDBTP)
        for fix in r.gaps.flatMap(\.fixes) {
            if let tp = fix.expectedTruePeakDBTP { #expect(tp <= -1 + 1e-9, "\(fix.action.summary): \(tp)") }
            switch fix.action {
            case let .limiter(_, ceiling): #expect(ceiling <= -1)
            case let .gain(g): #expect(mixTP + g <= -1 + 1e-9, "gain \(g) from \(mixTP) dBTP")
            case let .eq(_, _, g, _) where g > 0 && fix.scope == .mixBus:
                #expect(mixTP + g + (fix.trimDB ?? 0) <= -1 + 1e-9, "boost \(g) with trim \(fix.trimDB ?? 0)")
            default: break
            }
        }
    }

    /// The issue's case: a big bass boost made the drop–breakdown contrast a gap of its own (the drops
    /// carry the bass). Peak-normalised like a mastering limiter would leave it.
    @Test func aBassBoostIsOneCauseWithItsArrangementSymptomsUnderIt() throws {
        let boosted = DegradationSet.peakNormalized(DegradationSet.filtered(DegradationSet.heldBack, .lowShelf(gainDB: 15), frequencyHz: 100, q: 0.71))
        let r = try report(boosted, "bass15.wav")
        let cause = try #require(r.gaps.firstIndex { $0.direction == .high && ($0.band.map { $0.centreHz < 212 } ?? false) }, "\(describe(r, 10))")
        // The boost made section gaps; they are its symptoms, not gaps of their own.
        #expect(r.gaps.contains { $0.causedBy == r.gaps[cause].id && ($0.kind == .section || $0.kind == .arrangement) }, "\(describe(r, 10))")
        // Nothing from the sections or the arrangement ranks above the cause on its own.
        for gap in r.gaps[..<cause] { #expect(gap.kind != .section && gap.kind != .arrangement, "\(describe(r, 10))") }
        // Every symptom sits right under its cause, and is not counted as worth acting on.
        for (i, gap) in r.gaps.enumerated() where gap.causedBy != nil {
            #expect(r.gaps[..<i].contains { $0.id == gap.causedBy } && gap.actionable == false)
        }
    }

    /// Every fix carries numbers: what it moves, by how much, and where the measure ends up; advice by hand
    /// states the current value and the target; a section level names its bars.
    @Test func everyFixCarriesItsNumbers() throws {
        let (loudBreakdown, _) = DegradationSet.loudBreakdown(DegradationSet.heldBack)
        let reports = try [
            report(DegradationSet.gained(DegradationSet.heldBack, db: -7), "quiet.wav"),
            report(DegradationSet.width(DegradationSet.heldBack, factor: 0), "mono.wav"),
            report(DegradationSet.overCompressed(DegradationSet.heldBack), "squashed.wav"),
            report(loudBreakdown, "loud-breakdown.wav"),
            report(DegradationSet.filtered(DegradationSet.heldBack, .lowShelf(gainDB: 4), frequencyHz: 100, q: 0.71), "shelf.wav"),
        ]
        var checked = 0
        for r in reports {
            for gap in r.gaps {
                for fix in gap.fixes {
                    checked += 1
                    #expect(fix.expectedEffect.contains { $0.isNumber }, "\(gap.feature): \(fix.expectedEffect)")
                    if case let .advice(text) = fix.action {
                        #expect(text.contains { $0.isNumber }, "\(gap.feature): advice without numbers: \(text)")
                    }
                    if case .sectionGain = fix.action {
                        #expect(fix.expectedEffect.contains("bar") && fix.expectedEffect.contains("dB"), "\(fix.expectedEffect)")
                    }
                }
            }
        }
        #expect(checked >= 10)
    }

    // MARK: - Stable under the fixes it proposes

    /// What gaps a report has, leaving out the loudness tier (a level change should move only that).
    func nonLoudness(_ r: GapReport) -> Set<String> {
        Set(r.gaps.filter { $0.tier != "loudness" && $0.tier != "safety" }.map { "\($0.feature) \($0.section ?? "") \($0.direction)" })
    }

    /// −6 and −3 dB from the track as rendered (peak −1 dBFS), and +6 dB from a copy 7 dB down (so it
    /// does not clip: it ends at −1 dBFS).
    @Test(arguments: [(0.0, -6.0), (0.0, -3.0), (-7.0, 6.0)])
    func aLevelChangeMovesOnlyTheLoudnessMeasures(base: Double, db: Double) throws {
        let clean = DegradationSet.analyze(DegradationSet.gained(DegradationSet.heldBack, db: base), "base.wav")
        let moved = DegradationSet.analyze(DegradationSet.gained(DegradationSet.heldBack, db: base + db), "gained.wav")
        let a = try DegradationSet.report(clean), b = try DegradationSet.report(moved)
        #expect(nonLoudness(a) == nonLoudness(b), "\(describe(a)) ||| \(describe(b))")
        #expect(moved.sections?.map(\.kind) == clean.sections?.map(\.kind))
        #expect(moved.pumping?.class == clean.pumping?.class)
        // Every measured value but the loudness levels stays put (relative measures, normalised spectrum).
        for (key, value) in a.measured where !key.hasPrefix("loudness.") || key == "loudness.plr_db" || key == "loudness.lra_lu" {
            let other = try #require(b.measured[key], "\(key) missing after \(db) dB")
            #expect(abs(other - value) <= max(0.1, 0.02 * abs(value)), "\(key): \(value) → \(other) after \(db) dB")
        }
        #expect(abs((b.measured["loudness.integrated_lufs"] ?? 0) - (a.measured["loudness.integrated_lufs"] ?? 0) - db) < 0.1)
    }

    @Test(arguments: [3.0, -3.0])
    func aThreeDecibelBandMoveChangesOnlyThatBand(db: Double) throws {
        let clean = DegradationSet.analyze(DegradationSet.heldBack, name: "clean.wav")
        let moved = DegradationSet.analyze(DegradationSet.filtered(DegradationSet.heldBack, .peaking(gainDB: db), frequencyHz: 1000, q: 1.4), "band.wav")
        let a = try DegradationSet.report(clean), b = try DegradationSet.report(moved)
        #expect(moved.sections?.map(\.kind) == clean.sections?.map(\.kind))
        #expect(moved.pumping?.class == clean.pumping?.class)
        // The normalised spectrum moves only within an octave of 1 kHz.
        for (key, value) in a.measured where key.hasPrefix("spectrum.normalized_db.") {
            let hz = Double(key.dropFirst("spectrum.normalized_db.".count))!
            guard abs(log2(hz / 1000)) > 1 else { continue }
            let other = try #require(b.measured[key])
            #expect(abs(other - value) < 0.5, "\(key): \(value) → \(other) after \(db) dB at 1 kHz")
        }
        // Gaps away from 1 kHz are the same gaps.
        func away(_ r: GapReport) -> Set<String> {
            Set(r.gaps.filter { g in
                if let band = g.band { return band.highHz < 500 || band.lowHz > 2000 }
                // Peaks move with any boost: true peak and the peak-to-loudness ratio are level measures here.
                return !g.feature.hasPrefix("spectrum.") && !g.feature.hasPrefix("brightness.") && g.feature != "section.centroid_hz"
                    && g.tier != "loudness" && g.tier != "safety" && g.feature != "loudness.plr_db"
            }.map { "\($0.feature) \($0.section ?? "") \($0.direction)" })
        }
        #expect(away(a) == away(b), "\(describe(a)) ||| \(describe(b))")
    }

    // MARK: - A reference is not broken

    /// For every reference: against the profile that holds it and against the profile without it, at most
    /// 2 gaps above the worth-acting-on line.
    func leaveOneOut(_ references: [TrackAnalysis], name: String) throws -> [String] {
        let full = InMemoryProfile.make(references, name: name)
        var lines: [String] = []
        for (i, reference) in references.enumerated() {
            let without = InMemoryProfile.make(references.enumerated().filter { $0.offset != i }.map(\.element), name: name)
            for (label, profile) in [("in", full), ("out", without)] {
                let r = try GapAnalyzer().analyze(mix: reference, profile: profile)
                let acting = r.gaps.filter { $0.actionable == true }
                lines.append("\(reference.file) \(label): \(acting.count) above the line; top \(describe(r, 3))")
                #expect(acting.count <= 2, "\(reference.file) \(label): \(describe(r))")
            }
        }
        if Self.verbose { print(lines.joined(separator: "\n")) }
        return lines
    }

    @Test func noReferenceOfTheDropsStyleLooksBroken() throws { _ = try leaveOneOut(DegradationSet.references, name: "synth-drops") }

    @Test func noReferenceOfTheProgressiveStyleLooksBroken() throws { _ = try leaveOneOut(ProgressiveSet.references, name: "progressive") }
}
