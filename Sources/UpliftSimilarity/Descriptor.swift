import Foundation
import UpliftModel

/// The track descriptor the embedding is learned from: a few hundred numbers, each named, from one
/// analysis (no second decode). Loudness-normalised: every spectrum is taken relative to the whole
/// track's total band power, MFCC c0 (the level) is left out, chroma is rotated so the tonic comes
/// first (a transposition does not move it). A section the track lacks (no drop) takes the whole
/// track's values; a feature the analysis lacks is `nan` and the scaler puts it at the library median.
public enum Descriptor {
    /// Bump when the layout changes: a stored embedding of another version is rebuilt, never misread.
    public static let version = 1
    static let mfccCorrelationOrder = 12

    /// Names of the dimensions, in order (`whole.shape.1000Hz`, `mfcc.mean.3`, `stereo.bass.correlation`, …).
    public static let names: [String] = {
        var names: [String] = []
        let bands = (-33...25).map { 1000 * pow(2, Double($0) / 6) }
        func label(_ hz: Double) -> String { hz >= 1000 ? "\(NumberFormat.fixed(hz / 1000, 1))kHz" : "\(Int(hz.rounded()))Hz" }
        for kind in TrackAnalysis.SectionSpectrum.Kind.allCases {
            names += bands.map { "\(kind.rawValue).shape.\(label($0))" }
            names += bands.map { "\(kind.rawValue).spread.\(label($0))" }
        }
        names += (1..<20).map { "mfcc.mean.\($0)" }
        names += (1..<20).map { "mfcc.std.\($0)" }
        for i in 1..<mfccCorrelationOrder { for j in (i + 1)...mfccCorrelationOrder { names.append("mfcc.corr.\(i).\(j)") } }
        names += (0..<12).map { "chroma.tonic+\($0)" }
        names += scalarNames
        for band in TrackAnalysis.Band.allCases { names += ["stereo.\(band.rawValue).correlation", "stereo.\(band.rawValue).side_mid"] }
        return names
    }()

    static let scalarNames = [
        "tempo.log_bpm", "rhythm.four_on_floor", "rhythm.offbeat_hihat", "pumping.depth_db", "pumping.regularity",
        "supersaw.width", "supersaw.correlation", "supersaw.detune_cents",
        "acid.score", "acid.sweep", "acid.resonance", "acid.glide", "acid.accent",
        "brightness.log_centroid", "brightness.high_ratio", "loudness.lra_lu", "loudness.plr_db",
        "key.minor", "energy.breakdown_db", "energy.buildup_db", "energy.drop_db", "energy.range_db",
        "stereo.correlation", "stereo.side_mid",
    ]

    public static var dimension: Int { names.count }

    /// The descriptor of one analysis; `nil` when it has no timbre section (an analysis made before
    /// analyzer version 6, or silence).
    public static func make(_ a: TrackAnalysis) -> [Double]? {
        guard let timbre = a.timbre, let whole = timbre.section(.whole), timbre.mfccMean.count == 20,
              timbre.mfccCovariance.count == 210, timbre.chroma.count == 12 else { return nil }
        var v: [Double] = []
        v.reserveCapacity(dimension)
        // Level reference: the whole track's total band power, so a gain change moves nothing.
        let reference = 10 * log10(max(1e-12, whole.levelsDB.reduce(0) { $0 + pow(10, $1 / 10) }))
        for kind in TrackAnalysis.SectionSpectrum.Kind.allCases {
            let s = timbre.section(kind) ?? whole
            // A band at the analysis's floor (nothing there, or above Nyquist) reads −80 whatever the level.
            v += s.levelsDB.map { $0 <= -119 ? -80 : max(-80, $0 - reference) }
            v += s.spreadDB
        }
        let c = timbre.mfccCovariance
        func cov(_ i: Int, _ j: Int) -> Double {
            let (r, s) = i <= j ? (i, j) : (j, i)
            return c[r * 20 - r * (r - 1) / 2 + (s - r)]
        }
        v += (1..<20).map { timbre.mfccMean[$0] }
        v += (1..<20).map { max(0, cov($0, $0)).squareRoot() }
        for i in 1..<mfccCorrelationOrder {
            for j in (i + 1)...mfccCorrelationOrder {
                let d = (max(0, cov(i, i)) * max(0, cov(j, j))).squareRoot()
                v.append(d > 0 ? cov(i, j) / d : 0)
            }
        }
        let tonic = a.key.flatMap { MusicalPitch.pitchClass($0.tonic) }
            ?? timbre.chroma.indices.max { timbre.chroma[$0] < timbre.chroma[$1] } ?? 0
        v += (0..<12).map { timbre.chroma[($0 + tonic) % 12] }

        let nan = Double.nan
        let energy = energyArc(a)
        v += [
            a.tempo.map { log2(max(1, $0.bpm)) } ?? nan,
            a.rhythm?.fourOnFloor ?? nan, a.rhythm?.offbeatHihat ?? nan,
            a.pumping?.depthDB ?? nan, a.pumping?.regularity ?? nan,
            a.supersaw?.width ?? nan, a.supersaw?.correlation ?? nan, a.supersaw?.detuneCents ?? nan,
            a.acid?.score ?? nan, a.acid?.sweep ?? nan, a.acid?.resonance ?? nan, a.acid?.glide ?? nan, a.acid?.accent ?? nan,
            a.brightness.map { log2(max(1, $0.centroidHz)) } ?? nan, a.brightness?.highRatio ?? nan,
            a.loudness?.lraLU ?? nan, a.loudness?.plrDB ?? nan,
            a.key.map { $0.mode == "minor" ? 1 : 0 } ?? nan,
            energy.breakdown, energy.buildup, energy.drop, energy.range,
            a.stereo?.correlation ?? nan, a.stereo.map { min(4, $0.sideMidRatio) } ?? nan,
        ]
        for band in TrackAnalysis.Band.allCases {
            let b = a.stereo?.bands[band]
            v += [b?.correlation ?? nan, b.map { min(4, $0.sideMidRatio) } ?? nan]
        }
        return v.map { $0.isFinite || $0.isNaN ? $0 : nan }
    }

    /// Mean bar loudness of breakdown, buildup and drop relative to the whole track's mean, and the range.
    static func energyArc(_ a: TrackAnalysis) -> (breakdown: Double, buildup: Double, drop: Double, range: Double) {
        let nan = Double.nan
        guard let curve = a.energy?.curve, !curve.isEmpty else { return (nan, nan, nan, nan) }
        let levels = curve.map(\.rmsDB).filter(\.isFinite)
        guard !levels.isEmpty else { return (nan, nan, nan, nan) }
        let mean = levels.reduce(0, +) / Double(levels.count)
        func level(_ kind: TrackAnalysis.SectionKind) -> Double {
            let spans = (a.sections ?? []).filter { $0.kind == kind }
            let inside = curve.filter { p in p.rmsDB.isFinite && spans.contains { p.tS >= $0.startS && p.tS < $0.endS } }.map(\.rmsDB)
            return inside.isEmpty ? 0 : inside.reduce(0, +) / Double(inside.count) - mean
        }
        let sorted = levels.sorted()
        let range = sorted[Int(Double(sorted.count - 1) * 0.9)] - sorted[Int(Double(sorted.count - 1) * 0.1)]
        return (level(.breakdown), level(.buildup), level(.drop), range)
    }
}

/// Pitch-class names as the key section writes them.
enum MusicalPitch {
    static let names = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"]
    static let flats = ["Db": 1, "Eb": 3, "Gb": 6, "Ab": 8, "Bb": 10]
    static func pitchClass(_ name: String) -> Int? { names.firstIndex(of: name) ?? flats[name] }
}
