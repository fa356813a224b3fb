import ArgumentParser
import Foundation
import UpliftGaps
import UpliftStudio

/// `--profile` and its company for the studio (`uplift watch`, the demo): the gap report pane, its
/// comparison settings and where Ableton Live answers.
struct StudioGapOptions: ParsableArguments {
    @Option(name: .long, help: "Compare the mix with this profile (name or .uplift-profile path): opens the gap report pane.")
    var profile: String?

    @OptionGroup var comparison: GapComparisonOptions

    /// The session's settings for `profilePath`; a wrong cluster, stems folder or config is a `StudioError`
    /// before the screen opens (a typo to fix, not a pane message).
    func settings(profilePath: String) throws -> StudioGapSession.Settings {
        let profile = try ProfileCLI.load(profilePath)
        let config: UpliftConfig
        do { config = try comparison.loadConfig() } catch { throw StudioError(error.description) }
        return try StudioGapSession.Settings.checked(profile: profile, analyzerOptions: comparison.analyzerOptions, config: config.gaps,
                                                     bridgeOptions: comparison.bridgeOptions(config: config),
                                                     stemsDirectory: comparison.stems)
    }
}
