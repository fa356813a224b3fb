/// Number and time formatting for the panes, without Foundation's locale-dependent formatters.
enum Format {
    /// `value` with `decimals` digits after the point; `-inf`, `inf`, `—` for non-finite values.
    static func fixed(_ value: Double, _ decimals: Int) -> String {
        if value.isNaN { return "--" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        let negative = value < 0 && scaled > 0
        guard scaled < 1e15 else { return value < 0 ? "-big" : "big" }
        let integer = Int(scaled)
        let whole = integer / Int(scale)
        var text = String(whole)
        if decimals > 0 {
            let fraction = String(integer % Int(scale))
            text += "." + String(repeating: "0", count: decimals - fraction.count) + fraction
        }
        return negative ? "-" + text : text
    }

    /// `m:ss`, or `h:mm:ss` from an hour on.
    static func clock(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "--:--" }
        let total = Int(max(0, seconds))
        let hours = total / 3600, minutes = (total / 60) % 60, secs = total % 60
        let ss = secs < 10 ? "0\(secs)" : "\(secs)"
        if hours > 0 { return "\(hours):\(minutes < 10 ? "0" : "")\(minutes):\(ss)" }
        return "\(minutes):\(ss)"
    }

    static func padLeft(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }

    static func padRight(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}
