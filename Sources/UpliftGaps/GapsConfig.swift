import Foundation

/// What gap mapping reads from `config.toml`: the `[roles]` table (role = "Track Name") and
/// `[ableton] mix_bus_track`. Only these keys are read here, with a small line parser, so the
/// gap module needs no TOML dependency; other tables and keys are ignored.
public struct GapsConfig: Sendable, Equatable {
    public var roles: [String: String] = [:]
    public var mixBusTrack: String?
    public init(roles: [String: String] = [:], mixBusTrack: String? = nil) { self.roles = roles; self.mixBusTrack = mixBusTrack }

    public static func parse(_ text: String, path: String = "config.toml") throws -> GapsConfig {
        var config = GapsConfig()
        var table = ""
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = raw.trimmingCharacters(in: .whitespaces)
            line = Self.withoutComment(line)
            if line.isEmpty { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]") else {
                    throw GapsError(.badConfig, "\(path):\(number + 1): unclosed table header `\(line)`; write it as [name]")
                }
                table = String(line.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
                continue
            }
            guard table == "roles" || table == "ableton" else { continue }
            guard let eq = line.firstIndex(of: "=") else {
                throw GapsError(.badConfig, "\(path):\(number + 1): expected `key = \"value\"` in [\(table)]")
            }
            let key = line[..<eq].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            let value = line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            func string() throws -> String {
                guard value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") else {
                    throw GapsError(.badConfig, "\(path):\(number + 1): \(key) needs a quoted track name, e.g. \(key) = \"Bass\"")
                }
                return String(value.dropFirst().dropLast())
            }
            if table == "roles" { config.roles[key.lowercased()] = try string() }
            else if key == "mix_bus_track" { config.mixBusTrack = try string() }
        }
        return config
    }

    /// The line up to a `#` that is not inside a quoted string.
    static func withoutComment(_ line: String) -> String {
        var inQuotes = false
        for index in line.indices {
            let c = line[index]
            if c == "\"" { inQuotes.toggle() }
            if c == "#", !inQuotes { return line[..<index].trimmingCharacters(in: .whitespaces) }
        }
        return line
    }
}
