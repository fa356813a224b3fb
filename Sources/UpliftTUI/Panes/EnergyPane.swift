import UpliftModel
import UpliftTerminal

/// The per-bar energy curve coloured by section, with a playhead. A file shows its whole length;
/// live input (no duration) scrolls, newest bar at the right.
struct EnergyPane: Pane {
    var title: String { "Energy" }
    var minimumSize: Size { Size(width: 20, height: 3) }

    static func role(for kind: TrackAnalysis.SectionKind?) -> ThemeRole {
        switch kind {
        case .intro: return .sectionIntro
        case .breakdown: return .sectionBreakdown
        case .buildup: return .sectionBuildup
        case .drop: return .sectionDrop
        case .outro: return .sectionOutro
        case nil: return .muted
        }
    }

    func renderContent(_ context: PaneContext, in area: Rect, into buffer: inout CellBuffer) {
        guard let snapshot = context.snapshot, !snapshot.energy.isEmpty else {
            renderMessage("no energy curve yet", context: context, in: area, into: &buffer)
            return
        }
        let theme = context.theme, glyphs = context.glyphs
        let plot = Rect(x: area.x, y: area.y, width: area.width, height: area.height - 1)
        let curve = snapshot.energy
        let finite = curve.map(\.rmsDB).filter(\.isFinite)
        let highDB = finite.max() ?? 0
        // At least 12 dB of range, so a flat track does not look like a roller-coaster.
        let lowDB = min(finite.min() ?? -12, highDB - 12)
        let totalEighths = plot.height * 8
        let duration = snapshot.source.durationS.flatMap { $0 > 0 ? $0 : nil }
        let position = snapshot.source.positionS

        // Which energy point and time each column shows.
        var playheadColumn: Int?
        var columnPoints: [(point: TrackAnalysis.EnergyPoint, timeS: Double)?] = Array(repeating: nil, count: plot.width)
        if let duration {
            var index = 0
            for column in 0..<plot.width {
                let time = (Double(column) + 0.5) / Double(plot.width) * duration
                while index + 1 < curve.count && curve[index + 1].tS <= time { index += 1 }
                if curve[index].tS <= time + duration / Double(plot.width) { columnPoints[column] = (curve[index], time) }
            }
            playheadColumn = min(plot.width - 1, max(0, Int(position / duration * Double(plot.width))))
        } else {
            let shown = min(curve.count, plot.width)
            for i in 0..<shown {
                let point = curve[curve.count - shown + i]
                columnPoints[plot.width - shown + i] = (point, point.tS)
            }
            playheadColumn = plot.width - 1
        }

        for column in 0..<plot.width {
            let x = plot.x + column
            let isPlayhead = column == playheadColumn
            var eighths = 0
            var role = ThemeRole.muted
            if let entry = columnPoints[column] {
                let value = entry.point.rmsDB
                if value.isFinite {
                    eighths = max(1, Int(((value - lowDB) / (highDB - lowDB) * Double(totalEighths)).rounded()))
                }
                let section = snapshot.sections.first { entry.timeS >= $0.startS && entry.timeS < $0.endS }
                role = Self.role(for: section?.kind)
            }
            for row in 0..<plot.height {
                let filled = min(8, max(0, eighths - row * 8))
                let y = plot.maxY - 1 - row
                if filled > 0 {
                    var style = theme[role]
                    if isPlayhead { style = theme[.playhead]; style.reverse = true }
                    buffer.set(x: x, y: y, symbol: glyphs.verticalEighths[filled], style: style)
                } else if isPlayhead {
                    buffer.set(x: x, y: y, symbol: glyphs.playhead, style: theme[.playhead])
                }
            }
            if let loop = context.state.loop, let duration {
                let time = (Double(column) + 0.5) / Double(plot.width) * duration
                if time >= loop.startS && time < loop.endS {
                    buffer.set(x: x, y: plot.y, symbol: glyphs.horizontal, style: theme[.loop])
                }
            }
        }

        // Legend: one swatch per section kind, then the position; live, the section being played and
        // the bar it began at first ("?" while its label may still change), room permitting.
        var positionText = Format.clock(position)
        if duration == nil, let current = snapshot.music?.currentSection {
            let section = "\(current.section.kind.rawValue)\(current.provisional ? "?" : "") bar \(current.bar)  "
            if section.count + positionText.count <= area.width { positionText = section + positionText }
        }
        var x = area.x
        let legendY = area.maxY - 1
        for kind in TrackAnalysis.SectionKind.allCases {
            let label = "\(glyphs.legendSwatch) \(kind.rawValue) "
            if x + label.count > area.maxX - max(8, positionText.count + 1) { break }
            buffer.set(x: x, y: legendY, symbol: glyphs.legendSwatch, style: theme[Self.role(for: kind)])
            buffer.write(String(label.dropFirst()), x: x + 1, y: legendY, style: theme[.muted], clip: area)
            x += label.count
        }
        buffer.write(positionText, x: area.maxX - positionText.count, y: legendY, style: theme[.text], clip: area)
    }
}
