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

    @Test("a table header whose name starts with punctuation (toml++ assertion, abort) is a clear syntax error",
          arguments: ["[=]", "  [ #]", "x = 1\n[[,]]", "[\t.a]", "[\n", "[ \r\n=", "[[\ny",
                      "x = [}", "x = [1,}", "x = {a=[}]}", "x = [\n # c\n}\n]", "x = [\"a\", }"])
    func headerWithoutName(text: String) throws {
        #expect(TOMLGuard.firstConstructTOMLPlusPlusAssertsOn(text) != nil, "\(text)")
        #expect(throws: ThemeError.self) { try ThemeParser.parse(text + "\nname = \"x\"\n", source: "t") }
    }

    @Test("the fuzzer's header crasher file is refused with the line")
    func headerCrasherFile() throws {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: HostileFiles.hostile("theme-table-header-without-name.toml"))))
        #expect(FuzzTarget.theme.run(bytes) == .refused("theme fuzz-input line 3: a table name cannot start with \"=\" (write [name] or [\"quoted name\"]): fix the TOML syntax"))
    }

    @Test("the fuzzer's bracket-alone crasher file is refused")
    func bracketAloneCrasherFile() throws {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: HostileFiles.hostile("theme-bracket-alone-on-a-line.toml"))))
        #expect(FuzzTarget.theme.run(bytes).isRefused)
        #expect(TOMLGuard.firstConstructTOMLPlusPlusAssertsOn(String(decoding: bytes, as: UTF8.self)) != nil)
    }

    @Test("the fuzzer's brace-in-array crasher file is refused")
    func braceInArrayCrasherFile() throws {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: HostileFiles.hostile("theme-brace-in-array.toml"))))
        #expect(FuzzTarget.theme.run(bytes).isRefused)
    }

    @Test("valid headers, arrays and strings pass",
          arguments: ["[a]", "[ \"q\" ]", "[[a.b]]", "[ 'x' ]", "x = [=]", "x = \"[=]\"", "[]", "x = [1, 2,]\n[t]",
                      "x = [\n 1, # one\n 2\n]\n[t]\ny = 1", "x = { a = [1, { b = 2 }] }\n[[t]]", "x = [\"}\", '}']"])
    func validPass(text: String) {
        #expect(TOMLGuard.firstConstructTOMLPlusPlusAssertsOn(text) == nil, "\(text)")
    }

    @Test("non-ASCII stays legal in strings and comments, and a key past a multi-line string is still checked")
    func guardKeepsValidTOML() throws {
        let valid = "# thème\nname = \"café ☕\" # ünïcode\nx = '''\nmulti ✓\n'''\ny = \"\"\"\nesc \\\"\"\" ✓\n\"\"\"\n"
        #expect(TOMLGuard.firstConstructTOMLPlusPlusAssertsOn(valid) == nil)
        #expect(TOMLGuard.firstConstructTOMLPlusPlusAssertsOn(valid + "é = 1\n") == .init(line: 9, character: "é"))
        let theme = try ThemeParser.parse("# thème\nname = \"café\"\n", source: "t")
        #expect(theme.name == "café")
    }
}
