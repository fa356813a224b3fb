/// A key the user pressed, decoded from whatever the terminal sent.
public enum Key: Sendable, Hashable, CustomStringConvertible {
    case character(Character)
    case up, down, left, right
    case tab, backTab, enter, escape, backspace
    case pageUp, pageDown, home, end
    case function(Int)

    public var description: String {
        switch self {
        case .character(" "): return "space"
        case .character(let c): return String(c)
        case .up: return "↑"
        case .down: return "↓"
        case .left: return "←"
        case .right: return "→"
        case .tab: return "Tab"
        case .backTab: return "Shift-Tab"
        case .enter: return "Enter"
        case .escape: return "Esc"
        case .backspace: return "Backspace"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .home: return "Home"
        case .end: return "End"
        case .function(let n): return "F\(n)"
        }
    }
}

/// What the terminal reports between frames.
public enum TerminalEvent: Sendable, Hashable {
    case key(Key)
    case resized(Size)
    /// SIGINT or SIGTERM arrived: the program should restore the terminal and stop.
    case interrupted(signal: Int32)
}

/// A place frames are shown and keys come from: ncurses on a real terminal, memory in tests.
public protocol TerminalBackend: AnyObject {
    /// The current size in cells.
    var size: Size { get }
    /// Whether box drawing and eighth blocks can be shown (a UTF-8 locale).
    var supportsUnicode: Bool { get }
    var colorDepth: ColorDepth { get }
    /// Waits up to `timeoutMS` for input; `nil` when nothing came.
    func pollEvent(timeoutMS: Int) -> TerminalEvent?
    /// Writes the given cells and makes them visible. Only changed cells are passed.
    func flush(_ changes: [CellChange])
    /// Forgets what is on screen (after a resize the next frame is written whole).
    func clearScreen()
    /// Gives the terminal back to the shell. Safe to call more than once.
    func restore()
}
