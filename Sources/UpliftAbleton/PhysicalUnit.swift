import Foundation

/// The units a producer speaks in. Raw values are Live's own; these are what Live displays.
public enum PhysicalUnit: String, Codable, Sendable, CaseIterable {
    case hertz = "Hz"
    case decibels = "dB"
    case milliseconds = "ms"
    case percent = "%"
    case ratio = ":1"
    /// A number without a unit (Q, resonance).
    case plain = ""

    /// The verification tolerance of the issue: frequency 2 %, gain 0.1 dB, time 2 %.
    public func withinTolerance(_ observed: Double, of target: Double) -> Bool {
        if observed == target { return true }  // covers ±inf
        guard observed.isFinite, target.isFinite else { return false }
        switch self {
        case .hertz, .milliseconds, .ratio: return abs(observed - target) <= 0.02 * abs(target) + 1e-9
        case .decibels: return abs(observed - target) <= 0.1 + 1e-9
        case .percent: return abs(observed - target) <= 1.0
        case .plain: return abs(observed - target) <= max(0.02 * abs(target), 0.011)
        }
    }

    /// A short, readable form: "2.50 kHz", "-3.0 dB", "30.0 ms", "4.00:1", "80 %".
    public func format(_ value: Double) -> String {
        guard value.isFinite else { return value > 0 ? "inf \(rawValue)" : "-inf \(rawValue)" }
        switch self {
        case .hertz: return value >= 1000 ? String(format: "%.2f kHz", value / 1000) : String(format: "%.1f Hz", value)
        case .decibels: return String(format: "%.1f dB", value)
        case .milliseconds: return value >= 1000 ? String(format: "%.2f s", value / 1000) : String(format: "%.1f ms", value)
        case .percent: return String(format: "%.0f %%", value)
        case .ratio: return String(format: "%.2f:1", value)
        case .plain: return String(format: "%.2f", value)
        }
    }
}

/// A value in a physical unit, as parsed from Live's value string or the producer's input.
public struct PhysicalValue: Sendable, Equatable, Codable, CustomStringConvertible {
    public var value: Double
    public var unit: PhysicalUnit

    public init(_ value: Double, _ unit: PhysicalUnit) {
        self.value = value
        self.unit = unit
    }

    public var description: String { unit.format(value) }

    /// Parses "-3.0 dB", "2.50 kHz", "30.0 ms", "1.20 s", "4.00 : 1", "80 %", "-inf dB", "0.71",
    /// and the producer's compact forms "-3dB", "2.5kHz", "30ms", "4:1", "80%". Nil when the text
    /// is not a number with a known unit ("Bell", "On", "C").
    public static func parse(_ text: String) -> PhysicalValue? {
        var s = text.trimmingCharacters(in: .whitespaces).lowercased()
        s = s.replacingOccurrences(of: " ", with: "")
        guard !s.isEmpty else { return nil }
        // Ratio: "4.00:1", "inf:1".
        if let colon = s.firstIndex(of: ":") {
            let left = String(s[..<colon]), right = String(s[s.index(after: colon)...])
            guard right == "1", let n = number(left) else { return nil }
            return PhysicalValue(n, .ratio)
        }
        let suffixes: [(String, PhysicalUnit, Double)] = [
            ("khz", .hertz, 1000), ("hz", .hertz, 1), ("db", .decibels, 1), ("ms", .milliseconds, 1),
            ("s", .milliseconds, 1000), ("%", .percent, 1),
        ]
        for (suffix, unit, factor) in suffixes where s.hasSuffix(suffix) {
            guard let n = number(String(s.dropLast(suffix.count))) else { return nil }
            return PhysicalValue(n * factor, unit)
        }
        return number(s).map { PhysicalValue($0, .plain) }
    }

    private static func number(_ s: String) -> Double? {
        switch s {
        case "inf", "+inf": return .infinity
        case "-inf": return -.infinity
        default:
            guard let n = Double(s), n.isFinite else { return nil }
            return n
        }
    }
}
