import Foundation
import UpliftAnalysis
import UpliftGaps
import UpliftModel
import UpliftProfile

/// Hearing a fix before Live is touched, without the command line: the fix found by id in a gap
/// report, rendered onto the mix through Uplift's device models (`FixAudition`), re-analysed for its
/// side effects (`FixChecker`), and written whole at the level the fix leaves it (`uplift gaps
/// --audition ID -o fixed.wav`). Works offline, from the device-agnostic fix.
public enum AuditionWorkflow {
    public struct Result: Sendable {
        public var gap: Gap
        public var fix: Fix
        public var check: FixCheck
        /// The file written (`-o`), if any.
        public var written: String?
        /// Seconds to the first rendered section (what the A/B view waits for), to the whole, and the re-analysis.
        /// Seconds to decode the mix (and stems).
        public var loadS: Double
        public var firstSectionS: Double
        public var wholeS: Double
        public var reanalysisS: Double
        /// Gain (dB) that plays the fixed mix at the original's loudness (for listening; not applied to the file).
        public var matchedGainDB: Double
    }

    /// The fix named by `id` (a unique prefix of a fix id, or of a gap id: its first fix) and its gap.
    public static func find(_ id: String, in report: GapReport) throws -> (Gap, Fix) {
        let lower = id.lowercased()
        let byFix = report.gaps.flatMap { g in g.fixes.filter { $0.id.hasPrefix(lower) }.map { (g, $0) } }
        if byFix.count == 1 { return byFix[0] }
        let byGap = report.gaps.filter { $0.id.hasPrefix(lower) }
        if byFix.isEmpty, byGap.count == 1, let fix = byGap[0].fixes.first { return (byGap[0], fix) }
        if byFix.count > 1 || byGap.count > 1 { throw StudioError("id \(id) is ambiguous; give more characters") }
        throw StudioError("no fix or gap \(id) in this report (run `uplift gaps MIX --profile P` to list the ids)")
    }

    /// The audition of `fix` on the mix at `mixPath` (its stems from `stems` when the fix acts on one track).
    public static func audition(fix: Fix, mixPath: String, analysis: TrackAnalysis?, stems: StemSet?) throws -> FixAudition {
        let names = stems?.stems.map(\.track) ?? []
        let plan: AuditionPlan
        do {
            plan = try AuditionPlan.make(for: fix, mix: analysis, stems: names, roleTrack: { stems?.stem(forRole: $0)?.track })
        } catch { throw StudioError("fix \(fix.id) cannot be auditioned: \(error.reason)") }
        let mix: StereoAudio
        do { mix = try StereoAudio.load(path: mixPath) } catch { throw StudioError("\(mixPath): \(error)") }
        var stemAudio: [String: StereoAudio] = [:]
        for name in plan.neededStems {
            guard let file = stems?.stems.first(where: { $0.track == name })?.file else { throw StudioError("stem \(name) is missing") }
            do { stemAudio[name] = try StereoAudio.load(path: file) } catch { throw StudioError("\(file): \(error)") }
        }
        do { return FixAudition(renderer: try FixRenderer(plan: plan, mix: mix, stems: stemAudio)) } catch {
            throw StudioError("fix \(fix.id) cannot be auditioned: \(error.reason)")
        }
    }

    /// `uplift gaps MIX --audition ID [-o FILE]`: renders (the section around `positionS` first, then
    /// the whole), re-analyses, and writes the whole mix with the fix when `output` is given.
    public static func run(_ id: String, outcome: GapsWorkflow.Outcome, request: GapsWorkflow.Request, output: String?,
                           positionS: Double = 0) throws -> Result {
        let (gap, fix) = try find(id, in: outcome.report)
        let start = Date()
        let audition = try audition(fix: fix, mixPath: request.mixPath, analysis: outcome.analysis, stems: outcome.stems)
        let loaded = Date()
        audition.start(aroundS: positionS)
        let first = Date()
        audition.waitUntilComplete()
        let whole = Date()
        guard let rendered = audition.withFix, let analysis = outcome.analysis else { throw StudioError("nothing was rendered") }
        if let output {
            do { try rendered.write(to: output) } catch { throw StudioError("\(output): cannot write the rendered mix: \(error)") }
        }
        let check: FixCheck
        do {
            let after = try analyzeRendered(rendered, name: request.mixPath + " (with fix)")
            check = try FixChecker(profile: request.profile, options: request.analyzerOptions)
                .judge(fix: fix, gap: gap, mix: analysis, rendered: after, summary: audition.plan.summary)
        } catch { throw StudioError("re-analysis of the rendered fix failed: \(error)") }
        return Result(gap: gap, fix: fix, check: check, written: output, loadS: loaded.timeIntervalSince(start),
                      firstSectionS: first.timeIntervalSince(loaded), wholeS: whole.timeIntervalSince(loaded),
                      reanalysisS: Date().timeIntervalSince(whole), matchedGainDB: audition.matchedGainDB)
    }

    /// Side effects of the first fix of the top `count` actionable gaps whose fix can be rendered, put into
    /// the report (a fix that hurts more than it helps is ranked down). Fixes that cannot be rendered are skipped.
    public static func checkTopFixes(_ count: Int, outcome: GapsWorkflow.Outcome, request: GapsWorkflow.Request) throws -> (GapReport, [String]) {
        guard count > 0, let analysis = outcome.analysis else { return (outcome.report, []) }
        let mix: StereoAudio
        do { mix = try StereoAudio.load(path: request.mixPath) } catch { throw StudioError("\(request.mixPath): \(error)") }
        var checks: [FixCheck] = [], notes: [String] = []
        let checker = FixChecker(profile: request.profile, options: request.analyzerOptions)
        for gap in outcome.report.gaps where gap.actionable == true && !gap.rejected {
            guard checks.count < count, let fix = gap.fixes.first else { continue }
            guard let plan = try? AuditionPlan.make(for: fix, mix: analysis, stems: [], roleTrack: { _ in nil }),
                  let renderer = try? FixRenderer(plan: plan, mix: mix) else { continue }
            do { checks.append(try checker.check(fix: fix, gap: gap, mix: analysis, renderer: renderer)) } catch {
                notes.append("fix \(fix.id) not checked: \(error)")
            }
        }
        return (FixChecker.apply(checks, to: outcome.report), notes)
    }

    /// `uplift gaps --audition` as text.
    public static func text(_ r: Result) -> String {
        var out = "Audition of fix \(r.fix.id) for \(r.gap.headline ?? r.gap.feature)\n"
        out += "  \(r.check.rendered)\n"
        out += "  fix: \(r.fix.action.summary) · promised: \(r.fix.expectedEffect)\n"
        out += "  rendered and re-analysed: \(r.check.summary)\n"
        for c in r.check.pushedOutside.dropFirst(3) { out += "  also pushes \(c.label) outside p10–p90 (\(fmt(c.after)))\n" }
        if let written = r.written {
            out += "  wrote \(written): the whole mix with the fix, 32-bit float WAV at the level the fix leaves it"
                + " (" + (abs(r.matchedGainDB) < 0.05 ? "as loud as the mix" : "\(String(format: "%.1f", abs(r.matchedGainDB))) dB \(r.matchedGainDB > 0 ? "quieter" : "louder") than the mix")
                + ", K-weighted; the A/B view plays it loudness-matched)\n"
        }
        return out
    }

    static func fmt(_ v: Double) -> String { abs(v) >= 100 ? String(format: "%.0f", v) : (abs(v) >= 10 ? String(format: "%.1f", v) : String(format: "%.3g", v)) }
}

/// The rendered mix through the analysis engine (the same extractors as a file).
func analyzeRendered(_ audio: StereoAudio, name: String) throws -> TrackAnalysis {
    try TrackAnalyzer().analyze(interleaved: audio.samples, sampleRate: audio.sampleRate, name: name)
}

extension AuditionWorkflow {
    /// `uplift gaps --audition ID --json`: schema `uplift.audition/1`.
    public struct Report: Codable, Sendable, Equatable {
        public var schema = "uplift.audition/1"
        public var gapID: String
        public var fixID: String
        public var fix: String
        public var check: FixCheck
        public var written: String?
        public var matchedGainDB: Double
        public var firstSectionS: Double
        public var wholeS: Double
        enum CodingKeys: String, CodingKey {
            case schema, fix, check, written
            case gapID = "gap_id", fixID = "fix_id", matchedGainDB = "matched_gain_db", firstSectionS = "first_section_s", wholeS = "whole_s"
        }
    }

    public static func json(_ r: Result) throws -> String {
        let report = Report(gapID: r.gap.id, fixID: r.fix.id, fix: r.fix.action.summary, check: r.check, written: r.written,
                            matchedGainDB: r.matchedGainDB, firstSectionS: r.firstSectionS, wholeS: r.wholeS)
        return String(decoding: try UpliftJSON.encoder().encode(report), as: UTF8.self)
    }
}

extension StudioGapSession {
    /// Renders a fix onto the exported mix the analysis came from and re-analyses it (the gap pane's side effects).
    static func fixChecker(mix: TrackAnalysis, stems: StemSet?, profile: Profile, options: GapAnalyzer.Options)
        -> @Sendable (Gap, Fix) throws -> FixCheck {
        { gap, fix in
            let audition = try AuditionWorkflow.audition(fix: fix, mixPath: mix.file, analysis: mix, stems: stems)
            return try FixChecker(profile: profile, options: options).check(fix: fix, gap: gap, mix: mix, renderer: audition.renderer)
        }
    }
}
