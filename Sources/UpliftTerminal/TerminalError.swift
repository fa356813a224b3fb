/// A terminal that cannot be used, NIO-style: a code, a message that says what to do, and the cause.
public struct TerminalError: Error, CustomStringConvertible, Sendable {
    public enum Code: String, Sendable { case noTerminal, tooSmall }
    public var code: Code
    public var message: String
    public var cause: String?
    public init(code: Code, message: String, cause: String? = nil) { self.code = code; self.message = message; self.cause = cause }
    public var description: String { cause.map { "\(message) (\($0))" } ?? message }
}
