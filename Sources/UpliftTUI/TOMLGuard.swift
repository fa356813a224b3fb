/// Refuses, before toml++ (TOMLKit) sees it, TOML text whose structure holds a non-ASCII character:
/// toml++ 3.4.0 (inside TOMLKit 0.6.0) asserts on some of them in a table header or key
/// (`parse_key(): Assertion is_bare_key_character(*cp) || is_string_delimiter(*cp)` — an abort
/// in debug builds and undefined behaviour in release ones), found by `make fuzz`. TOML 1.0 allows
/// non-ASCII only inside strings and comments, so this refuses nothing valid.
public enum TOMLGuard {
    public struct Violation: Error, Equatable, Sendable {
        /// 1-based.
        public var line: Int
        public var character: Character
        public init(line: Int, character: Character) { self.line = line; self.character = character }
    }

    /// The first non-ASCII character outside a string or a comment, if any.
    public static func firstNonASCIIOutsideStrings(_ text: String) -> Violation? {
        enum State { case structure, comment, basic, literal, multiBasic, multiLiteral }
        var state = State.structure
        var line = 1
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
                if state == .comment || state == .basic || state == .literal { state = .structure }  // single-line constructs end
                i += 1
                continue
            }
            switch state {
            case .structure:
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
}
