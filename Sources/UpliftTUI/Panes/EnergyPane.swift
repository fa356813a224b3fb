import UpliftModel
import UpliftTerminal

/// The per-bar energy curve coloured by section, with a playhead, a bar ruler and a legend of the
/// sections drawn. A file shows its whole length; live input (no duration) scrolls, newest bar at the right.
///
/// The scale runs from the loudest bar down `rangeDB` (24 dB): a fixed range reads the same on every track,
/// so a breakdown 12 dB under the drop always stands half the plot lower. Bars quieter than the floor and
/// silence (a fade-out, a silent tail) draw nothing and never stretch the scale.
struct EnergyPane: Pane {
    var title: String { "Energy" }
    var minimumSize: Size { Size(width: 20, height: 3) }

    /// The dB the plot spans below the loudest bar.
    static let rangeDB = 24.0
    /// Anything at or under this (dBFS RMS) is silence: no column, no say in the scale.
    static let silenceDB = -70.0
    /// Bar-number steps the ruler tries, finest first (trance phrases are 8 and 16 bars).
    static let rulerSteps = [8, 16, 32, 64, 128, 256]

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

    /// The loudest non-silent bar, the top of the scale.
    static func topDB(of curve: [TrackAnalysis.EnergyPoint]) -> Double? {
        var top: Double?
        for point in curve where point.rmsDB.isFinite && point.rmsDB > silenceDB { top = max(top ?? point.rmsDB, point.rmsDB) }
        return top
    }

    /// Height in eighths of a cell for a bar: 0 for silence or under the floor, at least one eighth otherwise.
    static func eighths(for rmsDB: Double, topDB: Double, total: Int) -> Int {
        guard rmsDB.isFinite, rmsDB > silenceDB else { return 0 }
        let fraction = (rmsDB - (topDB - rangeDB)) / rangeDB
        guard fraction > 0 else { return 0 }
        return max(1, min(total, Int((fraction * Double(total)).rounded())))
    }

    /// "bar 97 · drop 2": the playhead's bar and its section, numbered among sections of its kind.
    static func playheadText(_ snapshot: AnalysisSnapshot) -> String? {
        let curve = snapshot.energy
        guard !curve.isEmpty else { return nil }
        let position = snapshot.source.positionS
        let index: Int
        if snapshot.source.durationS != nil {
            index = (curve.lastIndex { $0.tS <= position } ?? 0)
        } else {
            index = curve.count - 1
        }
        var text = "bar \(index + 1)"
        // Live: the section being played as the rolling analysis names it ("?" while the label may still change).
        if snapshot.source.durationS == nil, let current = snapshot.music?.currentSection {
            return text + " · \(current.section.kind.rawValue)\(current.provisional ? "?" : "")"
        }
        let time = snapshot.source.durationS != nil ? position : curve[index].tS
        if let current = snapshot.sections.firstIndex(where: { time >= $0.startS && time < $0.endS }) {
            let kind = snapshot.sections[current].kind
            let number = snapshot.sections[...current].filter { $0.kind == kind }.count
            let total = snapshot.sections.filter { $0.kind == kind }.count
            text += " · \(kind.rawValue)" + (total > 1 ? " \(number)" : "")
        }
        return text
    }

    func titleNote(_ context: PaneContext, width: Int) -> String? {
        guard let snapshot = context.snapshot, let text = Self.playheadText(snapshot) else { return nil }
        let note = text + " · " + Format.clock(snapshot.source.positionS)
        return context.glyphs.isUnicode ? note : note.asciiSafe()
    }

    func renderContent(_ context: PaneContext, in area: Rect, into buffer: inout CellBuffer) {
        guard let snapshot = context.snapshot, !snapshot.energy.isEmpty else {
            renderMessage("no energy curve yet", context: context, in: area, into: &buffer)
            return
        }
        let theme = context.theme, glyphs = context.glyphs
        // Legend at the bottom; the ruler above it when there are rows to spare.
        let hasRuler = area.height >= 5
        let plot = Rect(x: area.x, y: area.y, width: area.width, height: area.height - (hasRuler ? 2 : 1))
        let curve = snapshot.energy
        guard let topDB = Self.topDB(of: curve) else {
            renderMessage("silence so far", context: context, in: area, into: &buffer)
            return
        }
        let totalEighths = plot.height * 8
        let duration = snapshot.source.durationS.flatMap { $0 > 0 ? $0 : nil }
        let position = snapshot.source.positionS

        // Which bar (index into the curve) and time each column shows.
        var playheadColumn: Int?
        var columnBars = [Int](repeating: -1, count: plot.width)
        var columnTimes = [Double](repeating: 0, count: plot.width)
        if let duration {
            var index = 0
            for column in 0..<plot.width {
                let time = (Double(column) + 0.5) / Double(plot.width) * duration
                while index + 1 < curve.count && curve[index + 1].tS <= time { index += 1 }
                if curve[index].tS <= time + duration / Double(plot.width) { columnBars[column] = index; columnTimes[column] = time }
            }
            playheadColumn = min(plot.width - 1, max(0, Int(position / duration * Double(plot.width))))
        } else {
            let shown = min(curve.count, plot.width)
            for i in 0..<shown {
                let index = curve.count - shown + i
                columnBars[plot.width - shown + i] = index
                columnTimes[plot.width - shown + i] = curve[index].tS
            }
            playheadColumn = plot.width - 1
        }

        var drawnKinds = Set<TrackAnalysis.SectionKind>()
        for column in 0..<plot.width {
            let x = plot.x + column
            let isPlayhead = column == playheadColumn
            var eighths = 0
            var role = ThemeRole.muted
            if columnBars[column] >= 0 {
                let point = curve[columnBars[column]]
                eighths = Self.eighths(for: point.rmsDB, topDB: topDB, total: totalEighths)
                let time = columnTimes[column]
                if let section = snapshot.sections.first(where: { time >= $0.startS && time < $0.endS }) {
                    role = Self.role(for: section.kind)
                    if eighths > 0 { drawnKinds.insert(section.kind) }
                }
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

        if hasRuler {
            drawRuler(columnBars: columnBars, wholeFile: duration != nil, y: plot.maxY, plot: plot, context: context, into: &buffer)
        }
        drawLegend(kinds: TrackAnalysis.SectionKind.allCases.filter(drawnKinds.contains), y: area.maxY - 1, area: area,
                   context: context, into: &buffer)
    }

    /// Bar numbers under the curve at 1, 1 + step, 1 + 2·step…, the finest step whose labels do not touch.
    private func drawRuler(columnBars: [Int], wholeFile: Bool, y: Int, plot: Rect, context: PaneContext, into buffer: inout CellBuffer) {
        guard let lastBar = columnBars.max(), lastBar >= 0,
              let firstShown = columnBars.filter({ $0 >= 0 }).min() else { return }
        // A whole file starts at bar 1 even when its first column shows the middle of bar 2.
        let firstBar = wholeFile ? 0 : firstShown
        // Room for the widest number and two spaces between neighbours.
        let widest = String(lastBar + 1).count + 2
        let columnsPerBar = Double(plot.width) / Double(lastBar - firstBar + 1)
        let step = Self.rulerSteps.first { Double($0) * columnsPerBar >= Double(widest) } ?? Self.rulerSteps.last!
        var nextFree = plot.x
        // Bars 1, 1 + step, …: the phrase starts, also when live input scrolls.
        for bar in stride(from: (firstBar + step - 1) / step * step, through: lastBar, by: step) {
            // The first column showing this bar or (more bars than columns) the next one.
            guard let column = columnBars.firstIndex(where: { $0 >= bar }) else { continue }
            let label = String(bar + 1)
            let x = plot.x + column
            guard x >= nextFree, x + label.count <= plot.maxX else { continue }
            buffer.write(label, x: x, y: y, style: context.theme[.axis], clip: plot.union(y: y))
            nextFree = x + label.count + 1
        }
    }

    /// One swatch per section kind drawn; full names when they fit, short ones, then initials.
    private func drawLegend(kinds: [TrackAnalysis.SectionKind], y: Int, area: Rect, context: PaneContext,
                            into buffer: inout CellBuffer) {
        let forms: [(TrackAnalysis.SectionKind) -> String] = [
            { $0.rawValue }, { Self.shortName($0) }, { String(Self.shortName($0).prefix(1)) },
        ]
        let line = Rect(x: area.x, y: y, width: area.width, height: 1)
        for (index, form) in forms.enumerated() {
            let width = kinds.reduce(0) { $0 + form($1).count + 3 } - 1
            guard width <= area.width || index == forms.count - 1 else { continue }
            var x = area.x
            for kind in kinds {
                buffer.set(x: x, y: y, symbol: context.glyphs.legendSwatch, style: context.theme[Self.role(for: kind)])
                x += 2
                x += buffer.write(form(kind), x: x, y: y, style: context.theme[.muted], clip: line) + 1
            }
            return
        }
    }

    static func shortName(_ kind: TrackAnalysis.SectionKind) -> String {
        switch kind {
        case .intro: return "intro"
        case .breakdown: return "break"
        case .buildup: return "build"
        case .drop: return "drop"
        case .outro: return "outro"
        }
    }
}

private extension Rect {
    /// The row `y` across this rect's columns.
    func union(y: Int) -> Rect { Rect(x: x, y: y, width: width, height: 1) }
}
