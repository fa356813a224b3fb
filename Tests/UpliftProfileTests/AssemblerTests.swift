import Foundation
import Testing
import UpliftModel
@testable import UpliftProfile

@Suite struct AssemblerTests {
    @Test func spectrumCurvesCompareShapeNotLevel() throws {
        // Same shape, masters 10 dB apart: after loudness matching every percentile curve is that shape.
        let bands = [100.0, 1000, 10_000]
        var quiet = TrackAnalysis(file: "/q.wav", durationS: 60, sampleRate: 44_100, channels: 2)
        quiet.loudness = .init(integratedLUFS: -20, lraLU: 5, truePeakDBTP: -6, samplePeakDBFS: -6, shortTermMaxLUFS: -18,
                               momentaryMaxLUFS: -17, plrDB: 14)
        quiet.spectrum = .init(bandsHz: bands, levelsDB: [-30, -35, -45], balanceDB: [:])
        var loud = quiet
        loud.file = "/l.wav"
        loud.loudness!.integratedLUFS = -10
        loud.spectrum!.levelsDB = [-20, -25, -35]
        let profile = try ProfileAssembler(options: .init(name: "s", roots: []))
            .assemble(tracks: Fixtures.tracks([quiet, loud]), skipped: [], analyzerVersion: 1)
        let curves = try #require(profile.spectrum)
        #expect(curves.normalization == .integratedLoudness && curves.referenceLevel == -14)
        #expect(curves.p10DB == [-24, -29, -39]) // −30 + (−14 − (−20))
        #expect(curves.p90DB == curves.p10DB)
        #expect(curves.n == [2, 2, 2])
        // A mix is laid over the curves the same way.
        #expect(curves.normalize(levelsDB: [-26, -31, -41], integratedLUFS: -16) == [-24, -29, -39])
    }

    @Test func histogramsAndSectionLayout() throws {
        var g = Gaussian(seed: 3)
        let base = (0..<4).map { Fixtures.analysis(.uplifting, file: "/u\($0).wav", noise: &g) }
        var analyses = base
        analyses[0].tempo!.bpm = 138.4; analyses[1].tempo!.bpm = 137.6; analyses[2].tempo!.bpm = 140.2; analyses[3].tempo!.bpm = 128
        for i in 0..<4 { analyses[i].key = .init(tonic: "A", mode: "minor", camelot: i == 3 ? "11A" : "8A", strength: 0.8) }
        let profile = try ProfileAssembler(options: .init(name: "h", roots: []))
            .assemble(tracks: Fixtures.tracks(analyses), skipped: [], analyzerVersion: 1)
        #expect(profile.tempoHistogram == [.init(bpm: 128, count: 1), .init(bpm: 138, count: 2), .init(bpm: 140, count: 1)])
        #expect(profile.keyHistogram.map(\.camelot) == ["8A", "11A"])
        #expect(profile.keyHistogram.map(\.count) == [3, 1])
        let unmoved = try ProfileAssembler(options: .init(name: "h", roots: []))
            .assemble(tracks: Fixtures.tracks(base), skipped: [], analyzerVersion: 1)
        let layout = try #require(unmoved.sectionLayout)
        // Fixture: intro 32 bars, breakdown 16, buildup 8, drop 32; bar RMS −14/−20/−16/−10 dB.
        #expect(abs(layout.kinds["breakdown"]!.bars.median - 16) < 1e-9)
        #expect(abs(layout.kinds["drop"]!.bars.median - 32) < 1e-9)
        #expect(layout.kinds["outro"]!.tracksWith == 0)
        #expect(abs(layout.kinds["drop"]!.rmsDB!.median - -10) < 1e-9)
        #expect(abs(layout.kinds["breakdown"]!.relativeRMSDB!.median - -10) < 1e-9)
        #expect(abs(layout.dropBreakdownContrastDB!.median - 10) < 1e-9)
    }

    @Test func tooFewTracksGiveNoClustersButStatistics() throws {
        var g = Gaussian(seed: 5)
        let analyses = (0..<3).map { Fixtures.analysis(.acid, file: "/a\($0).wav", noise: &g) }
        let profile = try ProfileAssembler(options: .init(name: "few", roots: []))
            .assemble(tracks: Fixtures.tracks(analyses), skipped: [], analyzerVersion: 1)
        #expect(profile.clusters.isEmpty && profile.silhouette == nil)
        #expect(profile.features["tempo.bpm"]?.n == 3)
        #expect(profile.trackCount == 3)
    }

    @Test func noTracksIsAnError() {
        #expect(throws: ProfileError.self) {
            try ProfileAssembler(options: .init(name: "none", roots: [])).assemble(tracks: [], skipped: [], analyzerVersion: 1)
        }
    }
}
