/// How a cell looks: resolved colours plus attributes. Widgets get styles from a theme, never colours.
public struct Style: Sendable, Hashable, CustomStringConvertible {
    public var foreground: Color
    public var background: Color
    public var bold: Bool
    public var dim: Bool
    public var reverse: Bool

    public init(foreground: Color = .default, background: Color = .default,
                bold: Bool = false, dim: Bool = false, reverse: Bool = false) {
        self.foreground = foreground; self.background = background
        self.bold = bold; self.dim = dim; self.reverse = reverse
    }

    public static let plain = Style()

    public var description: String {
        var parts = ["fg=\(foreground)", "bg=\(background)"]
        if bold { parts.append("bold") }
        if dim { parts.append("dim") }
        if reverse { parts.append("reverse") }
        return parts.joined(separator: " ")
    }
}
