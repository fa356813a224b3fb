import UpliftDSP

/// The extractors of a full `uplift analyze`, in dependency order (tempo before what needs beats).
public enum StandardExtractors {
    /// `expectedFrames` sizes per-hop histories up front so `process` never grows them;
    /// `nil` (live) keeps a rolling window instead.
    public static func make(format: STFTFormat, expectedFrames: Int?) throws -> [any HopExtractor] {
        // Tempo first: rhythm and pumping read its band onsets, and everything after it its beat grid.
        let tempo = TempoTracker(format: format, expectedFrames: expectedFrames)
        return [
            tempo,
            RhythmAnalyzer(tempo: tempo),
            PumpingAnalyzer(format: format, expectedFrames: expectedFrames, tempo: tempo),
            EnergyAnalyzer(format: format, expectedFrames: expectedFrames),
        ]
    }
}
