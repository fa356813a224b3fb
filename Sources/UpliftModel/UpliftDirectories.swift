import Foundation

/// Where Uplift keeps its files: the XDG base directories on Linux (a relative or empty `XDG_*`
/// is ignored, as the spec says), the usual `~/Library` folders on macOS. Every module that writes
/// or reads a user file asks here, so they all agree.
public enum UpliftDirectories {
    /// `config.toml`, `themes/`: `$XDG_CONFIG_HOME/uplift` or `~/.config/uplift`; macOS `~/Library/Application Support/uplift`.
    public static func config(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        #if os(macOS)
        return home(environment) + "/Library/Application Support/uplift"
        #else
        return (xdg("XDG_CONFIG_HOME", environment) ?? home(environment) + "/.config") + "/uplift"
        #endif
    }

    /// The undo journal, rejections: `$XDG_STATE_HOME/uplift` or `~/.local/state/uplift`; macOS `~/Library/Application Support/uplift`.
    public static func state(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        #if os(macOS)
        return home(environment) + "/Library/Application Support/uplift"
        #else
        return (xdg("XDG_STATE_HOME", environment) ?? home(environment) + "/.local/state") + "/uplift"
        #endif
    }

    /// Analyses and rendered demo audio: `$XDG_CACHE_HOME/uplift` or `~/.cache/uplift`; macOS `~/Library/Caches/uplift`.
    public static func cache(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        #if os(macOS)
        return home(environment) + "/Library/Caches/uplift"
        #else
        return (xdg("XDG_CACHE_HOME", environment) ?? home(environment) + "/.cache") + "/uplift"
        #endif
    }

    static func home(_ environment: [String: String]) -> String {
        environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
    }

    static func xdg(_ key: String, _ environment: [String: String]) -> String? {
        environment[key].flatMap { $0.hasPrefix("/") ? $0 : nil }
    }
}
