import UpliftTerminal

/// A left-to-right bar in eighths of a cell over a dotted track.
enum HorizontalBar {
    static func draw(fraction: Double, in area: Rect, style: Style, trackStyle: Style, glyphs: Glyphs,
                     into buffer: inout CellBuffer) {
        guard area.width > 0, area.height > 0 else { return }
        let clamped = fraction.isFinite ? min(1, max(0, fraction)) : 0
        let eighths = Int((clamped * Double(area.width * 8)).rounded())
        for column in 0..<area.width {
            let filled = min(8, max(0, eighths - column * 8))
            let x = area.x + column
            if filled == 0 {
                buffer.set(x: x, y: area.y, symbol: glyphs.barTrack, style: trackStyle)
            } else {
                buffer.set(x: x, y: area.y, symbol: glyphs.horizontalEighths[filled], style: style)
            }
        }
    }
}
