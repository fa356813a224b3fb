import Foundation
import UpliftAudio
import UpliftDSP
import UpliftModel

extension TrackAnalyzer {
    /// Analyses interleaved stereo samples already in memory (a rendered fix), through the same engine
    /// and extractors as a file.
    public func analyze(interleaved samples: [Float], sampleRate: Double, name: String) throws(AnalysisError) -> TrackAnalysis {
        let frames = samples.count / 2
        let engine: AnalysisEngine
        do {
            let format = try STFTFormat(sampleRate: sampleRate)
            engine = try AnalysisEngine(format: format, ring: try SPSCRingBuffer(capacityFrames: 16_384),
                                        extractors: try StandardExtractors.make(format: format, expectedFrames: frames))
        } catch {
            throw AnalysisError(path: name, message: "\(error)")
        }
        samples.withUnsafeBufferPointer { buffer in
            var frame = 0
            while frame < frames {
                let n = min(4096, frames - frame)
                engine.ring.write(buffer.baseAddress! + 2 * frame, frameCount: n)
                engine.processAvailableHops()
                frame += n
            }
        }
        engine.finish()
        guard frames > 0 else { throw AnalysisError(path: name, message: "no audio to analyse") }
        var analysis = TrackAnalysis(file: name, durationS: Double(frames) / sampleRate, sampleRate: sampleRate, channels: 2)
        engine.summarize(into: &analysis)
        return analysis
    }
}
