/// What went wrong building, reading or writing a profile: a code, one line saying what happened
/// and what to do, the file concerned and the underlying cause.
public struct ProfileError: Error, CustomStringConvertible, Sendable {
    public enum Code: String, Sendable {
        case notFound, unreadable, garbled, newerSchema, notAProfile, noTracks, writeFailed, cache, interrupted, invalidArgument
    }
    public let code: Code
    public let message: String
    public let path: String?
    public let cause: String?

    public init(_ code: Code, _ message: String, path: String? = nil, cause: String? = nil) {
        self.code = code; self.message = message; self.path = path; self.cause = cause
    }

    public var description: String {
        var text = path.map { "\($0): \(message)" } ?? message
        if let cause { text += " (\(cause))" }
        return text
    }
}
