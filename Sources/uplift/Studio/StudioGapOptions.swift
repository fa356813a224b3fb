import ArgumentParser
import Foundation
import UpliftAbleton
import UpliftGaps
import UpliftModel

/// `--profile` and its company for the studio (`uplift watch`, the demo): the gap report pane, its
/// comparison settings and where Ableton Live answers.
struct StudioGapOptions: ParsableArguments {
    @Option(name: .long, help: "Compare the mix with this profile (name or .uplift-profile path): opens the gap report pane.")
    var profile: String?

    @OptionGroup var comparison: GapComparisonOptions

    /// The session's settings for `profilePath`, or an error line naming what to fix.
    func settings(profilePath: String) throws -> StudioGapSession.Settings {
        let profile = try ProfileCLI.load(profilePath)
        let config: GapsConfig
        do { config = try comparison.loadConfig() } catch { throw StudioScreen.Failure(description: "\(error)") }
        // Fail before the screen opens: a wrong --cluster is a typo to fix, not a pane message.
        if comparison.cluster != nil {
            do { _ = try GapAnalyzer(options: comparison.analyzerOptions).chooseCluster(for: [:], in: profile) } catch {
                throw StudioScreen.Failure(description: "\(error)")
            }
        }
        if let stems = comparison.stems {
            do { _ = try StemSet.audioFiles(in: stems) } catch { throw StudioScreen.Failure(description: "\(error)") }
        }
        return StudioGapSession.Settings(profile: profile, analyzerOptions: comparison.analyzerOptions, config: config,
                                         bridgeOptions: comparison.bridgeOptions(config: config),
                                         rejectionsPath: RejectionStore.defaultPath(), stemsDirectory: comparison.stems)
    }
}
