import Foundation
import Synchronization
import UpliftAnalysis
import UpliftAudio
import UpliftDSP
import UpliftModel
import UpliftSynth
@testable import UpliftProfile
@testable import UpliftGaps

/// The degradation-recovery set: short UpliftSynth renders of one style (2 bars of beat, a 4-bar
/// pad breakdown and an 8-bar drop at about 138 BPM, ~24 s at 22.05 kHz, varied seeds and small tempo
/// differences) as references, and a held-back track of the same style that the tests degrade in
/// known ways. Rendered and analysed once per test process, the references in parallel.
enum DegradationSet {
    static let sampleRate = 22_050.0
    static let referenceSeeds: [UInt64] = [11, 12, 13, 14, 15, 16]
    static let referenceBPMs: [Double] = [137, 137.5, 138, 138.5, 139, 138]
    static let heldBackSeed: UInt64 = 21

    static let arrangement = [
        TranceSection(kind: .intro, bars: 2, pattern: .intro),
        TranceSection(kind: .breakdown, bars: 4, pattern: .breakdown),
        TranceSection(kind: .drop, bars: 8, pattern: .drop),
    ]

    static func recipe(seed: UInt64, bpm: Double = 138, sidechainDB: Double = 8) -> TranceRecipe {
        TranceRecipe(seed: seed, bpm: bpm, sections: arrangement, sidechain: SidechainSettings(depthDB: sidechainDB), peakDBFS: -1)
    }

    /// References analysed through the real engine, and the profile assembled from them in memory.
    static let references: [TrackAnalysis] = {
        let results = Mutex<[Int: TrackAnalysis]>([:])
        DispatchQueue.concurrentPerform(iterations: referenceSeeds.count) { i in
            let seed = referenceSeeds[i]
            let a = analyze(recipe(seed: seed, bpm: referenceBPMs[i]).render(sampleRate: sampleRate), name: "/refs/seed\(seed).wav")
            results.withLock { $0[i] = a }
        }
        return results.withLock { r in referenceSeeds.indices.map { r[$0]! } }
    }()

    static let profile: Profile = {
        let tracks = references.map { AnalysedTrack(path: $0.file, contentHash: ContentHash.hex(of: Data($0.file.utf8)), sizeBytes: 1,
                                                    analysis: $0, fromCache: false) }
        var options = ProfileAssembler.Options(name: "synth-drops", roots: ["/refs"], clusterCount: nil)
        options.now = Date(timeIntervalSince1970: 0)
        return try! ProfileAssembler(options: options).assemble(tracks: tracks, skipped: [], analyzerVersion: 1)
    }()

    static let heldBack: RenderedTrack = recipe(seed: heldBackSeed).render(sampleRate: sampleRate)

    static func analyze(_ track: RenderedTrack, name: String) -> TrackAnalysis {
        analyze(interleaved: track.interleaved, sampleRate: track.sampleRate, name: name)
    }

    static func analyze(interleaved: [Float], sampleRate: Double, name: String) -> TrackAnalysis {
        let format = try! STFTFormat(sampleRate: sampleRate)
        let frames = interleaved.count / 2
        let engine = try! AnalysisEngine(format: format, ring: try! SPSCRingBuffer(capacityFrames: 16_384),
                                         extractors: try! StandardExtractors.make(format: format, expectedFrames: frames))
        interleaved.withUnsafeBufferPointer { samples in
            var frame = 0
            while frame < frames {
                let n = min(4096, frames - frame)
                engine.ring.write(samples.baseAddress! + 2 * frame, frameCount: n)
                engine.processAvailableHops()
                frame += n
            }
        }
        engine.finish()
        var analysis = TrackAnalysis(file: name, durationS: Double(frames) / sampleRate, sampleRate: sampleRate, channels: 2)
        engine.summarize(into: &analysis)
        return analysis
    }

    // MARK: - Degradations (what a mixing mistake does to the held-back track)

    static func filtered(_ track: RenderedTrack, _ shape: BiquadCoefficients.Shape, frequencyHz: Double, q: Double) -> [Float] {
        let c = BiquadCoefficients(shape, frequencyHz: frequencyHz, q: q, sampleRate: track.sampleRate)
        var left = Biquad(c), right = Biquad(c)
        var out = track.interleaved
        for i in stride(from: 0, to: out.count, by: 2) {
            out[i] = Float(left.process(Double(out[i])))
            out[i + 1] = Float(right.process(Double(out[i + 1])))
        }
        return out
    }

    /// Side scaled by `factor` (Utility width at factor × 100 %).
    static func width(_ track: RenderedTrack, factor: Float) -> [Float] {
        var out = track.interleaved
        for i in stride(from: 0, to: out.count, by: 2) {
            let mid = (out[i] + out[i + 1]) / 2, side = (out[i] - out[i + 1]) / 2 * factor
            out[i] = mid + side
            out[i + 1] = mid - side
        }
        return out
    }

    /// The breakdown raised to the drop's RMS; returns the samples and the gain applied (dB).
    static func loudBreakdown(_ track: RenderedTrack) -> ([Float], gainDB: Double) {
        func span(_ kind: TranceSectionKind) -> Range<Int> {
            let s = track.sections.first { $0.kind == kind }!
            return Int(s.startS * track.sampleRate)..<min(Int(s.endS * track.sampleRate), track.frameCount)
        }
        func rms(_ r: Range<Int>) -> Double {
            var sum = 0.0
            for f in r { sum += Double(track.interleaved[2 * f] * track.interleaved[2 * f]) + Double(track.interleaved[2 * f + 1] * track.interleaved[2 * f + 1]) }
            return (sum / Double(2 * r.count)).squareRoot()
        }
        let breakdown = span(.breakdown), drop = span(.drop)
        let gain = rms(drop) / rms(breakdown)
        var out = track.interleaved
        for f in breakdown { out[2 * f] *= Float(gain); out[2 * f + 1] *= Float(gain) }
        return (out, 20 * log10(gain))
    }

    static func report(_ analysis: TrackAnalysis, amount: Double = 0.7) throws -> GapReport {
        try GapAnalyzer(options: .init(amount: amount)).analyze(mix: analysis, profile: profile)
    }
}
