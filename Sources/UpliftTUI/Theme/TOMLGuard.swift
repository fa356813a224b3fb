/// Refuses, before toml++ (TOMLKit) sees it, TOML text that makes toml++ 3.4.0 (inside TOMLKit
/// 0.6.0) assert: a table header whose name starts with anything but a key character or a quote
/// (`[=]`, `[ #]`, `[[,]]`, a `[` ending its line), a `}` where an array element should be
/// (`x = [}`, `x = [1,}`: `parse_value(): Assertion !is_value_terminator(*cp)`), and, as `make fuzz` found first, a non-ASCII character outside a string
/// (`parse_key(): Assertion is_bare_key_character(*cp) || is_string_delimiter(*cp)` — an abort in
/// debug builds and undefined behaviour in release ones). Both are invalid TOML 1.0, so this
/// refuses nothing valid.
public enum TOMLGuard {
    public struct Violation: Error, Equatable, Sendable {
        /// 1-based.
        public var line: Int
        public var character: Character
        public init(line: Int, character: Character) { self.line = line; self.character = character }

        public var message: String {
            character.isASCII
                ? "a table name cannot start with \"\(character)\" (write [name] or [\"quoted name\"])"
                : "\"\(character)\" outside a string or comment (keys and tables are ASCII)"
        }
    }

    /// The first construct toml++ would assert on, if any.
    public static func firstConstructTOMLPlusPlusAssertsOn(_ text: String) -> Violation? {
        enum State { case structure, comment, basic, literal, multiBasic, multiLiteral }
        var state = State.structure
        var line = 1
        var lineHasContent = false
        // Brackets open in a value (arrays span lines), and whether an array element comes next.
        var open: [Unicode.Scalar] = []
        var elementNext = false
        let scalars = Array(text.unicodeScalars)
        var i = 0
        func starts(_ s: String, at index: Int) -> Bool {
            var j = index
            for c in s.unicodeScalars {
                guard j < scalars.count, scalars[j] == c else { return false }
                j += 1
            }
            return true
        }
        while i < scalars.count {
            let c = scalars[i]
            if c == "\n" {
                line += 1
                lineHasContent = false
                if state == .comment || state == .basic || state == .literal { state = .structure }  // single-line constructs end
                i += 1
                continue
            }
            switch state {
            case .structure:
                let blank = c == " " || c == "\t" || c == "\r"
                if elementNext, !blank, c != "#" {
                    elementNext = false
                    if c == "}" { return Violation(line: line, character: "}") }
                }
                if !open.isEmpty || lineHasContent {
                    switch c {
                    case "[", "{":
                        open.append(c)
                        elementNext = c == "["
                    case "]", "}":
                        if open.last == (c == "]" ? "[" : "{") { open.removeLast() }
                    case ",":
                        elementNext = open.last == "["
                    default: break
                    }
                }
                if c == "[", !lineHasContent, open.isEmpty {
                    // A table header: after `[` or `[[` and blanks, a key starts (or the header ends).
                    var j = i + 1
                    if j < scalars.count, scalars[j] == "[" { j += 1 }
                    while j < scalars.count, scalars[j] == " " || scalars[j] == "\t" { j += 1 }
                    if j < scalars.count, !Self.startsHeaderName(scalars[j]) {
                        return Violation(line: line, character: Character(scalars[j]))
                    }
                }
                if c != " " && c != "\t" && c != "\r" { lineHasContent = true }
                if c == "#" { state = .comment }
                else if starts("\"\"\"", at: i) { state = .multiBasic; i += 2 }
                else if starts("'''", at: i) { state = .multiLiteral; i += 2 }
                else if c == "\"" { state = .basic }
                else if c == "'" { state = .literal }
                else if !c.isASCII { return Violation(line: line, character: Character(c)) }
            case .comment:
                break
            case .basic:
                if c == "\\" { i += 1 } else if c == "\"" { state = .structure }
            case .literal:
                if c == "'" { state = .structure }
            case .multiBasic:
                if c == "\\" { i += 1 } else if starts("\"\"\"", at: i) { state = .structure; i += 2 }
            case .multiLiteral:
                if starts("'''", at: i) { state = .structure; i += 2 }
            }
            i += 1
        }
        return nil
    }

    private static func startsHeaderName(_ c: Unicode.Scalar) -> Bool {
        switch c {
        // Not a line end: `[` alone on its line asserts too.
        case "a"..."z", "A"..."Z", "0"..."9", "_", "-", "\"", "'", "]": true
        default: !c.isASCII  // reported as non-ASCII by the scan itself
        }
    }
}
