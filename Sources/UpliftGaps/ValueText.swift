import Foundation

/// Reads and writes the value strings Live displays: `120 Hz`, `1.20 kHz`, `-2.5 dB`, `80 %`,
/// `4.00 : 1`, `0.71`, `On`, `Bell`.
public enum ValueText {
    /// The first number in the text, scaled by a `k` prefix on the unit (`1.20 kHz` → 1200).
    public static func number(_ text: String) -> Double? {
        let scanner = Scanner(string: text.replacingOccurrences(of: ",", with: "."))
        scanner.charactersToBeSkipped = .whitespaces
        while !scanner.isAtEnd {
            if let v = scanner.scanDouble() {
                let rest = text[scanner.currentIndex...].trimmingCharacters(in: .whitespaces)
                return rest.hasPrefix("k") ? v * 1000 : v
            }
            _ = scanner.scanCharacter()
        }
        if text.lowercased().contains("-inf") { return -.infinity }
        return nil
    }

    public static func isOn(_ text: String, raw: Double) -> Bool {
        let t = text.lowercased()
        if t == "on" { return true }
        if t == "off" { return false }
        return raw >= 0.5
    }

    public static func hertz(_ f: Double) -> String { f >= 1000 ? String(format: "%.2f kHz", f / 1000) : String(format: "%.0f Hz", f) }
    public static func decibels(_ g: Double) -> String { String(format: "%.1f dB", g) }
    public static func percent(_ p: Double) -> String { String(format: "%.0f %%", p) }
    public static func plain(_ v: Double) -> String { String(format: "%.2f", v) }
    public static func ratio(_ r: Double) -> String { String(format: "%.2f : 1", r) }
}
