import Foundation
import TOMLKit
import UpliftGaps
import UpliftModel
import UpliftTUI

/// A `config.toml` that cannot be used: `path:line: what is wrong and how to write it`.
public struct ConfigError: Error, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// The user's `config.toml`, read once with TOMLKit and handed out as typed settings: the gap report's
/// `[roles]` and the `[ableton] mix_bus_track` the bridge and the gap mapping share. Tables Uplift does
/// not know are left alone (the file may carry other settings), but the file must be valid TOML.
public struct UpliftConfig: Sendable, Equatable {
    /// Role (lower-cased: `kick`, `bass`, `lead`, …) → the Live track that plays it.
    public var roles: [String: String] = [:]
    /// The audio track standing in for the master bus.
    public var mixBusTrack: String?

    public init(roles: [String: String] = [:], mixBusTrack: String? = nil) {
        self.roles = roles
        self.mixBusTrack = mixBusTrack
    }

    /// What gap mapping reads.
    public var gaps: GapsConfig { GapsConfig(roles: roles, mixBusTrack: mixBusTrack) }

    /// `$XDG_CONFIG_HOME/uplift/config.toml` (macOS `~/Library/Application Support/uplift/config.toml`).
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        UpliftDirectories.config(environment: environment) + "/config.toml"
    }

    /// `explicitPath` (from `--config`) must exist; the user's default file may be absent (no settings).
    public static func load(explicitPath: String? = nil,
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigError) -> UpliftConfig {
        let path = explicitPath ?? defaultPath(environment: environment)
        guard let data = FileManager.default.contents(atPath: path) else {
            if explicitPath != nil { throw ConfigError("\(path): config file not found; give an existing file to --config or leave it out") }
            return UpliftConfig()
        }
        return try parse(String(decoding: data, as: UTF8.self), path: path)
    }

    public static func parse(_ text: String, path: String = "config.toml") throws(ConfigError) -> UpliftConfig {
        // toml++ asserts (aborts) on some invalid TOML instead of returning an error: refuse those first.
        if let violation = TOMLGuard.firstConstructTOMLPlusPlusAssertsOn(text) {
            throw ConfigError("\(path):\(violation.line): \(violation.message): fix the TOML syntax")
        }
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ConfigError("\(path):\(error.source.begin.line): \(error.description): fix the TOML syntax")
        } catch {
            throw ConfigError("\(path): \(error): fix the TOML syntax")
        }
        let locator = LineLocator(text: text)
        func where_(_ key: String, _ inTable: String?) -> String {
            locator.line(ofKey: key, inTable: inTable).map { "\(path):\($0)" } ?? path
        }
        var config = UpliftConfig()
        if let rolesValue = table["roles"] {
            guard let roles = rolesValue.table else {
                throw ConfigError("\(where_("roles", nil)): `roles` must be a table: [roles] then kick = \"Kick 909\"")
            }
            for key in roles.keys {
                guard let track = roles[key]?.string else {
                    throw ConfigError("\(where_(key, "roles")): \(key) needs a quoted track name, e.g. \(key) = \"Bass\"")
                }
                config.roles[key.lowercased()] = track
            }
        }
        if let ableton = table["ableton"]?.table, let value = ableton["mix_bus_track"] {
            guard let track = value.string else {
                throw ConfigError("\(where_("mix_bus_track", "ableton")): mix_bus_track needs a quoted track name, e.g. mix_bus_track = \"Mix Bus\"")
            }
            config.mixBusTrack = track
        }
        return config
    }
}
