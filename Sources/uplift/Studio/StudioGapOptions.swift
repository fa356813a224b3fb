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

    @Option(name: .long, help: "Compare with this cluster (id or name) instead of the nearest one.")
    var cluster: String?

    @Flag(name: .long, help: "Compare with the whole profile even when it has clusters.")
    var wholeProfile = false

    @Option(name: .long, help: "Fraction of each gap a fix closes, 0–1 (default 0.7).")
    var amount: Double = 0.7

    @Flag(name: .long, help: "Do not contact Ableton: the gap report stays read-only.")
    var offline = false

    @Option(name: .long, help: "config.toml (default: $XDG_CONFIG_HOME/uplift/config.toml).")
    var config: String?

    @OptionGroup(title: "Ableton")
    var connection: AbletonConnectionOptions

    func validate() throws {
        guard (0...1).contains(amount) else { throw ValidationError("--amount must be between 0 and 1 (e.g. 0.7 closes 70 % of each gap)") }
    }

    /// The session's settings for `profilePath`, or an error line naming what to fix.
    func settings(profilePath: String) throws -> StudioGapSession.Settings {
        let profile = try ProfileCLI.load(profilePath)
        let config = try Self.loadConfig(path: config)
        var analyzerOptions = GapAnalyzer.Options(cluster: cluster, amount: amount)
        analyzerOptions.wholeProfile = wholeProfile
        // Fail before the screen opens: a wrong --cluster is a typo to fix, not a pane message.
        if let cluster, !wholeProfile {
            guard profile.clusters.contains(where: { String($0.id) == cluster || $0.name.lowercased().hasPrefix(cluster.lowercased()) }) else {
                let list = profile.clusters.map { "\($0.id) (\($0.name))" }.joined(separator: ", ")
                throw StudioScreen.Failure(description: profile.clusters.isEmpty
                    ? "profile \(profile.name) has no clusters; drop --cluster"
                    : "no cluster \"\(cluster)\" in profile \(profile.name); choose one of: \(list)")
            }
        }
        var bridge: BridgeOptions?
        if !offline {
            var options = connection.bridgeOptions()
            options.mixBusTrackName = connection.mixBus ?? config.mixBusTrack
            bridge = options
        }
        return StudioGapSession.Settings(profile: profile, analyzerOptions: analyzerOptions, config: config, bridgeOptions: bridge,
                                         rejectionsPath: RejectionStore.defaultPath())
    }

    /// `config.toml` (`[roles]`, `[ableton] mix_bus_track`): the given path, else the user's; absent is fine.
    static func loadConfig(path: String?) throws -> GapsConfig {
        let resolved = path ?? AbletonConfig.configURL(environment: ProcessInfo.processInfo.environment).path
        guard let data = FileManager.default.contents(atPath: resolved) else {
            if path != nil { throw StudioScreen.Failure(description: "\(resolved): config file not found") }
            return GapsConfig()
        }
        do {
            return try GapsConfig.parse(String(decoding: data, as: UTF8.self), path: resolved)
        } catch let error as GapsError {
            throw StudioScreen.Failure(description: error.description)
        }
    }
}
