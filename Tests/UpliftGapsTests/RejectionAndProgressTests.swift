import Foundation
import Testing
import UpliftModel
@testable import UpliftGaps

@Suite struct RejectionAndProgressTests {
    func profileAndMix() throws -> (Profile, TrackAnalysis) {
        let analyses = (0..<10).map { i -> TrackAnalysis in
            var a = TrackAnalysis(file: "/refs/\(i).wav", durationS: 60, sampleRate: 44_100, channels: 2)
            a.stereo = .init(correlation: 0.5, sideMidRatio: 0.20 + 0.01 * Double(i), bands: [:])
            a.loudness = .init(integratedLUFS: -8 - 0.1 * Double(i), lraLU: 5, truePeakDBTP: -1, samplePeakDBFS: -1, shortTermMaxLUFS: -6,
                               momentaryMaxLUFS: -5, plrDB: 7 + 0.1 * Double(i))
            return a
        }
        var mix = TrackAnalysis(file: "mix.wav", durationS: 60, sampleRate: 44_100, channels: 2)
        mix.stereo = .init(correlation: 0.5, sideMidRatio: 0.05, bands: [:])
        mix.loudness = .init(integratedLUFS: -14, lraLU: 5, truePeakDBTP: -1, samplePeakDBFS: -1, shortTermMaxLUFS: -12,
                             momentaryMaxLUFS: -11, plrDB: 13)
        return (try GapFixtures.profile(analyses), mix)
    }

    @Test func aRejectedGapIsRememberedPerProfileAndRankedLast() throws {
        let dir = NSTemporaryDirectory() + "uplift-gaps-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = RejectionStore(path: dir + "/state/rejections.json")
        let (profile, mix) = try profileAndMix()
        var options = GapAnalyzer.Options(); options.wholeProfile = true
        let first = try GapAnalyzer(options: options).analyze(mix: mix, profile: profile)
        #expect(first.gaps.count >= 2)
        let top = first.gaps[0]
        try store.reject(top, profile: profile.name, reason: "I like it wide")
        // A fresh store instance reads it back (it was written, atomically, with no temporary left over).
        let again = RejectionStore(path: store.path)
        #expect(try again.rejectedIDs(profile: profile.name) == [top.id])
        #expect(try again.rejectedIDs(profile: "other").isEmpty)
        #expect(try again.rejections(profile: profile.name)[top.id]?.reason == "I like it wide")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir + "/state").filter { $0 != "rejections.json" }
        #expect(leftovers.isEmpty)
        let second = try GapAnalyzer(options: options).analyze(mix: mix, profile: profile, rejected: try again.rejectedIDs(profile: profile.name))
        #expect(second.gaps.last?.id == top.id && second.gaps.last?.rejected == true)
        #expect(second.gaps.first?.id != top.id)
        #expect(!ReportFormatter.text(second).contains(top.reason))
        #expect(ReportFormatter.text(second, showRejected: true).contains("(rejected)"))
        try again.unreject(gapID: top.id, profile: profile.name)
        #expect(try store.rejectedIDs(profile: profile.name).isEmpty)
        // A garbled store is a clear error, not a silent reset.
        FileManager.default.createFile(atPath: store.path, contents: Data("{nope".utf8))
        #expect(throws: GapsError.self) { try store.rejectedIDs(profile: profile.name) }
    }

    @Test func gapAndFixIDsAreStableAcrossRunsAndAmounts() throws {
        let (profile, mix) = try profileAndMix()
        var a = GapAnalyzer.Options(); a.wholeProfile = true
        var b = a; b.amount = 0.4
        let r1 = try GapAnalyzer(options: a).analyze(mix: mix, profile: profile)
        let r2 = try GapAnalyzer(options: b).analyze(mix: mix, profile: profile)
        #expect(r1.gaps.map(\.id) == r2.gaps.map(\.id))
        #expect(r1.gaps.flatMap(\.fixes).map(\.id) == r2.gaps.flatMap(\.fixes).map(\.id))
        #expect(r1.gaps.flatMap(\.fixes).map(\.action) != r2.gaps.flatMap(\.fixes).map(\.action))
        // And they survive JSON.
        let decoded = try UpliftJSON.decoder().decode(GapReport.self, from: Data(try ReportFormatter.json(r1).utf8))
        #expect(decoded == r1)
    }

    @Test func measuredNotAssumedSaysWhatClosedAndWhichFixFellShort() throws {
        let (profile, mix) = try profileAndMix()
        var options = GapAnalyzer.Options(); options.wholeProfile = true
        let before = try GapAnalyzer(options: options).analyze(mix: mix, profile: profile)
        let width = try #require(before.gaps.first { $0.feature == "stereo.side_mid_ratio" })
        let loud = try #require(before.gaps.first { $0.feature == "loudness.integrated_lufs" })
        let widthFix = try #require(width.fixes.first)
        // Re-export: the width fix was applied but only moved side/mid from 0.05 to 0.10; loudness was fixed by hand.
        var after = mix
        after.stereo!.sideMidRatio = 0.10
        after.loudness!.integratedLUFS = -8.4
        let current = try GapAnalyzer(options: options).analyze(mix: after, profile: profile)
        let progress = GapProgress(previous: before, current: current, appliedFixIDs: [widthFix.id])
        let w = try #require(progress.items.first { $0.gapID == width.id })
        #expect(w.status == .narrowed)
        #expect(abs(w.closedFraction! - (1 - (width.profileP10 - 0.10) / (width.profileP10 - 0.05))) < 1e-9)
        #expect(w.brokenPromises.count == 1 && w.line.contains("did not do what it promised"))
        let l = try #require(progress.items.first { $0.gapID == loud.id })
        #expect(l.status == .closed && l.brokenPromises.isEmpty)
    }
}
