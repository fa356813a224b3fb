/// The bundled themes, compiled in so Uplift always has a working theme. They are byte-for-byte the
/// files in `Themes/` (a test compares them); edit both together.
enum BuiltinThemes {
    static let names = ["default", "light", "high-contrast"]

    static func text(named name: String) -> String? {
        switch name {
        case "default": return defaultTheme
        case "light": return light
        case "high-contrast": return highContrast
        default: return nil
        }
    }

    static let defaultTheme = """
    # Uplift theme "default": dark background, warm accents.
    # Each role takes fg/bg as "#rrggbb" and bold/dim/reverse as true/false. A missing role keeps the default
    # theme's look; a missing bg uses the background role's bg. Colours are resolved once to truecolor,
    # 256 or 8 colours as the terminal allows (NO_COLOR keeps only bold/dim/reverse).
    name = "default"

    [roles]
    background = { bg = "#0f1419" }
    text = { fg = "#d5dde5" }
    muted = { fg = "#6c7a89" }
    title = { fg = "#8fb4d9", bold = true }
    title_focused = { fg = "#ffd166", bold = true }
    border = { fg = "#3b4654" }
    border_focused = { fg = "#ffd166" }
    axis = { fg = "#7d8a99" }
    bar_low = { fg = "#2ec4b6" }
    bar_mid = { fg = "#9bde7e" }
    bar_high = { fg = "#ff9f1c" }
    peak = { fg = "#f2f2f2" }
    good = { fg = "#57cc99" }
    warning = { fg = "#ffd166" }
    danger = { fg = "#ef476f", bold = true }
    status_bar = { fg = "#d5dde5", bg = "#1f2933" }
    status_accent = { fg = "#ffd166", bg = "#1f2933", bold = true }
    notice = { fg = "#0f1419", bg = "#ffd166" }
    help_border = { fg = "#8fb4d9", bg = "#1a2027" }
    help_key = { fg = "#ffd166", bg = "#1a2027", bold = true }
    help_text = { fg = "#d5dde5", bg = "#1a2027" }
    playhead = { fg = "#ffffff", bold = true }
    loop = { fg = "#0f1419", bg = "#8fb4d9" }
    section_intro = { fg = "#4ea8de" }
    section_breakdown = { fg = "#b388eb" }
    section_buildup = { fg = "#ffd166" }
    section_drop = { fg = "#ef476f" }
    section_outro = { fg = "#72efdd" }
    """

    static let light = """
    # Uplift theme "light": for light terminals and bright rooms.
    name = "light"

    [roles]
    background = { bg = "#fafafa" }
    text = { fg = "#1f2328" }
    muted = { fg = "#8b949e" }
    title = { fg = "#0550ae", bold = true }
    title_focused = { fg = "#bc4c00", bold = true }
    border = { fg = "#c0c7ce" }
    border_focused = { fg = "#bc4c00" }
    axis = { fg = "#57606a" }
    bar_low = { fg = "#1a7f37" }
    bar_mid = { fg = "#0969da" }
    bar_high = { fg = "#cf222e" }
    peak = { fg = "#24292f" }
    good = { fg = "#1a7f37" }
    warning = { fg = "#9a6700" }
    danger = { fg = "#cf222e", bold = true }
    status_bar = { fg = "#1f2328", bg = "#e3e7eb" }
    status_accent = { fg = "#bc4c00", bg = "#e3e7eb", bold = true }
    notice = { fg = "#ffffff", bg = "#0969da" }
    help_border = { fg = "#0550ae", bg = "#f0f2f4" }
    help_key = { fg = "#bc4c00", bg = "#f0f2f4", bold = true }
    help_text = { fg = "#1f2328", bg = "#f0f2f4" }
    playhead = { fg = "#000000", bold = true }
    loop = { fg = "#ffffff", bg = "#0550ae" }
    section_intro = { fg = "#0969da" }
    section_breakdown = { fg = "#8250df" }
    section_buildup = { fg = "#9a6700" }
    section_drop = { fg = "#cf222e" }
    section_outro = { fg = "#57606a" }
    """

    static let highContrast = """
    # Uplift theme "high-contrast": black and white with the Okabe-Ito colours, which stay distinct
    # for the common forms of colour blindness. Meaning never rests on red against green alone.
    name = "high-contrast"

    [roles]
    background = { bg = "#000000" }
    text = { fg = "#ffffff" }
    muted = { fg = "#bbbbbb" }
    title = { fg = "#ffffff", bold = true }
    title_focused = { fg = "#f0e442", bold = true }
    border = { fg = "#bbbbbb" }
    border_focused = { fg = "#f0e442", bold = true }
    axis = { fg = "#ffffff" }
    bar_low = { fg = "#0072b2" }
    bar_mid = { fg = "#56b4e9" }
    bar_high = { fg = "#e69f00" }
    peak = { fg = "#ffffff", bold = true }
    good = { fg = "#009e73", bold = true }
    warning = { fg = "#e69f00", bold = true }
    danger = { fg = "#d55e00", bold = true }
    status_bar = { fg = "#000000", bg = "#ffffff" }
    status_accent = { fg = "#000000", bg = "#f0e442", bold = true }
    notice = { fg = "#000000", bg = "#e69f00", bold = true }
    help_border = { fg = "#ffffff", bg = "#000000", bold = true }
    help_key = { fg = "#f0e442", bg = "#000000", bold = true }
    help_text = { fg = "#ffffff", bg = "#000000" }
    playhead = { fg = "#ffffff", bold = true }
    loop = { fg = "#000000", bg = "#56b4e9" }
    section_intro = { fg = "#56b4e9" }
    section_breakdown = { fg = "#cc79a7" }
    section_buildup = { fg = "#f0e442" }
    section_drop = { fg = "#d55e00" }
    section_outro = { fg = "#009e73" }
    """

}
