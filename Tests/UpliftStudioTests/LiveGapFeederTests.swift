import Foundation
import Testing
import UpliftModel
@testable import UpliftStudio

/// What the live gap report compares: only whole, confirmed sections inside the rolling window (a section cut by
/// the window's start, still playing, or whose label may change would compare a part with the references' wholes),
/// with the window's bars on the same clock as the sections.
struct LiveGapFeederTests {
    static let bar = 240.0 / 138

    static func music(sections: [TrackAnalysis.Section], provisionalFrom: Int, windowStartS: Double, windowEndS: Double) -> LiveMusic {
        let energy = (0..<Int(windowEndS / bar)).map { TrackAnalysis.EnergyPoint(tS: Double($0) * bar, rmsDB: -20, centroidHz: 1000, bassRatio: 0.3) }
        var window = TrackAnalysis(file: "live", durationS: windowEndS - windowStartS, sampleRate: 44_100, channels: 2)
        window.sections = [TrackAnalysis.Section(kind: .drop, startS: 0, endS: windowEndS - windowStartS)]  // the window's own, partial
        return LiveMusic(tempo: nil, grid: LiveMusic.Grid(bpm: 138, downbeatS: 0), energy: energy, sections: sections,
                         provisionalFrom: provisionalFrom, window: window, windowStartS: windowStartS, windowEndS: windowEndS,
                         windowBars: 32, summaries: 1, summaryMS: 1)
    }

    @Test func onlyWholeConfirmedSectionsInsideTheWindowAreCompared() {
        let intro = TrackAnalysis.Section(kind: .intro, startS: 0, endS: 16 * Self.bar)
        let breakdown = TrackAnalysis.Section(kind: .breakdown, startS: 16 * Self.bar, endS: 32 * Self.bar)
        let buildup = TrackAnalysis.Section(kind: .buildup, startS: 32 * Self.bar, endS: 40 * Self.bar)
        let drop = TrackAnalysis.Section(kind: .drop, startS: 40 * Self.bar, endS: 46 * Self.bar)  // still playing
        // Window: bars 14–46. The intro began before it; the buildup is whole but not yet confirmed.
        let music = Self.music(sections: [intro, breakdown, buildup, drop], provisionalFrom: 2,
                               windowStartS: 14 * Self.bar, windowEndS: 46 * Self.bar)
        let analysis = LiveGapFeeder.withWholeSections(music)
        #expect(analysis.sections == [breakdown])
        let curve = analysis.energy?.curve ?? []
        #expect(curve.count == 32 && abs((curve.first?.tS ?? 0) - 14 * Self.bar) < 1e-6, "the window's bars, on the stream clock")

        // Once the buildup is confirmed (and the drop has begun after it), it is compared too.
        let later = Self.music(sections: [intro, breakdown, buildup, drop], provisionalFrom: 3,
                               windowStartS: 14 * Self.bar, windowEndS: 46 * Self.bar)
        #expect(LiveGapFeeder.withWholeSections(later).sections == [breakdown, buildup])
        // Nothing whole yet: no section gaps at all (not the window's partial drop).
        let early = Self.music(sections: [intro], provisionalFrom: 0, windowStartS: 0, windowEndS: 10 * Self.bar)
        #expect(LiveGapFeeder.withWholeSections(early).sections == nil)
    }
}
