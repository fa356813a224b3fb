internal import CNcursesw
import UpliftTerminal

/// Turns what `wget_wch` returned into a terminal event.
enum NcursesKeyDecoder {
    static func decode(status: Int32, value: UInt32) -> TerminalEvent? {
        if status == CNcursesw_KEY_CODE_YES() { return decodeKeyCode(Int32(bitPattern: value)) }
        guard status == CNcursesw_OK() else { return nil }
        switch value {
        case 9: return .key(.tab)
        case 10, 13: return .key(.enter)
        case 27: return .key(.escape)
        case 8, 127: return .key(.backspace)
        default:
            guard let scalar = Unicode.Scalar(value), value >= 32 else { return nil }
            return .key(.character(Character(scalar)))
        }
    }

    static func decodeKeyCode(_ code: Int32) -> TerminalEvent? {
        switch code {
        case CNcursesw_KEY_RESIZE(): return nil   // the backend reads the new size itself
        case CNcursesw_KEY_UP(): return .key(.up)
        case CNcursesw_KEY_DOWN(): return .key(.down)
        case CNcursesw_KEY_LEFT(): return .key(.left)
        case CNcursesw_KEY_RIGHT(): return .key(.right)
        case CNcursesw_KEY_BTAB(): return .key(.backTab)
        case CNcursesw_KEY_ENTER(): return .key(.enter)
        case CNcursesw_KEY_BACKSPACE(): return .key(.backspace)
        case CNcursesw_KEY_PPAGE(): return .key(.pageUp)
        case CNcursesw_KEY_NPAGE(): return .key(.pageDown)
        case CNcursesw_KEY_HOME(): return .key(.home)
        case CNcursesw_KEY_END(): return .key(.end)
        default:
            for n in 1...24 where code == CNcursesw_KEY_F(Int32(n)) { return .key(.function(n)) }
            return nil
        }
    }
}
