import TOMLKit
import UpliftTerminal

/// Reads a theme from TOML. Roles left out keep the `base` theme's look, so a user theme may change a few.
public enum ThemeParser {
    static let attributeKeys: Set<String> = ["fg", "bg", "bold", "dim", "reverse"]

    public static func parse(_ text: String, source: String, base: Theme? = nil) throws(ThemeError) -> Theme {
        if let violation = TOMLGuard.firstConstructTOMLPlusPlusAssertsOn(text) {
            throw ThemeError(code: .syntax, source: source, line: violation.line,
                             message: "\(violation.message): fix the TOML syntax")
        }
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ThemeError(code: .syntax, source: source, line: error.source.begin.line,
                             message: "\(error.description): fix the TOML syntax")
        } catch {
            throw ThemeError(code: .syntax, source: source, line: nil, message: "\(error): fix the TOML syntax")
        }
        let locator = LineLocator(text: text)
        for key in table.keys where key != "name" && key != "roles" {
            throw ThemeError(code: .unknownRole, source: source, line: locator.line(ofKey: key, inTable: nil),
                             message: "unknown key \"\(key)\": a theme has `name` and a [roles] table")
        }
        guard let name = table["name"]?.string, !name.isEmpty else {
            throw ThemeError(code: .badValue, source: source, line: locator.line(ofKey: "name", inTable: nil),
                             message: "missing `name = \"...\"` at the top of the file")
        }
        var roles = base?.roles ?? [:]
        if let rolesValue = table["roles"] {
            guard let rolesTable = rolesValue.table else {
                throw ThemeError(code: .badValue, source: source, line: locator.line(ofKey: "roles", inTable: nil),
                                 message: "`roles` must be a table of role = { fg = \"#rrggbb\", ... }")
            }
            for roleName in rolesTable.keys {
                let roleLine = locator.line(ofKey: roleName, inTable: "roles")
                guard let role = ThemeRole(rawValue: roleName) else {
                    let known = ThemeRole.allCases.map(\.rawValue).joined(separator: ", ")
                    throw ThemeError(code: .unknownRole, source: source, line: roleLine,
                                     message: "unknown role \"\(roleName)\" (roles: \(known))")
                }
                guard let spec = rolesTable[roleName]?.table else {
                    throw ThemeError(code: .badValue, source: source, line: roleLine,
                                     message: "\(roleName) must be a table such as { fg = \"#d0d0d0\", bold = true }")
                }
                roles[role] = try roleStyle(spec, role: roleName, source: source, locator: locator)
            }
        }
        return Theme(name: name, roles: roles)
    }

    private static func roleStyle(_ spec: TOMLTable, role: String, source: String,
                                  locator: LineLocator) throws(ThemeError) -> Theme.RoleStyle {
        var style = Theme.RoleStyle()
        for key in spec.keys {
            let line = locator.line(ofAttribute: key, role: role)
            guard attributeKeys.contains(key) else {
                throw ThemeError(code: .badValue, source: source, line: line,
                                 message: "unknown attribute \"\(key)\" in \(role) (use fg, bg, bold, dim, reverse)")
            }
            switch key {
            case "fg", "bg":
                guard let text = spec[key]?.string, let color = Color(hex: text) else {
                    let shown = spec[key]?.string.map { "\"\($0)\"" } ?? "a non-string"
                    throw ThemeError(code: .badValue, source: source, line: line,
                                     message: "\(role).\(key) is \(shown): write a colour as \"#rrggbb\"")
                }
                if key == "fg" { style.foreground = color } else { style.background = color }
            default:
                guard let flag = spec[key]?.bool else {
                    throw ThemeError(code: .badValue, source: source, line: line,
                                     message: "\(role).\(key) must be true or false")
                }
                switch key {
                case "bold": style.bold = flag
                case "dim": style.dim = flag
                default: style.reverse = flag
                }
            }
        }
        return style
    }
}

/// Finds the line a key was written on, so errors in values (which TOML parses fine) can name it.
public struct LineLocator {
    let lines: [Substring]
    public init(text: String) { lines = text.split(separator: "\n", omittingEmptySubsequences: false) }

    /// The 1-based line of `key = …` inside `[table]` (`nil` = top level), or of a `[table.key]` header.
    public func line(ofKey key: String, inTable table: String?) -> Int? {
        var current: String? = nil
        for (index, raw) in lines.enumerated() {
            let line = raw.trimmingSpaces
            if line.hasPrefix("[") {
                let header = String(line.dropFirst().prefix { $0 != "]" }).trimmingSpaces
                if let table, header == "\(table).\(key)" { return index + 1 }
                current = header
                continue
            }
            if current == table, Self.assigns(line, key: key) { return index + 1 }
        }
        return nil
    }

    /// The line of `attribute` for a role, written inline (`role = { fg = … }`) or as a `[roles.role]` table.
    func line(ofAttribute attribute: String, role: String) -> Int? {
        var current: String? = nil
        for (index, raw) in lines.enumerated() {
            let line = raw.trimmingSpaces
            if line.hasPrefix("[") {
                current = String(line.dropFirst().prefix { $0 != "]" }).trimmingSpaces
                continue
            }
            if current == "roles.\(role)", Self.assigns(line, key: attribute) { return index + 1 }
            if current == "roles", Self.assigns(line, key: role) { return index + 1 }
        }
        return nil
    }

    static func assigns(_ line: String, key: String) -> Bool {
        guard line.hasPrefix(key) else { return false }
        let rest = line.dropFirst(key.count).drop { $0 == " " || $0 == "\t" }
        return rest.first == "="
    }
}

extension StringProtocol {
    var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" || $0 == "\r" }.reversed().drop { $0 == " " || $0 == "\t" || $0 == "\r" }.reversed())
    }
}
