/// A theme that could not be used, NIO-style: what happened (with the file and line) and what to do.
public struct ThemeError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable { case syntax, unknownRole, badValue, notFound, unreadable }
    public var code: Code
    /// The file (or theme name) the error is in.
    public var source: String
    /// 1-based line of the error when known.
    public var line: Int?
    public var message: String

    public init(code: Code, source: String, line: Int?, message: String) {
        self.code = code; self.source = source; self.line = line; self.message = message
    }

    public var description: String {
        let location = line.map { "\(source) line \($0)" } ?? source
        return "theme \(location): \(message)"
    }
}
