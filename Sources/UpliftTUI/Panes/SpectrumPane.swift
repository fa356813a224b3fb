import Foundation
import UpliftModel
import UpliftTerminal

/// Log-frequency bars, one per column over 20 Hz–20 kHz, on a dB scale, with peak hold and labelled axes.
/// An optional display slope (`s`: 0 / 3 / 4.5 dB per octave around 1 kHz, as SPAN offers) tilts the bars,
/// the peaks and the profile band alike; the band's p10 and p90 edges are drawn over the bars.
struct SpectrumPane: Pane {
    var title: String { "Spectrum" }
    var minimumSize: Size { Size(width: 30, height: 4) }

    static let lowestHz = 20.0
    static let highestHz = 20_000.0
    static let topDB = 0.0
    static let floorDB = -72.0
    static let axisWidth = 4
    /// The slope's pivot: a tilt leaves 1 kHz where it is.
    static let slopePivotHz = 1000.0
    static let frequencyLabels: [(hz: Double, text: String)] = [
        (50, "50"), (100, "100"), (200, "200"), (500, "500"), (1000, "1k"), (2000, "2k"), (5000, "5k"), (10000, "10k"),
    ]

    /// The column (0-based, within `columns`) whose band holds `hz`.
    static func column(ofFrequencyHz hz: Double, columns: Int) -> Int {
        let fraction = log(hz / lowestHz) / log(highestHz / lowestHz)
        return min(columns - 1, max(0, Int((fraction * Double(columns)).rounded(.down))))
    }

    /// The frequency range a column covers.
    static func frequencyRange(ofColumn column: Int, columns: Int) -> (low: Double, high: Double) {
        let ratio = highestHz / lowestHz
        return (lowestHz * pow(ratio, Double(column) / Double(columns)),
                lowestHz * pow(ratio, Double(column + 1) / Double(columns)))
    }

    func renderContent(_ context: PaneContext, in area: Rect, into buffer: inout CellBuffer) {
        guard let spectrum = context.snapshot?.spectrum, !spectrum.bandsHz.isEmpty else {
            renderMessage("waiting for audio", context: context, in: area, into: &buffer)
            return
        }
        let theme = context.theme, glyphs = context.glyphs
        // Spectrum gaps get a marker row between the bars and the frequency labels.
        let spectrumGaps = (context.state.gaps.report?.gaps ?? []).filter { $0.band != nil }
        let markerRows = spectrumGaps.isEmpty || area.height < 6 ? 0 : 1
        let plot = Rect(x: area.x + Self.axisWidth, y: area.y, width: area.width - Self.axisWidth,
                        height: area.height - 1 - markerRows)
        guard !plot.isEmpty else { return }
        let rangeDB = Self.topDB - Self.floorDB

        // dB axis: a label every 12 dB where rows allow, never two on one row.
        var lastLabelRow = -1
        var decibels = Self.topDB
        while decibels >= Self.floorDB {
            let row = Int(((Self.topDB - decibels) / rangeDB * Double(plot.height - 1)).rounded())
            if row != lastLabelRow && row > lastLabelRow {
                // The top label carries the unit ("0dB"); the others are numbers on the same scale.
                let label = Format.fixed(decibels, 0) + (row == 0 ? "dB" : "")
                buffer.write(Format.padLeft(label, Self.axisWidth - 1), x: area.x, y: plot.y + row,
                             style: theme[.axis], clip: Rect(x: area.x, y: area.y, width: Self.axisWidth - 1, height: area.height))
                lastLabelRow = row + (plot.height < 8 ? 1 : 0)
            }
            decibels -= plot.height >= 12 ? 12 : 24
        }

        let slope = context.state.spectrumSlopeDBPerOctave
        if let band = context.state.profileSpectrumBand {
            drawProfileBand(band, plot: plot, slope: slope, context: context, into: &buffer)
        }
        let levels = Self.tilted(Self.columnValues(bandsHz: spectrum.bandsHz, values: spectrum.levelsDB, columns: plot.width), slope: slope)
        let peaks = Self.tilted(Self.columnValues(bandsHz: spectrum.bandsHz, values: spectrum.peaksDB, columns: plot.width), slope: slope)
        let totalEighths = plot.height * 8
        for column in 0..<plot.width {
            let level = levels[column]
            let eighths = Self.eighths(for: level, total: totalEighths)
            let x = plot.x + column
            for row in 0..<plot.height {
                let filled = min(8, max(0, eighths - row * 8))
                guard filled > 0 else { break }
                let y = plot.maxY - 1 - row
                let rowTopDB = Self.floorDB + rangeDB * Double(row + 1) / Double(plot.height)
                let role: ThemeRole = rowTopDB > -12 ? .barHigh : (rowTopDB > -36 ? .barMid : .barLow)
                buffer.set(x: x, y: y, symbol: glyphs.verticalEighths[filled], style: theme[role])
            }
            let peakEighths = Self.eighths(for: peaks[column], total: totalEighths)
            if peakEighths > 0 {
                let peakRow = min(plot.height - 1, (peakEighths - 1) / 8)
                if peakRow * 8 >= eighths {
                    buffer.set(x: x, y: plot.maxY - 1 - peakRow, symbol: glyphs.peak, style: theme[.peak])
                }
            }
        }

        if let band = context.state.profileSpectrumBand {
            drawProfileBandEdges(band, plot: plot, slope: slope, context: context, into: &buffer)
        }
        if markerRows > 0 {
            drawGapMarkers(spectrumGaps, selectedID: context.state.gaps.selectedGap?.id, y: plot.maxY, plot: plot,
                           context: context, into: &buffer)
        }

        // Frequency axis under the bars.
        let labelY = plot.maxY + markerRows
        var nextFreeX = area.x
        for label in Self.frequencyLabels {
            let column = Self.column(ofFrequencyHz: label.hz, columns: plot.width)
            let x = plot.x + column - (label.text.count - 1) / 2
            guard x >= nextFreeX, x + label.text.count <= area.maxX else { continue }
            buffer.write(label.text, x: x, y: labelY, style: theme[.axis], clip: area)
            nextFreeX = x + label.text.count + 1
        }
        buffer.write("Hz", x: area.x, y: labelY, style: theme[.muted], clip: Rect(x: area.x, y: labelY, width: min(Self.axisWidth - 1, 2), height: 1))
    }

    static func bandGlyph(unicode: Bool) -> Character { unicode ? "░" : ":" }

    /// Column levels with the display slope applied: + slope dB per octave above the pivot.
    static func tilted(_ values: [Double], slope: Double) -> [Double] {
        guard slope != 0 else { return values }
        let columns = values.count
        return values.indices.map { column in
            let (low, high) = frequencyRange(ofColumn: column, columns: columns)
            return values[column] + slope * log2((low * high).squareRoot() / slopePivotHz)
        }
    }

    /// The row (0 = bottom) whose cell holds `levelDB`, or nil outside the plot.
    static func row(ofLevel levelDB: Double, height: Int) -> Int? {
        guard levelDB.isFinite, levelDB >= floorDB, levelDB <= topDB else { return nil }
        return min(height - 1, Int((levelDB - floorDB) / (topDB - floorDB) * Double(height)))
    }

    static func edgeGlyph(unicode: Bool) -> Character { unicode ? "─" : "-" }

    /// The band's p10 and p90 as lines over the bars, so the references stay visible where the mix
    /// reaches into them.
    func drawProfileBandEdges(_ band: ProfileSpectrumBand, plot: Rect, slope: Double, context: PaneContext,
                              into buffer: inout CellBuffer) {
        let lows = Self.tilted(Self.columnValues(bandsHz: band.bandsHz, values: band.p10DB, columns: plot.width), slope: slope)
        let highs = Self.tilted(Self.columnValues(bandsHz: band.bandsHz, values: band.p90DB, columns: plot.width), slope: slope)
        let glyph = Self.edgeGlyph(unicode: context.glyphs.isUnicode)
        var style = context.theme[.good]
        style.bold = true
        for column in 0..<plot.width {
            for level in [lows[column], highs[column]] {
                guard let row = Self.row(ofLevel: level, height: plot.height) else { continue }
                buffer.set(x: plot.x + column, y: plot.maxY - 1 - row, symbol: glyph, style: style)
            }
        }
    }

    /// The slope and what the band and the markers mean, in the title: the long forms when they fit,
    /// then short ones, then the slope alone.
    func titleNote(_ context: PaneContext, width: Int) -> String? {
        let unicode = context.glyphs.isUnicode
        let hasBand = context.state.profileSpectrumBand != nil
        let hasMarkers = context.state.gaps.report?.gaps.contains(where: { $0.band != nil }) == true
        let slopeValue = context.state.spectrumSlopeDBPerOctave
        let slope = slopeValue == 0 ? nil : "slope +\(Format.fixed(slopeValue, slopeValue == slopeValue.rounded() ? 0 : 1)) dB/oct"
        let long = [hasBand ? (unicode ? "─░ refs p10–p90" : "-: refs p10-p90") : nil,
                    hasMarkers ? (unicode ? "▲ above ▼ below refs" : "^ above v below refs") : nil, slope]
        let short = [hasBand ? (unicode ? "─░ refs" : "-: refs") : nil, hasMarkers ? (unicode ? "▲▼ vs refs" : "^v vs refs") : nil,
                     slope.map { _ in "+\(Format.fixed(slopeValue, slopeValue == slopeValue.rounded() ? 0 : 1)) dB/oct" }]
        for form in [long, short, [short[2]]] {
            let text = form.compactMap { $0 }.joined(separator: " · ")
            if !text.isEmpty && text.count <= width { return text }
        }
        return nil
    }

    /// The profile's p10–p90 per column as a shaded band; drawn first so the bars cover it where they reach.
    func drawProfileBand(_ band: ProfileSpectrumBand, plot: Rect, slope: Double, context: PaneContext, into buffer: inout CellBuffer) {
        let lows = Self.tilted(Self.columnValues(bandsHz: band.bandsHz, values: band.p10DB, columns: plot.width), slope: slope)
        let highs = Self.tilted(Self.columnValues(bandsHz: band.bandsHz, values: band.p90DB, columns: plot.width), slope: slope)
        let rangeDB = Self.topDB - Self.floorDB
        let glyph = Self.bandGlyph(unicode: context.glyphs.isUnicode)
        for column in 0..<plot.width where lows[column].isFinite && highs[column].isFinite {
            for row in 0..<plot.height {
                // A row is in the band when its centre level lies between p10 and p90.
                let centreDB = Self.floorDB + rangeDB * (Double(row) + 0.5) / Double(plot.height)
                guard centreDB >= lows[column] && centreDB <= highs[column] else { continue }
                buffer.set(x: plot.x + column, y: plot.maxY - 1 - row, symbol: glyph, style: context.theme[.muted])
            }
        }
    }

    /// Under the columns a spectrum gap spans: ▲ where the mix is above the profile, ▼ below.
    func drawGapMarkers(_ gaps: [Gap], selectedID: String?, y: Int, plot: Rect, context: PaneContext,
                        into buffer: inout CellBuffer) {
        let unicode = context.glyphs.isUnicode
        for gap in gaps {
            guard let band = gap.band else { continue }
            let first = Self.column(ofFrequencyHz: max(Self.lowestHz, band.lowHz), columns: plot.width)
            let last = Self.column(ofFrequencyHz: min(Self.highestHz, band.highHz), columns: plot.width)
            guard first <= last else { continue }
            let symbol: Character = gap.direction == .high ? (unicode ? "▲" : "^") : (unicode ? "▼" : "v")
            var style = context.theme[gap.rejected ? .muted : (gap.direction == .high ? .danger : .warning)]
            if gap.rejected { style.dim = true }
            if gap.id == selectedID { style.bold = true }
            for column in first...last { buffer.set(x: plot.x + column, y: y, symbol: symbol, style: style) }
        }
    }

    /// Bar height in eighths of a cell for a level, 0 below the floor.
    static func eighths(for levelDB: Double, total: Int) -> Int {
        guard levelDB.isFinite || levelDB == .infinity else { return 0 }
        let fraction = min(1, max(0, (levelDB - floorDB) / (topDB - floorDB)))
        return Int((fraction * Double(total)).rounded())
    }

    /// Re-bins band levels onto columns: the loudest band inside a column, or (for columns narrower
    /// than a band) the level interpolated on log frequency between the neighbouring bands.
    static func columnValues(bandsHz: [Double], values: [Double], columns: Int) -> [Double] {
        let count = min(bandsHz.count, values.count)
        var result = [Double](repeating: -.infinity, count: max(0, columns))
        guard count > 0, columns > 0 else { return result }
        for column in 0..<columns {
            let (low, high) = frequencyRange(ofColumn: column, columns: columns)
            var best = -Double.infinity
            var found = false
            for band in 0..<count where bandsHz[band] >= low && bandsHz[band] < high {
                best = max(best, values[band]); found = true
            }
            if !found {
                let centre = (low * high).squareRoot()
                guard let upper = bandsHz[0..<count].firstIndex(where: { $0 >= centre }) else {
                    result[column] = -.infinity   // beyond the highest band: nothing measured
                    continue
                }
                if upper == 0 {
                    result[column] = centre >= bandsHz[0] / 1.2 ? values[0] : -.infinity
                    continue
                }
                let lower = upper - 1
                let t = log(centre / bandsHz[lower]) / log(bandsHz[upper] / bandsHz[lower])
                let a = values[lower], b = values[upper]
                best = a.isFinite && b.isFinite ? a + (b - a) * t : max(a, b)
            }
            result[column] = best
        }
        return result
    }
}
