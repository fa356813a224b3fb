/// Word wrap for pane text: whole words on each line, a word longer than the width split hard,
/// continuation lines indented by `indent` spaces. Counts characters (the panes' cells).
enum TextWrap {
    static func lines(_ text: String, width: Int, indent: Int = 0) -> [String] {
        guard width > indent + 1 else { return [String(text.prefix(max(width, 0)))] }
        // Leading spaces are part of the line's layout (an indented parameter), not a word break.
        let lead = text.prefix { $0 == " " }
        if !lead.isEmpty, lead.count < width - 1 {
            let rest = lines(String(text.dropFirst(lead.count)), width: width - lead.count, indent: indent)
            return rest.map { String(lead) + $0 }
        }
        var out: [String] = []
        var line = ""
        let pad = String(repeating: " ", count: indent)
        func flush() { out.append(line); line = pad }
        for word in text.split(separator: " ", omittingEmptySubsequences: false).map(String.init) {
            var word = word
            let room = width - line.count - (line.isEmpty || line == pad ? 0 : 1)
            if word.count <= room {
                line += (line.isEmpty || line == pad ? "" : " ") + word
                continue
            }
            if !(line.isEmpty || line == pad) { flush() }
            // Longer than a whole line: split it hard.
            while word.count > width - line.count {
                let cut = width - line.count
                line += word.prefix(cut)
                word = String(word.dropFirst(cut))
                flush()
            }
            line += word
        }
        if !(line.isEmpty || line == pad) || out.isEmpty { out.append(line) }
        return out
    }
}
