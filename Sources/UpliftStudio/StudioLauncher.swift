import Foundation
import UpliftAnalysis
import UpliftAudio
import UpliftModel
import UpliftTUI

/// Why the studio could not open or went on no further: one line for standard error (a bad option value,
/// an input that does not open, terminal trouble). The command prints it and exits 1.
public struct StudioError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// The one path from a command's options to a running session: the terminal studio, or the plain
/// status lines of `--print` / `--headless` (kept for tests and logs, and used when standard output
/// is not a terminal). Every failure is a `StudioError`.
public enum StudioLauncher {
    /// `uplift watch FILE` (and the demo). `gaps`: with a profile, the gap report pane (and its lines in `--print`).
    public static func watch(path: String, noAudio: Bool, outputDevice: String?, startS: Double?, theme: String?,
                             printLines: Bool, headlessS: Double?, gaps: StudioGapSession.Settings? = nil,
                             targetLUFS: Double? = nil) throws {
        let gapSession = gaps.map { StudioGapSession(settings: $0) }
        var onAnalysis: (@Sendable (TrackAnalysis) -> Void)?
        if let gapSession { onAnalysis = { gapSession.offlineAnalysisFinished($0) } }
        let session: LiveSession
        do {
            session = try LiveSession.openFile(path: path, noAudio: noAudio, outputDevice: outputDevice, onAnalysis: onAnalysis)
        } catch let error as AudioError {
            throw StudioError(error.description)
        }
        if let startS { session.player?.seek(toSeconds: startS) }
        let target = targetLUFS.map(LoudnessTarget.level) ?? gaps.flatMap { LoudnessTarget.references(of: $0.profile) }
        // `b` and `A` open the A/B view on the studio's own output device.
        let handover = gapSession.map {
            StudioABHandover(settings: .init(noAudio: noAudio, outputDevice: outputDevice), player: session.player, gaps: $0)
        }
        try present(session, theme: theme, printLines: printLines, headlessS: headlessS, gaps: gapSession, loudnessTarget: target,
                    handover: handover)
    }

    /// `uplift live --input …`: a device, standard input or a FIFO.
    /// `music`: the rolling musical analysis (nil: levels only).
    public static func live(input: String, format: PCMSampleFormat?, sampleRate: Double?, channels: Int?, lossless: Bool,
                            music: LiveMusicAnalyzer.Options? = LiveMusicAnalyzer.Options(),
                            theme: String?, printLines: Bool, headlessS: Double?, gaps: StudioGapSession.Settings? = nil,
                            targetLUFS: Double? = nil) throws {
        let session: LiveSession
        do {
            session = try LiveSession.openInput(input, format: format, sampleRate: sampleRate, channels: channels, lossless: lossless,
                                                music: music)
        } catch let error as AudioError {
            throw StudioError(error.description)
        }
        // With a profile: the gap report of the rolling window, refreshed every few bars.
        var gapSession: StudioGapSession?
        var feeder: LiveGapFeeder?
        if var settings = gaps {
            guard session.analyzer.music != nil else { throw StudioError("--profile needs the musical analysis (drop --no-music)") }
            settings.liveWindow = true
            settings.analyzerOptions.compareDropLevel = true
            let created = StudioGapSession(settings: settings)
            gapSession = created
            feeder = LiveGapFeeder(analyzer: session.analyzer, name: input) { created.liveWindowAnalysed($0, timing: $1) }
            // A fix's follow-up starts where the stream was when Live verified it.
            let analyzer = session.analyzer
            created.effects.setStreamClock { analyzer.latestSnapshot().source.positionS }
            feeder?.start()
            // With Live connected, its own tempo and beat are the grid (aligned on the detected onsets).
            if let music = session.analyzer.music {
                let analyzer = session.analyzer
                blockOn { await created.listenToTransport(LiveTransportRouter.route(to: music, position: { analyzer.latestSnapshot().source.positionS })) }
            }
        }
        defer { feeder?.stop() }
        try present(session, theme: theme, printLines: printLines, headlessS: headlessS, gaps: gapSession,
                    loudnessTarget: targetLUFS.map(LoudnessTarget.level) ?? gaps.flatMap { LoudnessTarget.references(of: $0.profile) })
    }

    public static func present(_ session: LiveSession, theme: String?, printLines: Bool, headlessS: Double?,
                               gaps: StudioGapSession? = nil, loudnessTarget: LoudnessTarget? = nil,
                               handover: StudioABHandover? = nil) throws {
        do {
            // Output to a pipe or a file gets the status lines: there is no terminal to draw on.
            if printLines || headlessS != nil || isatty(STDOUT_FILENO) == 0 {
                if let gaps { blockOn { await gaps.attach(post: GapLinePrinter.print); await gaps.startBridge() } }
                defer { if let gaps { blockOn { await gaps.stop() } } }
                try LivePrinter.run(session, seconds: headlessS)
            } else {
                try StudioScreen.run(session, themeSelection: theme, gaps: gaps, loudnessTarget: loudnessTarget, handover: handover)
            }
        } catch let error as AudioError {
            throw StudioError(error.description)
        }
    }
}
