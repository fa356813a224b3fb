import UpliftDSP

/// The extractors of a full `uplift analyze`, in dependency order (tempo before what needs beats).
public enum StandardExtractors {
    /// `expectedFrames` sizes per-hop histories up front so `process` never grows them;
    /// `nil` (live) keeps a rolling window instead.
    public static func make(format: STFTFormat, expectedFrames: Int?) throws -> [any HopExtractor] {
        [
            LoudnessMeter(format: format, expectedFrames: expectedFrames),
            SpectrumAnalyzer(format: format, live: expectedFrames == nil),
            StereoAnalyzer(format: format),
        ]
    }
}
