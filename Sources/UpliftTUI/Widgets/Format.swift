import UpliftModel

/// Number and time formatting for the panes, without Foundation's locale-dependent formatters.
enum Format {
    /// `value` with `decimals` digits after the point (Uplift's one number formatter).
    static func fixed(_ value: Double, _ decimals: Int) -> String { NumberFormat.fixed(value, decimals) }

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
