/// A DSP object refused its parameters; `message` says which and why.
public struct DSPError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}
