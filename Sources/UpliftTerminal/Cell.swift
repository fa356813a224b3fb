/// One screen cell: a single-column grapheme and its style.
public struct Cell: Sendable, Hashable {
    public var symbol: Character
    public var style: Style
    public init(_ symbol: Character = " ", style: Style = .plain) { self.symbol = symbol; self.style = style }
    public static let blank = Cell()
}

/// A cell that changed between two frames, at its screen position.
public struct CellChange: Sendable, Hashable {
    public var x: Int
    public var y: Int
    public var cell: Cell
    public init(x: Int, y: Int, cell: Cell) { self.x = x; self.y = y; self.cell = cell }
}
