import Foundation

/// The width of the terminal the command writes to.
enum Terminal {
    /// Columns of standard output when it is a terminal, nil when it is piped or redirected.
    static var outputColumns: Int? { columns(of: STDOUT_FILENO) }
    /// Columns of standard error when it is a terminal, nil otherwise.
    static var errorColumns: Int? { columns(of: STDERR_FILENO) }

    private static func columns(of descriptor: Int32) -> Int? {
        var size = winsize()
        return ioctl(descriptor, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0 ? Int(size.ws_col) : nil
    }
}
