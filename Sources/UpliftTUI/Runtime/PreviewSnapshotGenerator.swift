import Foundation
import UpliftModel

/// A synthetic, moving `AnalysisSnapshot` for `uplift tui-preview` and the frame-time benchmark: a
/// resonance sweeping over a tilted spectrum, a kick pulsing at 138 BPM, a 96-bar arrangement.
/// Not analysis: the numbers are made up so the panes can be seen and timed without audio.
public final class PreviewSnapshotGenerator {
    public let bpm = 138.0
    public let bars = 96
    public private(set) var sequence = 0
    public let bandsHz: [Double]
    private var peaksDB: [Double]
    private var lastTimeS: Double?
    private var history: [Double] = []
    public let sections: [TrackAnalysis.Section]
    public let energy: [TrackAnalysis.EnergyPoint]

    public var durationS: Double { Double(bars) * 4 * 60 / bpm }

    public init() {
        // 1/6-octave centres from 20 Hz to 20 kHz.
        bandsHz = (0...59).map { 20 * pow(2, Double($0) / 6) }
        peaksDB = Array(repeating: -.infinity, count: 60)
        let barS = 4 * 60 / bpm
        let layout: [(TrackAnalysis.SectionKind, Int)] = [(.intro, 16), (.breakdown, 16), (.buildup, 8), (.drop, 32), (.outro, 24)]
        var start = 0
        var sections: [TrackAnalysis.Section] = []
        var energy: [TrackAnalysis.EnergyPoint] = []
        for (kind, length) in layout {
            sections.append(TrackAnalysis.Section(kind: kind, startS: Double(start) * barS, endS: Double(start + length) * barS))
            for bar in start..<(start + length) {
                let within = Double(bar - start) / Double(length)
                let level: Double
                switch kind {
                case .intro: level = -16 + 4 * within
                case .breakdown: level = -20 + sin(within * .pi) * 2
                case .buildup: level = -18 + 10 * within
                case .drop: level = -8 + sin(Double(bar)) * 0.8
                case .outro: level = -10 - 8 * within
                }
                energy.append(TrackAnalysis.EnergyPoint(tS: Double(bar) * barS, rmsDB: level, centroidHz: 2000, bassRatio: 0.4))
            }
            start += length
        }
        self.sections = sections
        self.energy = energy
    }

    /// The snapshot at `positionS` into the synthetic track, `timeS` seconds of wall time since start.
    public func next(timeS: Double, positionS: Double, state: AnalysisSnapshot.InputState = .running,
                     audioOutNote: String? = "preview: synthetic data, no audio") -> AnalysisSnapshot {
        sequence += 1
        let elapsed = lastTimeS.map { max(0, timeS - $0) } ?? 0
        lastTimeS = timeS
        let beatPhase = (positionS * bpm / 60).truncatingRemainder(dividingBy: 1)
        let kick = exp(-beatPhase * 6)
        let sweepHz = 200 * pow(25, 0.5 + 0.5 * sin(timeS * 2 * .pi / 8))
        var levels = [Double](repeating: 0, count: bandsHz.count)
        for (i, hz) in bandsHz.enumerated() {
            let tilt = -18 - 3 * log2(hz / 100)
            let resonance = 14 * exp(-pow(log2(hz / sweepHz) * 2.5, 2))
            let kickBump = 10 * kick * exp(-pow(log2(hz / 55) * 2, 2))
            let airRollOff = hz > 16_000 ? -20 * log2(hz / 16_000) : 0
            levels[i] = tilt + resonance + kickBump + airRollOff + 1.5 * sin(timeS * 3 + Double(i))
            // Peak hold that falls 12 dB per second.
            peaksDB[i] = max(levels[i], peaksDB[i] - 12 * elapsed)
        }
        let momentary = -9 + 3 * kick - 2 * (1 - kick)
        let shortTerm = -9.5 + sin(timeS / 3)
        if history.isEmpty || elapsed > 0 { history.append(shortTerm) }
        if history.count > 300 { history.removeFirst(history.count - 300) }
        let components: [(String, Double, Double, String)] = [
            ("tempo", 0.95, 0.20, "138.0 BPM, inside the 138-140 sweet spot"),
            ("pumping", 0.62 + 0.1 * sin(timeS / 5), 0.15, "moderate sidechain, 4.5 dB"),
            ("energy_progression", 0.81, 0.15, "breakdown 12 dB under the drop"),
            ("four_on_floor", 0.97, 0.12, "kick on every beat"),
            ("supersaw", 0.55, 0.10, "wide pad, ~18 cents detune"),
            ("acid_303", 0.22, 0.08, "little resonant sweep"),
            ("offbeat_hihat", 0.74, 0.08, "open hats on the off-beats"),
            ("brightness", 0.66, 0.07, "centroid 2.4 kHz"),
            ("tempo_stability", 0.99, 0.05, "steady grid"),
        ]
        let trance = TrackAnalysis.Trance(
            score: components.reduce(0) { $0 + $1.1 * $1.2 } * 100,
            components: components.map { TrackAnalysis.TranceComponent(name: $0.0, value: $0.1, weight: $0.2, reason: $0.3) })
        return AnalysisSnapshot(
            sequence: sequence,
            source: .init(kind: .file, name: "preview (synthetic)", state: state, sampleRate: 44_100, positionS: positionS,
                          durationS: durationS, droppedFrames: 0, underruns: 0, audioOutNote: audioOutNote),
            spectrum: .init(bandsHz: bandsHz, levelsDB: levels, peaksDB: peaksDB),
            loudness: .init(momentaryLUFS: momentary, shortTermLUFS: shortTerm, integratedLUFS: -9.4,
                            truePeakDBTP: -0.7, lraLU: 5.8, shortTermHistory: history),
            energy: energy, sections: sections,
            tempo: .init(bpm: bpm, confidence: 0.92, stability: 0.98, firstBeatS: 0),
            key: .init(tonic: "A", mode: "minor", camelot: "8A", strength: 0.81),
            trance: trance)
    }
}
