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

    /// Position in `allCases`, for array-backed lookup in the render path (a switch, not a hash).
    var ordinal: Int {
        switch self {
        case .background: return 0
        case .text: return 1
        case .muted: return 2
        case .title: return 3
        case .titleFocused: return 4
        case .border: return 5
        case .borderFocused: return 6
        case .axis: return 7
        case .barLow: return 8
        case .barMid: return 9
        case .barHigh: return 10
        case .peak: return 11
        case .good: return 12
        case .warning: return 13
        case .danger: return 14
        case .statusBar: return 15
        case .statusAccent: return 16
        case .notice: return 17
        case .helpBorder: return 18
        case .helpKey: return 19
        case .helpText: return 20
        case .playhead: return 21
        case .loop: return 22
        case .sectionIntro: return 23
        case .sectionBreakdown: return 24
        case .sectionBuildup: return 25
        case .sectionDrop: return 26
        case .sectionOutro: return 27
        }
    }
}
