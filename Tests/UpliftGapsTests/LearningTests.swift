import Foundation
import Testing
import UpliftModel
import UpliftProfile
@testable import UpliftGaps

/// A profile that learns from every decision, proven with simulated producers on the degradation
/// suite: decisions go through the real `FeedbackStore` (a temporary file) and come back through
/// `LearnedRanking` into the report.
@Suite struct LearningTests {
    static let narrow = try! DegradationSet.report(DegradationSet.analyze(DegradationSet.width(DegradationSet.heldBack, factor: 0.5), "narrow.wav"))
    static let boomy = try! DegradationSet.report(DegradationSet.analyze(
        DegradationSet.filtered(DegradationSet.heldBack, .lowShelf(gainDB: 4), frequencyHz: 100, q: 0.71), "shelf.wav"))

    func store() -> FeedbackStore {
        FeedbackStore(path: NSTemporaryDirectory() + "uplift-learning-\(UUID().uuidString)/feedback.json")
    }

    func learned(_ store: FeedbackStore, _ report: GapReport) throws -> GapReport {
        try LearnedRanking(profile: report.profile, decisions: store.decisions(profile: report.profile)).apply(to: report)
    }

    /// On the first screen: among the first five gaps and above the worth-acting-on line.
    func onFirstScreen(_ report: GapReport, _ feature: String) -> Bool {
        report.gaps.filter { !$0.rejected && $0.causedBy == nil }.prefix(5).contains { $0.feature == feature && $0.actionable == true }
    }

    @Test func widthGapsSinkWithinFiveRejectionsAndComeBackAfterApprovals() throws {
        let s = store()
        let base = Self.narrow
        #expect(onFirstScreen(base, "stereo.side_mid_ratio"), "\(base.gaps.map(\.feature))")
        var rejections = 0
        var report = base
        while onFirstScreen(report, "stereo.side_mid_ratio") && rejections < 10 {
            let gap = try #require(report.gaps.first { $0.feature == "stereo.side_mid_ratio" })
            try s.record(LearnedRanking.decision(.rejected, gap: gap, fix: gap.fixes.first, reason: "I like it narrow"), profile: base.profile)
            rejections += 1
            report = try learned(s, base)
        }
        #expect(rejections <= 5, "still on the first screen after \(rejections) rejections")
        if ProcessInfo.processInfo.environment["UPLIFT_GAPS_VERBOSE"] != nil { print("width off the first screen after \(rejections) rejections") }
        let sunk = try #require(report.gaps.first { $0.feature == "stereo.side_mid_ratio" })
        #expect(sunk.reason.contains("ranked lower") && sunk.reason.contains("you rejected \(rejections) of \(rejections) width fixes"), "\(sunk.reason)")
        var approvals = 0
        while !onFirstScreen(report, "stereo.side_mid_ratio") && approvals < 10 {
            let gap = try #require(report.gaps.first { $0.feature == "stereo.side_mid_ratio" })
            try s.record(LearnedRanking.decision(.approved, gap: gap, fix: gap.fixes.first), profile: base.profile)
            approvals += 1
            report = try learned(s, base)
        }
        #expect(onFirstScreen(report, "stereo.side_mid_ratio") && approvals <= rejections, "\(approvals) approvals")
        if ProcessInfo.processInfo.environment["UPLIFT_GAPS_VERBOSE"] != nil { print("width back after \(approvals) approvals") }
        // The record keeps every decision with its context.
        let decisions = try s.decisions(profile: base.profile)
        #expect(decisions.count == rejections + approvals && decisions.first?.reason == "I like it narrow" && decisions.first?.fixKind == "utility:width")
    }

    @Test func sizingConvergesOnWhatReExportsMeasure() throws {
        let s = store()
        let base = Self.boomy
        let gap0 = try #require(base.gaps.first { $0.band != nil && $0.direction == .high })
        guard case let .eq(_, _, g0, _) = try #require(gap0.fixes.first).action else { Issue.record("no EQ"); return }
        let kind = try #require(gap0.fixes.first).action.stableKey
        var factor = 1.0
        for export in 1...6 {
            let report = try learned(s, base)
            let gap = try #require(report.gaps.first { $0.id == gap0.id })
            let fix = try #require(gap.fixes.first)
            // This producer's fixes do half of what the model promises for the move as sized.
            let applied = fix.learnedSizing ?? 1
            var current = base
            current.measured[GapProgress.measuredKey(gap)] = gap.value + 0.5 * applied * (try #require(fix.expectedValue) - gap.value)
            let recorded = LearnedRanking.measurements(previous: report, current: current, appliedFixIDs: [fix.id])
            #expect(recorded.count == 1)
            try s.record(recorded, profile: base.profile)
            factor = LearnedRanking(profile: base.profile, decisions: try s.decisions(profile: base.profile)).sizingFactor(kind: kind)
            if ProcessInfo.processInfo.environment["UPLIFT_GAPS_VERBOSE"] != nil { print("re-export \(export): sizing ×\(factor)") }
            if export == 6 { #expect(abs(factor - 2) / 2 < 0.1, "after 6 re-exports: ×\(factor)") }
        }
        let report = try learned(s, base)
        let fix = try #require(report.gaps.first { $0.id == gap0.id }?.fixes.first)
        guard case let .eq(_, _, g, _) = fix.action else { Issue.record("no EQ"); return }
        #expect(abs(g - max(-6, g0 * factor)) < 0.06, "\(g) vs \(g0) × \(factor)")
        #expect(fix.expectedEffect.contains("sized ×") && fix.expectedEffect.contains("re-exports"))
    }

    @Test func resetRestoresTheOriginalRankingExactly() throws {
        let s = store()
        let base = Self.narrow
        let gap = try #require(base.gaps.first { $0.feature == "stereo.side_mid_ratio" })
        for _ in 0..<4 { try s.record(LearnedRanking.decision(.rejected, gap: gap, fix: gap.fixes.first), profile: base.profile) }
        let other = try #require(Self.boomy.gaps.first { $0.band != nil })
        var measured = LearnedRanking.decision(.measured, gap: other, fix: other.fixes.first)
        measured.promised = -2; measured.measured = -1
        try s.record(measured, profile: base.profile)
        #expect(try learned(s, base) != base)
        // Forgetting width alone keeps the sizing; forgetting everything gives back the report as the profile alone makes it.
        #expect(try s.reset(profile: base.profile, feature: "stereo.side_mid_ratio") == 4)
        #expect(try s.decisions(profile: base.profile).count == 1)
        #expect(try learned(s, base).gaps.map(\.id) == base.gaps.map(\.id))
        #expect(try s.reset(profile: base.profile) == 1)
        #expect(try learned(s, base) == base)
    }

    @Test func thePickedAlternativeIsOfferedFirst() throws {
        let squashed = try DegradationSet.report(DegradationSet.analyze(DegradationSet.overCompressed(DegradationSet.heldBack), "squashed.wav"))
        let gap = try #require(squashed.gaps.first { $0.fixes.count > 1 })
        let alternative = gap.fixes[1]
        let s = store()
        for _ in 0..<2 { try s.record(LearnedRanking.decision(.approved, gap: gap, fix: alternative), profile: squashed.profile) }
        let report = try learned(s, squashed)
        let after = try #require(report.gaps.first { $0.id == gap.id })
        #expect(after.fixes.first?.id == alternative.id)
        #expect(after.reason.contains("offered first: you picked it over the first offer 2 times"), "\(after.reason)")
    }

    @Test func blindPicksAgainstAFeatureRaiseATasteCheckAndMutingStopsIt() throws {
        let s = store()
        let base = Self.narrow
        let gap = try #require(base.gaps.first { $0.feature == "stereo.side_mid_ratio" })
        let fix = try #require(gap.fixes.first)
        try s.record([.mix, .mix, .fix, .mix].map { LearnedRanking.blindPick(gap: gap, fix: fix, picked: $0, guessedRight: false) }, profile: base.profile)
        let report = try learned(s, base)
        let warning = try #require(report.warnings.first { $0.contains("taste check") })
        #expect(warning.contains("3 of 4 blind tests") && warning.contains("--mute stereo.side_mid_ratio"), "\(warning)")
        // A mix-versus-reference pick is kept but is not a taste check on a fix.
        var reference = LearnedRanking.blindPick(gap: gap, fix: fix, picked: .reference)
        reference.blind = .init(comparison: .mixVsReference, picked: .reference, reference: "/refs/seed11.wav")
        try s.record(reference, profile: base.profile)
        #expect(try s.decisions(profile: base.profile).last?.blind?.reference == "/refs/seed11.wav")
        var mute = LearnedRanking.decision(.muted, gap: gap, fix: nil)
        mute.reason = "taste check"
        try s.record(mute, profile: base.profile)
        let muted = try learned(s, base)
        #expect(muted.gaps.first { $0.id == gap.id }?.rejected == true)
        #expect(!muted.warnings.contains { $0.contains("taste check") })
        let text = LearnedRanking(profile: base.profile, decisions: try s.decisions(profile: base.profile)).text()
        #expect(text.contains("muted") && text.contains("preferred the mix 3"), "\(text)")
    }

    /// The A/B view's identification guesses (mix or reference?) are kept and counted, never learned from.
    @Test func guessesAgainstReferencesAreCountedAndLeaveTheRankingAlone() throws {
        let s = store()
        let base = Self.narrow
        let gap = try #require(base.gaps.first { $0.feature == "stereo.side_mid_ratio" })
        let picks: [BlindRecord.Pick] = [
            .init(time: Date(), played: .mix, playedName: "mix", guessed: .mix, guessedName: "mix", correct: true, matched: true),
            .init(time: Date(), played: .reference, playedName: "seed11", guessed: .mix, guessedName: "mix", correct: false, matched: true),
            .init(time: Date(), played: .reference, playedName: "seed12", guessed: .reference, guessedName: "seed12", correct: true, matched: true),
        ]
        try s.record(picks.map { LearnedRanking.referenceGuess($0, gap: gap) }, profile: base.profile)
        let saved = try s.decisions(profile: base.profile)
        #expect(saved.map { $0.blind?.comparison } == [.mixVsReference, .mixVsReference, .mixVsReference])
        #expect(saved.map { $0.blind?.picked } == [.mix, .mix, .reference])
        #expect(saved[1].blind?.reference == "seed11" && saved[1].blind?.guessedRight == false)
        #expect(saved[0].blind?.reference == nil, "the mix played and was guessed: no reference in play")
        #expect(saved.allSatisfy { $0.learningKey == LearnedRanking.key(gap) && $0.gapID == gap.id })
        let learning = LearnedRanking(profile: base.profile, decisions: saved)
        #expect(learning.summary.referenceGuesses == 3 && learning.summary.referenceGuessesRight == 2)
        #expect(learning.text().contains("2 of 3 guesses right"))
        #expect(try learned(s, base) == base, "guesses against references do not move the ranking")
    }

    @Test func aGarbledRecordIsAClearErrorNotASilentReset() throws {
        let s = store()
        try FileManager.default.createDirectory(atPath: (s.path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data("{not json".utf8).write(to: URL(fileURLWithPath: s.path))
        #expect(throws: ProfileError.self) { try s.decisions(profile: "x") }
        #expect(throws: ProfileError.self) { try s.record(LearnedRanking.decision(.approved, gap: Self.narrow.gaps[0], fix: nil), profile: "x") }
        #expect(String(decoding: try Data(contentsOf: URL(fileURLWithPath: s.path)), as: UTF8.self) == "{not json")
    }
}
