/// What a style is for. Widgets ask for roles; themes say what each role looks like.
public enum ThemeRole: String, CaseIterable, Sendable {
    /// The screen behind everything (its `bg` is the default background of every other role).
    case background
    case text
    case muted
    case title
    case titleFocused = "title_focused"
    case border
    case borderFocused = "border_focused"
    case axis
    case barLow = "bar_low"
    case barMid = "bar_mid"
    case barHigh = "bar_high"
    case peak
    case good
    case warning
    case danger
    case statusBar = "status_bar"
    case statusAccent = "status_accent"
    case notice
    case helpBorder = "help_border"
    case helpKey = "help_key"
    case helpText = "help_text"
    case playhead
    case loop
    case sectionIntro = "section_intro"
    case sectionBreakdown = "section_breakdown"
    case sectionBuildup = "section_buildup"
    case sectionDrop = "section_drop"
    case sectionOutro = "section_outro"

    /// Position in `allCases`, for array-backed lookup in the render path.
    var ordinal: Int { ThemeRole.ordinals[self]! }
    private static let ordinals: [ThemeRole: Int] = Dictionary(uniqueKeysWithValues: allCases.enumerated().map { ($1, $0) })
}
