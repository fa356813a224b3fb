import UpliftTerminal

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

extension CellBuffer {
    /// A box-drawing (or ASCII) frame around the edge of `rect`; the inside is left as it is.
    mutating func drawBorder(_ rect: Rect, glyphs: Glyphs, style: Style) {
        guard rect.width >= 2 && rect.height >= 2 else { return }
        for x in (rect.x + 1)..<(rect.maxX - 1) {
            set(x: x, y: rect.y, symbol: glyphs.horizontal, style: style)
            set(x: x, y: rect.maxY - 1, symbol: glyphs.horizontal, style: style)
        }
        for y in (rect.y + 1)..<(rect.maxY - 1) {
            set(x: rect.x, y: y, symbol: glyphs.vertical, style: style)
            set(x: rect.maxX - 1, y: y, symbol: glyphs.vertical, style: style)
        }
        set(x: rect.x, y: rect.y, symbol: glyphs.topLeft, style: style)
        set(x: rect.maxX - 1, y: rect.y, symbol: glyphs.topRight, style: style)
        set(x: rect.x, y: rect.maxY - 1, symbol: glyphs.bottomLeft, style: style)
        set(x: rect.maxX - 1, y: rect.maxY - 1, symbol: glyphs.bottomRight, style: style)
    }
}
