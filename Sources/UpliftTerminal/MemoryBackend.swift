/// A terminal in memory for tests: scripted events in, a screen and a flush log out.
public final class MemoryBackend: TerminalBackend {
    public private(set) var size: Size
    public let supportsUnicode: Bool
    public let colorDepth: ColorDepth
    /// What the screen shows after the flushes so far.
    public private(set) var screen: CellBuffer
    /// The number of cells written by each flush, in order.
    public private(set) var flushedCellCounts: [Int] = []
    public private(set) var clearCount = 0
    public private(set) var restored = false
    /// Events handed out one per poll, in order.
    public var scriptedEvents: [TerminalEvent] = []
    /// Called when a poll finds no scripted event, with the timeout it would have waited (tests advance a clock).
    public var onIdle: ((Int) -> Void)?

    public init(size: Size, supportsUnicode: Bool = true, colorDepth: ColorDepth = .truecolor) {
        self.size = size
        self.supportsUnicode = supportsUnicode
        self.colorDepth = colorDepth
        screen = CellBuffer(size: size)
    }

    /// Changes the size and queues the resize event a terminal would send.
    public func resize(to newSize: Size) {
        size = newSize
        scriptedEvents.append(.resized(newSize))
    }

    public func pollEvent(timeoutMS: Int) -> TerminalEvent? {
        if !scriptedEvents.isEmpty {
            let event = scriptedEvents.removeFirst()
            if case .resized(let newSize) = event { size = newSize }
            return event
        }
        onIdle?(timeoutMS)
        return nil
    }

    public func flush(_ changes: [CellChange]) {
        if screen.size != size { screen.reset(size: size) }
        for change in changes { screen[change.x, change.y] = change.cell }
        flushedCellCounts.append(changes.count)
    }

    public func clearScreen() {
        clearCount += 1
        screen.reset(size: size)
    }

    public func restore() { restored = true }
}
