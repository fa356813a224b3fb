/// A colour as the screen receives it: the terminal's default, a palette index, or 24-bit RGB.
public enum Color: Sendable, Hashable, CustomStringConvertible {
    case `default`
    /// Palette index: 0–7 on 8-colour terminals, 0–255 on 256-colour terminals.
    case indexed(UInt8)
    case rgb(red: UInt8, green: UInt8, blue: UInt8)

    public var description: String {
        switch self {
        case .default: return "default"
        case .indexed(let index): return "#\(index)"
        case .rgb(let r, let g, let b):
            let hex = (Int(r) << 16) | (Int(g) << 8) | Int(b)
            let digits = String(hex, radix: 16)
            return "#" + String(repeating: "0", count: 6 - digits.count) + digits
        }
    }

    /// Parses `#rrggbb` (case-insensitive); `nil` for anything else.
    public init?(hex: String) {
        guard hex.count == 7, hex.first == "#", let value = Int(hex.dropFirst(), radix: 16) else { return nil }
        self = .rgb(red: UInt8((value >> 16) & 0xff), green: UInt8((value >> 8) & 0xff), blue: UInt8(value & 0xff))
    }
}
