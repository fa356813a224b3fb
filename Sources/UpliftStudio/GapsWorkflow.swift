import Foundation
import UpliftAbleton
import UpliftAnalysis
import UpliftGaps
import UpliftModel
import UpliftProfile

/// `uplift gaps` without the command line: analyse the mix, compare it with the profile, record
/// rejections, map the fixes onto Live (a described set, or Ableton when it answers), say what changed
/// since an earlier report, and apply chosen fixes. Every failure is a `StudioError` with the one line
/// the command prints; notes for standard error are collected, never printed here.
public enum GapsWorkflow {
    public struct Request: Sendable {
        public var mixPath: String
        public var profile: Profile
        public var analyzerOptions: GapAnalyzer.Options
        public var config: UpliftConfig
        public var stemsDirectory: String?
        public var rejectionsPath: String = RejectionStore.defaultPath()
        /// The producer's decisions for this profile (`LearnedRanking` adjusts the report by them).
        public var feedbackPath: String = FeedbackStore.defaultPath()
        /// Gap ids (unique prefixes) to reject before the report is made, with the reason recorded.
        public var reject: [String] = []
        public var rejectReason: String?
        public var unreject: [String] = []
        /// A Live set description (JSON) to map onto instead of asking Ableton.
        public var setDescriptionPath: String?
        /// `nil`: stay away from Ableton (`--offline`).
        public var bridgeOptions: BridgeOptions?
        /// Fixes will be applied: Live must answer, and is given more time to.
        public var willApply = false
        /// Compare with the K references nearest the mix in the profile's embedding (`--nearest K`).
        public var nearest: Int?

        public init(mixPath: String, profile: Profile, analyzerOptions: GapAnalyzer.Options, config: UpliftConfig,
                    stemsDirectory: String? = nil, bridgeOptions: BridgeOptions? = nil) {
            self.mixPath = mixPath; self.profile = profile; self.analyzerOptions = analyzerOptions; self.config = config
            self.stemsDirectory = stemsDirectory; self.bridgeOptions = bridgeOptions
        }
    }

    public struct Outcome: Sendable {
        public var report: GapReport
        /// Connected when Live answered; the caller closes it (`close()`).
        public var bridge: AbletonBridge?
        /// Lines for standard error: truncation, rejections recorded, where the time went.
        public var notes: [String] = []
        public var timing: String = ""
        /// The mix's analysis and stems the report was made from (an audition re-uses them).
        public var analysis: TrackAnalysis?
        public var stems: StemSet?

        public func close() { if let bridge { blockOn { await bridge.close() } } }
    }

    public static func run(_ request: Request) throws -> Outcome {
        let start = Date()
        var notes: [String] = []
        guard FileManager.default.fileExists(atPath: request.mixPath) else {
            throw StudioError("\(request.mixPath): no such file; give the exported mix (WAV, AIFF, FLAC, OGG, MP3)")
        }
        let analysis: TrackAnalysis
        do {
            let outcome = try TrackAnalyzer().analyzeReporting(path: request.mixPath)
            if let truncation = outcome.truncation { notes.append("\(request.mixPath): \(truncation)") }
            analysis = outcome.analysis
        } catch {
            throw StudioError("\(request.mixPath): \(error.message)")
        }
        var stems: StemSet?
        var stemWarnings: [String] = []
        if let directory = request.stemsDirectory {
            do { (stems, stemWarnings) = try StemSet.load(directory: directory, roles: RoleTable(explicit: request.config.roles)) }
            catch { throw StudioError("\(error)") }
        }
        let analysed = Date()
        let store = RejectionStore(path: request.rejectionsPath)
        let feedback = FeedbackStore(path: request.feedbackPath)
        var profile = request.profile
        var nearest: [String]?
        if let k = request.nearest {
            do {
                let (narrowed, neighbours) = try ProfileSimilarity.narrowed(profile, toNearest: k, of: analysis)
                profile = narrowed
                nearest = ProfileSimilarity.shortNames(neighbours)
                notes.append("compared with the \(neighbours.count) nearest references: " + nearest!.joined(separator: ", "))
            } catch { throw StudioError("\(error)") }
        } else if profile.embedding != nil {
            nearest = (try? ProfileSimilarity.nearest(analysis, in: profile, k: 3)).map(ProfileSimilarity.shortNames)
        }
        func compare() throws -> GapReport {
            do {
                var report = try GapAnalyzer(options: request.analyzerOptions).analyze(
                    mix: analysis, profile: profile, rejected: (try? store.rejectedIDs(profile: profile.name)) ?? [], stems: stems)
                report.nearestReferences = nearest
                return LearnedRanking(profile: profile.name, decisions: try feedback.decisions(profile: profile.name)).apply(to: report)
            } catch { throw StudioError("\(error)") }
        }
        var report = try compare()

        // Rejections first: they change what is proposed.
        if !request.reject.isEmpty || !request.unreject.isEmpty {
            for id in request.reject {
                let gap = try findGap(id, in: report)
                do {
                    try store.reject(gap, profile: profile.name, reason: request.rejectReason)
                    try feedback.record(LearnedRanking.decision(.rejected, gap: gap, fix: gap.fixes.first, reason: request.rejectReason), profile: profile.name)
                } catch { throw StudioError("\(error)") }
                notes.append("rejected gap \(gap.id) (\(gap.feature)); it stays in the report dimmed and is not proposed again")
            }
            for id in request.unreject {
                do { try store.unreject(gapID: id, profile: profile.name) } catch { throw StudioError("\(error)") }
                notes.append("gap \(id) will be proposed again")
            }
            report = try compare()
        }

        // Map onto the Live set: a given description, else Ableton when it answers.
        var bridge: AbletonBridge?
        if let path = request.setDescriptionPath {
            do {
                let data = try Data(contentsOf: URL(fileURLWithPath: path))
                let description = try UpliftJSON.decoder().decode(LiveSetDescription.self, from: data)
                report = FixMapper(set: description, roles: RoleTable(explicit: request.config.roles),
                                   mixBusTrack: request.config.mixBusTrack).map(report)
            } catch { throw StudioError("\(path): not a Live set description (JSON with tracks → devices → parameters): \(error)") }
        } else if var options = request.bridgeOptions {
            options.requestTimeout = request.willApply ? .seconds(1) : .milliseconds(400)
            let chosen = options
            let connected: Result<(AbletonBridge, LiveSetDescription), AbletonError> = blockOn {
                do throws(AbletonError) { return .success(try await AbletonBridge.connectAndDescribe(options: chosen)) }
                catch { return .failure(error) }
            }
            switch connected {
            case .success(let (b, description)):
                bridge = b
                report = FixMapper(set: description, roles: RoleTable(explicit: request.config.roles),
                                   mixBusTrack: options.mixBusTrackName).map(report)
            case .failure(let error):
                if request.willApply { throw StudioError(error.description) }
                report.warnings.append("Ableton not reachable (\(error.code.rawValue)): fixes are not mapped onto Live devices")
            }
        }
        report.warnings += stemWarnings
        let timing = String(format: "gaps in %.2f s (analysis %.2f s, comparison %.3f s)", Date().timeIntervalSince(start),
                            analysed.timeIntervalSince(start), Date().timeIntervalSince(analysed))
        return Outcome(report: report, bridge: bridge, notes: notes, timing: timing, analysis: analysis, stems: stems)
    }

    /// "Since REPORT.json:" and one line per earlier gap: closed, narrowed, unchanged, widened, and the
    /// applied fixes (those still in effect in the journal) that fell short of their promise.
    public static func progressSince(previousReportPath path: String, current: GapReport,
                                     journalDirectory: URL = Journal.defaultDirectory(), feedback: FeedbackStore? = nil) throws -> [String] {
        guard let data = FileManager.default.contents(atPath: path),
              let old = try? UpliftJSON.decoder().decode(GapReport.self, from: data) else {
            throw StudioError("\(path): not a gap report; write one with `uplift gaps MIX --profile P --json > report.json`")
        }
        let applied = FixJournalReason.fixesInEffect(directory: journalDirectory)
        let progress = GapProgress(previous: old, current: current, appliedFixIDs: applied)
        var lines = ["Since \(path):"] + progress.items.map { "  \($0.line)" }
        if let feedback {
            let added = recordMeasurements(previous: old, current: current, appliedFixIDs: applied, feedback: feedback)
            if added > 0 { lines.append("  (\(added) measured closure\(added == 1 ? "" : "s") recorded for the profile's sizing: uplift profile feedback \(current.profile))") }
        }
        return lines
    }

    /// Records what a re-export measured for the applied fixes (once per fix and measurement). Returns how many were new.
    @discardableResult
    public static func recordMeasurements(previous: GapReport, current: GapReport, appliedFixIDs: Set<String>, feedback: FeedbackStore) -> Int {
        // The same export measured twice (not re-exported yet) teaches nothing about sizing.
        guard previous.measured != current.measured else { return 0 }
        let fresh = LearnedRanking.measurements(previous: previous, current: current, appliedFixIDs: appliedFixIDs)
        let known = (try? feedback.decisions(profile: current.profile)) ?? []
        let new = fresh.filter { d in !known.contains { $0.kind == .measured && $0.fixID == d.fixID && $0.promised == d.promised && $0.measured == d.measured } }
        do { try feedback.record(new, profile: current.profile) } catch { return 0 }
        return new.count
    }

    /// Records the fixes the producer approved (applied), with the gap each closes.
    public static func recordApprovals(_ fixes: [Fix], in report: GapReport, feedback: FeedbackStore) throws {
        let decisions = fixes.compactMap { fix in
            report.gaps.first { $0.id == fix.gapID }.map { LearnedRanking.decision(.approved, gap: $0, fix: fix) }
        }
        try feedback.record(decisions, profile: report.profile)
    }

    /// The fixes named by `ids` (unique prefixes), each one the bridge can turn; otherwise why not.
    public static func applicableFixes(_ ids: [String], in report: GapReport) throws -> [Fix] {
        let all = report.gaps.flatMap(\.fixes)
        return try ids.map { id in
            let matches = all.filter { $0.id.hasPrefix(id.lowercased()) }
            guard matches.count == 1 else {
                throw StudioError(matches.isEmpty ? "no fix \(id) in this report (run `uplift gaps` without --apply to list the ids)"
                                                  : "fix id \(id) is ambiguous; give more characters")
            }
            let fix = matches[0]
            if fix.adviceOnly { throw StudioError("fix \(fix.id) is advice only (\(fix.action.summary)): nothing for the bridge to turn") }
            if case .tempo = fix.action {
                throw StudioError("fix \(fix.id) changes the song tempo: set it in Live by hand (\(fix.action.summary)); the bridge writes device parameters only")
            }
            if let needs = fix.needs { throw StudioError("fix \(fix.id) cannot be applied yet: \(needs)") }
            guard fix.isApplicable else { throw StudioError("fix \(fix.id) is not mapped onto a Live device") }
            return fix
        }
    }

    /// Applies each fix through the bridge (journalled, verified), one after the other.
    public static func apply(_ fixes: [Fix], bridge: AbletonBridge) -> [(fix: Fix, result: Result<AppliedChange, AbletonError>)] {
        fixes.map { fix in
            (fix, blockOn {
                do throws(AbletonError) { return .success(try await bridge.apply(fix)) } catch { return .failure(error) }
            })
        }
    }

    static func findGap(_ id: String, in report: GapReport) throws -> Gap {
        let matches = report.gaps.filter { $0.id.hasPrefix(id.lowercased()) }
        guard matches.count == 1 else {
            throw StudioError(matches.isEmpty ? "no gap \(id) in this report; ids: \(report.gaps.map(\.id).joined(separator: ", "))"
                                              : "gap id \(id) is ambiguous; give more characters")
        }
        return matches[0]
    }
}
