import ArgumentParser
import Foundation
import UpliftAbleton
import UpliftGaps
import UpliftStudio

/// How a mix is compared with a profile and where Live answers: shared by `uplift gaps` and the
/// studio's gap pane (`uplift watch --profile`, the demo), so both read the same flags the same way.
struct GapComparisonOptions: ParsableArguments {
    @Option(name: .long, help: "Compare with this cluster (id or name) instead of the nearest one.")
    var cluster: String?

    @Flag(name: .long, help: "Compare with the whole profile even when it has clusters.")
    var wholeProfile = false

    @Option(name: .long, help: "Fraction of each gap a fix closes, 0–1 (default 0.7).")
    var amount: Double = 0.7

    @Flag(name: .long, help: "Do not contact Ableton: fixes stay device-agnostic and nothing is applied.")
    var offline = false

    @Option(name: .long, help: "config.toml (default: $XDG_CONFIG_HOME/uplift/config.toml).")
    var config: String?

    @Option(name: .long, help: ArgumentHelp("Stems exported from Live, one file per track named like the track: element gaps are measured on the stem of the track they concern.", valueName: "DIR"))
    var stems: String?

    @OptionGroup(title: "Ableton")
    var connection: AbletonConnectionOptions

    func validate() throws {
        guard (0...1).contains(amount) else { throw ValidationError("--amount must be between 0 and 1 (e.g. 0.7 closes 70 % of each gap)") }
    }

    var analyzerOptions: GapAnalyzer.Options {
        var options = GapAnalyzer.Options(cluster: cluster, amount: amount)
        options.wholeProfile = wholeProfile
        return options
    }

    /// `config.toml` (`[roles]`, `[ableton] mix_bus_track`): `--config`, else the user's; the user's may be absent.
    func loadConfig() throws(ConfigError) -> UpliftConfig {
        try UpliftConfig.load(explicitPath: config)
    }

    /// Where and how to reach Live (`nil` with `--offline`); the mix bus from `--mix-bus`, else the config.
    func bridgeOptions(config: UpliftConfig) -> BridgeOptions? {
        guard !offline else { return nil }
        var options = connection.bridgeOptions()
        options.mixBusTrackName = connection.mixBus ?? config.mixBusTrack
        return options
    }
}
