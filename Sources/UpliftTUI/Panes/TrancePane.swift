import UpliftModel
import UpliftTerminal

/// The trance score, 0–100, and each component as a labelled bar with its value, its weight in the score
/// and why it scored so. With two rows per component to spare, the reason goes under its bar (the pane's
/// otherwise empty lower half); on a wide pane it follows on the same row. A component whose feature
/// could not be measured says so instead of drawing an empty 0.00 bar.
struct TrancePane: Pane {
    var title: String { "Trance score" }
    var minimumSize: Size { Size(width: 24, height: 2) }

    static let labelWidth = 14
    static let valueWidth = 5

    static func role(forValue value: Double) -> ThemeRole {
        value >= 0.7 ? .good : (value >= 0.4 ? .warning : .danger)
    }

    func renderContent(_ context: PaneContext, in area: Rect, into buffer: inout CellBuffer) {
        guard let trance = context.snapshot?.trance else {
            renderMessage("waiting for enough music to score", context: context, in: area, into: &buffer)
            return
        }
        let theme = context.theme, glyphs = context.glyphs
        let labelWidth = Self.labelWidth, valueWidth = Self.valueWidth
        let scoreText = Format.padLeft(Format.fixed(trance.score, 0), 3)
        var x = area.x
        x += buffer.write("Score", x: x, y: area.y, style: theme[.text], clip: area)
        x = area.x + labelWidth - 4
        x += buffer.write(scoreText, x: x, y: area.y, style: theme[Self.role(forValue: trance.score / 100)].emphasized, clip: area)
        x += buffer.write("/100 ", x: x, y: area.y, style: theme[.muted], clip: area)
        let showWeights = area.width >= 36
        let sameRowReasons = area.width >= 80
        let reasonRows = !sameRowReasons && area.height >= 1 + 2 * trance.components.count
        // What the columns are, where the numbers need it: value × weight in the score; live, the score is the
        // rolling window's and says so first.
        var header = showWeights ? " value × weight" : ""
        if let music = context.snapshot?.music, context.snapshot?.trance == music.window.trance {
            header = " " + music.windowLabel + (showWeights && area.width >= 64 ? " · value × weight" : "")
        }
        if area.maxX - x - header.count < 8 { header = "" }
        let totalBar = Rect(x: x, y: area.y, width: max(0, area.maxX - x - header.count), height: 1)
        HorizontalBar.draw(fraction: trance.score / 100, in: totalBar, style: theme[Self.role(forValue: trance.score / 100)],
                           trackStyle: theme[.muted], glyphs: glyphs, into: &buffer)
        if !header.isEmpty { buffer.write(glyphs.isUnicode ? header : header.asciiSafe(), x: totalBar.maxX, y: area.y, style: theme[.muted], clip: area) }

        let weightWidth = showWeights ? 6 : 0
        let barWidth = sameRowReasons ? min(30, area.width / 4) : area.width - labelWidth - valueWidth - weightWidth - 1
        var y = area.y + 1
        for component in trance.components {
            guard y < area.maxY else { break }
            buffer.write(Format.padRight(String(component.readableName.prefix(labelWidth - 1)), labelWidth), x: area.x, y: y,
                         style: theme[.text], clip: area)
            let bar = Rect(x: area.x + labelWidth, y: y, width: max(0, barWidth), height: 1)
            let valueX = bar.maxX + 1
            if component.isMeasured {
                HorizontalBar.draw(fraction: component.value, in: bar, style: theme[Self.role(forValue: component.value)],
                                   trackStyle: theme[.muted], glyphs: glyphs, into: &buffer)
                buffer.write(Format.fixed(component.value, 2), x: valueX, y: y, style: theme[.text], clip: area)
            } else {
                let note = bar.width >= 12 ? "not measured" : "unmeasured"
                buffer.write(Format.padRight(note, bar.width), x: bar.x, y: y, style: theme[.warning], clip: bar)
                buffer.write(" n/a", x: valueX, y: y, style: theme[.muted], clip: area)
            }
            var reasonX = valueX + valueWidth
            if showWeights {
                let weight = String(glyphs.times) + Format.fixed(component.weight, 2)
                reasonX += buffer.write(weight, x: reasonX, y: y, style: theme[.muted], clip: area) + 2
            }
            if sameRowReasons {
                writeClipped(component.reason, x: reasonX, y: y, maxX: area.maxX, context: context, into: &buffer)
            }
            y += 1
            if reasonRows && y < area.maxY {
                writeClipped(component.reason, x: area.x + 2, y: y, maxX: area.maxX, context: context, into: &buffer)
                y += 1
            }
        }
    }

    /// Muted text that ends in `…` where the pane cuts it.
    private func writeClipped(_ raw: String, x: Int, y: Int, maxX: Int, context: PaneContext, into buffer: inout CellBuffer) {
        let text = context.glyphs.isUnicode ? raw : raw.asciiSafe()
        let room = maxX - x
        guard room > 0 else { return }
        let shown = text.count <= room ? text : String(text.prefix(room - 1)) + (context.glyphs.isUnicode ? "…" : "~")
        buffer.write(shown, x: x, y: y, style: context.theme[.muted])
    }
}

extension Style {
    var emphasized: Style { var copy = self; copy.bold = true; return copy }
}
