import ArgumentParser
import Foundation
import UpliftAnalysis
import UpliftAudio
import UpliftModel

/// `uplift analyze FILE... [--json]`: one report per file; bad files get a one-line error on
/// stderr and the others are still analysed.
///
/// Exit status: 0 when every file was analysed cleanly; 1 when any file could not be analysed
/// (missing, a directory, not audio, empty) or was truncated (what was readable is still
/// reported); 2 when every file was analysed but some carried a warning (NaN/Inf samples zeroed,
/// a down-mix, an all-silent file).
struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Analyse audio files: loudness (EBU R128), spectrum balance, stereo image.",
        discussion: """
        Reads WAV, AIFF, FLAC, OGG/Vorbis and MP3 at 8–192 kHz. With --json, prints schema \
        uplift.analysis/2: one object for one file, an array for several. Non-finite numbers \
        (silence is -inf LUFS) are written as the strings "-inf", "inf", "nan".
        Exit status: 0 all clean, 1 a file could not be analysed (or was truncated), 2 analysed with warnings.
        """)

    @Argument(help: "Audio files to analyse.")
    var files: [String]

    @Flag(name: .long, help: "Print JSON (schema uplift.analysis/2) instead of the readable report.")
    var json = false

    @Flag(name: .long, help: "Meter a mono file as played on two speakers (3.01 LU louder) instead of BS.1770 single-channel.")
    var dualMono = false

    mutating func run() throws {
        // With --json, one entry per file in order: its analysis, or `{"file", "error": {"kind", "message"}}`.
        var entries: [String] = []
        var failed = false, warned = false
        let encoder = UpliftJSON.encoder()
        for file in files {
            switch AnalyzeCommand.analyze(file: file, dualMono: dualMono) {
            case .failure(let error):
                Diagnostics.error(file: file, error.message)
                failed = true
                let kind = FileManager.default.fileExists(atPath: file) ? "unreadable" : "not_found"
                entries.append(Self.errorEntry(file: file, kind: kind, message: error.message))
            case .success(let outcome):
                if let truncation = outcome.truncation {
                    Diagnostics.error(file: file, truncation)
                    failed = true
                }
                for warning in outcome.warnings {
                    Diagnostics.warning(file: file, warning)
                    warned = true
                }
                if json { entries.append((try? encoder.encode(outcome.analysis)).map { String(decoding: $0, as: UTF8.self) } ?? "null") }
                else {
                    let report = AnalysisReportFormatter.text(outcome.analysis)
                    print(Terminal.outputColumns.map { AnalysisReportFormatter.wrapped(report, width: $0) } ?? report)
                }
            }
        }
        if json { print(files.count == 1 ? entries[0] : "[" + entries.joined(separator: ",") + "]") }
        if failed { throw ExitCode(1) }
        if warned { throw ExitCode(2) }
    }

    /// What a `--json` caller gets for a file that could not be analysed.
    static func errorEntry(file: String, kind: String, message: String) -> String {
        let object: [String: Any] = ["file": file, "error": ["kind": kind, "message": message]]
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else {
            return JSONErrorObject.text(kind: kind, message: message)
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// The analysis of one file, or the one line saying why there is none.
    static func analyze(file: String, dualMono: Bool = false) -> Result<AnalysisOutcome, AnalysisError> {
        Result { () throws(AnalysisError) in try TrackAnalyzer(dualMono: dualMono).analyzeReporting(path: file) }
    }
}

/// One-line messages on stderr: `uplift: error: FILE: what happened; what to do`.
enum Diagnostics {
    static func error(file: String, _ message: String) { StandardError.error("\(file): \(message)") }
    static func warning(file: String, _ message: String) { StandardError.warning("\(file): \(message)") }
}
