import Foundation
import Testing
import UpliftGaps
import UpliftModel
@testable import UpliftStudio

/// Which fixes `uplift gaps --apply` accepts, decided in the library: a mapped device fix by unique
/// prefix; advice, tempo and unmapped fixes refused with the reason.
@Suite struct GapsWorkflowTests {
    static func fix(_ id: String, action: FixAction, adviceOnly: Bool = false, mapped: Bool = true) -> Fix {
        Fix(id: id, gapID: "g-\(id)", action: action, scope: .mixBus, expectedEffect: "", expectedValue: nil, confidence: 0.5,
            adviceOnly: adviceOnly, track: mapped ? "Mix Bus" : nil, device: mapped ? "EQ Eight" : nil,
            parameters: [ParameterChange(name: "1 Gain A", unit: "dB", old: 0, new: -2, oldText: "0.0 dB", newText: "-2.0 dB")])
    }

    static func report(_ fixes: [Fix]) -> GapReport {
        let gaps = fixes.map { f in
            Gap(id: f.gapID, kind: .spectrum, feature: "spectrum.band", section: nil, value: 3, unit: "dB", profileP10: -1, profileP50: 0,
                profileP90: 1, z: 3, percentile: 99, direction: .high, severity: 2, importance: 1, fixability: 1, priority: 2,
                reason: "", fixes: [f])
        }
        return GapReport(mix: "m.wav", profile: "p", cluster: nil, amount: 0.7, gaps: gaps, measured: [:])
    }

    @Test func aMappedFixIsFoundByAUniquePrefix() throws {
        let eq = Self.fix("ab12", action: .eq(shape: .bell, frequencyHz: 1000, gainDB: -2, q: 1))
        let fixes = try GapsWorkflow.applicableFixes(["AB"], in: Self.report([eq, Self.fix("cd34", action: .advice("x"), adviceOnly: true)]))
        #expect(fixes.map(\.id) == ["ab12"])
    }

    @Test(arguments: [("cd", "advice only"), ("ef", "song tempo"), ("gh", "not mapped"), ("zz", "no fix zz"), ("a", "ambiguous")])
    func otherFixesAreRefusedWithTheReason(id: String, says: String) {
        let report = Self.report([
            Self.fix("ab12", action: .eq(shape: .bell, frequencyHz: 1000, gainDB: -2, q: 1)),
            Self.fix("ab34", action: .eq(shape: .bell, frequencyHz: 2000, gainDB: -2, q: 1)),
            Self.fix("cd56", action: .advice("lower the breakdown"), adviceOnly: true),
            Self.fix("ef78", action: .tempo(bpm: 138)),
            Self.fix("gh90", action: .eq(shape: .bell, frequencyHz: 500, gainDB: 2, q: 1), mapped: false),
        ])
        #expect { try GapsWorkflow.applicableFixes([id], in: report) } throws: { "\($0)".contains(says) }
    }

    /// On a live input's last bars, arrangement gaps (section lengths, contrast) are artefacts of where the
    /// window starts: left to the exported file's report, with a note; the rest stays in order.
    @Test func aLiveWindowReportLeavesTheArrangementToExportedFiles() {
        var report = Self.report([Self.fix("ab12", action: .eq(shape: .bell, frequencyHz: 1000, gainDB: -2, q: 1)),
                                  Self.fix("cd34", action: .advice("make the drop longer"), adviceOnly: true),
                                  Self.fix("ef56", action: .advice("more contrast"), adviceOnly: true)])
        report.gaps[1].feature = "arrangement.bars"
        report.gaps[2].feature = "arrangement.drop_breakdown_contrast_db"
        var unmeasuredPumping = report.gaps[0]
        unmeasuredPumping.id = "pump"; unmeasuredPumping.feature = "pumping.depth_db"; unmeasuredPumping.value = 0
        var shallowPumping = unmeasuredPumping
        shallowPumping.id = "shallow"; shallowPumping.value = 2.5
        report.gaps += [unmeasuredPumping, shallowPumping]
        let live = StudioGapSession.forLiveWindow(report)
        #expect(live.gaps.map(\.id) == [report.gaps[0].id, "shallow"])
        #expect(live.warnings.contains { $0.contains("no pumping measured") })
        #expect(live.warnings.contains { $0.hasPrefix("live window:") })
        #expect(StudioGapSession.forLiveWindow(live).warnings.count == live.warnings.count, "no note when nothing was left out")
    }
}
