import Foundation

/// Where Uplift keeps its files: the XDG base directories on Linux (a relative or empty `XDG_*`
/// is ignored, as the spec says), the usual `~/Library` folders on macOS. Every module that writes
/// or reads a user file asks here, so they all agree.
public enum UpliftDirectories {
    /// `config.toml`, `themes/`: `$XDG_CONFIG_HOME/uplift` or `~/.config/uplift`; macOS `~/Library/Application Support/uplift`.
    public static func config(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        directory("XDG_CONFIG_HOME", linux: "/.config", macOS: "/Library/Application Support", environment)
    }

    /// The undo journal, rejections: `$XDG_STATE_HOME/uplift` or `~/.local/state/uplift`; macOS `~/Library/Application Support/uplift`.
    public static func state(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        directory("XDG_STATE_HOME", linux: "/.local/state", macOS: "/Library/Application Support", environment)
    }

    /// Analyses and rendered demo audio: `$XDG_CACHE_HOME/uplift` or `~/.cache/uplift`; macOS `~/Library/Caches/uplift`.
    public static func cache(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        directory("XDG_CACHE_HOME", linux: "/.cache", macOS: "/Library/Caches", environment)
    }

    /// `uplift` under the XDG variable `key` (when absolute), else under the home-relative default.
    static func directory(_ key: String, linux: String, macOS: String, _ environment: [String: String]) -> String {
        #if os(macOS)
        return home(environment) + macOS + "/uplift"
        #else
        return (xdg(key, environment) ?? home(environment) + linux) + "/uplift"
        #endif
    }

    static func home(_ environment: [String: String]) -> String {
        environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
    }

    static func xdg(_ key: String, _ environment: [String: String]) -> String? {
        environment[key].flatMap { $0.hasPrefix("/") ? $0 : nil }
    }
}
