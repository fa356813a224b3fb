import UpliftModel
import UpliftTerminal

/// The A/B view's panes: the slots (gains, both loudness readings, lock, tools, blind score), the
/// mix's long-term spectrum over the reference's with the difference shaded, both energy curves with
/// both playheads, both trance scores with the component differences.
extension ABViewState {
    var mix: ABSlotView? { slots.first }
    var referenceSlot: ABSlotView? { reference.flatMap { $0 < slots.count ? slots[$0] : nil } }
    /// How the panes name the two sides: the mix and a reference, or an audition's mix as it is and with the fix.
    var mixWord: String { blindPrefers ? "as is" : "mix" }
    var referenceWord: String { blindPrefers ? "fix" : "ref" }
    var comparison: String { blindPrefers ? "as it is − with the fix" : "mix − reference" }
}

private func abOrMessage(_ context: PaneContext, _ pane: some Pane, in area: Rect, into buffer: inout CellBuffer,
                         needsReference: Bool = true) -> ABViewState? {
    guard let ab = context.state.ab else {
        pane.renderMessage("loading the A/B session", context: context, in: area, into: &buffer)
        return nil
    }
    if ab.blind && needsReference {
        pane.renderMessage(ab.blindPrefers ? "hidden until you pick (Enter or =)"
                                           : "blind test: hidden until you guess (0 or a slot key)", context: context, in: area, into: &buffer)
        return nil
    }
    if needsReference && ab.referenceSlot == nil {
        pane.renderMessage(ab.slots.count > 1 ? "press 1 to hear the first reference" : "no reference loaded", context: context, in: area, into: &buffer)
        return nil
    }
    return ab
}

struct ABSlotsPane: Pane {
    var title: String { "A/B" }

    func title(for context: PaneContext) -> String { context.state.ab?.blindPrefers == true ? "Audition" : title }
    var minimumSize: Size { Size(width: 30, height: 4) }

    func titleNote(_ context: PaneContext, width: Int) -> String? {
        guard let ab = context.state.ab else { return nil }
        let text = ab.blind ? (ab.blindPrefers ? "blind" : "blind \(ab.blindCorrect)/\(ab.blindTotal)") : "lock: \(ab.lockLabel)"
        return text.count <= width ? text : nil
    }

    func renderContent(_ context: PaneContext, in area: Rect, into buffer: inout CellBuffer) {
        guard let ab = abOrMessage(context, self, in: area, into: &buffer, needsReference: false) else { return }
        let theme = context.theme
        var y = area.y
        if let heading = ab.heading {
            buffer.write(heading, x: area.x, y: y, style: theme[.title], clip: area)
            y += 1
        }
        // What plays now, measured from the frames as they leave the speakers.
        let live = context.snapshot?.loudness
        let matchText = ab.matching ? (ab.sectionMatch ? "matched on this section" : "matched (integrated)") : "matching OFF"
        var header = "\(matchText) · \(ab.listenLabel)"
        if let live, live.shortTermLUFS.isFinite { header += " · now S \(Format.fixed(live.shortTermLUFS, 1)) LUFS" }
        buffer.write(header, x: area.x, y: y, style: theme[ab.matching ? .text : .warning], clip: area)
        y += 1
        if let note = ab.matchNote ?? ab.progress ?? ab.audioNote, y < area.maxY {
            buffer.write(note, x: area.x, y: y, style: theme[.warning], clip: area)
            y += 1
        }
        if ab.blind, y < area.maxY {
            let verdict = ab.blindVerdict.map { " · \($0)" } ?? ""
            let ask = ab.blindPrefers ? "BLIND: 0 plays X, 1 plays Y" : "BLIND: what plays? 0 = mix, 1-\(ab.slots.count - 1) = references"
            buffer.write(ask + (ab.blindPrefers ? "" : verdict), x: area.x, y: y, style: theme[.notice], clip: area)
            y += 1
            if ab.blindPrefers, y < area.maxY {
                buffer.write("Enter keeps the one playing · = no preference", x: area.x, y: y, style: theme[.notice], clip: area)
                y += 1
            }
            if ab.blindPrefers, let last = ab.blindVerdict, y < area.maxY {
                buffer.write(last, x: area.x, y: y, style: theme[.notice], clip: area)
                y += 1
            }
        }
        if let tally = ab.preferenceTally, y < area.maxY {
            buffer.write("you preferred: " + tally, x: area.x, y: y, style: theme[.muted], clip: area)
            y += 1
        }
        // Narrow (80 columns): the name, loudness and gain; the true peak needs the room.
        let compact = area.width < 64
        let nameWidth = max(6, min(36, area.width - (compact ? 24 : 40)))
        // Scroll so the sounding slot stays in view.
        let rows = area.maxY - y
        let first = max(0, min(ab.sounding - rows + 1, ab.slots.count - rows))
        for index in first..<ab.slots.count where y < area.maxY {
            let slot = ab.slots[index]
            // Blind identification hides what plays; a blind audition hides only which is which.
            let sounding = index == ab.sounding && (!ab.blind || ab.blindPrefers)
            let marker = sounding ? (context.glyphs.isUnicode ? "▶" : ">") : " "
            var line = "\(marker) \(ABViewState.key(of: index)) "
            let name = ab.blind && index > 0 && !ab.blindPrefers ? "reference \(index)" : slot.name
            line += Format.padRight(String((slot.isMix ? "mix: " + name : name).prefix(nameWidth)), nameWidth)
            if ab.blind && ab.blindPrefers {
                // Levels would give X and Y away (they play matched).
            } else if let notice = slot.notice, !slot.playable || slot.loudnessLUFS == nil {
                line += "  " + notice
            } else {
                let lufs = slot.loudnessLUFS.map { Format.fixed($0, 1) } ?? "  …"
                let peak = slot.truePeakDBTP.map { Format.fixed($0, 1) } ?? "…"
                line += compact ? " \(Format.padLeft(lufs, 6)) LUFS" : " \(Format.padLeft(lufs, 6)) LUFS \(Format.padLeft(peak, 5)) dBTP"
                if !ab.blind { line += " \(Format.padLeft((slot.gainDB >= 0 ? "+" : "") + Format.fixed(slot.gainDB, 1), 6)) dB" }
                if let notice = slot.notice { line += "  " + notice }
            }
            let role: ThemeRole = !slot.playable ? .muted : (sounding ? .titleFocused : .text)
            buffer.write(context.glyphs.isUnicode ? line : line.asciiSafe(), x: area.x, y: y, style: theme[role], clip: area)
            y += 1
        }
    }
}

struct ABSpectrumPane: Pane {
    var title: String { "Spectrum: mix over reference" }
    var minimumSize: Size { Size(width: 24, height: 4) }

    func title(for context: PaneContext) -> String {
        guard let ab = context.state.ab else { return title }
        if ab.blindPrefers { return "Spectrum: as it is over with the fix" }
        guard !ab.blind, let reference = ab.referenceSlot else { return title }
        return "Spectrum: mix over \(reference.name)"
    }

    func renderContent(_ context: PaneContext, in area: Rect, into buffer: inout CellBuffer) {
        guard let ab = abOrMessage(context, self, in: area, into: &buffer),
              let mix = ab.mix?.analysis?.spectrum, let reference = ab.referenceSlot?.analysis?.spectrum,
              mix.levelsDB.count == reference.levelsDB.count, !mix.levelsDB.isEmpty
        else {
            if context.state.ab != nil, !(context.state.ab?.blind ?? false) {
                renderMessage("waiting for both analyses", context: context, in: area, into: &buffer)
            }
            return
        }
        let theme = context.theme, glyphs = context.glyphs
        // Gains as played: both spectra carry their slot's matching gain.
        let mixGain = ab.mix?.gainDB ?? 0, refGain = ab.referenceSlot?.gainDB ?? 0
        let plot = Rect(x: area.x, y: area.y, width: area.width, height: area.height - 1)
        let top = (zip(mix.levelsDB, reference.levelsDB).map { max($0 + mixGain, $1 + refGain) }.max() ?? 0).rounded(.up)
        let span = 48.0
        let bands = mix.levelsDB.count
        for column in 0..<plot.width {
            let band = min(bands - 1, column * bands / max(1, plot.width))
            let m = mix.levelsDB[band] + mixGain, r = reference.levelsDB[band] + refGain
            let mh = max(0, min(1, (m - (top - span)) / span)) * Double(plot.height)
            let rh = max(0, min(1, (r - (top - span)) / span)) * Double(plot.height)
            let low = Int(min(mh, rh).rounded()), high = Int(max(mh, rh).rounded())
            for row in 0..<plot.height {
                let y = plot.maxY - 1 - row
                if row < low {
                    buffer.set(x: plot.x + column, y: y, symbol: glyphs.isUnicode ? "█" : "#", style: theme[.barMid])
                } else if row < high {
                    let mixLouder = mh > rh
                    buffer.set(x: plot.x + column, y: y, symbol: glyphs.isUnicode ? (mixLouder ? "▓" : "░") : (mixLouder ? "+" : "."),
                               style: theme[mixLouder ? .barHigh : .good])
                }
            }
        }
        let (a, b) = ab.blindPrefers ? ("as is", "fix") : ("mix", "reference")
        let legend = glyphs.isUnicode ? "█ both  ▓ \(a) louder  ░ \(b) louder  (gains as played)"
                                      : "# both  + \(a) louder  . \(b) louder  (gains as played)"
        buffer.write(legend, x: area.x, y: area.maxY - 1, style: theme[.muted], clip: area)
    }
}

struct ABEnergyPane: Pane {
    var title: String { "Energy: mix / reference" }
    var minimumSize: Size { Size(width: 24, height: 4) }

    func title(for context: PaneContext) -> String {
        guard let ab = context.state.ab, ab.blindPrefers else { return title }
        return "Energy: as it is / with the fix"
    }

    func renderContent(_ context: PaneContext, in area: Rect, into buffer: inout CellBuffer) {
        guard let ab = abOrMessage(context, self, in: area, into: &buffer), let mix = ab.mix, let reference = ab.referenceSlot else { return }
        let half = area.height / 2
        draw(mix, label: ab.mixWord, sounding: ab.sounding == 0, in: Rect(x: area.x, y: area.y, width: area.width, height: half),
             context: context, into: &buffer)
        draw(reference, label: ab.referenceWord, sounding: ab.sounding == ab.reference,
             in: Rect(x: area.x, y: area.y + half, width: area.width, height: area.height - half), context: context, into: &buffer)
    }

    private func draw(_ slot: ABSlotView, label: String, sounding: Bool, in rect: Rect, context: PaneContext, into buffer: inout CellBuffer) {
        let theme = context.theme, glyphs = context.glyphs
        guard rect.height >= 1, rect.width > 8 else { return }
        let head = "\(label) \(Format.clock(slot.positionS))"
        let labelWidth = 4
        buffer.write(label, x: rect.x, y: rect.y, style: theme[sounding ? .titleFocused : .muted], clip: rect)
        if rect.height >= 2 {
            buffer.write(Format.clock(slot.positionS), x: rect.x, y: rect.y + 1, style: theme[.muted],
                         clip: Rect(x: rect.x, y: rect.y + 1, width: labelWidth + 1, height: 1))
        }
        _ = head
        let plot = Rect(x: rect.x + labelWidth + 1, y: rect.y, width: rect.width - labelWidth - 1, height: rect.height)
        guard let curve = slot.analysis?.energy?.curve, !curve.isEmpty, slot.durationS > 0 else {
            buffer.write(slot.notice ?? (slot.analysis == nil ? "waiting for the analysis" : "no energy curve"), x: plot.x, y: plot.y,
                         style: theme[.muted], clip: plot)
            return
        }
        let values = curve.map(\.rmsDB).filter(\.isFinite)
        let top = values.max() ?? 0, bottom = max((values.min() ?? -60), top - 30)
        // Section colours along the bottom row would hide the curve: sections go in the curve's colour.
        for column in 0..<plot.width {
            let t = (Double(column) + 0.5) / Double(plot.width) * slot.durationS
            let point = curve.min { abs($0.tS - t) < abs($1.tS - t) }!
            let fraction = point.rmsDB.isFinite ? max(0, min(1, (point.rmsDB - bottom) / max(1, top - bottom))) : 0
            var eighths = Int((fraction * Double(plot.height * 8)).rounded())
            let kind = slot.analysis?.sections?.first { t >= $0.startS && t < $0.endS }?.kind
            let role: ThemeRole = switch kind {
            case .intro: .sectionIntro
            case .breakdown: .sectionBreakdown
            case .buildup: .sectionBuildup
            case .drop: .sectionDrop
            case .outro: .sectionOutro
            default: .barMid
            }
            for row in 0..<plot.height {
                let fill = min(8, eighths)
                eighths -= fill
                if fill > 0 { buffer.set(x: plot.x + column, y: plot.maxY - 1 - row, symbol: glyphs.verticalEighths[fill], style: theme[role]) }
            }
        }
        let playheadColumn = Int(slot.positionS / slot.durationS * Double(plot.width))
        if playheadColumn >= 0, playheadColumn < plot.width {
            for y in plot.y..<plot.maxY { buffer.set(x: plot.x + playheadColumn, y: y, symbol: glyphs.playhead, style: theme[.playhead]) }
        }
    }
}

struct ABTrancePane: Pane {
    var title: String { "Trance: mix − reference" }
    var minimumSize: Size { Size(width: 24, height: 3) }

    func title(for context: PaneContext) -> String { context.state.ab.map { "Trance: " + $0.comparison } ?? title }

    func renderContent(_ context: PaneContext, in area: Rect, into buffer: inout CellBuffer) {
        guard let ab = abOrMessage(context, self, in: area, into: &buffer), let mix = ab.mix, let reference = ab.referenceSlot else { return }
        let theme = context.theme
        guard let a = mix.analysis?.trance, let b = reference.analysis?.trance else {
            renderMessage("waiting for both analyses", context: context, in: area, into: &buffer)
            return
        }
        var y = area.y
        let diff = a.score - b.score
        buffer.write("score  \(ab.mixWord) \(Format.fixed(a.score, 0))  \(ab.referenceWord) \(Format.fixed(b.score, 0))  (\(diff >= 0 ? "+" : "")\(Format.fixed(diff, 0)))",
                     x: area.x, y: y, style: theme[.title], clip: area)
        y += 1
        if y < area.maxY {
            let l1 = mix.loudnessLUFS.map { Format.fixed($0, 1) } ?? "…", l2 = reference.loudnessLUFS.map { Format.fixed($0, 1) } ?? "…"
            let label = area.width >= 44 ? "  (before matching)" : ""
            buffer.write("LUFS   \(ab.mixWord) \(l1)  \(ab.referenceWord) \(l2)" + label, x: area.x, y: y, style: theme[.muted], clip: area)
            y += 1
        }
        let nameWidth = min(16, max(8, area.width - 14))
        for component in a.components where y < area.maxY {
            guard let other = b.components.first(where: { $0.name == component.name }) else { continue }
            let d = (component.value - other.value) * 100
            let name = Format.padRight(String(component.readableName.prefix(nameWidth)), nameWidth)
            let text = "\(name) \(Format.padLeft(Format.fixed(component.value * 100, 0), 3)) \(Format.padLeft(Format.fixed(other.value * 100, 0), 3)) \(Format.padLeft((d >= 0 ? "+" : "") + Format.fixed(d, 0), 4))"
            buffer.write(text, x: area.x, y: y, style: theme[abs(d) >= 20 ? .warning : .text], clip: area)
            y += 1
        }
    }
}
