import UpliftAudio
import UpliftModel

/// One file's analysis with what a person must be told about it, so `analyze`, `gaps`, `profile build`
/// and the studio warn alike: whether the file ended before its header said (the analysis covers what
/// was readable), and the other warnings (NaN/Inf samples zeroed, a down-mix, all silent).
public struct AnalysisOutcome: Sendable {
    public var analysis: TrackAnalysis
    /// Set when the file is shorter than its header announces: one line saying how much was read.
    public var truncation: String?
    /// Every other warning, as also kept in `analysis.warnings`.
    public var warnings: [String]
}

extension TrackAnalyzer {
    /// Analyses `path` and says what the caller should pass on; a file that cannot be analysed throws.
    public func analyzeReporting(path: String) throws(AnalysisError) -> AnalysisOutcome {
        let reader: AudioFileReader
        do { reader = try AudioFileReader(path: path) } catch { throw AnalysisError(error) }
        var analysis = try analyze(reader: reader)
        var truncation: String?
        if reader.endedShort {
            let readS = Double(reader.framesRead) / reader.sampleRate
            let announcedS = Double(reader.announcedFrameCount) / reader.sampleRate
            truncation = "truncated: the header announces \(reader.announcedFrameCount) frames (\(NumberFormat.fixed(announcedS, 2)) s) "
                + "but only \(reader.framesRead) (\(NumberFormat.fixed(readS, 2)) s) could be read; the report covers the readable part, re-export the file"
        }
        // The truncation is said once, as the error line; the analysis keeps its own record of it.
        var warnings = analysis.warnings.filter { !$0.hasPrefix(TrackAnalyzer.truncationWarningPrefix) }
        if let note = Self.silenceNote(analysis) {
            analysis.warnings.append(note)
            warnings.append(note)
        }
        return AnalysisOutcome(analysis: analysis, truncation: truncation, warnings: warnings)
    }

    /// Why integrated loudness is -inf, when it is: nothing at all, or nothing above the −70 LUFS gate.
    static func silenceNote(_ analysis: TrackAnalysis) -> String? {
        guard let loudness = analysis.loudness, loudness.integratedLUFS == -.infinity else { return nil }
        return loudness.samplePeakDBFS == -.infinity
            ? "all samples are silent: loudness is -inf LUFS (no level to measure)"
            : "everything is below the -70 LUFS gate: integrated loudness is -inf LUFS"
    }
}
