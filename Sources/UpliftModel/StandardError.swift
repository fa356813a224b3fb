import Foundation

/// The one way Uplift writes to standard error: `uplift: message` lines, unbuffered, so they interleave
/// correctly with a screen being restored or a pipe being read. Results go to standard output; errors,
/// warnings and progress notes come here.
public enum StandardError {
    /// `uplift: <message>`.
    public static func line(_ message: String) {
        write("uplift: \(message)\n")
    }

    /// `uplift: error: <message>`.
    public static func error(_ message: String) {
        write("uplift: error: \(message)\n")
    }

    /// `uplift: warning: <message>`.
    public static func warning(_ message: String) {
        write("uplift: warning: \(message)\n")
    }

    /// Raw text (a prompt, a progress bar's carriage returns).
    public static func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
