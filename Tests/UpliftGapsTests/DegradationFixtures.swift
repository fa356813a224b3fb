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
        try! TrackAnalyzer().analyze(interleaved: interleaved, sampleRate: sampleRate, name: name)
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

extension DegradationSet {
    /// The whole track `db` louder or quieter (no clipping: samples are floats).
    static func gained(_ track: RenderedTrack, db: Double) -> [Float] {
        let g = Float(pow(10, db / 20))
        return track.interleaved.map { $0 * g }
    }

    /// Over-compressed: a stereo-linked compressor (threshold −30 dBFS, 10:1, instant attack, release 60 ms)
    /// into a linked soft clipper, then brought back to the original RMS so the loudness stays about where
    /// it was and only the dynamics change (linked: the width is left alone).
    static func overCompressed(_ track: RenderedTrack) -> [Float] {
        let x = track.interleaved, sr = track.sampleRate
        let release = exp(-1 / (0.060 * sr))
        let threshold = pow(10, -30.0 / 20), ratio = 10.0
        var env = 0.0
        var out = x
        for i in stride(from: 0, to: x.count, by: 2) {
            let level = Double(max(abs(x[i]), abs(x[i + 1])))
            env = level > env ? level : release * env + (1 - release) * level
            var g = env > threshold ? pow(env / threshold, 1 / ratio - 1) : 1
            g *= 8 // makeup into the clipper
            let peak = level * g
            let clip = peak > 1e-9 ? tanh(peak) / peak : 1
            out[i] = Float(Double(x[i]) * g * clip)
            out[i + 1] = Float(Double(x[i + 1]) * g * clip)
        }
        func rms(_ v: [Float]) -> Double { (v.reduce(0.0) { $0 + Double($1 * $1) } / Double(v.count)).squareRoot() }
        let gain = Float(rms(x) / rms(out))
        return out.map { $0 * gain }
    }

    /// Rescaled so the sample peak sits at `peakDBFS` (what a mastering limiter's ceiling leaves).
    static func peakNormalized(_ samples: [Float], peakDBFS: Double = -1) -> [Float] {
        let peak = samples.reduce(Float(0)) { max($0, abs($1)) }
        let g = Float(pow(10, peakDBFS / 20)) / peak
        return samples.map { $0 * g }
    }

    /// The same references made `db` louder, as if mastered hot: every level they measure moves by
    /// exactly `db` (a gain changes nothing else), so their true peaks pass 0 dBTP.
    static func hotReferencesProfile(db: Double) -> Profile {
        let hot = references.map { r -> TrackAnalysis in
            var a = r
            a.loudness?.integratedLUFS += db
            a.loudness?.truePeakDBTP += db
            a.loudness?.samplePeakDBFS += db
            a.loudness?.shortTermMaxLUFS += db
            a.loudness?.momentaryMaxLUFS += db
            if let levels = a.spectrum?.levelsDB { a.spectrum?.levelsDB = levels.map { $0 + db } }
            if let curve = a.energy?.curve { a.energy?.curve = curve.map { var p = $0; p.rmsDB += db; return p } }
            return a
        }
        let tracks = hot.map { AnalysedTrack(path: $0.file, contentHash: ContentHash.hex(of: Data($0.file.utf8)), sizeBytes: 1,
                                             analysis: $0, fromCache: false) }
        var options = ProfileAssembler.Options(name: "synth-drops-hot", roots: ["/refs"], clusterCount: nil)
        options.now = Date(timeIntervalSince1970: 0)
        return try! ProfileAssembler(options: options).assemble(tracks: tracks, skipped: [], analyzerVersion: 1)
    }

    static func analyze(_ samples: [Float], _ name: String) -> TrackAnalysis {
        analyze(interleaved: samples, sampleRate: sampleRate, name: name)
    }
}

/// A second synthesized sub-style (progressive: 132 BPM, light pumping, narrower supersaws, no
/// intro) for the leave-one-out proof: a reference of a style must not look broken against its own style.
enum ProgressiveSet {
    static let seeds: [UInt64] = [31, 32, 33, 34, 35, 36]
    static let bpms: [Double] = [131.5, 132, 132.5, 132, 131.75, 132.25]

    static func recipe(seed: UInt64, bpm: Double) -> TranceRecipe {
        TranceRecipe(seed: seed, bpm: bpm, key: MusicalKey(tonic: 2, mode: .minor),
                     sections: [TranceSection(kind: .breakdown, bars: 4, pattern: .breakdown), TranceSection(kind: .drop, bars: 8, pattern: .drop)],
                     sidechain: SidechainSettings(depthDB: 3), supersaw: SupersawSettings(voices: 5, stereoSpreadPercent: 40), peakDBFS: -1)
    }

    static let references: [TrackAnalysis] = {
        let results = Mutex<[Int: TrackAnalysis]>([:])
        DispatchQueue.concurrentPerform(iterations: seeds.count) { i in
            let a = DegradationSet.analyze(recipe(seed: seeds[i], bpm: bpms[i]).render(sampleRate: DegradationSet.sampleRate),
                                           name: "/prog/seed\(seeds[i]).wav")
            results.withLock { $0[i] = a }
        }
        return results.withLock { r in seeds.indices.map { r[$0]! } }
    }()
}

/// Profiles assembled in memory from analyses (for leave-one-out).
enum InMemoryProfile {
    static func make(_ analyses: [TrackAnalysis], name: String) -> Profile {
        let tracks = analyses.map { AnalysedTrack(path: $0.file, contentHash: ContentHash.hex(of: Data($0.file.utf8)), sizeBytes: 1,
                                                  analysis: $0, fromCache: false) }
        var options = ProfileAssembler.Options(name: name, roots: ["/refs"], clusterCount: nil)
        options.now = Date(timeIntervalSince1970: 0)
        return try! ProfileAssembler(options: options).assemble(tracks: tracks, skipped: [], analyzerVersion: 1)
    }
}
