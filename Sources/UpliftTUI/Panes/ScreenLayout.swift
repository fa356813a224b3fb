import UpliftTerminal

/// Where each pane goes for a terminal size. Panes fill two rows in list order (the first half on top),
/// widths shared by weight, so a fifth pane (the gap report) slots in without a new layout.
/// Neighbours overlap by one column or row: the line between them is one shared border (as btop draws
/// it), not two side by side.
public enum ScreenLayout {
    /// Below this the whole screen is replaced by an "enlarge" message (unless a pane is zoomed).
    public static let minimumSize = Size(width: 80, height: 24)

    static func weight(of pane: PaneKind) -> Int {
        switch pane {
        case .spectrum, .energy, .gaps, .abSlots, .abSpectrum, .abEnergy: return 3
        case .trance, .loudness, .abTrance: return 2
        }
    }

    /// The rectangles for `panes` inside `area` (the screen minus the status line).
    public static func rects(for panes: [PaneKind], in area: Rect) -> [(pane: PaneKind, rect: Rect)] {
        guard !panes.isEmpty, !area.isEmpty else { return [] }
        let topCount = (panes.count + 1) / 2
        let rows: [ArraySlice<PaneKind>] = panes.count == 1 ? [panes[...]] : [panes[..<topCount], panes[topCount...]]
        // The top row holds the trance components (total + 9 rows + border): at least 12 rows with the
        // shared line under it, so its share is one row less; the row the shared border saves goes below.
        let topHeight = rows.count == 1 ? area.height : max(min(11, area.height), area.height * 55 / 100 - 1)
        var result: [(PaneKind, Rect)] = []
        var y = area.y
        for (rowIndex, row) in rows.enumerated() {
            let height = rowIndex == rows.count - 1 ? area.maxY - y : topHeight
            let totalWeight = row.reduce(0) { $0 + weight(of: $1) }
            var x = area.x
            for (i, pane) in row.enumerated() {
                let width = i == row.count - 1 ? area.maxX - x : area.width * weight(of: pane) / totalWeight
                // One more column and row than its share where a neighbour follows: the shared border.
                let sharedRight = i == row.count - 1 ? 0 : 1
                let sharedBelow = rowIndex == rows.count - 1 ? 0 : 1
                result.append((pane, Rect(x: x, y: y, width: width + sharedRight, height: height + sharedBelow)))
                x += width
            }
            y += height
        }
        return result
    }
}
