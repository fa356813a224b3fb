import UpliftModel
import UpliftTerminal

/// EBU R128 readings (momentary, short-term, integrated with meters; true peak; loudness range), a scale
/// under the meters, the target (profile references or `--target-lufs`) marked on them, and a short-term
/// history with its dB and time labels.
struct LoudnessPane: Pane {
    var title: String { "Loudness" }
    var minimumSize: Size { Size(width: 22, height: 5) }

    /// Meters and history show -40 LUFS (quiet) to 0.
    static let floorLUFS = -40.0
    static let historyStepS = 0.1
    static let fullLabels = ["Momentary", "Short-term", "Integrated", "True peak", "LRA"]
    /// Under 40 columns the labels shrink so the meters keep their room.
    static let shortLabels = ["Mom.", "Short", "Integ", "Peak", "LRA"]

    /// Where `lufs` falls on a meter of `width` columns, 0…width.
    static func fraction(_ lufs: Double) -> Double {
        lufs.isFinite ? min(1, max(0, (lufs - floorLUFS) / -floorLUFS)) : 0
    }

    func renderContent(_ context: PaneContext, in area: Rect, into buffer: inout CellBuffer) {
        guard let loudness = context.snapshot?.loudness else {
            renderMessage("waiting for audio", context: context, in: area, into: &buffer)
            return
        }
        let theme = context.theme, glyphs = context.glyphs
        let target = context.state.loudnessTarget
        let compact = area.width < 40
        let labels = compact ? Self.shortLabels : Self.fullLabels
        let labelWidth = compact ? 6 : 11
        let rows: [(value: Double, unit: String, role: ThemeRole)] = [
            (loudness.momentaryLUFS, "LUFS", .text),
            (loudness.shortTermLUFS, "LUFS", .text),
            (loudness.integratedLUFS, "LUFS", .title),
            (loudness.truePeakDBTP, "dBTP", loudness.truePeakDBTP > -1 ? .danger : .text),
            (loudness.lraLU, "LU", .text),
        ]
        let meterX = area.x + labelWidth + 6 + 5 + 1
        let meterWidth = area.maxX - meterX
        let hasMeters = meterWidth >= 6
        // Meters for M, S and I, then their scale, then true peak and LRA.
        var y = area.y
        for (index, row) in rows.enumerated() {
            guard y < area.maxY else { break }
            buffer.write(labels[index], x: area.x, y: y, style: theme[.muted], clip: area)
            var x = area.x + labelWidth
            x += buffer.write(Format.padLeft(Format.fixed(row.value, 1), 6), x: x, y: y, style: theme[row.role], clip: area)
            x += buffer.write(" " + row.unit, x: x, y: y, style: theme[.muted], clip: area)
            if index == 2, let since = loudness.integratedSinceS {
                // The meter restarted at a seek: the reading covers only what played since.
                buffer.write(" since \(Format.clock(since))", x: x, y: y, style: theme[.warning], clip: area)
            } else if index < 3 && hasMeters {
                let range = index == 1 ? target?.shortTermLUFS : (index == 2 ? target?.integratedLUFS : nil)
                drawMeter(row.value, target: range, in: Rect(x: meterX, y: y, width: meterWidth, height: 1),
                          context: context, into: &buffer)
            }
            y += 1
            if index == 2 && hasMeters && y < area.maxY && area.height >= 8 {
                drawScale(y: y, meterX: meterX, meterWidth: meterWidth, area: area, context: context, into: &buffer)
                y += 1
            }
        }
        drawHistory(loudness.shortTermHistory, target: target?.shortTermLUFS,
                    in: Rect(x: area.x, y: y, width: area.width, height: area.maxY - y), context: context, into: &buffer)
    }

    /// -40 … 0 under the meters, and what the target marks mean.
    private func drawScale(y: Int, meterX: Int, meterWidth: Int, area: Rect, context: PaneContext, into buffer: inout CellBuffer) {
        let theme = context.theme
        if let target = context.state.loudnessTarget {
            buffer.set(x: area.x, y: y, symbol: Self.targetGlyph(context.glyphs), style: theme[.good])
            let label = " " + target.label
            buffer.write(context.glyphs.isUnicode ? label : label.asciiSafe(), x: area.x + 1, y: y, style: theme[.muted], clip: area)
        }
        let step = meterWidth >= 24 ? 10 : 20
        var nextFree = meterX
        for lufs in stride(from: Int(Self.floorLUFS), through: 0, by: step) {
            let label = String(lufs)
            let column = Int((Self.fraction(Double(lufs)) * Double(meterWidth - 1)).rounded())
            let x = min(area.maxX - label.count, max(meterX, meterX + column - label.count / 2))
            guard x >= nextFree else { continue }
            buffer.write(label, x: x, y: y, style: theme[.axis], clip: area)
            nextFree = x + label.count + 1
        }
    }

    static func targetGlyph(_ glyphs: Glyphs) -> Character { glyphs.isUnicode ? "▒" : "=" }

    private func drawMeter(_ lufs: Double, target: ClosedRange<Double>?, in meter: Rect, context: PaneContext,
                           into buffer: inout CellBuffer) {
        let theme = context.theme
        HorizontalBar.draw(fraction: Self.fraction(lufs), in: meter, style: theme[lufs > -8 ? .barHigh : .barMid],
                           trackStyle: theme[.muted], glyphs: context.glyphs, into: &buffer)
        guard let target else { return }
        // The target's columns: the track shows the target glyph, a bar reaching into it turns "good".
        let last = meter.width - 1
        let low = Int((Self.fraction(target.lowerBound) * Double(last)).rounded())
        let high = Int((Self.fraction(target.upperBound) * Double(last)).rounded())
        for column in low...max(low, high) {
            let x = meter.x + column
            if buffer[x, meter.y].symbol == context.glyphs.barTrack {
                buffer.set(x: x, y: meter.y, symbol: Self.targetGlyph(context.glyphs), style: theme[.good])
            } else {
                buffer.setStyle(x: x, y: meter.y, style: theme[.good])
            }
        }
    }

    /// Short-term loudness, one column per 100 ms reading, newest at the right, with its dB span on the
    /// left and its time span under it.
    private func drawHistory(_ history: [Double], target: ClosedRange<Double>?, in strip: Rect, context: PaneContext,
                             into buffer: inout CellBuffer) {
        let theme = context.theme, glyphs = context.glyphs
        guard strip.height >= 1, strip.width >= 8 else { return }
        let hasAxes = strip.height >= 3
        let axisWidth = hasAxes ? 4 : 0
        let plot = Rect(x: strip.x + axisWidth, y: strip.y, width: strip.width - axisWidth,
                        height: strip.height - (hasAxes ? 1 : 0))
        let count = min(history.count, plot.width)
        if hasAxes {
            buffer.write(Format.padLeft("0", axisWidth - 1), x: strip.x, y: plot.y, style: theme[.axis], clip: strip)
            buffer.write(Format.padLeft(Format.fixed(Self.floorLUFS, 0), axisWidth - 1), x: strip.x, y: plot.maxY - 1,
                         style: theme[.axis], clip: strip)
            let timeY = strip.maxY - 1
            let span = "short-term, last \(Format.fixed(Double(plot.width) * Self.historyStepS, 0)) s"
            buffer.write(span, x: plot.x, y: timeY, style: theme[.muted],
                         clip: Rect(x: plot.x, y: timeY, width: max(0, plot.width - 4), height: 1))
            buffer.write("now", x: plot.maxX - 3, y: timeY, style: theme[.axis], clip: strip)
        }
        let totalEighths = plot.height * 8
        for column in 0..<plot.width {
            buffer.set(x: plot.x + column, y: plot.maxY - 1, symbol: glyphs.barTrack, style: theme[.muted])
        }
        // The target's level as a dotted line across the history where it is above the bars.
        let targetRow = target.map { Int((Self.fraction(($0.lowerBound + $0.upperBound) / 2) * Double(plot.height)).rounded(.down)) }
        for i in 0..<count {
            let value = history[history.count - count + i]
            let x = plot.maxX - count + i
            let eighths = Int((Self.fraction(value) * Double(totalEighths)).rounded())
            for row in 0..<plot.height {
                let filled = min(8, max(0, eighths - row * 8))
                guard filled > 0 else { break }
                buffer.set(x: x, y: plot.maxY - 1 - row, symbol: glyphs.verticalEighths[filled], style: theme[.barMid])
            }
        }
        if let targetRow, targetRow < plot.height {
            let y = plot.maxY - 1 - targetRow
            for x in plot.x..<plot.maxX where buffer[x, y].symbol == " " || buffer[x, y].symbol == glyphs.barTrack {
                buffer.set(x: x, y: y, symbol: glyphs.isUnicode ? "╌" : "-", style: theme[.good])
            }
        }
    }
}
