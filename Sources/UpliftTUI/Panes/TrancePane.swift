import UpliftModel
import UpliftTerminal

/// The trance score, 0–100, and each component as a labelled bar with its value (and why, when wide).
struct TrancePane: Pane {
    var title: String { "Trance score" }
    var minimumSize: Size { Size(width: 24, height: 2) }

    static let displayNames: [String: String] = [
        "tempo": "Tempo", "pumping": "Pumping", "energy_progression": "Energy arc", "four_on_floor": "Four on floor",
        "supersaw": "Supersaw", "acid_303": "Acid 303", "offbeat_hihat": "Offbeat hats", "brightness": "Brightness",
        "tempo_stability": "Tempo steady",
    ]

    static func role(forValue value: Double) -> ThemeRole {
        value >= 0.7 ? .good : (value >= 0.4 ? .warning : .danger)
    }

    func renderContent(_ context: PaneContext, in area: Rect, into buffer: inout CellBuffer) {
        guard let trance = context.snapshot?.trance else {
            renderMessage("waiting for enough music to score", context: context, in: area, into: &buffer)
            return
        }
        let theme = context.theme, glyphs = context.glyphs
        let labelWidth = 14
        let valueWidth = 5
        // Total: "Score  78" then a bar.
        let scoreText = Format.padLeft(Format.fixed(trance.score, 0), 3)
        var x = area.x
        x += buffer.write("Score", x: x, y: area.y, style: theme[.text], clip: area)
        x = area.x + labelWidth - 4
        x += buffer.write(scoreText, x: x, y: area.y, style: theme[Self.role(forValue: trance.score / 100)].emphasized, clip: area)
        x += buffer.write("/100 ", x: x, y: area.y, style: theme[.muted], clip: area)
        // Live: the score is the rolling window's, and says so (at the right, when there is room).
        var barEnd = area.maxX
        if let music = context.snapshot?.music, context.snapshot?.trance == music.window.trance {
            let label = " " + music.windowLabel
            if area.maxX - x - label.count >= 8 {
                barEnd = area.maxX - label.count
                buffer.write(label, x: barEnd, y: area.y, style: theme[.muted], clip: area)
            }
        }
        let totalBar = Rect(x: x, y: area.y, width: barEnd - x, height: 1)
        HorizontalBar.draw(fraction: trance.score / 100, in: totalBar, style: theme[Self.role(forValue: trance.score / 100)],
                           trackStyle: theme[.muted], glyphs: glyphs, into: &buffer)

        let showReasons = area.width >= 80
        let barWidth = showReasons ? min(30, area.width / 4) : area.width - labelWidth - valueWidth - 1
        for (index, component) in trance.components.enumerated() {
            let y = area.y + 1 + index
            guard y < area.maxY else { break }
            let name = Self.displayNames[component.name] ?? component.name
            buffer.write(Format.padRight(String(name.prefix(labelWidth - 1)), labelWidth), x: area.x, y: y,
                         style: theme[.text], clip: area)
            let bar = Rect(x: area.x + labelWidth, y: y, width: max(0, barWidth), height: 1)
            HorizontalBar.draw(fraction: component.value, in: bar, style: theme[Self.role(forValue: component.value)],
                               trackStyle: theme[.muted], glyphs: glyphs, into: &buffer)
            let valueX = bar.maxX + 1
            buffer.write(Format.fixed(component.value, 2), x: valueX, y: y, style: theme[.text], clip: area)
            if showReasons {
                let weight = String(glyphs.times) + Format.fixed(component.weight, 2)
                buffer.write(weight, x: valueX + valueWidth, y: y, style: theme[.muted], clip: area)
                buffer.write(component.reason, x: valueX + valueWidth + weight.count + 2, y: y, style: theme[.muted], clip: area)
            }
        }
    }
}

extension Style {
    var emphasized: Style { var copy = self; copy.bold = true; return copy }
}
