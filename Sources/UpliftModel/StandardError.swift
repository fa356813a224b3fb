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

/// What a `--json` caller gets on standard output when a command fails: `{"error": {"kind": …, "message": …}}`,
/// with a stable `kind` (`not_found`, `unreadable`, `bad_profile`, `bad_config`, `live_absent`, …) to branch on and
/// the same message standard error carries.
public enum JSONErrorObject {
    public static func text(kind: String, message: String) -> String {
        let object = ["error": ["kind": kind, "message": message]]
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else {
            return #"{"error":{"kind":"internal","message":"unencodable message"}}"#
        }
        return String(decoding: data, as: UTF8.self)
    }

    public static func print(kind: String, message: String) {
        Swift.print(text(kind: kind, message: message))
    }
}
