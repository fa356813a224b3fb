/// A frame: cells in one flat row-major array. Widgets draw into it; writes outside it are clipped.
public struct CellBuffer: Sendable, Equatable, CustomDebugStringConvertible {
    public private(set) var size: Size
    public private(set) var cells: [Cell]

    public init(size: Size, fill: Cell = .blank) {
        self.size = size
        cells = Array(repeating: fill, count: size.width * size.height)
    }

    /// A buffer whose rows are the given strings (padded with spaces to the widest), in the plain style.
    /// Tests build the expected screen with it.
    public init(lines: [String]) {
        let width = lines.map(\.count).max() ?? 0
        self.init(size: Size(width: width, height: lines.count))
        for (y, line) in lines.enumerated() { write(line, x: 0, y: y, style: .plain) }
    }

    public var bounds: Rect { Rect(size: size) }
    public var width: Int { size.width }
    public var height: Int { size.height }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * size.width + x] }
        set { if x >= 0, y >= 0, x < size.width, y < size.height { cells[y * size.width + x] = newValue } }
    }

    /// The cell at a position, or `nil` outside the buffer.
    public func cell(x: Int, y: Int) -> Cell? {
        guard x >= 0, y >= 0, x < size.width, y < size.height else { return nil }
        return cells[y * size.width + x]
    }

    public mutating func set(x: Int, y: Int, symbol: Character, style: Style) {
        guard x >= 0, y >= 0, x < size.width, y < size.height else { return }
        cells[y * size.width + x] = Cell(symbol, style: style)
    }

    /// Changes only the style of a cell, keeping its symbol.
    public mutating func setStyle(x: Int, y: Int, style: Style) {
        guard x >= 0, y >= 0, x < size.width, y < size.height else { return }
        cells[y * size.width + x].style = style
    }

    /// Writes `text` from `x`,`y`, clipped to `clip` (the whole buffer by default). Returns the columns used.
    @discardableResult
    public mutating func write(_ text: String, x: Int, y: Int, style: Style, clip: Rect? = nil) -> Int {
        let area = (clip ?? bounds).intersection(bounds)
        guard y >= area.y, y < area.maxY else { return 0 }
        var column = x
        for character in text {
            if column >= area.maxX { break }
            if column >= area.x { cells[y * size.width + column] = Cell(character, style: style) }
            column += 1
        }
        return max(0, column - x)
    }

    /// Fills a rectangle (clipped) with one cell.
    public mutating func fill(_ rect: Rect, with cell: Cell) {
        let area = rect.intersection(bounds)
        guard !area.isEmpty else { return }
        for y in area.y..<area.maxY {
            let row = y * size.width
            for x in area.x..<area.maxX { cells[row + x] = cell }
        }
    }

    /// Resizes, keeping nothing: every cell becomes `fill`.
    public mutating func reset(size newSize: Size, fill: Cell = .blank) {
        if newSize == size {
            for i in cells.indices { cells[i] = fill }
        } else {
            size = newSize
            cells = Array(repeating: fill, count: newSize.width * newSize.height)
        }
    }

    /// The text of each row, styles ignored.
    public var lines: [String] {
        (0..<size.height).map { y in String(cells[(y * size.width)..<((y + 1) * size.width)].map(\.symbol)) }
    }

    /// The text of one row.
    public func line(_ y: Int) -> String {
        guard y >= 0, y < size.height else { return "" }
        return String(cells[(y * size.width)..<((y + 1) * size.width)].map(\.symbol))
    }

    /// Like a screenshot: one quoted string per row, then each run of non-plain style on a row.
    public var debugDescription: String {
        var out = "CellBuffer \(size) [\n"
        for y in 0..<size.height { out += "  \"\(line(y))\"\n" }
        out += "]"
        var runs: [String] = []
        for y in 0..<size.height {
            var x = 0
            while x < size.width {
                let style = self[x, y].style
                var end = x + 1
                while end < size.width && self[end, y].style == style { end += 1 }
                if style != .plain { runs.append("  y=\(y) x=\(x)..<\(end): \(style)") }
                x = end
            }
        }
        if !runs.isEmpty { out += " styles:\n" + runs.joined(separator: "\n") }
        return out
    }

    /// The cells that differ from `previous`, row-major. A different size means every cell changed.
    public func changes(since previous: CellBuffer?) -> [CellChange] {
        var result: [CellChange] = []
        changes(since: previous, into: &result)
        return result
    }

    /// As `changes(since:)`, reusing `result`'s storage (the run loop calls this every frame).
    public func changes(since previous: CellBuffer?, into result: inout [CellChange]) {
        result.removeAll(keepingCapacity: true)
        let width = size.width
        guard let previous, previous.size == size else {
            for (i, cell) in cells.enumerated() { result.append(CellChange(x: i % max(1, width), y: i / max(1, width), cell: cell)) }
            return
        }
        cells.withUnsafeBufferPointer { new in
            previous.cells.withUnsafeBufferPointer { old in
                for i in 0..<new.count where new[i] != old[i] {
                    result.append(CellChange(x: i % width, y: i / width, cell: new[i]))
                }
            }
        }
    }
}
