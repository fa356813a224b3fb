import UpliftModel
import UpliftTerminal

/// The bottom line: source, messages, lost frames, audio-out note on the left (cut with `…`); position,
/// tempo and key at a fixed place on the right, then the help hint.
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
        // Frames the input lost (device or ring overruns, pipe losses): news only when there are some,
        // never to be read as the track's drops, and before anything a long message could cut.
        if let lost = snapshot?.source.droppedFrames, lost > 0 {
            segments.append(Segment(text: "lost frames \(lost)", role: .notice))
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
        if source.state == .stopped { segments.append(Segment(text: "input stopped", role: .notice)) }
        // The source's own note (end of input, no input for a while, a re-read file) is news; the silent
        // output is known from the start, so it yields the room when the line is short.
        if let note = source.note { segments.append(Segment(text: note, role: .notice)) }
        if let note = source.audioOutNote { segments.append(Segment(text: "audio off: \(note)", role: .statusBar)) }
        if let loop = state.loop {
            segments.append(Segment(text: "loop \(Format.clock(loop.startS))-\(Format.clock(loop.endS))", role: .statusBar))
        }
        return segments
    }

    /// Position, tempo and key: the readings at the right, each padded to a fixed width so they keep
    /// their place while the music and the messages on the left change.
    /// `compact` (under 100 columns) writes the key as "Am 8A" instead of "A minor 8A".
    static func readings(snapshot: AnalysisSnapshot?, compact: Bool = false) -> [Segment] {
        guard let snapshot else { return [] }
        let source = snapshot.source
        var position = Format.clock(source.positionS)
        if let duration = source.durationS { position += " / " + Format.clock(duration) }
        var result = [Segment(text: Format.padLeft(position, source.durationS == nil ? 5 : 11), role: .statusBar)]
        if let tempo = snapshot.tempo, tempo.bpm > 0 {
            let sure = tempo.confidence >= TempoTrust.minimumConfidence
            // Whose grid: Live's own transport (the bridge's tempo and beat) or the detected beat.
            let grid = snapshot.music?.grid?.source == .ableton ? " Live" : ""
            result.append(Segment(text: Format.padRight(Format.fixed(tempo.bpm, 1) + " BPM" + (sure ? "" : "?") + grid, 10 + grid.count),
                                  role: .statusBar))
        } else {
            result.append(Segment(text: Format.padRight("-- BPM", 10), role: .statusBar))
        }
        let key = snapshot.key.map {
            compact ? "\($0.tonic)\($0.mode == "minor" ? "m" : "") \($0.camelot)" : "\($0.tonic) \($0.mode) \($0.camelot)"
        } ?? "-- key"
        result.append(Segment(text: Format.padRight(key, compact ? 7 : 12), role: .statusBar))
        return result
    }

    /// Writes `segments` with separators from `x`, ending in `…` where the text does not fit before `maxX`.
    /// Returns where the text ended.
    @discardableResult
    static func write(_ segments: [Segment], separator: String, x start: Int, maxX: Int, y: Int, theme: ResolvedTheme,
                      glyphs: Glyphs, into buffer: inout CellBuffer) -> Int {
        var x = start
        for (index, segment) in segments.enumerated() {
            let parts = index > 0 ? [(separator, ThemeRole.statusBar), (segment.text, segment.role)]
                                  : [(segment.text, segment.role)]
            for (raw, role) in parts {
                let text = glyphs.isUnicode ? raw : raw.asciiSafe()
                if x + text.count > maxX {
                    let room = maxX - x - 1
                    if room > 0 { x += buffer.write(String(text.prefix(room)), x: x, y: y, style: theme[role]) }
                    if maxX - 1 >= start { buffer.write(glyphs.isUnicode ? "…" : "~", x: maxX - 1, y: y, style: theme[role]) }
                    return maxX
                }
                x += buffer.write(text, x: x, y: y, style: theme[role])
            }
        }
        return x
    }

    static func render(state: AppState, snapshot: AnalysisSnapshot?, theme: ResolvedTheme, glyphs: Glyphs,
                       y: Int, width: Int, into buffer: inout CellBuffer) {
        let line = Rect(x: 0, y: y, width: width, height: 1)
        buffer.fill(line, with: Cell(" ", style: theme[.statusBar]))
        let left = segments(state: state, snapshot: snapshot)
        // The reject prompt owns the whole line; otherwise the readings and the hint hold the right.
        guard state.gaps.rejectPrompt == nil else {
            write(left, separator: glyphs.separator, x: 1, maxX: width - 1, y: y, theme: theme, glyphs: glyphs, into: &buffer)
            return
        }
        let hint = " ? help  q quit "
        let hintX = width - hint.count
        buffer.write(hint, x: hintX, y: y, style: theme[.statusBar], clip: line)
        // The readings are padded to fixed widths and spaced, not ruled: they read as one block.
        let readings = readings(snapshot: snapshot, compact: width < 100)
        let spacing = "  "
        let readingsWidth = readings.reduce(0) { $0 + $1.text.count } + max(0, readings.count - 1) * spacing.count
        let readingsX = max(1, hintX - readingsWidth - 1)
        write(readings, separator: spacing, x: readingsX, maxX: hintX, y: y, theme: theme, glyphs: glyphs, into: &buffer)
        write(left, separator: glyphs.separator, x: 1, maxX: readingsX - 1, y: y, theme: theme, glyphs: glyphs, into: &buffer)
    }
}
