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
        uplift.analysis/1: one object for one file, an array for several. Non-finite numbers \
        (silence is -inf LUFS) are written as the strings "-inf", "inf", "nan".
        Exit status: 0 all clean, 1 a file could not be analysed (or was truncated), 2 analysed with warnings.
        """)

    @Argument(help: "Audio files to analyse.")
    var files: [String]

    @Flag(name: .long, help: "Print JSON (schema uplift.analysis/1) instead of the readable report.")
    var json = false

    mutating func run() throws {
        var analyses: [TrackAnalysis] = []
        var failed = false, warned = false
        for file in files {
            switch AnalyzeCommand.analyze(file: file) {
            case .failure(let message):
                Diagnostics.error(file: file, message)
                failed = true
            case .success(let outcome):
                if let truncation = outcome.truncation {
                    Diagnostics.error(file: file, truncation)
                    failed = true
                }
                for warning in outcome.warnings {
                    Diagnostics.warning(file: file, warning)
                    warned = true
                }
                analyses.append(outcome.analysis)
                if !json { print(AnalysisReportFormatter.text(outcome.analysis)) }
            }
        }
        if json {
            let encoder = UpliftJSON.encoder()
            let data: Data
            if files.count == 1 {
                data = analyses.first.map { (try? encoder.encode($0)) ?? Data() } ?? Data()
            } else {
                data = (try? encoder.encode(analyses)) ?? Data()
            }
            if !data.isEmpty { print(String(decoding: data, as: UTF8.self)) }
        }
        if failed { throw ExitCode(1) }
        if warned { throw ExitCode(2) }
    }

    struct Outcome {
        var analysis: TrackAnalysis
        /// Set when the file ended before its header said: the analysis covers what was readable.
        var truncation: String?
        var warnings: [String]
    }

    enum Result { case success(Outcome), failure(String) }

    static func analyze(file: String) -> Result {
        let reader: AudioFileReader
        do { reader = try AudioFileReader(path: file) } catch { return .failure(error.message) }
        var analysis: TrackAnalysis
        do { analysis = try TrackAnalyzer().analyze(reader: reader) } catch { return .failure(error.message) }
        var truncation: String?
        if reader.endedShort {
            let readS = Double(reader.framesRead) / reader.sampleRate
            let announcedS = Double(reader.announcedFrameCount) / reader.sampleRate
            truncation = String(format: "truncated: the header announces %d frames (%.2f s) but only %d (%.2f s) could be read; the report covers the readable part, re-export the file",
                                reader.announcedFrameCount, announcedS, reader.framesRead, readS)
        }
        // The analyzer records the truncation as a warning too; it is said once, as the error.
        var warnings = analysis.warnings.filter { !$0.hasPrefix("file is truncated") }
        if let loudness = analysis.loudness, loudness.integratedLUFS == -.infinity {
            let note = reader.framesRead > 0 && loudness.samplePeakDBFS == -.infinity
                ? "all samples are silent: loudness is -inf LUFS (no level to measure)"
                : "everything is below the -70 LUFS gate: integrated loudness is -inf LUFS"
            analysis.warnings.append(note)
            warnings.append(note)
        }
        return .success(Outcome(analysis: analysis, truncation: truncation, warnings: warnings))
    }
}

/// One-line messages on stderr: `uplift: error: FILE: what happened; what to do`.
enum Diagnostics {
    static func error(file: String, _ message: String) { write("uplift: error: \(file): \(message)") }
    static func warning(file: String, _ message: String) { write("uplift: warning: \(file): \(message)") }
    static func write(_ line: String) { FileHandle.standardError.write(Data((line + "\n").utf8)) }
}
