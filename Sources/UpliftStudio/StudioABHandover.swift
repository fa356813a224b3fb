import Foundation
import Synchronization
import UpliftAudio
import UpliftGaps
import UpliftModel
import UpliftTUI

/// The A/B view opened from `uplift watch` (`b`: the profile's nearest references; `A`: the selected
/// gap's fix rendered on the mix). The studio's player pauses and hands its output device over (the
/// stream is closed, so a hardware device is free), the A/B session plays from the studio's playhead,
/// and closing gives the device back and resumes where the studio was.
///
/// Called from the UI thread (the run loop's `abView`); opening runs on a thread of its own and answers
/// through the run loop's inbox, so the screen never waits for a decode or a render.
public final class StudioABHandover: @unchecked Sendable {
    public struct Settings: Sendable {
        public var noAudio: Bool
        public var outputDevice: String?
        /// How many references `b` loads.
        public var referenceCount = 4
        public var crossfadeMS = 20.0
        public init(noAudio: Bool, outputDevice: String?) { self.noAudio = noAudio; self.outputDevice = outputDevice }
    }

    public let settings: Settings
    private let player: FilePlayer?
    private let gaps: StudioGapSession
    private struct Held {
        var session: ABSession?
        var opening = false
        /// Set by `close()`: a session still opening is stopped as soon as it is made.
        var closed = false
        var resumePlaying = false
    }
    private let held = Mutex(Held())

    public init(settings: Settings, player: FilePlayer?, gaps: StudioGapSession) {
        self.settings = settings; self.player = player; self.gaps = gaps
    }

    /// The open A/B session, if any (the run loop's transport, snapshots and A/B requests go to it).
    public var current: ABSession? { held.withLock { $0.session } }

    /// Opens the A/B session for `request` on a thread of its own (choosing references, rendering a fix
    /// and decoding take a moment; the screen stays live), with the studio paused and its device handed
    /// over. Answers through `post`: `abOpened` once the session plays, or `abOpenFailed` with the reason
    /// in the producer's words (the studio then plays on).
    public func open(_ request: ABOpenRequest, post: @escaping @Sendable (Action) -> Void) {
        let go = held.withLock { held -> Bool in
            guard held.session == nil, !held.opening else { return false }
            held.opening = true
            held.closed = false
            return true
        }
        guard go else { return }
        let thread = Thread { [self] in
            do {
                let (session, opened) = try makeSession(for: request)
                let keep = held.withLock { held -> Bool in
                    held.opening = false
                    guard !held.closed else { return false }
                    held.session = session
                    return true
                }
                guard keep else { session.stop(); resumeStudio(); return }
                session.attach(post: post)
                post(.abOpened(gapID: opened.gapID, fixID: opened.fixID))
            } catch {
                held.withLock { $0.opening = false }
                post(.abOpenFailed("\(error)"))
            }
        }
        thread.name = "uplift.ab-open"
        thread.start()
    }

    /// Stops the A/B session and gives the studio its device and playback back.
    public func close() {
        let session = held.withLock { held -> ABSession? in
            held.closed = true
            defer { held.session = nil }
            return held.session
        }
        guard let session else { return }
        session.stop()
        resumeStudio()
    }

    /// What was opened, for the view (`abOpened`): the gap and fix of an audition.
    struct Opened: Sendable, Equatable {
        var gapID: String?
        var fixID: String?
    }

    func makeSession(for request: ABOpenRequest) throws -> (ABSession, Opened) {
        guard let player else { throw StudioError("A/B plays files: uplift watch MIX --profile P") }
        var options = try sessionOptions(for: request, mixPath: player.path)
        options.noAudio = settings.noAudio
        options.outputDevice = settings.outputDevice
        options.crossfadeMS = settings.crossfadeMS
        // The device is the A/B session's until it closes.
        held.withLock { $0.resumePlaying = player.isPlaying }
        player.pause()
        player.output?.release()
        let session: ABSession
        do {
            session = try ABSession(options: options)
            try session.start()
        } catch {
            resumeStudio()
            throw StudioError("A/B could not open: \((error as? AudioError)?.description ?? "\(error)")")
        }
        session.startLoading()
        var opened = Opened(gapID: nil, fixID: nil)
        if case .audition(let gap, let fix, _) = request { opened.gapID = gap.id; opened.fixID = fix.id }
        return (session, opened)
    }

    private func resumeStudio() {
        guard let player else { return }
        try? player.output?.start()
        if held.withLock({ $0.resumePlaying }) { player.play() }
    }

    /// The feature as the gap report names it ("stereo width (side/mid)").
    static func label(_ feature: String) -> String { FeatureCatalog.entry(feature)?.label ?? feature }

    func sessionOptions(for request: ABOpenRequest, mixPath: String) throws -> ABSession.Options {
        let gaps = self.gaps
        let (profile, analysis) = blockOn { await gaps.profileAndAnalysis() }
        switch request {
        case .audition(let gap, let fix, let startS):
            let audition = try gaps.effects.audition(fix)
            var options = ABSession.Options(mixPath: mixPath, referencePaths: [])
            options.audition = ABAudition(audition: audition) { [effects = gaps.effects] picked in
                effects.recordBlindPick(gap: gap, fix: fix, picked: picked)
            }
            options.mixAnalysis = analysis
            options.startS = startS
            options.heading = "\(fix.action.summary)\(fix.track.map { " on \($0)" } ?? "") · \(Self.label(gap.feature))"
            return options
        case .nearest(let startS):
            guard let analysis else { throw StudioError("the mix is not analysed yet: b works once the gap report is in") }
            let (paths, how) = ABReferences.nearest(profile: profile, mix: analysis, count: settings.referenceCount)
            guard !paths.isEmpty else { throw StudioError("none of profile \(profile.name)'s references is on this machine") }
            var options = ABSession.Options(mixPath: mixPath, referencePaths: paths)
            options.mixAnalysis = analysis
            options.startS = startS
            options.heading = how
            options.onGuess = { [effects = gaps.effects] pick in effects.recordReferenceGuess(pick, gap: nil) }
            return options
        case .nearFeature(let gap, let startS):
            let key = ABReferences.featureKey(of: gap)
            if let paths = ABReferences.nearMedian(of: gap, profile: profile, count: settings.referenceCount, excluding: mixPath) {
                var options = ABSession.Options(mixPath: mixPath, referencePaths: paths)
                options.mixAnalysis = analysis
                options.startS = startS
                options.heading = "refs at your median \(Self.label(key))"
                options.onGuess = { [effects = gaps.effects] pick in effects.recordReferenceGuess(pick, gap: gap) }
                return options
            }
            var options = try sessionOptions(for: .nearest(startS: startS), mixPath: mixPath)
            options.heading = "\(Self.label(key)) not in your refs: " + (options.heading ?? "")
            options.onGuess = { [effects = gaps.effects] pick in effects.recordReferenceGuess(pick, gap: gap) }
            return options
        }
    }
}
