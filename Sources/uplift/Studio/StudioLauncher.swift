import ArgumentParser
import Foundation
import UpliftAudio

/// The one path from a command's options to a running session: the terminal studio, or the plain
/// status lines of `--print` / `--headless` (kept for tests and logs, and used when standard output
/// is not a terminal). Errors become one line and exit 1.
enum StudioLauncher {
    static func watch(path: String, noAudio: Bool, outputDevice: String?, startS: Double?, theme: String?,
                      printLines: Bool, headlessS: Double?) throws {
        let session: LiveSession
        do {
            session = try LiveSession.openFile(path: path, noAudio: noAudio, outputDevice: outputDevice)
        } catch let error as AudioError {
            CLIOutput.error(error.description)
            throw ExitCode.failure
        }
        if let startS { session.player?.seek(toSeconds: startS) }
        try present(session, theme: theme, printLines: printLines, headlessS: headlessS)
    }

    static func present(_ session: LiveSession, theme: String?, printLines: Bool, headlessS: Double?) throws {
        do {
            // Output to a pipe or a file gets the status lines: there is no terminal to draw on.
            if printLines || headlessS != nil || isatty(STDOUT_FILENO) == 0 {
                try LivePrinter.run(session, seconds: headlessS)
            } else {
                try StudioScreen.run(session, themeSelection: theme)
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
