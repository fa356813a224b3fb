/// An error of the Ableton bridge, NIO-style: a code, a message that says what happened and what
/// to do, and the underlying cause when there is one.
public struct AbletonError: Error, Sendable, CustomStringConvertible, Equatable {
    public enum Code: String, Sendable, Equatable {
        case encoding, decoding, socket
        /// Our reply port is taken by another OSC client (only one can listen to AbletonOSC).
        case portInUse
        /// No reply to `/live/test`: Live is not running or AbletonOSC is not the Control Surface.
        case liveNotReachable
        case timeout
        /// `/live/error` from AbletonOSC, attributed to the request that most likely caused it.
        case liveError
        /// A later message of a bundle that AbletonOSC dropped after an earlier one failed.
        case droppedAfterBundleError
        case trackNotFound, deviceNotFound, parameterNotFound
        case ambiguousName
        case deviceMissing
        case mixBusMissing
        case setChanged
        case valueOutOfRange
        case invalidValue
        case noUnitMap
        case verificationFailed
        case movedByHand
        case nothingToUndo, nothingToRedo
        case journal
        case protocolMismatch
    }

    public var code: Code
    public var message: String
    public var cause: String?

    public init(_ code: Code, _ message: String, cause: String? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    public var description: String {
        cause.map { "\(message) (\($0))" } ?? message
    }
}
