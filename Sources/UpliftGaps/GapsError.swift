/// What went wrong in gap analysis, fix mapping or the rejection store: code + one line saying
/// what happened and what to do (+ cause).
public struct GapsError: Error, CustomStringConvertible, Sendable {
    public enum Code: String, Sendable { case unknownCluster, noComparableFeatures, badConfig, storeFailed, unknownFix, badArgument }
    public let code: Code
    public let message: String
    public let cause: String?
    public init(_ code: Code, _ message: String, cause: String? = nil) { self.code = code; self.message = message; self.cause = cause }
    public var description: String { cause.map { "\(message) (\($0))" } ?? message }
}
