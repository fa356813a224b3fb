import ArgumentParser
import Foundation
import UpliftAbleton
import UpliftAnalysis
import UpliftAudio
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
        IQR), percentile, and priority = severity × importance × fixability, explained in one line. \
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

    @OptionGroup var comparison: GapComparisonOptions

    func validate() throws {
        if json && markdown { throw ValidationError("choose one of --json and --markdown") }
        if !apply.isEmpty && comparison.offline && set == nil { throw ValidationError("--apply needs Ableton: drop --offline") }
    }

    mutating func run() throws {
        let start = Date()
        let config = loadConfig()
        let loaded = try ProfileCLI.load(profile)
        let profileLoaded = Date()
        let analysis = try analyzeMix()
        var stemSet: StemSet?
        var stemWarnings: [String] = []
        if let stems = comparison.stems {
            do { (stemSet, stemWarnings) = try StemSet.load(directory: stems, roles: RoleTable(explicit: config.roles)) }
            catch let error as GapsError { fail(error.description) }
        }
        let analysed = Date()
        let store = RejectionStore(path: RejectionStore.defaultPath())
        let options = comparison.analyzerOptions
        var report: GapReport
        do {
            report = try GapAnalyzer(options: options).analyze(mix: analysis, profile: loaded,
                                                                rejected: try store.rejectedIDs(profile: loaded.name), stems: stemSet)
        } catch let error as GapsError { fail(error.description) }

        // Rejections first: they change what is proposed.
        if !reject.isEmpty || !unreject.isEmpty {
            for id in reject {
                let gap = try findGap(id, in: report)
                do { try store.reject(gap, profile: loaded.name, reason: reason) } catch let e as GapsError { fail(e.description) }
                note("rejected gap \(gap.id) (\(gap.feature)); it stays in the report dimmed and is not proposed again")
            }
            for id in unreject {
                do { try store.unreject(gapID: id, profile: loaded.name) } catch let e as GapsError { fail(e.description) }
                note("gap \(id) will be proposed again")
            }
            report = try GapAnalyzer(options: options).analyze(mix: analysis, profile: loaded,
                                                                rejected: (try? store.rejectedIDs(profile: loaded.name)) ?? [], stems: stemSet)
        }

        // Map onto the Live set: a given description, else Ableton when it answers.
        var bridge: AbletonBridge?
        if let set {
            do {
                let data = try Data(contentsOf: URL(fileURLWithPath: set))
                let description = try UpliftJSON.decoder().decode(LiveSetDescription.self, from: data)
                report = FixMapper(set: description, roles: RoleTable(explicit: config.roles), mixBusTrack: config.mixBusTrack).map(report)
            } catch { fail("\(set): not a Live set description (JSON with tracks → devices → parameters): \(error)") }
        } else if var bridgeOptions = comparison.bridgeOptions(config: config) {
            bridgeOptions.requestTimeout = apply.isEmpty ? .milliseconds(400) : .seconds(1)
            let options = bridgeOptions
            let connected: Result<(AbletonBridge, LiveSetDescription), AbletonError> = blockOn {
                do throws(AbletonError) { return .success(try await AbletonBridge.connectAndDescribe(options: options)) }
                catch { return .failure(error) }
            }
            switch connected {
            case .success(let (b, description)):
                bridge = b
                report = FixMapper(set: description, roles: RoleTable(explicit: config.roles),
                                   mixBusTrack: bridgeOptions.mixBusTrackName).map(report)
            case .failure(let error):
                if !apply.isEmpty { fail(error.description) }
                report.warnings.append("Ableton not reachable (\(error.code.rawValue)): fixes are not mapped onto Live devices")
            }
        }
        report.warnings += stemWarnings
        defer { if let bridge { blockOn { await bridge.close() } } }

        if let previous { try printProgress(previous: previous, current: report) }

        if apply.isEmpty {
            if json { print(try ReportFormatter.json(report)) }
            else if markdown { print(ReportFormatter.markdown(report, showRejected: showRejected)) }
            else {
                print(ReportFormatter.text(report, showRejected: showRejected), terminator: "")
                note(String(format: "gaps in %.2f s (profile %.2f s, analysis %.2f s, comparison %.3f s)", Date().timeIntervalSince(start),
                            profileLoaded.timeIntervalSince(start), analysed.timeIntervalSince(profileLoaded), Date().timeIntervalSince(analysed)))
            }
            return
        }
        guard let bridge else { fail("Live is not connected: fixes can be applied only when AbletonOSC answers") }
        try applyFixes(report, bridge: bridge)
    }

    // MARK: - Pieces

    func note(_ text: String) { if !json { StandardError.line(text) } }

    func fail(_ message: String) -> Never {
        StandardError.error(message)
        Foundation.exit(1)
    }

    func loadConfig() -> UpliftConfig {
        do { return try comparison.loadConfig() } catch { fail(error.description) }
    }

    func analyzeMix() throws -> TrackAnalysis {
        guard FileManager.default.fileExists(atPath: mix) else { fail("\(mix): no such file; give the exported mix (WAV, AIFF, FLAC, OGG, MP3)") }
        switch AnalyzeCommand.analyze(file: mix) {
        case .failure(let error): fail("\(mix): \(error.message)")
        case .success(let outcome):
            if let truncation = outcome.truncation { note("\(mix): \(truncation)") }
            return outcome.analysis
        }
    }

    func findGap(_ id: String, in report: GapReport) throws -> Gap {
        let matches = report.gaps.filter { $0.id.hasPrefix(id.lowercased()) }
        guard matches.count == 1 else {
            fail(matches.isEmpty ? "no gap \(id) in this report; ids: \(report.gaps.map(\.id).joined(separator: ", "))"
                                 : "gap id \(id) is ambiguous; give more characters")
        }
        return matches[0]
    }

    func printProgress(previous path: String, current: GapReport) throws {
        guard let data = FileManager.default.contents(atPath: path),
              let old = try? UpliftJSON.decoder().decode(GapReport.self, from: data) else {
            fail("\(path): not a gap report; write one with `uplift gaps MIX --profile P --json > report.json`")
        }
        let applied = FixJournalReason.fixesInEffect()
        let progress = GapProgress(previous: old, current: current, appliedFixIDs: applied)
        var text = "Since \(path):\n"
        for item in progress.items { text += "  \(item.line)\n" }
        StandardError.write(text)
    }

    // MARK: - Ableton

    func applyFixes(_ report: GapReport, bridge: AbletonBridge) throws {
        let all = report.gaps.flatMap(\.fixes)
        var chosen: [Fix] = []
        for id in apply {
            let matches = all.filter { $0.id.hasPrefix(id.lowercased()) }
            guard matches.count == 1 else {
                fail(matches.isEmpty ? "no fix \(id) in this report (run `uplift gaps` without --apply to list the ids)"
                                     : "fix id \(id) is ambiguous; give more characters")
            }
            let fix = matches[0]
            if fix.adviceOnly { fail("fix \(fix.id) is advice only (\(fix.action.summary)): nothing for the bridge to turn") }
            if case .tempo = fix.action { fail("fix \(fix.id) changes the song tempo: set it in Live by hand (\(fix.action.summary)); the bridge writes device parameters only") }
            if let needs = fix.needs { fail("fix \(fix.id) cannot be applied yet: \(needs)") }
            guard fix.isApplicable else { fail("fix \(fix.id) is not mapped onto a Live device") }
            chosen.append(fix)
        }
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
        for fix in chosen {
            let outcome: Result<AppliedChange, AbletonError> = blockOn {
                do throws(AbletonError) { return .success(try await bridge.apply(fix)) } catch { return .failure(error) }
            }
            switch outcome {
            case .success(let change):
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
