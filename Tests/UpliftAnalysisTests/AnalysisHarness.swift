import Testing
import UpliftAnalysis
import UpliftAudio
import UpliftDSP
import UpliftModel

/// Runs extractors over an in-memory stereo buffer through the real path: ring buffer →
/// `AnalysisEngine` (STFT) → extractors → summary.
enum AnalysisHarness {
    static func run(_ stereo: [Float], sampleRate: Double, extractors: (STFTFormat, Int) throws -> [any HopExtractor],
                    perHop: ((AnalysisEngine) -> Void)? = nil) throws -> TrackAnalysis {
        let format = try STFTFormat(sampleRate: sampleRate)
        let frames = stereo.count / 2
        let engine = try AnalysisEngine(format: format, ring: try SPSCRingBuffer(capacityFrames: 16_384),
                                        extractors: try extractors(format, frames))
        // With a per-hop callback, feed one hop at a time so live values can be read between hops.
        let block = perHop == nil ? 4096 : format.hopSize
        try stereo.withUnsafeBufferPointer { samples in
            var start = 0
            while start < frames {
                let n = min(block, frames - start)
                let wrote = engine.ring.write(samples.baseAddress! + 2 * start, frameCount: n)
                guard wrote == n else { throw DSPError(message: "ring overrun in the harness") }
                engine.processAvailableHops()
                perHop?(engine)
                start += n
            }
        }
        engine.finish()
        var analysis = TrackAnalysis(file: "memory", durationS: Double(frames) / sampleRate, sampleRate: sampleRate, channels: 2)
        engine.summarize(into: &analysis)
        return analysis
    }

    static func loudness(_ stereo: [Float], sampleRate: Double) throws -> TrackAnalysis.Loudness {
        let analysis = try run(stereo, sampleRate: sampleRate) { format, frames in
            [LoudnessMeter(format: format, expectedFrames: frames)]
        }
        return try #require(analysis.loudness)
    }
}
