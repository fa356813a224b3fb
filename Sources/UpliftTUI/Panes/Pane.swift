import UpliftModel
import UpliftTerminal

/// What a pane needs to draw itself; built once per frame.
public struct PaneContext: Sendable {
    public var state: AppState
    public var snapshot: AnalysisSnapshot?
    public var theme: ResolvedTheme
    public var glyphs: Glyphs
    public var isFocused: Bool
}

/// A pane draws inside its rectangle and nowhere else (tests prefill the buffer to catch overdraw).
protocol Pane: Sendable {
    var title: String { get }
    /// The title as drawn: `title` unless the pane says more about its state (the gap pane's comparison).
    func title(for context: PaneContext) -> String
    /// Below this the pane shows a short "too small" note instead of a cramped drawing.
    var minimumSize: Size { get }
    /// Draws the content inside `area` (the frame and title are already drawn around it).
    func renderContent(_ context: PaneContext, in area: Rect, into buffer: inout CellBuffer)
    /// A short reading for the title row's right side ("bar 97 · drop 2 · 3:12") in at most `width`
    /// characters; `nil` for none.
    func titleNote(_ context: PaneContext, width: Int) -> String?
}

extension Pane {
    func title(for context: PaneContext) -> String { title }
    func titleNote(_ context: PaneContext, width: Int) -> String? { nil }

    /// Frame, title, state tag (paused / input stopped), then the content.
    func render(_ context: PaneContext, in area: Rect, into buffer: inout CellBuffer) {
        guard !area.isEmpty else { return }
        let theme = context.theme
        buffer.fill(area, with: Cell(" ", style: theme[.background]))
        let glyphs = context.glyphs
        let borderStyle = theme[context.isFocused ? .borderFocused : .border]
        buffer.drawBorder(area, glyphs: glyphs, style: borderStyle)
        let titleArea = Rect(x: area.x + 1, y: area.y, width: area.width - 2, height: 1)
        let titleStyle = theme[context.isFocused ? .titleFocused : .title]
        let used = buffer.write(" \(title(for: context)) ", x: titleArea.x, y: area.y, style: titleStyle, clip: titleArea)
        var right = titleArea.maxX
        if let tag = stateTag(context.snapshot) {
            let text = " \(tag) "
            let x = right - text.count
            if x > titleArea.x + used { buffer.write(text, x: x, y: area.y, style: theme[.warning], clip: titleArea); right = x }
        }
        if let note = titleNote(context, width: right - (titleArea.x + used) - 3) {
            let text = " \(note) "
            let x = right - text.count
            if x > titleArea.x + used { buffer.write(text, x: x, y: area.y, style: theme[.text], clip: titleArea) }
        }
        let inner = area.inset(by: 1)
        guard !inner.isEmpty else { return }
        if inner.width < minimumSize.width || inner.height < minimumSize.height {
            let note = "enlarge to \(minimumSize.width + 2)\(context.glyphs.times)\(minimumSize.height + 2)"
            buffer.write(note, x: inner.x, y: inner.y, style: theme[.muted], clip: inner)
            return
        }
        renderContent(context, in: inner, into: &buffer)
    }

    func stateTag(_ snapshot: AnalysisSnapshot?) -> String? {
        guard let snapshot else { return "no input" }
        switch snapshot.source.state {
        case .running: return nil
        case .paused: return "paused"
        case .stopped: return "input stopped"
        case .ended: return "ended"
        case .waiting: return "waiting for input"
        }
    }

    /// A centred one-line message (waiting for data).
    func renderMessage(_ text: String, context: PaneContext, in area: Rect, into buffer: inout CellBuffer) {
        let y = area.y + area.height / 2
        let x = area.x + max(0, (area.width - text.count) / 2)
        buffer.write(context.glyphs.isUnicode ? text : text.asciiSafe(), x: x, y: y, style: context.theme[.muted], clip: area)
    }
}
