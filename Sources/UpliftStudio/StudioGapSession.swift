import Foundation
import Synchronization
import UpliftAbleton
import UpliftGaps
import UpliftModel
import UpliftProfile
import UpliftTUI

/// What `--profile` adds to the studio (`uplift watch MIX --profile P`, the demo): the gap report of
/// the mix against the profile, built off the UI thread each time the offline analysis finishes,
/// mapped onto the Live set once AbletonOSC answers, and re-measured after every re-export
/// ("measured, not assumed"). Everything reaches the screen as actions through `post`; nothing here
/// blocks the UI loop.
public actor StudioGapSession {
    public struct Settings: Sendable {
        public var profile: Profile
        public var analyzerOptions: GapAnalyzer.Options
        public var config: GapsConfig
        /// `nil`: do not contact Ableton (`--offline`).
        public var bridgeOptions: BridgeOptions?
        public var rejectionsPath: String
        /// `--stems DIR`: element gaps measured on the stems, read again with every export of the mix.
        public var stemsDirectory: String?
        /// Between attempts to reach Live, and between checks that it still answers.
        public var retryInterval: Duration = .seconds(3)
        /// Live input (`uplift live --profile`): analyses are the rolling window's, every few bars,
        /// not re-exports; a remeasurement is reported only after a fix was applied.
        public var liveWindow = false

        /// Settings whose cluster and stems folder were checked, so a typo is one error line before the screen opens.
        public static func checked(profile: Profile, analyzerOptions: GapAnalyzer.Options, config: GapsConfig,
                                   bridgeOptions: BridgeOptions?, stemsDirectory: String?,
                                   rejectionsPath: String = RejectionStore.defaultPath()) throws -> Settings {
            if analyzerOptions.cluster != nil {
                do { _ = try GapAnalyzer(options: analyzerOptions).chooseCluster(for: [:], in: profile) } catch {
                    throw StudioError("\(error)")
                }
            }
            if let stemsDirectory {
                do { _ = try StemSet.audioFiles(in: stemsDirectory) } catch { throw StudioError("\(error)") }
            }
            return Settings(profile: profile, analyzerOptions: analyzerOptions, config: config, bridgeOptions: bridgeOptions,
                            rejectionsPath: rejectionsPath, stemsDirectory: stemsDirectory)
        }

        public init(profile: Profile, analyzerOptions: GapAnalyzer.Options, config: GapsConfig, bridgeOptions: BridgeOptions?,
                    rejectionsPath: String, stemsDirectory: String? = nil, retryInterval: Duration = .seconds(3)) {
            self.profile = profile; self.analyzerOptions = analyzerOptions; self.config = config; self.bridgeOptions = bridgeOptions
            self.rejectionsPath = rejectionsPath; self.stemsDirectory = stemsDirectory; self.retryInterval = retryInterval
        }
    }

    public let settings: Settings
    public nonisolated let effects: GapsEffects
    private let rejections: RejectionStore
    /// The producer's decisions, beside the rejections (`LearnedRanking` adjusts each report by them).
    private let feedback: FeedbackStore
    private var post: (@Sendable (Action) -> Void)?
    private var queued: [Action] = []
    private var analysis: TrackAnalysis?
    private var newestSequence = 0
    private nonisolated let sequenceCounter = Atomic<Int>(0)
    /// The report before mapping (what the analysis says), and as last shown (mapped when Live answered).
    private var unmappedReport: GapReport?
    private var shownReport: GapReport?
    private var liveSet: LiveSetDescription?
    private var bridgeTask: Task<Void, Never>?
    /// After `stop`, nothing more is sent (the screen is gone; closing the socket is not news).
    private var stopped = false
    private let stemAnalyzer = StemAnalysisMemo()
    /// Where Live's tempo and beat pushes go while the bridge is connected (`uplift live`: the analyzer's grid);
    /// `nil` is sent when Live goes away.
    private var transportListener: (@Sendable (TransportPush?) -> Void)?
    private var transportTask: Task<Void, Never>?
    /// Live input: the approved fixes whose gaps the rolling window follows, and those measured to the end.
    private var follow = LiveFixFollow()
    private var clusterHold = LiveClusterHold()
    private var followFinished: Set<String> = []
    private var lastWindowEndS: Double?

    public init(settings: Settings) {
        self.settings = settings
        rejections = RejectionStore(path: settings.rejectionsPath)
        feedback = FeedbackStore(path: (settings.rejectionsPath as NSString).deletingLastPathComponent + "/feedback.json")
        effects = GapsEffects(bridge: nil, rejections: rejections, profile: settings.profile.name, report: nil, feedback: feedback)
    }

    /// Hands Live's tempo and beat pushes (AbletonOSC's `start_listen` listeners) to `listener` for as long
    /// as the bridge is connected, and `nil` when it is lost.
    public func listenToTransport(_ listener: @escaping @Sendable (TransportPush?) -> Void) {
        transportListener = listener
    }

    /// Where actions go (the run loop's inbox). Actions sent before are delivered now, in order.
    public func attach(post: @escaping @Sendable (Action) -> Void) {
        self.post = post
        for action in queued { post(action) }
        queued.removeAll()
    }

    private func send(_ action: Action) {
        guard !stopped else { return }
        if let post { post(action) } else { queued.append(action) }
    }

    // MARK: - Analyses

    /// Called on the offline-analysis queue, in export order; returns at once.
    public nonisolated func offlineAnalysisFinished(_ analysis: TrackAnalysis) {
        let sequence = sequenceCounter.add(1, ordering: .relaxed).newValue
        Task { await self.analysisArrived(analysis, sequence: sequence) }
    }

    /// Live input (`uplift live --profile`): the rolling window's analysis, every few bars; returns at once.
    public nonisolated func liveWindowAnalysed(_ analysis: TrackAnalysis, timing: LiveWindowTiming) {
        let sequence = sequenceCounter.add(1, ordering: .relaxed).newValue
        Task { await self.analysisArrived(analysis, sequence: sequence, window: timing) }
    }

    /// A fresh analysis of the mix: a new report; after a re-export, what happened to the last one's gaps;
    /// on a live window (`window`), how the gaps of the fixes approved since move.
    public func analysisArrived(_ fresh: TrackAnalysis, sequence: Int, window: LiveWindowTiming? = nil) async {
        guard sequence > newestSequence else { return }  // an older export's analysis arriving late
        newestSequence = sequence
        var stems: StemSet?
        var stemWarnings: [String] = []
        if let directory = settings.stemsDirectory {
            switch await Self.loadStems(directory, roles: RoleTable(explicit: settings.config.roles), analyzer: stemAnalyzer) {
            case .success(let loaded): (stems, stemWarnings) = loaded
            case .failure(let error): stemWarnings = ["stems not used this time: \(error)"]
            }
            guard sequence == newestSequence else { return }  // a newer export arrived while the stems were read
        }
        let isReExport = analysis != nil
        analysis = fresh
        let previous = shownReport
        do {
            let rejected = (try? rejections.rejectedIDs(profile: settings.profile.name)) ?? []
            var report = try GapAnalyzer(options: settings.analyzerOptions).analyze(mix: fresh, profile: settings.profile,
                                                                                    rejected: rejected, stems: stems)
            // Live input: the nearest cluster is held against the window's drift (an intro sits nearer another).
            if settings.liveWindow, let nearest = report.cluster, nearest.how == "nearest" {
                let (use, switched) = clusterHold.decide(nearest: nearest.id)
                if let use, use != nearest.id {
                    var held = settings.analyzerOptions
                    held.cluster = String(use)
                    report = try GapAnalyzer(options: held).analyze(mix: fresh, profile: settings.profile, rejected: rejected, stems: stems)
                    report.cluster?.how = "nearest"
                    report.warnings.append("live window: still compared with cluster \(use) \"\(report.cluster?.name ?? "")\"; the last bars sit nearer cluster \(nearest.id) \"\(nearest.name)\" (switching when they do for \(LiveClusterHold.switchAfter * Int(LiveGapFeeder.refreshBars)) bars)")
                } else if switched {
                    report.warnings.append("live window: now compared with cluster \(nearest.id) \"\(nearest.name)\", nearest for the last \(LiveClusterHold.switchAfter * Int(LiveGapFeeder.refreshBars)) bars")
                }
            }
            report.warnings += stemWarnings
            if let decisions = try? feedback.decisions(profile: settings.profile.name) {
                report = LearnedRanking(profile: settings.profile.name, decisions: decisions).apply(to: report)
            }
            if settings.profile.embedding != nil {
                report.nearestReferences = (try? ProfileSimilarity.nearest(fresh, in: settings.profile, k: 3)).map(ProfileSimilarity.shortNames)
            }
            if settings.liveWindow { report = Self.forLiveWindow(report) }
            unmappedReport = report
        } catch {
            send(.gapReportFailed("\(error)"))
            return
        }
        effects.setFixChecker(Self.fixChecker(mix: fresh, stems: stems, profile: settings.profile, options: settings.analyzerOptions))
        let stemsNow = stems
        effects.setAuditioner { fix in try AuditionWorkflow.audition(fix: fix, mixPath: fresh.file, analysis: fresh, stems: stemsNow) }
        send(.profileSpectrumBandLoaded(Self.profileBand(settings.profile, mix: fresh)))
        // Parameter values moved since the last look if fixes were applied: read the set again.
        if isReExport, let bridge = effects.bridge, let set = try? await Self.discover(bridge) { liveSet = set }
        if settings.liveWindow {
            // Followed first, so that a gap whose fix is being measured keeps that fix in the report shown next.
            if let window, let measured = unmappedReport?.measured { followFixes(measured: measured, window: window, shownBefore: previous) }
            publishReport()
            return
        }
        publishReport()
        if isReExport, let previous, let current = shownReport {
            let applied = Set(effects.takeAppliedFixIDs())
            if !applied.isEmpty {
                GapsWorkflow.recordMeasurements(previous: previous, current: current, appliedFixIDs: applied, feedback: feedback)
            }
            send(.gapsRemeasured(Self.remeasurement(GapProgress(previous: previous, current: current, appliedFixIDs: applied))))
        }
    }

    /// A report on the last bars of a live input, not a whole track: the arrangement (how many bars each
    /// section lasts, drop–breakdown contrast) is not in the window, so those gaps would be artefacts of
    /// where the window starts (a drop that "lasts 1 bar" because it has just begun). They are left to the
    /// exported file's report, and the report says so once.
    static func forLiveWindow(_ report: GapReport) -> GapReport {
        var report = report
        let before = report.gaps.count
        report.gaps.removeAll { $0.feature.hasPrefix("arrangement.") }
        if report.gaps.count < before {
            report.warnings.append("live window: the arrangement (section lengths, drop–breakdown contrast) is compared on an exported file (`uplift watch` or `uplift gaps`), not on the last bars")
        }
        // A window of intro, breakdown or buildup has no sidechained drop to measure: the analyzer's "no pumping"
        // (0 dB) there is not a mix that lacks pumping, and the references' figure is their drops'.
        let pumping = report.gaps.count
        report.gaps.removeAll { $0.feature.hasPrefix("pumping.") && $0.value == 0 }
        if report.gaps.count < pumping {
            report.warnings.append("live window: no pumping measured in the last bars (no drop in them yet): pumping is compared once a drop plays")
        }
        return report
    }

    /// The stems, analysed off the actor's thread (a few seconds for new files; remembered ones are free).
    static func loadStems(_ directory: String, roles: RoleTable, analyzer: StemAnalysisMemo) async
        -> Result<(StemSet, [String]), any Error> {
        await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .utility).async {
                continuation.resume(returning: Result { try StemSet.load(directory: directory, roles: roles, analyzer: analyzer) })
            }
        }
    }

    /// Maps the report onto the set (when Live answered), marks rejections, and shows it.
    private func publishReport() {
        guard var report = unmappedReport else { return }
        if let liveSet {
            report = FixMapper(set: liveSet, roles: RoleTable(explicit: settings.config.roles),
                               mixBusTrack: settings.bridgeOptions?.mixBusTrackName).map(report)
        }
        // Rejections made in this session may not be in the store yet (its write runs on its own task).
        let rejected = ((try? rejections.rejectedIDs(profile: settings.profile.name)) ?? []).union(effects.rejectedGapIDs)
        report = Self.marking(report, rejected: rejected)
        // Live input: a gap whose approved fix is still being measured keeps that fix — the window still holds audio
        // from before it, so a fresh proposal from it would be a second move on top of the first.
        // A followed gap the window no longer counts as one (inside the references now, or not measured) stays listed
        // until its measurement ends, with its newest value: the producer watches it close.
        for item in follow.followed {
            if let k = report.gaps.firstIndex(where: { $0.id == item.gap.id }) {
                report.gaps[k].fixes = [item.fix]
            } else {
                var gap = item.gap
                if let value = item.latestValue { gap.value = value }
                report.gaps.append(gap)
            }
        }
        shownReport = report
        effects.update(report: report)
        send(settings.liveWindow ? .liveGapReportLoaded(report) : .gapReportLoaded(report))
        // After an export, the top fixes are rendered and heard in the background (a live window has no mix file).
        if !stopped, !settings.liveWindow, let post { effects.precheck(report, post: post) }
    }

    /// Live input: starts following the fixes applied since the last window (from the stream time Live verified
    /// them, else this window's start of new audio), stops following undone ones, and sends how each followed
    /// gap moved in this window. The final measurement (a window all after the fix) goes into the history.
    private func followFixes(measured: [String: Double], window: LiveWindowTiming, shownBefore: GapReport?) {
        let applied = effects.appliedFixIDs
        for id in follow.followedFixIDs where !applied.contains(id) { follow.stop(fixID: id) }
        followFinished.formIntersection(applied)  // an undone fix, redone, is followed afresh
        for id in applied where !follow.followedFixIDs.contains(id) && !followFinished.contains(id) {
            // The gap as shown when the fix was approved: its value is where the follow-up starts.
            guard let gap = (shownBefore ?? shownReport)?.gaps.first(where: { $0.fixes.contains { $0.id == id } }),
                  let fix = gap.fixes.first(where: { $0.id == id }) else { continue }
            follow.start(fix: fix, of: gap, appliedAtS: effects.appliedAtS(id) ?? lastWindowEndS ?? window.startS)
        }
        lastWindowEndS = window.endS
        let updates = follow.observe(measured: measured, windowStartS: window.startS, windowEndS: window.endS, barS: window.barS)
        for update in updates where update.isFinal { followFinished.insert(update.fixID) }
        if !updates.isEmpty { send(.liveFixFollowed(updates.map { LiveFixLine(gapID: $0.gapID, text: $0.line, isFinal: $0.isFinal) })) }
    }

    /// Rejected gaps flagged and moved after the others, order otherwise kept.
    static func marking(_ report: GapReport, rejected: Set<String>) -> GapReport {
        var report = report
        for i in report.gaps.indices where rejected.contains(report.gaps[i].id) { report.gaps[i].rejected = true }
        report.gaps = report.gaps.filter { !$0.rejected } + report.gaps.filter(\.rejected)
        return report
    }

    /// The profile's p10–p90 spectrum at the mix's loudness, for drawing behind the live bars.
    static func profileBand(_ profile: Profile, mix: TrackAnalysis) -> ProfileSpectrumBand? {
        guard let curves = profile.spectrum, let spectrum = mix.spectrum, !spectrum.levelsDB.isEmpty,
              let normalized = curves.normalize(levelsDB: spectrum.levelsDB, integratedLUFS: mix.loudness?.integratedLUFS),
              let shift = zip(normalized, spectrum.levelsDB).first(where: { $0.0.isFinite && $0.1.isFinite }).map({ $0.0 - $0.1 })
        else { return nil }
        // The references were shifted by `shift` to sit at the reference level; shift them back to the mix.
        return ProfileSpectrumBand(bandsHz: curves.bandsHz, p10DB: curves.p10DB.map { $0 - shift }, p90DB: curves.p90DB.map { $0 - shift })
    }

    static func remeasurement(_ progress: GapProgress) -> GapRemeasurement {
        var counts: [GapProgress.Status: Int] = [:]
        for item in progress.items { counts[item.status, default: 0] += 1 }
        let broken = progress.items.reduce(0) { $0 + $1.brokenPromises.count }
        var parts = [GapProgress.Status.closed, .narrowed, .unchanged, .widened, .measurementChanged].compactMap { status in
            counts[status].map { "\($0) \(status.rawValue)" }
        }
        if parts.isEmpty { parts = ["no earlier gaps"] }
        var headline = "re-export measured: " + parts.joined(separator: ", ")
        if broken > 0 { headline += "; \(broken) fix\(broken == 1 ? "" : "es") fell short of the promise" }
        return GapRemeasurement(headline: headline, lines: progress.items.map(\.line),
                                lineByGapID: Dictionary(progress.items.map { ($0.gapID, $0.line) }, uniquingKeysWith: { a, _ in a }),
                                brokenPromises: broken)
    }

    // MARK: - Ableton

    /// Starts reaching for Live in the background: connect, map the report, then check every few
    /// seconds that Live still answers; reconnect when it comes back.
    /// The profile and the newest analysis of the mix (the A/B view's references are chosen from them).
    public func profileAndAnalysis() -> (Profile, TrackAnalysis?) { (settings.profile, analysis) }

    public func startBridge() {
        guard let options = settings.bridgeOptions else {
            send(.bridgeStateChanged(.absent))
            return
        }
        guard bridgeTask == nil else { return }
        bridgeTask = Task { await self.keepConnected(options) }
    }

    public func stop() async {
        stopped = true
        transportTask?.cancel()
        bridgeTask?.cancel()
        if let bridge = effects.bridge { await bridge.close() }
        if let options = settings.bridgeOptions { BridgeHolder.release(options) }
    }

    private func keepConnected(_ options: BridgeOptions) async {
        var bridge: AbletonBridge?
        var lastState: BridgeState?
        func report(_ state: BridgeState) {
            if state != lastState { send(.bridgeStateChanged(state)) }
            lastState = state
        }
        while !Task.isCancelled {
            do throws(AbletonError) {
                let connecting: AbletonBridge
                if let bridge { connecting = bridge } else {
                    connecting = try AbletonBridge(options: options)
                    // While the studio holds the reply port, `uplift ableton …` says who has it.
                    BridgeHolder.claim(options)
                }
                bridge = connecting
                try await connecting.connect()
                liveSet = try await Self.discover(connecting)
                effects.setBridge(connecting)
                if let listener = transportListener {
                    let pushes = try connecting.osc.transportPushes()
                    transportTask = Task { for await push in pushes { listener(push) } }
                }
                report(.connected(setName: liveSet.map { "\($0.tracks.count) tracks" }))
                publishReport()
                while !Task.isCancelled {
                    try? await Task.sleep(for: settings.retryInterval)
                    try await connecting.checkAnswering()
                }
            } catch {
                effects.setBridge(nil)
                transportTask?.cancel()
                transportTask = nil
                transportListener?(nil)
                // A fresh bridge for the next attempt: the old client still owes the replies its timed-out
                // checks asked for, and would take Live's first answers after a restart for those.
                if let lost = bridge { await lost.close(); BridgeHolder.release(options) }
                bridge = nil
                switch error.code {
                case .liveNotReachable, .timeout: report(.absent)
                case .portInUse: report(.error("reply port \(options.endpoint.listenPort) in use by another OSC program: close it, or pass --listen-port"))
                default: report(.error(error.message))
                }
            }
            try? await Task.sleep(for: settings.retryInterval)
        }
        if let bridge { await bridge.close(); BridgeHolder.release(options) }
    }

    static func discover(_ bridge: AbletonBridge) async throws(AbletonError) -> LiveSetDescription {
        try await bridge.describeSet()
    }
}
