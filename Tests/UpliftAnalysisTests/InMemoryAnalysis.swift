import UpliftAnalysis
import UpliftAudio
import UpliftDSP
import UpliftModel
import UpliftSynth

/// Runs rendered audio through the real path (ring buffer → engine → extractors) without files.
enum InMemoryAnalysis {
    /// `extractors` defaults to the standard set; `live` sizes them as a live stream (rolling windows).
    static func analyze(_ track: RenderedTrack, live: Bool = false,
                        extractors make: ((STFTFormat, Int?) throws -> [any HopExtractor])? = nil) throws -> TrackAnalysis {
        try analyzeReturningEngine(track, live: live, extractors: make).analysis
    }

    static func analyzeReturningEngine(_ track: RenderedTrack, live: Bool = false,
                                       extractors make: ((STFTFormat, Int?) throws -> [any HopExtractor])? = nil)
        throws -> (analysis: TrackAnalysis, engine: AnalysisEngine) {
        let format = try STFTFormat(sampleRate: track.sampleRate)
        let expected: Int? = live ? nil : track.frameCount
        let extractors = try make?(format, expected) ?? StandardExtractors.make(format: format, expectedFrames: expected)
        let engine = try AnalysisEngine(format: format, ring: try SPSCRingBuffer(capacityFrames: 16_384), extractors: extractors)
        let block = 4096
        track.interleaved.withUnsafeBufferPointer { samples in
            var frame = 0
            while frame < track.frameCount {
                let n = min(block, track.frameCount - frame)
                engine.ring.write(samples.baseAddress! + 2 * frame, frameCount: n)
                engine.processAvailableHops()
                frame += n
            }
        }
        engine.finish()
        var analysis = TrackAnalysis(file: "synth", durationS: track.durationS, sampleRate: track.sampleRate, channels: 2)
        engine.summarize(into: &analysis)
        return (analysis, engine)
    }
}
