/// One screen cell: a single-column character and its style.
///
/// The character is stored as one Unicode scalar: every glyph Uplift draws (text, box drawing, blocks) is
/// a single scalar, and comparing a `UInt32` keeps the per-frame diff cheap (comparing `Character`s is not).
public struct Cell: Sendable, Hashable {
    public var scalar: Unicode.Scalar
    public var style: Style

    public init(_ symbol: Character = " ", style: Style = .plain) {
        scalar = symbol.unicodeScalars.first ?? " "
        self.style = style
    }

    public var symbol: Character {
        get { Character(scalar) }
        set { scalar = newValue.unicodeScalars.first ?? " " }
    }

    public static let blank = Cell()
}

/// A cell that changed between two frames, at its screen position.
public struct CellChange: Sendable, Hashable {
    public var x: Int
    public var y: Int
    public var cell: Cell
    public init(x: Int, y: Int, cell: Cell) { self.x = x; self.y = y; self.cell = cell }
}
