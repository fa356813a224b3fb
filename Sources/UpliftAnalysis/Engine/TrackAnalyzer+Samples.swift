import UpliftAudio
import UpliftDSP
import UpliftModel

extension TrackAnalyzer {
    /// Analyses interleaved stereo samples already in memory (augmented excerpts, synthesized tracks):
    /// the same ring → engine → extractors path as a file, with `name` as the analysis's `file`.
    public func analyze(interleaved: [Float], sampleRate: Double, name: String) throws(AnalysisError) -> TrackAnalysis {
        let frames = interleaved.count / 2
        let format: STFTFormat
        let engine: AnalysisEngine
        do {
            format = try STFTFormat(sampleRate: sampleRate)
            engine = try AnalysisEngine(format: format, ring: try SPSCRingBuffer(capacityFrames: 16_384),
                                        extractors: try makeExtractors(format, frames))
        } catch {
            throw AnalysisError(path: name, message: "\(error)")
        }
        guard frames > 0 else { throw AnalysisError(path: name, message: "no audio") }
        engine.process(interleaved: interleaved)
        engine.finish()
        var analysis = TrackAnalysis(file: name, durationS: Double(frames) / sampleRate, sampleRate: sampleRate, channels: 2)
        engine.summarize(into: &analysis)
        return analysis
    }
}
