import Foundation
import UpliftModel
import UpliftTerminal
@testable import UpliftTUI

/// Hand-made snapshots whose content is known, and small helpers to read a rendered screen.
enum Fixtures {
    /// 1/6-octave centres from 20 Hz up (60 bands, to ~18 kHz).
    static let bandsHz: [Double] = (0...59).map { 20 * pow(2, Double($0) / 6) }

    static func source(kind: AnalysisSnapshot.SourceKind = .file, state: AnalysisSnapshot.InputState = .running,
                       positionS: Double = 30, durationS: Double? = 120, drops: Int = 0,
                       audioOutNote: String? = nil) -> AnalysisSnapshot.Source {
        .init(kind: kind, name: "/music/mix.wav", state: state, sampleRate: 44_100, positionS: positionS,
              durationS: durationS, droppedFrames: drops, underruns: 0, audioOutNote: audioOutNote)
    }

    /// A flat spectrum at `floorDB` with one band (the one nearest `peakHz`) at `peakDB`.
    static func spectrum(peakHz: Double, peakDB: Double = -6, floorDB: Double = -60,
                         holdDB: Double? = nil) -> AnalysisSnapshot.LiveSpectrum {
        let nearest = bandsHz.indices.min { abs(log2(bandsHz[$0] / peakHz)) < abs(log2(bandsHz[$1] / peakHz)) }!
        var levels = [Double](repeating: floorDB, count: bandsHz.count)
        levels[nearest] = peakDB
        var peaks = levels
        if let holdDB { peaks[nearest] = holdDB }
        return .init(bandsHz: bandsHz, levelsDB: levels, peaksDB: peaks)
    }

    static let loudness = AnalysisSnapshot.LiveLoudness(
        momentaryLUFS: -12.3, shortTermLUFS: -13.4, integratedLUFS: -14.5, truePeakDBTP: -0.4, lraLU: 6.7,
        shortTermHistory: (0..<50).map { -30 + Double($0) * 0.4 })

    /// 40 bars of 3 s: intro 0–30 s, breakdown 30–60, buildup 60–75, drop 75–105, outro 105–120.
    static let sections: [TrackAnalysis.Section] = [
        .init(kind: .intro, startS: 0, endS: 30), .init(kind: .breakdown, startS: 30, endS: 60),
        .init(kind: .buildup, startS: 60, endS: 75), .init(kind: .drop, startS: 75, endS: 105),
        .init(kind: .outro, startS: 105, endS: 120),
    ]

    static let energy: [TrackAnalysis.EnergyPoint] = (0..<40).map { bar in
        let t = Double(bar) * 3
        let level: Double = t >= 75 && t < 105 ? -6 : (t >= 30 && t < 60 ? -24 : -14)
        return .init(tS: t, rmsDB: level, centroidHz: 2000, bassRatio: 0.4)
    }

    static let trance = TrackAnalysis.Trance(score: 64, components: [
        .init(name: "tempo", value: 1.0, weight: 0.20, reason: "138 BPM"),
        .init(name: "pumping", value: 0.5, weight: 0.15, reason: "moderate"),
        .init(name: "energy_progression", value: 0.8, weight: 0.15, reason: "clear arc"),
        .init(name: "four_on_floor", value: 0.9, weight: 0.12, reason: "kick on every beat"),
        .init(name: "supersaw", value: 0.3, weight: 0.10, reason: "narrow pad"),
        .init(name: "acid_303", value: 0.0, weight: 0.08, reason: "no acid line"),
        .init(name: "offbeat_hihat", value: 0.7, weight: 0.08, reason: "offbeat hats"),
        .init(name: "brightness", value: 0.6, weight: 0.07, reason: "centroid 2 kHz"),
        .init(name: "tempo_stability", value: 0.95, weight: 0.05, reason: "steady"),
    ])

    static func snapshot(sequence: Int = 1, source: AnalysisSnapshot.Source = Fixtures.source(),
                         spectrum: AnalysisSnapshot.LiveSpectrum? = Fixtures.spectrum(peakHz: 1000),
                         loudness: AnalysisSnapshot.LiveLoudness? = Fixtures.loudness,
                         energy: [TrackAnalysis.EnergyPoint] = Fixtures.energy,
                         sections: [TrackAnalysis.Section] = Fixtures.sections,
                         bpm: Double? = 138, confidence: Double = 0.9,
                         trance: TrackAnalysis.Trance? = Fixtures.trance) -> AnalysisSnapshot {
        AnalysisSnapshot(sequence: sequence, source: source, spectrum: spectrum, loudness: loudness, energy: energy,
                         sections: sections,
                         tempo: bpm.map { .init(bpm: $0, confidence: confidence, stability: 0.9, firstBeatS: 0) },
                         key: .init(tonic: "A", mode: "minor", camelot: "8A", strength: 0.8), trance: trance)
    }

    static let defaultTheme = ThemeCatalog.defaultTheme.resolved(for: .truecolor)

    static func screen(_ size: Size, snapshot: AnalysisSnapshot? = Fixtures.snapshot(), unicode: Bool = true,
                       theme: ResolvedTheme = Fixtures.defaultTheme,
                       configure: (inout AppState) -> Void = { _ in }) -> CellBuffer {
        var state = AppState(size: size, useUnicode: unicode)
        if let snapshot { _ = reduce(&state, .snapshotPublished(snapshot)) }
        configure(&state)
        return render(state: state, snapshot: snapshot, size: size, theme: theme)
    }

    /// Where each pane sits on a screen of `size` (the body above the status line).
    static func paneRect(_ pane: PaneKind, size: Size, panes: [PaneKind] = PaneKind.livePanes) -> Rect {
        let body = Rect(x: 0, y: 0, width: size.width, height: size.height - 1)
        return ScreenLayout.rects(for: panes, in: body).first { $0.pane == pane }!.rect
    }
}

extension CellBuffer {
    /// Every position where `text` starts on a row.
    func positions(of text: String) -> [(x: Int, y: Int)] {
        var found: [(Int, Int)] = []
        let needle = Array(text)
        for y in 0..<height {
            let row = Array(line(y))
            guard row.count >= needle.count else { continue }
            for x in 0...(row.count - needle.count) where Array(row[x..<(x + needle.count)]) == needle { found.append((x, y)) }
        }
        return found
    }

    func contains(_ text: String) -> Bool { !positions(of: text).isEmpty }

    /// The text of a rectangle, row by row.
    func text(in rect: Rect) -> [String] {
        (rect.y..<rect.maxY).map { y in String((rect.x..<rect.maxX).map { self[$0, y].symbol }) }
    }
}

/// A trance arrangement whose levels are known by construction: 138 BPM, 128 bars, drops at -6 dB RMS,
/// breakdowns 12 dB under them (-18), intro and outro at -14, buildups rising, and an 8-bar silent tail
/// (digital silence reads -107.9 dB) that must not stretch the energy scale.
enum Arrangement {
    static let barS = 4 * 60 / 138.0
    /// (kind, first bar 0-based, bar count, level or nil for a rising buildup)
    static let parts: [(TrackAnalysis.SectionKind, Int, Int)] = [
        (.intro, 0, 16), (.breakdown, 16, 16), (.buildup, 32, 8), (.drop, 40, 32),
        (.breakdown, 72, 16), (.buildup, 88, 8), (.drop, 96, 16), (.outro, 112, 16),
    ]
    static let silentFromBar = 120
    static let barCount = 128
    static var durationS: Double { Double(barCount) * barS }

    static func level(bar: Int) -> Double {
        if bar >= silentFromBar { return -107.9 }
        let part = parts.first { bar >= $0.1 && bar < $0.1 + $0.2 }!
        switch part.0 {
        case .intro, .outro: return -14
        case .breakdown: return -18
        case .drop: return -6
        case .buildup: return -18 + 10 * Double(bar - part.1) / Double(part.2)
        }
    }

    static let energy: [TrackAnalysis.EnergyPoint] = (0..<barCount).map {
        .init(tS: Double($0) * barS, rmsDB: level(bar: $0), centroidHz: 2000, bassRatio: 0.4)
    }
    static let sections: [TrackAnalysis.Section] = parts.map {
        .init(kind: $0.0, startS: Double($0.1) * barS, endS: Double($0.1 + $0.2) * barS)
    }

    /// At bar 97 + a little: the first bar of the second drop.
    static func snapshot(positionS: Double = 96.5 * barS) -> AnalysisSnapshot {
        Fixtures.snapshot(source: Fixtures.source(positionS: positionS, durationS: durationS), energy: energy, sections: sections)
    }
}
