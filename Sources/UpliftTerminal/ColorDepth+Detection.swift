extension ColorDepth {
    /// Picks the depth from the environment and what the terminal description says.
    /// `NO_COLOR` (any non-empty value, no-color.org) wins; `COLORTERM=truecolor|24bit` asks for RGB, which we
    /// honour when the terminal can show it (direct colour, or a palette we may redefine); otherwise 256, then 8.
    public static func detect(environment: [String: String], terminalColors: Int, hasColors: Bool,
                              directColor: Bool, canChangeColor: Bool) -> ColorDepth {
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return .none }
        guard hasColors, terminalColors >= 8 else { return .none }
        let colorTerm = (environment["COLORTERM"] ?? "").lowercased()
        if colorTerm == "truecolor" || colorTerm == "24bit" {
            if directColor || (canChangeColor && terminalColors >= 256) { return .truecolor }
        }
        return terminalColors >= 256 ? .palette256 : .palette8
    }
}
