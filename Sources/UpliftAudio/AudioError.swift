/// What went wrong reading or playing audio, and what to do about it.
public struct AudioError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Code: String, Sendable {
        case notFound, notAFile, unreadable, unsupportedFormat, empty, truncated, invalidArgument, device, stream
    }
    public let code: Code
    /// One line: what happened and what to do.
    public let message: String
    public let path: String?

    public init(_ code: Code, _ message: String, path: String? = nil) {
        self.code = code
        self.message = message
        self.path = path
    }

    public var description: String { path.map { "\($0): \(message)" } ?? message }
}
