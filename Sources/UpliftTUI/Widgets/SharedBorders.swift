import UpliftTerminal

/// Box-drawing characters that reach out of their cell in each direction.
private let reachesUp: Set<Character> = ["│", "└", "┘", "├", "┤", "┴", "┼"]
private let reachesDown: Set<Character> = ["│", "┌", "┐", "├", "┤", "┬", "┼"]
private let reachesLeft: Set<Character> = ["─", "┐", "┘", "┤", "┬", "┴", "┼"]
private let reachesRight: Set<Character> = ["─", "┌", "└", "├", "┬", "┴", "┼"]
private let boxGlyphs: Set<Character> = reachesUp.union(reachesDown).union(reachesLeft).union(reachesRight)

/// Where frames share a line, their corners become the junction the lines meet in (`┬ ┴ ├ ┤ ┼`).
/// Only the corners of `rects` are looked at: the lines between them are already shared.
func joinBorders(_ rects: [Rect], into buffer: inout CellBuffer) {
    // Each corner reaches along its own frame whatever is written there (a title, a note), and a cell
    // that is a corner of two frames reaches along both; the other directions join only a drawn line.
    struct Reach { var up = false, down = false, left = false, right = false }
    var corners: [Int: Reach] = [:]
    let width = buffer.size.width
    for rect in rects where rect.width >= 2 && rect.height >= 2 {
        let top = rect.y, bottom = rect.maxY - 1, left = rect.x, right = rect.maxX - 1
        corners[top * width + left, default: Reach()].down = true; corners[top * width + left]!.right = true
        corners[top * width + right, default: Reach()].down = true; corners[top * width + right]!.left = true
        corners[bottom * width + left, default: Reach()].up = true; corners[bottom * width + left]!.right = true
        corners[bottom * width + right, default: Reach()].up = true; corners[bottom * width + right]!.left = true
    }
    for (index, own) in corners {
        let x = index % width, y = index / width
        let cell = buffer[x, y]
        guard boxGlyphs.contains(cell.symbol) else { continue }
        func symbol(_ dx: Int, _ dy: Int) -> Character? {
            let nx = x + dx, ny = y + dy
            guard nx >= 0, ny >= 0, nx < buffer.size.width, ny < buffer.size.height else { return nil }
            return buffer[nx, ny].symbol
        }
        let up = own.up || (symbol(0, -1).map(reachesDown.contains) ?? false)
        let down = own.down || (symbol(0, 1).map(reachesUp.contains) ?? false)
        let left = own.left || (symbol(-1, 0).map(reachesRight.contains) ?? false)
        let right = own.right || (symbol(1, 0).map(reachesLeft.contains) ?? false)
        if let joined = junction(up: up, down: down, left: left, right: right) {
            buffer.set(x: x, y: y, symbol: joined, style: cell.style)
        }
    }
}

private func junction(up: Bool, down: Bool, left: Bool, right: Bool) -> Character? {
    switch (up, down, left, right) {
    case (true, true, true, true): return "┼"
    case (false, true, true, true): return "┬"
    case (true, false, true, true): return "┴"
    case (true, true, false, true): return "├"
    case (true, true, true, false): return "┤"
    case (false, true, false, true): return "┌"
    case (false, true, true, false): return "┐"
    case (true, false, false, true): return "└"
    case (true, false, true, false): return "┘"
    case (false, false, true, true): return "─"
    case (true, true, false, false): return "│"
    default: return nil
    }
}

/// The frame of `rect` in `style`, leaving titles and notes written on it as they are.
func highlightBorder(_ rect: Rect, style: Style, into buffer: inout CellBuffer) {
    guard rect.width >= 2, rect.height >= 2 else { return }
    let ascii: Set<Character> = ["+", "-", "|"]
    func mark(_ x: Int, _ y: Int) {
        let symbol = buffer[x, y].symbol
        if boxGlyphs.contains(symbol) || ascii.contains(symbol) { buffer.setStyle(x: x, y: y, style: style) }
    }
    for x in rect.x..<rect.maxX { mark(x, rect.y); mark(x, rect.maxY - 1) }
    for y in rect.y..<rect.maxY { mark(rect.x, y); mark(rect.maxX - 1, y) }
}
