import Synchronization
import UpliftAnalysis
import UpliftAudio
import UpliftDSP
import UpliftModel
import UpliftSynth

/// Feeds rendered audio through the live path (ring → engine → the live musical analyzer) as fast
/// as it is consumed, with summaries made inline at the same bar lines the live thread would use,
/// and keeps every summary.
enum LiveMusicHarness {
    final class Recorder: @unchecked Sendable {
        let summaries = Mutex<[LiveMusic]>([])
    }

    static func run(_ track: RenderedTrack, options: LiveMusicAnalyzer.Options = .init(),
                    untilS: Double? = nil, verbose: Bool = false,
                    beforeBlock: ((LiveMusicAnalyzer, Double) -> Void)? = nil) throws -> [LiveMusic] {
        let format = try STFTFormat(sampleRate: track.sampleRate)
        let music = try LiveMusicAnalyzer(format: format, options: options, inlineSummaries: true)
        let recorder = Recorder()
        music.onSummary = { m in
            recorder.summaries.withLock { $0.append(m) }
            if verbose { print(music.summaryBreakdown.withLock { $0.map { "\($0.0) \(String(format: "%.1f", $0.1))" }.joined(separator: ", ") }) }
        }
        let engine = try AnalysisEngine(format: format, ring: try SPSCRingBuffer(capacityFrames: 16_384), extractors: [music])
        let end = min(track.frameCount, untilS.map { Int($0 * track.sampleRate) } ?? .max)
        track.interleaved.withUnsafeBufferPointer { samples in
            var frame = 0
            while frame < end {
                let n = min(1024, end - frame)
                beforeBlock?(music, Double(frame) / track.sampleRate)
                engine.ring.write(samples.baseAddress! + 2 * frame, frameCount: n)
                engine.processAvailableHops()
                frame += n
            }
        }
        return recorder.summaries.withLock { $0 }
    }

    /// The offline analysis (all standard extractors) of the audio between two stream times.
    static func offline(_ track: RenderedTrack, fromS: Double, toS: Double) throws -> TrackAnalysis {
        let a = max(0, Int(fromS * track.sampleRate)), b = min(track.frameCount, Int(toS * track.sampleRate))
        let slice = RenderedTrack(sampleRate: track.sampleRate, interleaved: Array(track.interleaved[(2 * a)..<(2 * b)]),
                                  bpm: track.bpm, beatTimesS: [], sections: [], key: track.key,
                                  sidechainDepthDB: track.sidechainDepthDB)
        return try InMemoryAnalysis.analyze(slice)
    }
}
