import UpliftTerminal

/// The `?` box, generated from the keymap so it lists every key that does something.
enum HelpOverlay {
    static func render(keymap: Keymap, themeName: String, theme: ResolvedTheme, glyphs: Glyphs, in screen: Rect,
                       into buffer: inout CellBuffer) {
        let unicode = glyphs.isUnicode
        let keyWidth = max(5, keymap.bindings.map { $0.keyLabel(unicode: unicode).count }.max() ?? 5) + 2
        let helpWidth = keymap.bindings.map(\.help.count).max() ?? 10
        let footer = "theme: \(themeName)   any key closes"
        // Compact when the screen is short (80×24 with the gap keys): no blank line, the footer on the bottom border.
        let compact = keymap.bindings.count + 4 > screen.height
        let size = Size(width: max(keyWidth + helpWidth, footer.count) + 4, height: keymap.bindings.count + (compact ? 2 : 4))
        let box = screen.centered(size)
        guard box.width >= 4, box.height >= 3 else { return }
        let border = theme[.helpBorder]
        buffer.fill(box, with: Cell(" ", style: theme[.helpText]))
        buffer.drawBorder(box, glyphs: glyphs, style: border)
        let inner = box.inset(by: 1)
        buffer.write(" Keys ", x: box.x + 2, y: box.y, style: theme[.helpKey], clip: Rect(x: box.x + 1, y: box.y, width: box.width - 2, height: 1))
        for (index, binding) in keymap.bindings.enumerated() {
            let y = inner.y + (compact ? 0 : 1) + index
            guard y < inner.maxY else { break }
            buffer.write(binding.keyLabel(unicode: unicode), x: inner.x + 1, y: y, style: theme[.helpKey], clip: inner)
            buffer.write(binding.help, x: inner.x + 1 + keyWidth, y: y, style: theme[.helpText], clip: inner)
        }
        if compact {
            buffer.write(" \(footer) ", x: box.x + 2, y: box.maxY - 1, style: theme[.helpBorder],
                         clip: Rect(x: box.x + 1, y: box.maxY - 1, width: box.width - 2, height: 1))
        } else if inner.height >= keymap.bindings.count + 2 {
            buffer.write(footer, x: inner.x + 1, y: inner.maxY - 1, style: theme[.helpBorder], clip: inner)
        }
    }
}
