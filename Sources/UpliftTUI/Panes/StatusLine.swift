import UpliftModel
import UpliftTerminal

/// The bottom line: source, transport, tempo, key, drops, audio-out note; help hint at the right.
/// Segments are a list so later state (the Ableton bridge) is one more segment.
enum StatusLine {
    struct Segment { var text: String; var role: ThemeRole }

    static func segments(state: AppState, snapshot: AnalysisSnapshot?) -> [Segment] {
        if let prompt = state.gaps.rejectPrompt {
            // The whole line is the prompt while it is open: the keys go to it, so say so plainly.
            let label = state.gaps.report?.gaps.first { $0.id == prompt.gapID }.map(gapLabel) ?? "gap"
            let cursor = state.useUnicode ? "▏" : "_"
            return [Segment(text: "reject \(label)? reason (optional): \(prompt.reason)\(cursor)", role: .notice),
                    Segment(text: "Enter rejects  Esc cancels", role: .statusAccent)]
        }
        var segments: [Segment] = []
        // First, so a long notice cannot hide it. The bridge matters once there is a gap report to act on (or when Live is actually there).
        if state.gaps.report != nil || state.bridge != .absent {
            let role: ThemeRole
            switch state.bridge {
            case .connected: role = .statusAccent
            case .absent: role = .statusBar
            case .error: role = .notice
            }
            segments.append(Segment(text: state.bridge.statusText, role: role))
        }
        if let notice = state.notice { segments.append(Segment(text: notice, role: .notice)) }
        guard let snapshot else {
            segments.append(Segment(text: "no input yet", role: .statusBar))
            return segments
        }
        let source = snapshot.source
        let symbol: String
        switch source.state {
        case .running: symbol = state.useUnicode ? "▶" : ">"
        case .paused: symbol = "||"
        case .stopped: symbol = state.useUnicode ? "■" : "[]"
        case .ended: symbol = state.useUnicode ? "■" : "[]"
        case .waiting: symbol = "..."
        }
        let name = source.name.split(separator: "/").last.map(String.init) ?? source.name
        segments.append(Segment(text: "\(symbol) \(source.kind.rawValue): \(name)", role: .statusAccent))
        var position = Format.clock(source.positionS)
        if let duration = source.durationS { position += " / " + Format.clock(duration) }
        segments.append(Segment(text: position, role: .statusBar))
        if source.state == .stopped { segments.append(Segment(text: "input stopped", role: .notice)) }
        if let tempo = snapshot.tempo, tempo.bpm > 0 {
            let sure = tempo.confidence >= TempoTrust.minimumConfidence
            // Whose grid: Live's own transport (bridge) or the detected beat.
            let grid = snapshot.music?.grid?.source == .ableton ? " (Live)" : ""
            segments.append(Segment(text: Format.fixed(tempo.bpm, 1) + " BPM" + (sure ? "" : "?") + grid, role: .statusBar))
        } else {
            segments.append(Segment(text: "-- BPM", role: .statusBar))
        }
        if let key = snapshot.key {
            segments.append(Segment(text: "\(key.tonic) \(key.mode) \(key.camelot)", role: .statusBar))
        }
        let drops = source.droppedFrames
        segments.append(Segment(text: "drops \(drops)", role: drops > 0 ? .notice : .statusBar))
        if let note = source.audioOutNote { segments.append(Segment(text: "audio off: \(note)", role: .statusBar)) }
        // The source's own note: end of input, no input for a while, a re-read file.
        if let note = source.note { segments.append(Segment(text: note, role: .notice)) }
        if let loop = state.loop {
            segments.append(Segment(text: "loop \(Format.clock(loop.startS))-\(Format.clock(loop.endS))", role: .statusBar))
        }
        return segments
    }

    static func render(state: AppState, snapshot: AnalysisSnapshot?, theme: ResolvedTheme, glyphs: Glyphs,
                       y: Int, width: Int, into buffer: inout CellBuffer) {
        let line = Rect(x: 0, y: y, width: width, height: 1)
        buffer.fill(line, with: Cell(" ", style: theme[.statusBar]))
        let hint = " ? help  q quit "
        let hintX = width - hint.count
        let textArea = Rect(x: 0, y: y, width: max(0, hintX - 1), height: 1)
        var x = 1
        for (index, segment) in segments(state: state, snapshot: snapshot).enumerated() {
            if index > 0 { x += buffer.write(glyphs.separator, x: x, y: y, style: theme[.statusBar], clip: textArea) }
            x += buffer.write(glyphs.isUnicode ? segment.text : segment.text.asciiSafe(), x: x, y: y, style: theme[segment.role], clip: textArea)
        }
        if hintX > x { buffer.write(hint, x: hintX, y: y, style: theme[.statusBar], clip: line) }
    }
}
