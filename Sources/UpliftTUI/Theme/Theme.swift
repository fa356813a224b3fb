import UpliftTerminal

/// A theme as written in `Themes/*.toml`: RGB colours and attributes per role.
public struct Theme: Sendable, Equatable {
    /// What one role looks like before it is resolved to the terminal's colour depth.
    public struct RoleStyle: Sendable, Equatable {
        public var foreground: Color?
        public var background: Color?
        public var bold = false
        public var dim = false
        public var reverse = false
        public init(foreground: Color? = nil, background: Color? = nil, bold: Bool = false, dim: Bool = false, reverse: Bool = false) {
            self.foreground = foreground; self.background = background; self.bold = bold; self.dim = dim; self.reverse = reverse
        }
    }

    public var name: String
    public var roles: [ThemeRole: RoleStyle]

    public init(name: String, roles: [ThemeRole: RoleStyle]) { self.name = name; self.roles = roles }

    /// Styles for a terminal of the given depth: colours quantized once here, never in the widgets.
    /// Without colour, focus and bars keep their meaning through bold and reverse.
    public func resolved(for depth: ColorDepth) -> ResolvedTheme {
        let screenBackground = roles[.background]?.background
        let styles = ThemeRole.allCases.map { role -> Style in
            let spec = roles[role] ?? RoleStyle()
            var style = Style(foreground: depth.quantize(spec.foreground ?? .default),
                              background: depth.quantize(spec.background ?? screenBackground ?? .default),
                              bold: spec.bold, dim: spec.dim, reverse: spec.reverse)
            if depth == .none {
                switch role {
                case .titleFocused, .borderFocused, .statusAccent, .helpKey, .danger: style.bold = true
                case .statusBar, .playhead, .loop: style.reverse = true
                case .muted, .axis: style.dim = true
                default: break
                }
            }
            return style
        }
        return ResolvedTheme(name: name, colorDepth: depth, styles: styles)
    }
}

/// A theme resolved for one terminal: a style per role, looked up by array index.
public struct ResolvedTheme: Sendable, Equatable {
    public let name: String
    public let colorDepth: ColorDepth
    let styles: [Style]

    public subscript(role: ThemeRole) -> Style { styles[role.ordinal] }
}
