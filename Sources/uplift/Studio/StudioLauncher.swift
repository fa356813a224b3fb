import ArgumentParser
import Foundation
import UpliftAudio
import UpliftModel

/// The one path from a command's options to a running session: the terminal studio, or the plain
/// status lines of `--print` / `--headless` (kept for tests and logs, and used when standard output
/// is not a terminal). Errors become one line and exit 1.
enum StudioLauncher {
    /// Runs a command's body; a `StudioScreen.Failure` (bad option value, terminal trouble) becomes one error line and exit 1.
    static func run(_ body: () throws -> Void) throws {
        do { try body() } catch let error as StudioScreen.Failure {
            CLIOutput.error(error.description)
            throw ExitCode.failure
        }
    }

    /// `gaps`: with a profile, the gap report pane (and its lines in `--print`).
    static func watch(path: String, noAudio: Bool, outputDevice: String?, startS: Double?, theme: String?,
                      printLines: Bool, headlessS: Double?, gaps: StudioGapSession.Settings? = nil) throws {
        let gapSession = gaps.map { StudioGapSession(settings: $0) }
        var onAnalysis: (@Sendable (TrackAnalysis) -> Void)?
        if let gapSession { onAnalysis = { gapSession.offlineAnalysisFinished($0) } }
        let session: LiveSession
        do {
            session = try LiveSession.openFile(path: path, noAudio: noAudio, outputDevice: outputDevice, onAnalysis: onAnalysis)
        } catch let error as AudioError {
            CLIOutput.error(error.description)
            throw ExitCode.failure
        }
        if let startS { session.player?.seek(toSeconds: startS) }
        try present(session, theme: theme, printLines: printLines, headlessS: headlessS, gaps: gapSession)
    }

    static func present(_ session: LiveSession, theme: String?, printLines: Bool, headlessS: Double?,
                        gaps: StudioGapSession? = nil) throws {
        do {
            // Output to a pipe or a file gets the status lines: there is no terminal to draw on.
            if printLines || headlessS != nil || isatty(STDOUT_FILENO) == 0 {
                if let gaps { GapsCommand.wait { await gaps.attach(post: GapLinePrinter.print) ; await gaps.startBridge() } }
                defer { if let gaps { GapsCommand.wait { await gaps.stop() } } }
                try LivePrinter.run(session, seconds: headlessS)
            } else {
                try StudioScreen.run(session, themeSelection: theme, gaps: gaps)
            }
        } catch let error as AudioError {
            CLIOutput.error(error.description)
            throw ExitCode.failure
        } catch let error as StudioScreen.Failure {
            CLIOutput.error(error.description)
            throw ExitCode.failure
        }
    }
}
