import UpliftModel
import UpliftTerminal

/// EBU R128 readings (momentary, short-term, integrated, true peak, range) and a short-term history strip.
struct LoudnessPane: Pane {
    var title: String { "Loudness" }
    var minimumSize: Size { Size(width: 22, height: 5) }

    /// The history strip and meters show -40 LUFS (quiet) to 0.
    static let floorLUFS = -40.0

    func renderContent(_ context: PaneContext, in area: Rect, into buffer: inout CellBuffer) {
        guard let loudness = context.snapshot?.loudness else {
            renderMessage("waiting for audio", context: context, in: area, into: &buffer)
            return
        }
        let theme = context.theme, glyphs = context.glyphs
        let rows: [(String, Double, String, ThemeRole)] = [
            ("Momentary", loudness.momentaryLUFS, "LUFS", .text),
            ("Short-term", loudness.shortTermLUFS, "LUFS", .text),
            ("Integrated", loudness.integratedLUFS, "LUFS", .title),
            ("True peak", loudness.truePeakDBTP, "dBTP", loudness.truePeakDBTP > -1 ? .danger : .text),
            ("Range", loudness.lraLU, "LU", .text),
        ]
        let labelWidth = 11
        for (index, row) in rows.enumerated() where index < area.height {
            let y = area.y + index
            buffer.write(row.0, x: area.x, y: y, style: theme[.muted], clip: area)
            let value = Format.padLeft(Format.fixed(row.1, 1), 6)
            var x = area.x + labelWidth
            x += buffer.write(value, x: x, y: y, style: theme[row.3], clip: area)
            x += buffer.write(" " + row.2, x: x, y: y, style: theme[.muted], clip: area)
            // A meter after momentary and short-term when there is room.
            if index < 2 {
                let meter = Rect(x: x + 2, y: y, width: area.maxX - x - 2, height: 1)
                if meter.width >= 8 { drawMeter(row.1, in: meter, context: context, into: &buffer) }
            }
        }
        // History strip: one column per 100 ms reading, newest at the right.
        let strip = Rect(x: area.x, y: area.y + rows.count, width: area.width, height: area.height - rows.count)
        guard strip.height >= 1 else { return }
        let history = loudness.shortTermHistory
        let count = min(history.count, strip.width)
        let totalEighths = strip.height * 8
        for column in 0..<strip.width {
            buffer.set(x: strip.x + column, y: strip.maxY - 1, symbol: glyphs.barTrack, style: theme[.muted])
        }
        for i in 0..<count {
            let value = history[history.count - count + i]
            let x = strip.maxX - count + i
            let fraction = value.isFinite ? min(1, max(0, (value - Self.floorLUFS) / -Self.floorLUFS)) : 0
            let eighths = Int((fraction * Double(totalEighths)).rounded())
            for row in 0..<strip.height {
                let filled = min(8, max(0, eighths - row * 8))
                guard filled > 0 else { break }
                buffer.set(x: x, y: strip.maxY - 1 - row, symbol: glyphs.verticalEighths[filled], style: theme[.barMid])
            }
        }
    }

    private func drawMeter(_ lufs: Double, in meter: Rect, context: PaneContext, into buffer: inout CellBuffer) {
        let fraction = lufs.isFinite ? min(1, max(0, (lufs - Self.floorLUFS) / -Self.floorLUFS)) : 0
        HorizontalBar.draw(fraction: fraction, in: meter, style: context.theme[lufs > -8 ? .barHigh : .barMid],
                           trackStyle: context.theme[.muted], glyphs: context.glyphs, into: &buffer)
    }
}
