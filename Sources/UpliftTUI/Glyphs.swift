/// The characters widgets draw with: Unicode box drawing and eighth blocks, or ASCII when the locale
/// is not UTF-8.
public struct Glyphs: Sendable {
    public let topLeft, topRight, bottomLeft, bottomRight, horizontal, vertical: Character
    /// Index n = a cell filled n eighths from the bottom (0 = empty, 8 = full).
    public let verticalEighths: [Character]
    /// Index n = a cell filled n eighths from the left.
    public let horizontalEighths: [Character]
    public let barTrack: Character
    public let peak: Character
    public let playhead: Character
    public let legendSwatch: Character
    public let separator: String
    /// The "by" in sizes (80×24) and weights.
    public let times: Character
    public let isUnicode: Bool

    public static let unicode = Glyphs(
        topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘", horizontal: "─", vertical: "│",
        verticalEighths: [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"],
        horizontalEighths: [" ", "▏", "▎", "▍", "▌", "▋", "▊", "▉", "█"],
        barTrack: "·", peak: "▔", playhead: "│", legendSwatch: "■", separator: " │ ", times: "×", isUnicode: true)

    public static let ascii = Glyphs(
        topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+", horizontal: "-", vertical: "|",
        verticalEighths: [" ", ".", ".", "_", "_", "=", "=", "#", "#"],
        horizontalEighths: [" ", " ", " ", "-", "-", "=", "=", "#", "#"],
        barTrack: ".", peak: "-", playhead: "|", legendSwatch: "#", separator: " | ", times: "x", isUnicode: false)

    public static func forUnicode(_ unicode: Bool) -> Glyphs { unicode ? .unicode : .ascii }
}
