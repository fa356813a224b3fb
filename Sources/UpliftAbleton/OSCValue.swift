/// One OSC argument as AbletonOSC sends or parses it. Live's floats are 32-bit (`f`); booleans
/// travel as the payload-less `T`/`F` tags and Python's `None` as `N`.
public enum OSCValue: Sendable, Equatable, CustomStringConvertible {
    case int32(Int32)
    case int64(Int64)
    case float32(Float)
    case float64(Double)
    case string(String)
    case bool(Bool)
    case null

    /// The number this argument carries, if any (bools count as 0/1, as Python would).
    public var doubleValue: Double? {
        switch self {
        case .int32(let v): Double(v)
        case .int64(let v): Double(v)
        case .float32(let v): Double(v)
        case .float64(let v): v
        case .bool(let b): b ? 1 : 0
        case .string, .null: nil
        }
    }

    public var intValue: Int? {
        switch self {
        case .int32(let v): Int(v)
        case .int64(let v): Int(v)
        case .float32(let v) where v.rounded() == v: Int(v)
        case .float64(let v) where v.rounded() == v: Int(v)
        default: nil
        }
    }

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    public var boolValue: Bool? {
        switch self {
        case .bool(let b): b
        case .int32(let v): v != 0
        default: nil
        }
    }

    /// Equality the way AbletonOSC echoes indices: `1` sent as int may come back as int or float.
    func matchesIndex(_ other: OSCValue) -> Bool {
        if let a = doubleValue, let b = other.doubleValue { return a == b }
        return self == other
    }

    public var description: String {
        switch self {
        case .int32(let v): "\(v)"
        case .int64(let v): "\(v)h"
        case .float32(let v): "\(v)f"
        case .float64(let v): "\(v)d"
        case .string(let s): "\"\(s)\""
        case .bool(let b): b ? "T" : "F"
        case .null: "N"
        }
    }
}

/// One OSC message: an address and its arguments.
public struct OSCMessage: Sendable, Equatable, CustomStringConvertible {
    public var address: String
    public var arguments: [OSCValue]

    public init(_ address: String, _ arguments: [OSCValue] = []) {
        self.address = address
        self.arguments = arguments
    }

    public var description: String {
        ([address] + arguments.map(\.description)).joined(separator: " ")
    }
}
