import Foundation
import Testing
import UpliftModel
@testable import UpliftGaps

@Suite struct SpectrumGapTests {
    /// Ten references: a flat -30 dB spectrum with ±0.3 dB of wobble per band.
    func profile() throws -> Profile {
        let n = GapFixtures.bandsHz.count
        let refs = (0..<10).map { s in
            GapFixtures.spectral("/refs/\(s).wav", levels: (0..<n).map { -30 + GapFixtures.wobble($0, s, amplitude: 0.3) })
        }
        return try GapFixtures.profile(refs)
    }

    func index(_ hz: Double) -> Int { GapFixtures.bandsHz.firstIndex { abs($0 - hz) / hz < 0.01 }! }

    @Test func neighbouringBandsOutOfRangeMergeIntoOneGapPerDirection() throws {
        let profile = try profile()
        var levels = [Double](repeating: -30, count: GapFixtures.bandsHz.count)
        // +3 dB over 5 bands around 250 Hz (160…400 Hz), −4 dB over 4 bands from 4 kHz, and a lone +2 dB band (noise).
        let up = index(158.7)...index(400)
        for i in up { levels[i] += 3 }
        let down = index(4000)...index(6349.6)
        for i in down { levels[i] -= 4 }
        levels[index(1000)] += 2
        let mix = GapFixtures.spectral("mix.wav", levels: levels)
        let gaps = try GapAnalyzer().analyze(mix: mix, profile: profile).gaps.filter { $0.kind == .spectrum }
        #expect(gaps.count == 2)
        let high = try #require(gaps.first { $0.direction == .high }?.band)
        #expect(high.bandCount == up.count)
        #expect(abs(high.sizeDB - 3) < 0.35)
        let expectedCentre = (GapFixtures.bandsHz[up.lowerBound] * GapFixtures.bandsHz[up.upperBound]).squareRoot()
        #expect(abs(log2(high.centreHz / expectedCentre)) < 0.01)
        #expect(abs(high.widthOctaves - Double(up.count) / 6) < 0.01)
        let low = try #require(gaps.first { $0.direction == .low }?.band)
        #expect(low.bandCount == down.count)
        #expect(abs(low.sizeDB + 4) < 0.35)
        // Fixes: a bell that closes 70 % of each run's peak, centred on it.
        let cut = try #require(gaps.first { $0.direction == .high }?.fixes.first)
        guard case let .eq(shape, f, g, q) = cut.action else { Issue.record("not an EQ"); return }
        #expect(shape == .bell)
        #expect(abs(g + 0.7 * high.sizeDB) < 1e-9)
        #expect(abs(log2(f / expectedCentre)) < 0.2)
        #expect(FixSizer.qRange.contains(q))
    }

    @Test func aRunReachingTheLowestBandBecomesALowShelf() throws {
        let profile = try profile()
        var levels = [Double](repeating: -30, count: GapFixtures.bandsHz.count)
        for i in 0...index(100) { levels[i] += 4 }
        levels[index(100) + 1] += 1.5
        let gap = try #require(try GapAnalyzer().analyze(mix: GapFixtures.spectral("mix.wav", levels: levels), profile: profile).gaps.first)
        guard case let .eq(shape, f, g, _) = try #require(gap.fixes.first).action else { Issue.record("not an EQ"); return }
        #expect(shape == .lowShelf)
        #expect(abs(g + 2.8) < 0.25)
        #expect(f > 100 && f < 113) // half-gain point between the last +4 band and the +1.5 one
    }

    @Test func eqMovesAreClampedToSafeLimits() {
        let sizer = FixSizer(amount: 0.7)
        let (action, clamped) = sizer.eq(bandsHz: [900, 1000, 1120], departures: [6, 12, 6], atLowEdge: false, atHighEdge: false)
        guard case let .eq(_, _, g, q) = action else { Issue.record("not an EQ"); return }
        #expect(g == -6 && clamped) // 70 % of 12 dB is 8.4 dB: clamped to one safe move
        #expect(q >= 0.3 && q <= 8)
        let (narrow, narrowClamped) = sizer.eq(bandsHz: [1000], departures: [-4], atLowEdge: false, atHighEdge: false)
        guard case let .eq(_, _, g2, q2) = narrow else { Issue.record("not an EQ"); return }
        #expect(abs(g2 - 2.8) < 1e-9 && q2 == 8 && narrowClamped) // a 1/6-octave bump would need Q 8.65
        #expect(abs(FixSizer.q(forOctaves: 1) - 2.0.squareRoot()) < 1e-12) // RBJ: one octave is Q √2
        #expect(sizer.widthFactor(sideMidRatio: 0.01, target: 0.5)!.factor == 2) // ×7.4 wanted, 2 allowed
        #expect(sizer.widthFactor(sideMidRatio: 0.001, target: 0.5) == nil) // mono: nothing to widen
        let (gain, gainClamped) = sizer.sectionGain(departureDB: 10)
        #expect(gain == -6 && gainClamped)
    }
}

@Suite struct ClusterChoiceTests {
    /// Two planted groups: 132 BPM / narrow and 140 BPM / wide, six tracks each.
    func profile() throws -> Profile {
        var analyses: [TrackAnalysis] = []
        for i in 0..<12 {
            let fast = i % 2 == 1
            var a = TrackAnalysis(file: "/refs/\(fast ? "fast" : "slow")\(i).wav", durationS: 60, sampleRate: 44_100, channels: 2)
            let j = Double(i / 2) - 2.5
            a.tempo = .init(bpm: (fast ? 140 : 132) + 0.2 * j, confidence: 0.9, stability: 0.95, firstBeatS: 0)
            a.stereo = .init(correlation: 0.5, sideMidRatio: (fast ? 0.30 : 0.10) + 0.01 * j, bands: [:])
            analyses.append(a)
        }
        return try GapFixtures.profile(analyses, clusters: 2)
    }

    func mix(bpm: Double, ratio: Double) -> TrackAnalysis {
        var m = TrackAnalysis(file: "mix.wav", durationS: 60, sampleRate: 44_100, channels: 2)
        m.tempo = .init(bpm: bpm, confidence: 0.9, stability: 0.95, firstBeatS: 0)
        m.stereo = .init(correlation: 0.5, sideMidRatio: ratio, bands: [:])
        return m
    }

    @Test func theNearestClusterIsChosenAutomatically() throws {
        let profile = try profile()
        #expect(profile.clusters.count == 2)
        let fastCluster = try #require(profile.clusters.first { $0.members.allSatisfy { $0.contains("fast") } })
        // 138 BPM and wide: nearer the fast group; against it the tempo is a gap (low), width is not.
        let report = try GapAnalyzer().analyze(mix: mix(bpm: 138, ratio: 0.30), profile: profile)
        #expect(report.cluster?.id == fastCluster.id && report.cluster?.how == "nearest")
        let tempo = try #require(report.gaps.first { $0.feature == "tempo.bpm" })
        #expect(tempo.direction == .low && abs(tempo.profileP50 - 140) < 1e-9)
        #expect(!report.gaps.contains { $0.feature == "stereo.side_mid_ratio" })
        // Against the whole (bimodal) profile 138 BPM is inside p10–p90.
        var whole = GapAnalyzer.Options(); whole.wholeProfile = true
        #expect(try !GapAnalyzer(options: whole).analyze(mix: mix(bpm: 138, ratio: 0.30), profile: profile).gaps.contains { $0.feature == "tempo.bpm" })
    }

    @Test func aNamedClusterIsUsedAndAnUnknownOneListsTheCandidates() throws {
        let profile = try profile()
        let slow = try #require(profile.clusters.first { $0.members.allSatisfy { $0.contains("slow") } })
        let report = try GapAnalyzer(options: .init(cluster: String(slow.id))).analyze(mix: mix(bpm: 138, ratio: 0.30), profile: profile)
        #expect(report.cluster?.id == slow.id && report.cluster?.how == "named")
        #expect(report.gaps.contains { $0.feature == "tempo.bpm" && $0.direction == .high })
        let byName = try GapAnalyzer(options: .init(cluster: slow.name.uppercased())).analyze(mix: mix(bpm: 138, ratio: 0.3), profile: profile)
        #expect(byName.cluster?.id == slow.id)
        #expect(throws: GapsError.self) { try GapAnalyzer(options: .init(cluster: "nope")).analyze(mix: mix(bpm: 138, ratio: 0.3), profile: profile) }
        do {
            _ = try GapAnalyzer(options: .init(cluster: "nope")).analyze(mix: mix(bpm: 138, ratio: 0.3), profile: profile)
        } catch let error as GapsError {
            #expect(error.message.contains(slow.name))
        }
    }
}
