import Foundation
import UpliftDSP
import Synchronization
import UpliftModel
@testable import UpliftProfile

/// A fresh folder under the system temp dir, removed when the value goes away.
final class TemporaryDirectory {
    let path: String
    init() {
        path = NSTemporaryDirectory() + "uplift-profile-tests-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
    func file(_ name: String) -> String { "\(path)/\(name)" }
    /// Writes bytes, creating parent folders.
    @discardableResult
    func write(_ name: String, _ text: String) -> String {
        let p = file(name)
        try! FileManager.default.createDirectory(atPath: (p as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: p, contents: Data(text.utf8))
        return p
    }
}

/// Gaussian draws (Box–Muller) from a seeded generator, so every run sees the same "noise".
struct Gaussian {
    var rng: SeededRandom
    init(seed: UInt64) { rng = SeededRandom(seed: seed) }
    mutating func next(_ mean: Double, _ std: Double) -> Double {
        let u1 = max(Double.random(in: 0..<1, using: &rng), 1e-300), u2 = Double.random(in: 0..<1, using: &rng)
        return mean + std * (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
    }
}

/// A trance sub-style as distributions of its features (mean, std within the style).
struct PlantedStyle {
    var name: String
    var bpm: (Double, Double)
    var acid: (Double, Double)
    var supersawWidth: (Double, Double)
    var centroidHz: (Double, Double)
    var pumpingDB: (Double, Double)
    var lufs: (Double, Double)

    static let acid = PlantedStyle(name: "acid", bpm: (138, 0.8), acid: (0.72, 0.08), supersawWidth: (0.35, 0.08),
                                   centroidHz: (3300, 250), pumpingDB: (5.5, 1.2), lufs: (-8.0, 0.8))
    static let progressive = PlantedStyle(name: "progressive", bpm: (132, 0.9), acid: (0.15, 0.07), supersawWidth: (0.42, 0.08),
                                          centroidHz: (2400, 250), pumpingDB: (3.5, 1.0), lufs: (-9.5, 0.8))
    static let uplifting = PlantedStyle(name: "uplifting", bpm: (140, 0.7), acid: (0.12, 0.07), supersawWidth: (0.72, 0.08),
                                        centroidHz: (3000, 250), pumpingDB: (8.5, 1.3), lufs: (-7.5, 0.8))
}

enum Fixtures {
    /// An analysis with every section filled, values drawn around a style.
    static func analysis(_ style: PlantedStyle, file: String, noise g: inout Gaussian) -> TrackAnalysis {
        var a = TrackAnalysis(file: file, durationS: g.next(390, 40), sampleRate: 44_100, channels: 2)
        let lufs = g.next(style.lufs.0, style.lufs.1)
        let truePeak = min(g.next(-0.5, 0.3), 0)
        a.loudness = .init(integratedLUFS: lufs, lraLU: max(g.next(5, 1.5), 0.5), truePeakDBTP: truePeak,
                           samplePeakDBFS: truePeak - 0.2, shortTermMaxLUFS: lufs + g.next(2, 0.5),
                           momentaryMaxLUFS: lufs + g.next(3.5, 0.7), plrDB: truePeak - lufs)
        let bands = (0..<61).map { 20 * pow(2, Double($0) / 6) }
        let tilt = -4.5 + (style.centroidHz.0 - 3000) / 1000
        a.spectrum = .init(bandsHz: bands, levelsDB: bands.map { lufs - 10 + tilt * log2($0 / 1000) + g.next(0, 0.5) },
                           balanceDB: [.sub: g.next(-12, 1.5), .bass: g.next(-5, 1), .lowMid: g.next(-6, 1),
                                       .highMid: g.next(-14, 1.5), .air: g.next(-20, 2)])
        let width = g.next(style.supersawWidth.0, style.supersawWidth.1)
        a.stereo = .init(correlation: g.next(0.6, 0.1), sideMidRatio: g.next(0.25, 0.05),
                         bands: Dictionary(uniqueKeysWithValues: TrackAnalysis.Band.allCases.map {
                             ($0, TrackAnalysis.Stereo.BandStereo(correlation: g.next(0.6, 0.1), sideMidRatio: g.next(0.25, 0.06)))
                         }))
        let bpm = g.next(style.bpm.0, style.bpm.1)
        a.tempo = .init(bpm: bpm, confidence: g.next(0.8, 0.08), stability: g.next(0.95, 0.02), firstBeatS: g.next(0.3, 0.1))
        a.rhythm = .init(fourOnFloor: g.next(0.9, 0.05), offbeatHihat: g.next(0.6, 0.1))
        let depth = g.next(style.pumpingDB.0, style.pumpingDB.1)
        a.pumping = .init(depthDB: depth, depthLinear: 1 - pow(10, -depth / 20), regularity: g.next(0.1, 0.03),
                          class: depth > 8 ? .heavy : depth > 4 ? .moderate : .none)
        let acid = g.next(style.acid.0, style.acid.1)
        a.acid = .init(score: acid, sweep: g.next(acid, 0.05), resonance: g.next(acid, 0.05), glide: g.next(acid, 0.05),
                       accent: g.next(acid, 0.05))
        a.supersaw = .init(width: width, correlation: g.next(0.5, 0.1), detuneCents: g.next(22, 5))
        a.brightness = .init(centroidHz: g.next(style.centroidHz.0, style.centroidHz.1), highRatio: g.next(0.12, 0.03))
        let keys = [("A", "minor", "8A"), ("F#", "minor", "11A"), ("C", "major", "8B")]
        let key = keys[Int(g.next(0, 1).magnitude * 10) % keys.count]
        a.key = .init(tonic: key.0, mode: key.1, camelot: key.2, strength: g.next(0.7, 0.1))
        let bar = 240 / bpm
        a.sections = [.init(kind: .intro, startS: 0, endS: 32 * bar), .init(kind: .breakdown, startS: 32 * bar, endS: 48 * bar),
                      .init(kind: .buildup, startS: 48 * bar, endS: 56 * bar), .init(kind: .drop, startS: 56 * bar, endS: 88 * bar)]
        a.energy = .init(curve: (0..<88).map { i in
            let rms: Double = i < 32 ? -14 : i < 48 ? -20 : i < 56 ? -16 : -10
            return .init(tS: (Double(i) + 0.5) * bar, rmsDB: rms, centroidHz: 2500, bassRatio: i < 32 || i >= 56 ? 0.5 : 0.1)
        })
        let components = ["tempo", "pumping", "energy_progression", "four_on_floor", "supersaw", "acid_303",
                          "offbeat_hihat", "brightness", "tempo_stability"]
        a.trance = .init(score: g.next(75, 8), components: components.map {
            .init(name: $0, value: min(max(g.next(0.7, 0.15), 0), 1), weight: 0.1, reason: "fixture")
        })
        return a
    }

    static func tracks(_ analyses: [TrackAnalysis]) -> [AnalysedTrack] {
        analyses.map { AnalysedTrack(path: $0.file, contentHash: ContentHash.hex(of: Data($0.file.utf8)), sizeBytes: 1000,
                                     analysis: $0, fromCache: false) }
    }
}

/// An analyzer that counts its calls and makes an analysis from the file's bytes (no decoding),
/// failing on files whose content starts with "corrupt".
final class CountingAnalyzer: TrackAnalyzing {
    let calls = Atomic<Int>(0)
    let version: Int
    init(version: Int = 1) { self.version = version }
    var count: Int { calls.load(ordering: .relaxed) }

    func analyze(path: String) throws -> TrackAnalysis {
        calls.add(1, ordering: .relaxed)
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        if text.hasPrefix("corrupt") { throw ProfileError(.unreadable, "not a readable audio file", path: path) }
        var a = TrackAnalysis(file: path, durationS: Double(text.count), sampleRate: 44_100, channels: 2)
        a.tempo = .init(bpm: 120 + Double(text.count % 30), confidence: 0.9, stability: 0.9, firstBeatS: 0)
        return a
    }
}
