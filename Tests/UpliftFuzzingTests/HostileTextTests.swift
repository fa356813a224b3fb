import Foundation
import Testing
import UpliftFuzzing
import UpliftTUI

/// Text inputs found by `make fuzz`.
@Suite("Hostile text files")
struct HostileTextTests {
    @Test("a theme with invalid UTF-8 in a table header (toml++ assertion, abort) is a clear syntax error")
    func themeInvalidUTF8InHeader() throws {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: HostileFiles.hostile("theme-invalid-utf8-in-table-header.toml"))))
        // Through the fuzz entry (bytes → text as a theme file is read) and the parser itself.
        let outcome = FuzzTarget.theme.run(bytes)
        #expect(outcome == .refused("theme fuzz-input line 3: \"\u{FFFD}\" outside a string or comment (keys and tables are ASCII): fix the TOML syntax"))
        #expect(throws: ThemeError.self) { try ThemeParser.parse("[t\u{E9}]\nname = \"x\"\n", source: "t") }
    }

    @Test("non-ASCII stays legal in strings and comments, and a key past a multi-line string is still checked")
    func guardKeepsValidTOML() throws {
        let valid = "# thème\nname = \"café ☕\" # ünïcode\nx = '''\nmulti ✓\n'''\ny = \"\"\"\nesc \\\"\"\" ✓\n\"\"\"\n"
        #expect(TOMLGuard.firstNonASCIIOutsideStrings(valid) == nil)
        #expect(TOMLGuard.firstNonASCIIOutsideStrings(valid + "é = 1\n") == .init(line: 9, character: "é"))
        let theme = try ThemeParser.parse("# thème\nname = \"café\"\n", source: "t")
        #expect(theme.name == "café")
    }
}
