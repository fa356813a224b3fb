/// Uplift's one way to write a number for a person to read (the screen, reports, status lines): fixed
/// decimals without Foundation's locale-dependent formatters, `-inf` / `inf` for infinities (silence is
/// -inf LUFS), `n/a` for a value that could not be measured, and no `-0.0`. JSON keeps its own spelling
/// (`UpliftJSON`: the strings "-inf", "inf", "nan").
public enum NumberFormat {
    public static let notAvailable = "n/a"

    /// `value` with `decimals` digits after the point.
    public static func fixed(_ value: Double, _ decimals: Int) -> String {
        if value.isNaN { return notAvailable }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        var scale = 1.0
        for _ in 0..<max(0, decimals) { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 1e15 else { return value < 0 ? "-big" : "big" }
        // -0.04 at one decimal is "0.0", not "-0.0".
        let negative = value < 0 && scaled > 0
        let integer = Int(scaled)
        let whole = integer / Int(scale)
        var text = String(whole)
        if decimals > 0 {
            let fraction = String(integer % Int(scale))
            text += "." + String(repeating: "0", count: decimals - fraction.count) + fraction
        }
        return negative ? "-" + text : text
    }

    /// Digits by magnitude: `-2.50`, `12.3`, `138`, `0.059` (small ratios keep their significant digits).
    public static func auto(_ value: Double) -> String {
        let magnitude = abs(value)
        return fixed(value, magnitude >= 100 ? 0 : (magnitude >= 10 ? 1 : (magnitude >= 0.1 || magnitude == 0 ? 2 : 3)))
    }
}
