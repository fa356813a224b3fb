import ArgumentParser
import Foundation
import UpliftAbleton
import UpliftGaps
import UpliftModel
import UpliftProfile
import UpliftStudio

/// `uplift gaps MIX --profile P`: the ranked gap report with fixes; `--apply ID...` applies fixes
/// through the Ableton bridge (journalled and verified), after a confirmation unless `--yes`.
struct GapsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gaps",
        abstract: "Rank where a mix departs from a profile, with a fix for each gap; apply fixes in Live.",
        discussion: """
        Each gap compares the mix with the profile (or its nearest cluster): robust z (median and \
        IQR), percentile, its audible size (in listener thresholds), and priority = (½ severity + \
        ½ audible size) × importance × fixability × the order-of-work weight (true-peak safety and \
        loudness first, then tonal balance, dynamics, stereo, arrangement), explained in one line. \
        Gaps a listener would not hear are left out (--all lists them, marked "inaudible"); the JSON \
        marks each gap "audible" and "actionable" (above the worth-acting-on line, priority 1.0). \
        No fix leaves the true peak above -1 dBTP. \
        Fixes are sized from the gap (--amount of it, EQ clamped to ±6 dB and Q 0.3–8) and mapped \
        onto the Live set when Ableton (AbletonOSC) answers: the mix-bus track for master moves \
        ([ableton] mix_bus_track), the [roles] table of config.toml for element moves. \
        --json prints schema uplift.gaps/1. With --stems DIR (one file per track, named like the \
        track: Bass.wav), element gaps are measured on the stems: a band gap's EQ goes on the track \
        whose stem carries most of the band, the width move on the widest non-bass stem, and the \
        gap says `measured_on`. With --previous REPORT.json the report also says which \
        gaps closed since that report and which applied fixes did not do what they promised.
        """)

    @Argument(help: "The exported mix (WAV, AIFF, FLAC, OGG, MP3).")
    var mix: String

    @Option(name: .long, help: "Profile name or path (.uplift-profile).")
    var profile: String

    @Flag(name: .long, help: "Print JSON (schema uplift.gaps/1).")
    var json = false

    @Option(name: .long, help: ArgumentHelp("Compare with the K references nearest the mix in the profile's learned embedding (see `uplift similar`) instead of the whole profile or a cluster.", valueName: "K"))
    var nearest: Int?

    @Flag(name: .long, help: "Print Markdown.")
    var markdown = false

    @Option(name: .long, help: "Fix ids to apply in Live (from the report); a unique prefix is enough.")
    var apply: [String] = []

    @Flag(name: .long, help: "Apply without asking.")
    var yes = false

    @Option(name: .long, help: "Reject a gap by id (remembered for this profile; not proposed again).")
    var reject: [String] = []

    @Option(name: .long, help: "Reason recorded with --reject.")
    var reason: String?

    @Option(name: .long, help: "Forget the rejection of a gap id.")
    var unreject: [String] = []

    @Flag(name: .long, help: "Also list rejected gaps.")
    var showRejected = false

    @Option(name: .long, help: "A Live set description (JSON) to map fixes onto instead of asking Ableton.")
    var set: String?

    @Option(name: .long, help: "An earlier `uplift gaps --json` report of this mix: say what changed since.")
    var previous: String?

    @Option(name: .long, help: ArgumentHelp("Hear a fix before Live is touched: render it onto the mix (Uplift's models of EQ Eight, Utility, Compressor, Limiter), re-analyse, and say what it closes and what it pushes out of range. A fix id, or a gap id for its first fix.", valueName: "ID"))
    var audition: String?

    @Option(name: [.customShort("o"), .customLong("output")], help: ArgumentHelp("With --audition: write the whole mix with the fix here (32-bit float WAV, at the level the fix leaves it).", valueName: "FILE"))
    var output: String?

    @Option(name: .long, help: ArgumentHelp("Render and re-analyse the first fix of the top N gaps: what each closes in the audio, what it pushes out of range; a fix that hurts more than it helps is ranked down.", valueName: "N"))
    var checkFixes: Int = 0

    @OptionGroup var comparison: GapComparisonOptions

    func validate() throws {
        if json && markdown { throw ValidationError("choose one of --json and --markdown") }
        if !apply.isEmpty && comparison.offline && set == nil { throw ValidationError("--apply needs Ableton: drop --offline") }
        if let nearest, nearest < 2 { throw ValidationError("--nearest needs at least 2 references (the spread of one is nothing)") }
        if nearest != nil && (comparison.cluster != nil || comparison.wholeProfile) { throw ValidationError("choose one of --nearest, --cluster and --whole-profile") }
        if output != nil && audition == nil { throw ValidationError("-o/--output writes an audition: give --audition ID too") }
        if audition != nil && !apply.isEmpty { throw ValidationError("choose one of --audition and --apply (hear it first, then apply)") }
        if checkFixes < 0 { throw ValidationError("--check-fixes takes a count of gaps (e.g. 3)") }
    }

    mutating func run() throws {
        let config = loadConfig()
        let loaded: Profile
        do { loaded = try ProfileFile.load(ProfileFile.resolve(profile)) } catch { fail("\(error)", kind: "bad_profile") }
        var request = GapsWorkflow.Request(mixPath: mix, profile: loaded, analyzerOptions: comparison.analyzerOptions,
                                           config: config, stemsDirectory: comparison.stems,
                                           bridgeOptions: comparison.bridgeOptions(config: config))
        request.reject = reject
        request.rejectReason = reason
        request.unreject = unreject
        request.setDescriptionPath = set
        request.willApply = !apply.isEmpty
        request.nearest = nearest
        var outcome: GapsWorkflow.Outcome
        do { outcome = try GapsWorkflow.run(request) } catch { fail("\(error)", kind: Self.kind(of: "\(error)")) }
        defer { outcome.close() }
        for line in outcome.notes { note(line) }
        if let previous {
            do { StandardError.write(try GapsWorkflow.progressSince(previousReportPath: previous, current: outcome.report,
                                                                    feedback: FeedbackStore(path: request.feedbackPath))
                    .joined(separator: "\n") + "\n") } catch { fail("\(error)") }
        }
        if let audition {
            let result: AuditionWorkflow.Result
            do { result = try AuditionWorkflow.run(audition, outcome: outcome, request: request, output: output) } catch {
                fail("\(error)", kind: "\(error)".contains("cannot be auditioned") ? "not_auditionable" : Self.kind(of: "\(error)"))
            }
            if json { print(try AuditionWorkflow.json(result)) } else {
                print(AuditionWorkflow.text(result), terminator: "")
                note(String(format: "first %.0f s rendered in %.2f s, the whole in %.2f s, re-analysed in %.2f s", FixAudition.firstSectionS,
                            result.firstSectionS, result.wholeS, result.reanalysisS))
            }
            return
        }
        if checkFixes > 0 {
            do {
                let (checked, notes) = try AuditionWorkflow.checkTopFixes(checkFixes, outcome: outcome, request: request)
                outcome.report = checked
                for line in notes { note(line) }
            } catch { fail("\(error)") }
        }
        if apply.isEmpty {
            if json { print(try ReportFormatter.json(outcome.report)) }
            else if markdown { print(ReportFormatter.markdown(outcome.report, showRejected: showRejected)) }
            else {
                print(ReportFormatter.text(outcome.report, showRejected: showRejected), terminator: "")
                note(outcome.timing)
            }
            return
        }
        guard let bridge = outcome.bridge else { fail("Live is not connected: fixes can be applied only when AbletonOSC answers") }
        try applyFixes(outcome.report, bridge: bridge, feedback: FeedbackStore(path: request.feedbackPath))
    }

    func note(_ text: String) { if !json { StandardError.line(text) } }

    /// One line on standard error; with `--json`, also the error object on standard output. Exit 1.
    func fail(_ message: String, kind: String = "invalid") -> Never {
        StandardError.error(message)
        if json { JSONErrorObject.print(kind: kind, message: message) }
        Foundation.exit(1)
    }

    /// A stable kind for `--json` callers, from what the workflow said.
    static func kind(of message: String) -> String {
        if message.contains("no such file") { return "not_found" }
        if message.contains("not a Live set description") { return "bad_set" }
        if message.contains("Live") || message.contains("AbletonOSC") { return "live_absent" }
        if message.contains("no gap ") || message.contains("no fix ") { return "not_found" }
        if message.contains("ambiguous") { return "ambiguous" }
        if message.contains("cluster") { return "bad_cluster" }
        return "unreadable"
    }

    func loadConfig() -> UpliftConfig {
        do { return try comparison.loadConfig() } catch { fail(error.description, kind: "bad_config") }
    }

    /// Confirms on the terminal (unless `--yes`), applies, prints each verified change.
    func applyFixes(_ report: GapReport, bridge: AbletonBridge, feedback: FeedbackStore) throws {
        let chosen: [Fix]
        do { chosen = try GapsWorkflow.applicableFixes(apply, in: report) } catch { fail("\(error)") }
        print("About to change in Live:")
        for fix in chosen {
            print("  \(fix.id) \(fix.action.summary) on \(fix.track ?? "?") / \(fix.device ?? "?")")
            for p in fix.parameters { print("    \(p.summary)") }
        }
        if !yes {
            print("Apply? [y/N] ", terminator: "")
            guard let answer = readLine(), answer.lowercased().hasPrefix("y") else { print("Nothing changed."); return }
        }
        var failed = false
        for (fix, outcome) in GapsWorkflow.apply(chosen, bridge: bridge) {
            switch outcome {
            case .success(let change):
                if change.state == .applied {
                    do { try GapsWorkflow.recordApprovals([fix], in: report, feedback: feedback) } catch { StandardError.line("note: approval not recorded for learning: \(error)") }
                }
                print("\(fix.id): \(change.state.rawValue)")
                for c in change.changes { print("  \(c.track) / \(c.device) / \(c.parameter): \(c.oldText) → \(c.newText ?? "?")") }
                for n in change.notes { print("  note: \(n)") }
                if change.state != .applied { failed = true }
            case .failure(let error):
                StandardError.error("\(fix.id): \(error)")
                failed = true
            }
        }
        if failed { throw ExitCode(1) }
        print("Undo with `uplift ableton undo`; re-export and run `uplift gaps --previous` to measure what changed.")
    }
}
