import UpliftDSP

/// The extractors of a full `uplift analyze`, in dependency order (tempo before what needs beats).
public enum StandardExtractors {
    /// `expectedFrames` sizes per-hop histories up front so `process` never grows them;
    /// `nil` (live) keeps a rolling window instead.
    /// `rolling`: the live rolling summary's set (its twins are sized by `expectedFrames`): no
    /// loudness meter (the live loudness source has its own) and no per-hop spectrum display levels.
    public static func make(format: STFTFormat, expectedFrames: Int?, rolling: Bool = false) throws -> [any HopExtractor] {
        // Tempo first: rhythm and pumping read its band onsets, and everything after it its beat grid.
        // A whole file (not the rolling window): histories that are only ever summed over beats and
        // bars are kept per block of hops, so memory grows slowly with length (see `HopBlockSums`).
        let blocked = !rolling && expectedFrames != nil
        let tempo = TempoTracker(format: format, expectedFrames: expectedFrames,
                                 hopsPerBlock: blocked ? TempoTracker.offlineHopsPerBlock : 1)
        var extractors: [any HopExtractor] = [
            tempo,
            RhythmAnalyzer(tempo: tempo),
            PumpingAnalyzer(format: format, expectedFrames: expectedFrames, tempo: tempo, compact: blocked),
            EnergyAnalyzer(format: format, expectedFrames: expectedFrames, hopsPerBlock: blocked ? EnergyAnalyzer.offlineHopsPerBlock : 1),
        ]
        if !rolling { extractors.append(LoudnessMeter(format: format, expectedFrames: expectedFrames)) }
        extractors.append(SpectrumAnalyzer(format: format, live: !rolling && expectedFrames == nil))
        extractors.append(StereoAnalyzer(format: format))
        // Trance detectors (after tempo/rhythm/pumping/energy, which they may read at summary time).
        // Key and supersaw share one long-window spectrum: computed once per frame.
        let longSpectrum = try LongWindowSpectrum(format: format)
        // Offline, the key keeps a pitch histogram per long frame for its phrase-start tonic cue.
        extractors.append(try KeyDetector(format: format, spectrum: longSpectrum, expectedFrames: rolling ? nil : expectedFrames))
        extractors.append(try AcidAnalyzer(format: format, expectedFrames: expectedFrames))
        extractors.append(try SupersawAnalyzer(format: format, spectrum: longSpectrum))
        extractors.append(BrightnessAnalyzer(format: format))
        // Offline only (blocks sized from the length), after energy's sections: the similarity descriptor's material.
        if let expectedFrames, !rolling { extractors.append(TimbreAnalyzer(format: format, expectedFrames: expectedFrames)) }
        // Last: reads every section above.
        extractors.append(TranceScoreExtractor())
        return extractors
    }
}
