import Foundation
import Testing
import UpliftTerminal
@testable import UpliftTUI

@Suite struct ThemeTests {
    static let themesDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Themes").path

    @Test func bundledFilesAreTheCompiledInThemes() throws {
        for name in BuiltinThemes.names {
            let file = try String(contentsOfFile: Self.themesDirectory + "/\(name).toml", encoding: .utf8)
            #expect(file.trimmingCharacters(in: .newlines) == BuiltinThemes.text(named: name), "\(name).toml differs")
        }
    }

    @Test func everyBuiltinThemeDefinesEveryRoleAndParsesWithoutABase() throws {
        for name in BuiltinThemes.names {
            let theme = try ThemeParser.parse(BuiltinThemes.text(named: name)!, source: name)
            #expect(theme.name == name)
            #expect(Set(theme.roles.keys) == Set(ThemeRole.allCases), "\(name) misses roles")
        }
    }

    @Test(arguments: BuiltinThemes.names)
    func eachThemeRendersWithItsOwnColoursAtEachDepth(name: String) {
        let catalog = ThemeCatalog.load(selection: name, directories: [])
        #expect(catalog.selected.name == name)
        #expect(catalog.warnings.isEmpty)
        let theme = catalog.selected
        let size = Size(width: 80, height: 24)
        for depth in ColorDepth.allCases {
            let resolved = theme.resolved(for: depth)
            let screen = Fixtures.screen(size, theme: resolved)
            let colours = screen.cells.flatMap { [$0.style.foreground, $0.style.background] }
            switch depth {
            case .truecolor:
                let title = screen.positions(of: "Spectrum")[0]
                #expect(screen[title.x, title.y].style.foreground == theme.roles[.titleFocused]?.foreground)
                #expect(screen[0, 1].style.background == theme.roles[.background]?.background)
            case .palette256: #expect(colours.allSatisfy { if case .rgb = $0 { return false }; return true })
            case .palette8: #expect(colours.allSatisfy { if case .indexed(let i) = $0 { return i < 8 }; return $0 == .default })
            case .none:
                #expect(colours.allSatisfy { $0 == .default })
                // Without colour, the focused pane still stands out.
                let title = screen.positions(of: "Spectrum")[0]
                #expect(screen[title.x, title.y].style.bold)
                #expect(screen[0, 23].style.reverse)
            }
        }
    }

    @Test func themesLookDifferent() {
        let catalog = ThemeCatalog.builtin()
        let backgrounds = Set(catalog.themes.map { $0.roles[.background]?.background })
        #expect(backgrounds.count == 3)
        let drops = Set(catalog.themes.map { $0.roles[.sectionDrop]?.foreground })
        #expect(drops.count == 3)
    }

    @Test func syntaxErrorNamesTheLine() {
        let text = "name = \"broken\"\n[roles]\ntext = { fg = \"#ffffff\" \nmuted = { fg = \"#777777\" }\n"
        #expect(throws: ThemeError.self) { try ThemeParser.parse(text, source: "broken.toml") }
        do {
            _ = try ThemeParser.parse(text, source: "broken.toml")
        } catch {
            #expect(error.code == .syntax)
            #expect(error.line == 3 || error.line == 4)
            #expect(error.description.hasPrefix("theme broken.toml line "))
        }
    }

    @Test func badValuesNameTheLineTheyAreOn() {
        let cases: [(String, Int, ThemeError.Code, String)] = [
            ("name = \"x\"\n[roles]\ntext = { fg = \"#fff\" }\n", 3, .badValue, "#rrggbb"),
            ("name = \"x\"\n\n[roles]\ntext = { fg = \"#ffffff\" }\nglow = { fg = \"#ffffff\" }\n", 5, .unknownRole, "unknown role \"glow\""),
            ("name = \"x\"\n[roles]\n\ntext = { fg = \"#ffffff\", blink = true }\n", 4, .badValue, "unknown attribute \"blink\""),
            ("name = \"x\"\n[roles.text]\nfg = \"#ffffff\"\nbold = \"yes\"\n", 4, .badValue, "true or false"),
            ("name = \"x\"\ncolour = 3\n", 2, .unknownRole, "unknown key"),
        ]
        for (text, line, code, fragment) in cases {
            do {
                _ = try ThemeParser.parse(text, source: "t.toml")
                Issue.record("no error for \(text)")
            } catch {
                #expect(error.line == line, "\(error)")
                #expect(error.code == code)
                #expect(error.message.contains(fragment), "\(error.message)")
            }
        }
    }

    @Test func aPartialUserThemeKeepsTheDefaultForRolesItLeavesOut() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("uplift-theme-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("mine.toml").path
        try "name = \"mine\"\n[roles]\nbar_high = { fg = \"#ff00ff\", bold = true }\n".write(toFile: path, atomically: true, encoding: .utf8)
        let catalog = ThemeCatalog.load(selection: path, directories: [])
        #expect(catalog.warnings.isEmpty)
        #expect(catalog.selected.name == "mine")
        #expect(catalog.themes.count == 4)
        #expect(catalog.selected.roles[.barHigh] == Theme.RoleStyle(foreground: Color(hex: "#ff00ff"), bold: true))
        #expect(catalog.selected.roles[.text] == ThemeCatalog.defaultTheme.roles[.text])
    }

    @Test func aBrokenThemeFileWarnsWithItsLineAndTheDefaultIsUsed() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("uplift-bad-\(UUID().uuidString).toml").path
        try "name = \"bad\"\n[roles]\ntext = { fg = \"red\" }\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let catalog = ThemeCatalog.load(selection: path, directories: [])
        #expect(catalog.selected.name == "default")
        #expect(catalog.warnings.count == 1)
        #expect(catalog.warnings[0].contains("line 3"))
        #expect(catalog.warnings[0].contains("using the default theme"))

        let missing = ThemeCatalog.load(selection: "/nonexistent/x.toml", directories: [])
        #expect(missing.selected.name == "default")
        #expect(missing.warnings.first?.contains("cannot read") == true)

        let unknown = ThemeCatalog.load(selection: "neon", directories: [])
        #expect(unknown.selected.name == "default")
        #expect(unknown.warnings.first?.contains("\"neon\" not found") == true)
    }

    @Test func themesInASearchDirectoryJoinTheCycleAndBrokenOnesAreSkippedWithAWarning() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("uplift-themes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "name = \"sunset\"\n".write(toFile: directory.appendingPathComponent("sunset.toml").path, atomically: true, encoding: .utf8)
        try "name = \"oops\"\n[roles\n".write(toFile: directory.appendingPathComponent("oops.toml").path, atomically: true, encoding: .utf8)
        let catalog = ThemeCatalog.load(selection: "sunset", directories: [directory.path])
        #expect(catalog.themes.map(\.name) == ["default", "light", "high-contrast", "sunset"])
        #expect(catalog.selected.name == "sunset")
        #expect(catalog.warnings.count == 1)
        #expect(catalog.warnings[0].contains("oops.toml line 2"))
    }
}

@Suite struct ThemeRoleTests {
    @Test func ordinalsAreThePositionsInAllCases() {
        #expect(ThemeRole.allCases.map(\.ordinal) == Array(0..<ThemeRole.allCases.count))
    }
}
