import UpliftModel
import Foundation

/// The themes `t` cycles through, and which one is shown first.
public struct ThemeCatalog: Sendable {
    public var themes: [Theme]
    public var selectedIndex: Int
    /// One line per problem met while loading (a theme file with an error); the default theme is used instead.
    public var warnings: [String]

    public var selected: Theme { themes[selectedIndex] }

    /// The built-in themes, always available.
    public static func builtin() -> ThemeCatalog {
        ThemeCatalog(themes: BuiltinThemes.names.map(builtinTheme(named:)), selectedIndex: 0, warnings: [])
    }

    /// The compiled-in default theme; parsing it cannot fail (a test proves it).
    public static let defaultTheme: Theme = builtinTheme(named: "default")

    static func builtinTheme(named name: String) -> Theme {
        let text = BuiltinThemes.text(named: name)!
        let base: Theme? = name == "default" ? nil : try! ThemeParser.parse(BuiltinThemes.defaultTheme, source: "default")
        return try! ThemeParser.parse(text, source: name, base: base)
    }

    /// Loads the catalog for `--theme NAME|PATH`. NAME is a built-in theme or a `NAME.toml` in one of
    /// `directories`; anything with a `/` or ending in `.toml` is a path. A theme that cannot be loaded
    /// leaves a warning and the default theme selected.
    public static func load(selection: String?, directories: [String] = ThemeCatalog.searchDirectories()) -> ThemeCatalog {
        var catalog = builtin()
        // Files in the theme directories with the built-in names override nothing (the built-ins are the
        // same files); other files join the cycle.
        for directory in directories {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { continue }
            for file in names.sorted() where file.hasSuffix(".toml") {
                let name = String(file.dropLast(5))
                if catalog.themes.contains(where: { $0.name == name }) { continue }
                switch loadFile(directory + "/" + file) {
                case .success(let theme): catalog.themes.append(theme)
                case .failure(let error): catalog.warnings.append("\(error); skipped")
                }
            }
        }
        guard let selection, !selection.isEmpty else { return catalog }
        if selection.contains("/") || selection.hasSuffix(".toml") {
            switch loadFile(selection) {
            case .success(let theme):
                if let index = catalog.themes.firstIndex(where: { $0.name == theme.name }) {
                    catalog.themes[index] = theme
                    catalog.selectedIndex = index
                } else {
                    catalog.themes.append(theme)
                    catalog.selectedIndex = catalog.themes.count - 1
                }
            case .failure(let error):
                catalog.warnings.append("\(error); using the default theme")
            }
        } else if let index = catalog.themes.firstIndex(where: { $0.name == selection }) {
            catalog.selectedIndex = index
        } else {
            let known = catalog.themes.map(\.name).joined(separator: ", ")
            catalog.warnings.append("theme \"\(selection)\" not found (themes: \(known)); using the default theme")
        }
        return catalog
    }

    /// Parses a theme file on top of the default theme (roles left out keep the default look).
    public static func loadFile(_ path: String) -> Result<Theme, ThemeError> {
        let display = (path as NSString).lastPathComponent
        guard let data = FileManager.default.contents(atPath: path) else {
            return .failure(ThemeError(code: .notFound, source: path, line: nil,
                                       message: "cannot read the file: check the path"))
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return .failure(ThemeError(code: .unreadable, source: display, line: nil, message: "not UTF-8 text"))
        }
        do {
            return .success(try ThemeParser.parse(text, source: display, base: defaultTheme))
        } catch {
            return .failure(error)
        }
    }

    /// `$UPLIFT_THEMES`, the user's config `themes/` folder, and `Themes/` next to the executable's checkout.
    public static func searchDirectories(environment: [String: String] = ProcessInfo.processInfo.environment,
                                         executablePath: String = CommandLine.arguments.first ?? "") -> [String] {
        var directories: [String] = []
        if let explicit = environment["UPLIFT_THEMES"], !explicit.isEmpty { directories.append(explicit) }
        directories.append(UpliftDirectories.config(environment: environment) + "/themes")
        return directories
    }
}
