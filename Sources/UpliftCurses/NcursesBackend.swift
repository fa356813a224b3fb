internal import CNcursesw
import Glibc
import UpliftTerminal

/// The real terminal, through ncursesw. Owns the screen from `init` until `restore()` (or `deinit`).
public final class NcursesBackend: TerminalBackend {
    public let supportsUnicode: Bool
    public let colorDepth: ColorDepth
    public private(set) var size: Size

    private let screen: OpaquePointer
    private let window: UnsafeMutablePointer<WINDOW>
    private let inputFile: UnsafeMutablePointer<FILE>?
    private let directColor: Bool
    private var restored = false
    private let signals = TerminalSignalWatcher()
    private var pairs: [PairKey: Int32] = [:]
    private var nextPair: Int32 = 1
    private var paletteSlots: [Color: Int32] = [:]
    private var nextPaletteSlot: Int32 = 16

    private struct PairKey: Hashable { var foreground: Int32; var background: Int32 }

    /// Opens the terminal. `inputTTYPath` reads keys from another file (`/dev/tty` when standard input
    /// carries audio). `environment` decides colour depth (`NO_COLOR`, `COLORTERM`).
    public init(inputTTYPath: String? = nil, environment: [String: String]) throws {
        // A parent may have left SIGWINCH blocked (signal masks are inherited); ncurses needs it to see resizes.
        var resizeSignal = sigset_t()
        sigemptyset(&resizeSignal)
        sigaddset(&resizeSignal, SIGWINCH)
        pthread_sigmask(SIG_UNBLOCK, &resizeSignal, nil)
        // The locale must be set before ncurses starts, or wide characters come out as bytes.
        CNcursesw_setlocale_all()
        supportsUnicode = CNcursesw_locale_is_utf8() != 0
        var input = CNcursesw_stdin()
        if let inputTTYPath {
            guard let opened = fopen(inputTTYPath, "r") else {
                throw TerminalError(code: .noTerminal,
                                    message: "cannot open \(inputTTYPath) for keys: run Uplift from a terminal")
            }
            inputFile = opened
            input = opened
        } else {
            inputFile = nil
        }
        guard isatty(fileno(CNcursesw_stdout())) != 0 else {
            if let inputFile { fclose(inputFile) }
            throw TerminalError(code: .noTerminal, message: "standard output is not a terminal: run Uplift in a terminal window")
        }
        guard let screen = newterm(nil, CNcursesw_stdout(), input) else {
            if let inputFile { fclose(inputFile) }
            let term = environment["TERM"] ?? "(unset)"
            throw TerminalError(code: .noTerminal, message: "ncurses cannot drive TERM=\(term): set TERM to your terminal's type (e.g. xterm-256color)")
        }
        self.screen = screen
        _ = set_term(screen)
        // The standard window of this screen: `resizeterm` (run by ncurses on SIGWINCH) resizes it, whereas
        // it only crops other windows, so a window of our own would keep its old size after a resize.
        guard let window = CNcursesw_stdscr() else {
            endwin(); delscreen(screen)
            throw TerminalError(code: .noTerminal, message: "ncurses could not create a window")
        }
        self.window = window
        cbreak(); noecho(); nonl()
        _ = keypad(window, true)
        _ = curs_set(0)
        set_escdelay(25)
        var depth = ColorDepth.none
        var direct = false
        if has_colors() {
            start_color()
            use_default_colors()
            direct = CNcursesw_has_direct_color() != 0
            depth = ColorDepth.detect(environment: environment, terminalColors: Int(CNcursesw_COLORS()),
                                      hasColors: true, directColor: direct, canChangeColor: can_change_color())
        }
        colorDepth = depth
        directColor = direct
        size = Size(width: Int(CNcursesw_getmaxx(window)), height: Int(CNcursesw_getmaxy(window)))
        _ = wclear(window)
        _ = wrefresh(window)
    }

    deinit { restore() }

    public func pollEvent(timeoutMS: Int) -> TerminalEvent? {
        guard !restored else { return nil }
        let caught = signals.take()
        if caught != 0 { return .interrupted(signal: caught) }
        wtimeout(window, Int32(max(0, timeoutMS)))
        var value: wint_t = 0
        let status = wget_wch(window, &value)
        let caughtAfter = signals.take()
        if caughtAfter != 0 { return .interrupted(signal: caughtAfter) }
        if status == CNcursesw_KEY_CODE_YES(), Int32(value) == CNcursesw_KEY_RESIZE() {
            size = Size(width: Int(CNcursesw_getmaxx(window)), height: Int(CNcursesw_getmaxy(window)))
            return .resized(size)
        }
        return NcursesKeyDecoder.decode(status: status, value: UInt32(value))
    }

    public func flush(_ changes: [CellChange]) {
        guard !restored, !changes.isEmpty else { return }
        let width = Int(CNcursesw_getmaxx(window)), height = Int(CNcursesw_getmaxy(window))
        for change in changes where change.x < width && change.y < height {
            let cell = change.cell
            var attributes = CNcursesw_A_NORMAL()
            if cell.style.bold { attributes |= CNcursesw_A_BOLD() }
            if cell.style.dim { attributes |= CNcursesw_A_DIM() }
            if cell.style.reverse { attributes |= CNcursesw_A_REVERSE() }
            let pair = pairNumber(foreground: cell.style.foreground, background: cell.style.background)
            let scalar = cell.scalar
            let symbol: wchar_t = supportsUnicode || scalar.isASCII ? wchar_t(bitPattern: scalar.value) : 63
            // The bottom-right cell makes ncurses report ERR (the cursor cannot advance); the cell is drawn anyway.
            _ = CNcursesw_put_cell(window, Int32(change.y), Int32(change.x), symbol, attributes, pair)
        }
        _ = wnoutrefresh(window)
        _ = doupdate()
    }

    public func clearScreen() {
        guard !restored else { return }
        _ = wclear(window)
    }

    public func restore() {
        guard !restored else { return }
        restored = true
        signals.cancel()
        _ = curs_set(1)
        endwin()
        delscreen(screen)   // frees the standard window too
        if let inputFile { fclose(inputFile) }
    }

    private func pairNumber(foreground: Color, background: Color) -> Int32 {
        guard colorDepth != .none else { return 0 }
        let key = PairKey(foreground: colorNumber(foreground), background: colorNumber(background))
        if key.foreground == -1 && key.background == -1 { return 0 }
        if let known = pairs[key] { return known }
        guard nextPair < CNcursesw_COLOR_PAIRS() else { return 0 }   // out of pairs: plain beats wrong
        let number = nextPair
        nextPair += 1
        _ = init_extended_pair(number, key.foreground, key.background)
        pairs[key] = number
        return number
    }

    private func colorNumber(_ color: Color) -> Int32 {
        switch colorDepth.quantize(color) {
        case .default: return -1
        case .indexed(let index): return Int32(index)
        case .rgb(let r, let g, let b):
            if directColor { return (Int32(r) << 16) | (Int32(g) << 8) | Int32(b) }
            // A terminal that lets us redefine its palette: one slot per distinct colour, above the 16 system ones.
            if let slot = paletteSlots[color] { return slot }
            guard nextPaletteSlot < CNcursesw_COLORS() else { return -1 }
            let slot = nextPaletteSlot
            nextPaletteSlot += 1
            _ = init_extended_color(slot, Int32(r) * 1000 / 255, Int32(g) * 1000 / 255, Int32(b) * 1000 / 255)
            paletteSlots[color] = slot
            return slot
        }
    }
}
