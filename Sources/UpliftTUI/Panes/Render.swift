import UpliftModel
import UpliftTerminal

/// The screen as a pure function of the state and the latest snapshot.
public func render(state: AppState, snapshot: AnalysisSnapshot?, size: Size, theme: ResolvedTheme) -> CellBuffer {
    var buffer = CellBuffer(size: size, fill: Cell(" ", style: theme[.background]))
    render(state: state, snapshot: snapshot, theme: theme, into: &buffer)
    return buffer
}

/// As `render(state:snapshot:size:theme:)`, drawing over an existing buffer of the right size
/// (every cell is written, so the run loop reuses its back buffer without clearing it).
public func render(state: AppState, snapshot: AnalysisSnapshot?, theme: ResolvedTheme, into buffer: inout CellBuffer) {
    let size = buffer.size
    let screen = Rect(size: size)
    buffer.fill(screen, with: Cell(" ", style: theme[.background]))
    guard !screen.isEmpty else { return }
    let glyphs = Glyphs.forUnicode(state.useUnicode)
    let body = Rect(x: 0, y: 0, width: size.width, height: size.height - 1)
    let zoomedPane = state.isZoomed ? state.focusedPane : nil
    let minimum = zoomedPane.map { pane -> Size in
        let m = pane.pane.minimumSize
        return Size(width: m.width + 2, height: m.height + 3)
    } ?? ScreenLayout.minimumSize

    if size.width < minimum.width || size.height < minimum.height {
        renderTooSmall(size: size, minimum: minimum, theme: theme, glyphs: glyphs, into: &buffer)
        return
    }
    let placements: [(pane: PaneKind, rect: Rect)] = zoomedPane.map { [($0, body)] }
        ?? ScreenLayout.rects(for: state.panes, in: body)
    for placement in placements {
        let context = PaneContext(state: state, snapshot: snapshot, theme: theme, glyphs: glyphs,
                                  isFocused: placement.pane == state.focusedPane)
        placement.pane.pane.render(context, in: placement.rect, into: &buffer)
    }
    if placements.count > 1 {
        if glyphs.isUnicode { joinBorders(placements.map(\.rect), into: &buffer) }
        // The focused pane's whole frame in its colour, shared lines included (drawn last, so it wins).
        if let focused = placements.first(where: { $0.pane == state.focusedPane }) {
            highlightBorder(focused.rect, style: theme[.borderFocused], into: &buffer)
        }
    }
    // A blind A/B test: the tempo, key and length of what plays would name it.
    var statusSnapshot = snapshot
    if state.ab?.blind == true {
        statusSnapshot?.tempo = nil
        statusSnapshot?.key = nil
        statusSnapshot?.source.durationS = nil
    }
    StatusLine.render(state: state, snapshot: statusSnapshot, theme: theme, glyphs: glyphs, y: size.height - 1,
                      width: size.width, into: &buffer)
    if state.isHelpVisible {
        HelpOverlay.render(keymap: state.keymap, themeName: state.themeName, theme: theme, glyphs: glyphs,
                           in: body, into: &buffer)
    }
}

/// The whole-screen message when the terminal is below the layout's minimum.
func renderTooSmall(size: Size, minimum: Size, theme: ResolvedTheme, glyphs: Glyphs, into buffer: inout CellBuffer) {
    let lines = [
        "Terminal \(size.width)\(glyphs.times)\(size.height) is too small.",
        "Enlarge to \(minimum.width)\(glyphs.times)\(minimum.height).",
        "q quits",
    ]
    let top = max(0, (size.height - lines.count) / 2)
    for (index, line) in lines.enumerated() {
        let x = max(0, (size.width - line.count) / 2)
        buffer.write(line, x: x, y: top + index, style: theme[index == 1 ? .warning : .text])
    }
}
