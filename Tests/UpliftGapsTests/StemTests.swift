import Foundation
import Testing
import UpliftAudio
import UpliftDSP
import UpliftModel
import UpliftSynth
@testable import UpliftGaps
@testable import UpliftProfile

/// `uplift gaps --stems`: the held-back track of the degradation set rendered as three stems
/// (drums, bass, pads + acid), the bass stem alone boosted +6 dB at 100 Hz, the mix their sum.
enum StemFixture {
    static func stemRecipe(_ keep: (TrancePattern) -> TrancePattern) -> TranceRecipe {
        var recipe = DegradationSet.recipe(seed: DegradationSet.heldBackSeed)
        recipe.sections = recipe.sections.map { TranceSection(kind: $0.kind, bars: $0.bars, pattern: keep($0.pattern)) }
        recipe.peakDBFS = nil
        return recipe
    }

    static func sum(_ parts: [[Float]]) -> [Float] {
        var out = [Float](repeating: 0, count: parts.map(\.count).min()!)
        for p in parts { for i in out.indices { out[i] += p[i] } }
        return out
    }

    struct Rendered {
        var mix: TrackAnalysis
        var stems: [StemSet.Stem]
    }

    /// Analyses of the mix and of its stems (Drums, Bass, Pads); `boostDB` at 100 Hz (Q 1) on the
    /// stem at `boostedStem` only.
    static func render(boostDB: Double, boostedStem: Int = 1) -> Rendered {
        let sr = DegradationSet.sampleRate
        let drums = stemRecipe { p in var q = p; q.bass = false; q.pads = false; q.acid = false; return q }.render(sampleRate: sr)
        let bass = stemRecipe { p in TrancePattern(bass: p.bass) }.render(sampleRate: sr)
        let pads = stemRecipe { p in TrancePattern(pads: p.pads, acid: p.acid, filterOpening: p.filterOpening) }.render(sampleRate: sr)
        let rendered = [drums, bass, pads]
        var parts = rendered.indices.map { i in
            i == boostedStem ? DegradationSet.filtered(rendered[i], .peaking(gainDB: boostDB), frequencyHz: 100, q: 1) : rendered[i].interleaved
        }
        let n = parts.map(\.count).min()!
        parts = parts.map { Array($0[0..<n]) }
        // One gain for all, as a mixer fader would: the stems still sum to the mix.
        let mix = sum(parts)
        let peak = mix.map(abs).max()!
        let scale = Float(pow(10, -1.0 / 20)) / peak
        parts = parts.map { $0.map { $0 * scale } }
        let mixAnalysis = DegradationSet.analyze(interleaved: sum(parts), sampleRate: sr, name: "/mix.wav")
        let names = ["Drums", "Bass", "Pads"]
        let stems = names.indices.map { i in
            StemSet.Stem(track: names[i], file: "/stems/\(names[i]).wav",
                         analysis: DegradationSet.analyze(interleaved: parts[i], sampleRate: sr, name: "/stems/\(names[i]).wav"))
        }
        return Rendered(mix: mixAnalysis, stems: stems)
    }

    static let boosted = render(boostDB: 6)

    static let set = LiveSetDescription(tracks: ["Mix Bus", "Drums", "Bass", "Pads"].enumerated().map {
        LiveSetDescription.Track(index: $0.offset, name: $0.element, devices: [])
    })

    /// The gap that covers 100 Hz (a spectrum run or the bass balance band), too high.
    static func lowEndGap(_ report: GapReport) -> Gap? {
        report.gaps.first { g in
            g.direction == .high && (g.band.map { $0.lowHz <= 100 && $0.highHz >= 100 }
                ?? (g.feature == "spectrum.balance_db.bass"))
        }
    }
}

@Suite("Stems (--stems)")
struct StemTests {
    @Test("a +6 dB at 100 Hz in the bass stem alone is attributed to the Bass track, and its EQ lands there")
    func bassBoostLandsOnBassTrack() throws {
        let r = StemFixture.boosted
        let stems = StemSet(stems: r.stems)
        #expect(stems.stem(forRole: "bass")?.track == "Bass")
        let report = try GapAnalyzer(options: .init(amount: 0.7)).analyze(mix: r.mix, profile: DegradationSet.profile, stems: stems)
        let gap = try #require(StemFixture.lowEndGap(report), "no low-end gap in \(report.gaps.map(\.feature))")
        #expect(gap.measuredOn == "stem:Bass")
        #expect(gap.reason.contains("\"Bass\""))
        let first = try #require(gap.fixes.first)
        #expect(first.scope == .track("Bass"))
        guard case let .eq(_, frequencyHz, gainDB, _) = first.action else { Issue.record("not an EQ: \(first.action)"); return }
        #expect(gainDB < -1 && gainDB >= -FixSizer.maxGainDB)
        #expect(frequencyHz > 50 && frequencyHz < 200)
        // Mapped onto a set, it names the Bass track, not the mix bus.
        let mapped = FixMapper(set: StemFixture.set).map(first)
        #expect(mapped.track == "Bass")
        #expect(mapped.needs == "add EQ Eight to Bass")
        // The mix-bus EQ stays as the alternative.
        #expect(gap.fixes.contains { $0.scope == .mixBus })
        // In JSON: the stem is named, and the field is additive (an old report without it decodes).
        let json = try ReportFormatter.json(report)
        #expect(json.contains("\"measured_on\" : \"stem:Bass\"") || json.contains("\"measured_on\":\"stem:Bass\""))
        #expect(json.contains("track:Bass"))
        let decoded = try UpliftJSON.decoder().decode(GapReport.self, from: Data(json.utf8))
        #expect(decoded == report)
    }

    @Test("without stems the same gap's fix stays on the mix bus (so the attribution comes from the stems)")
    func withoutStemsMixBus() throws {
        let r = StemFixture.boosted
        let report = try GapAnalyzer(options: .init(amount: 0.7)).analyze(mix: r.mix, profile: DegradationSet.profile)
        let gap = try #require(StemFixture.lowEndGap(report))
        #expect(gap.measuredOn == nil)
        #expect(gap.fixes.allSatisfy { $0.scope != .track("Bass") })
        #expect(gap.fixes.first?.scope == .mixBus)
    }

    @Test("stem EQ sizing: a stem holding a share f of the band moves the mix by 10·log10(1 − f + f·10^(g/10))")
    func stemGainSizing() throws {
        let r = StemFixture.boosted
        let report = try GapAnalyzer(options: .init(amount: 0.7)).analyze(mix: r.mix, profile: DegradationSet.profile,
                                                                          stems: StemSet(stems: r.stems))
        let gap = try #require(StemFixture.lowEndGap(report))
        guard case let .eq(_, _, stemGain, _) = gap.fixes[0].action,
              let mixFix = gap.fixes.first(where: { $0.scope == .mixBus }), case let .eq(_, _, mixGain, _) = mixFix.action,
              let range = GapAnalyzer().bandRange(of: gap) else { Issue.record("expected two EQ fixes"); return }
        let powers = r.stems.map { GapAnalyzer.bandPower($0.analysis.spectrum, range.lowerBound, range.upperBound) ?? 0 }
        let share = powers[1] / powers.reduce(0, +)
        #expect(share > 0.5)
        let mixMove = 10 * log10(1 - share + share * pow(10, stemGain / 10))
        // Same move on the mix as the mix-bus EQ unless clamped; a cut on one stem must be deeper.
        if abs(stemGain) < FixSizer.maxGainDB { #expect(abs(mixMove - mixGain) < 0.15) }
        #expect(stemGain <= mixGain + 0.05)
    }

    @Test("the same boost on the drums stem instead lands on the Drums track")
    func drumsBoostLandsOnDrums() throws {
        let r = StemFixture.render(boostDB: 6, boostedStem: 0)
        let report = try GapAnalyzer(options: .init(amount: 0.7)).analyze(mix: r.mix, profile: DegradationSet.profile,
                                                                          stems: StemSet(stems: r.stems))
        let gap = try #require(StemFixture.lowEndGap(report), "no low-end gap in \(report.gaps.map(\.feature))")
        #expect(gap.measuredOn == "stem:Drums")
        #expect(gap.fixes.first?.scope == .track("Drums"))
    }

    @Test("stem names: Live's number prefixes go, the track name stays")
    func trackNames() {
        #expect(StemSet.trackName(fromFile: "/x/Bass.wav") == "Bass")
        #expect(StemSet.trackName(fromFile: "/x/3-Acid Bass.wav") == "Acid Bass")
        #expect(StemSet.trackName(fromFile: "/x/03 Pads.aiff") == "Pads")
        #expect(StemSet.trackName(fromFile: "/x/909.wav") == "909")
        let set = StemSet(stems: ["Kick", "Acid Bass", "Sub Bass", "Lead Synth"].map {
            StemSet.Stem(track: $0, file: "/x/\($0).wav", analysis: TrackAnalysis(file: $0, durationS: 1, sampleRate: 44_100, channels: 2))
        }, roles: RoleTable(explicit: ["bass": "Sub Bass"]))
        #expect(set.stem(forRole: "kick")?.track == "Kick")
        #expect(set.stem(forRole: "acid")?.track == "Acid Bass")
        #expect(set.stem(forRole: "bass")?.track == "Sub Bass")
        #expect(set.stem(forRole: "lead")?.track == "Lead Synth")
    }

    @Test("a missing folder is a clear error; an undecodable stem is a warning and is left out")
    func loadErrors() throws {
        let missing = "/nonexistent-\(UUID().uuidString)"
        #expect { try StemSet.load(directory: missing, roles: RoleTable()) } throws: { error in
            (error as? GapsError)?.code == .badArgument && "\(error)".contains("no such folder")
        }
        let dir = NSTemporaryDirectory() + "uplift-stems-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect { try StemSet.load(directory: dir, roles: RoleTable()) } throws: { "\($0)".contains("no audio files") }
        try Data("not audio at all".utf8).write(to: URL(fileURLWithPath: dir + "/Broken.wav"))
        let tone = (0..<22_050).flatMap { i -> [Float] in let v = Float(0.3 * sin(2 * Double.pi * 110 * Double(i) / 22_050)); return [v, v] }
        try AudioFileWriter.write(tone, channels: 2, sampleRate: 22_050, format: .wavPCM16, to: dir + "/2-Bass.wav")
        let (stems, warnings) = try StemSet.load(directory: dir, roles: RoleTable())
        #expect(stems.stems.map(\.track) == ["Bass"])
        #expect(stems.stems.first?.role == "bass")
        #expect(warnings.count == 1 && warnings[0].contains("Broken.wav") && warnings[0].contains("measured on the mix"))
    }
}

@Suite("Stems: attribution on hand-built analyses")
struct StemWidthTests {
    /// A flat spectrum of `totalPower` spread over 10 bands, and a side/mid ratio.
    static func analysis(_ name: String, totalPower: Double, sideMidRatio: Double) -> TrackAnalysis {
        var a = TrackAnalysis(file: name, durationS: 10, sampleRate: 44_100, channels: 2)
        let bands = (0..<10).map { 100 * pow(2, Double($0)) / 4 }
        a.spectrum = .init(bandsHz: bands, levelsDB: bands.map { _ in 10 * log10(totalPower / 10) }, balanceDB: [:])
        a.stereo = .init(correlation: 0.5, sideMidRatio: sideMidRatio, bands: [:])
        return a
    }

    @Test("a narrow mix: the Utility goes on the non-bass stem with the most side energy, sized to reach the target")
    func widthOnWidestNonBassStem() {
        // Stems: Bass 1.0 at ratio 0.5 (wide, but low end stays mono), Pads 1.0 at 0.1, Lead 1.0 at 0.02.
        let bass = Self.analysis("Bass", totalPower: 1, sideMidRatio: 0.5)
        let pads = Self.analysis("Pads", totalPower: 1, sideMidRatio: 0.1)
        let lead = Self.analysis("Lead", totalPower: 1, sideMidRatio: 0.02)
        func ms(_ r: Double) -> (Double, Double) { (1 / (1 + r), r / (1 + r)) }
        let mid = ms(0.5).0 + ms(0.1).0 + ms(0.02).0, side = ms(0.5).1 + ms(0.1).1 + ms(0.02).1
        let mix = Self.analysis("mix", totalPower: mid + side, sideMidRatio: side / mid)
        let stems = StemSet(stems: [("Bass", bass), ("Pads", pads), ("Lead", lead)].map { StemSet.Stem(track: $0.0, file: $0.0, analysis: $0.1) })
        let target = 0.3
        var gap = Gap(id: "g", kind: .feature, feature: "stereo.side_mid_ratio", section: nil, value: side / mid, unit: "ratio",
                      profileP10: 0.25, profileP50: target, profileP90: 0.35, z: -3, percentile: 0, direction: .low, severity: 3,
                      importance: 0.6, fixability: 1, priority: 1.8, reason: "r", fixes: [])
        let analyzer = GapAnalyzer(options: .init(amount: 1))
        let profile = try! GapFixtures.profile([Self.analysis("/refs/a.wav", totalPower: 1, sideMidRatio: 0.3)], name: "widths")
        analyzer.attributeWidth(&gap, mix: mix, stems: stems, profile: profile)
        #expect(gap.measuredOn == "stem:Pads")
        let fix = try! #require(gap.fixes.first)
        #expect(fix.scope == .track("Pads"))
        guard case let .utility(widthPercent) = fix.action else { Issue.record("\(fix.action)"); return }
        // amount 1: the mix's side must reach 0.3 × mid; Pads' side scales by k².
        let k2 = (target * mid - (side - ms(0.1).1)) / ms(0.1).1
        let expected = min(max(k2.squareRoot(), 0.5), 2) * 100
        #expect(abs(widthPercent - expected.rounded()) <= 1, "\(widthPercent) vs \(expected)")
    }

    @Test("too little energy above 4 kHz: the advice goes to the stem that carries the highs")
    func brightnessAdviceOnBrightStem() throws {
        var lead = Self.analysis("Lead", totalPower: 1, sideMidRatio: 0.1)
        var pads = Self.analysis("Pads", totalPower: 1, sideMidRatio: 0.1)
        // Bands 25 Hz … 12.8 kHz: the lead holds the top two (6.4 and 12.8 kHz) at -10 dB, the pads at -30 dB.
        lead.spectrum!.levelsDB = lead.spectrum!.bandsHz.map { $0 >= 4000 ? -10 : -40 }
        pads.spectrum!.levelsDB = pads.spectrum!.bandsHz.map { $0 >= 4000 ? -30 : -5 }
        let stems = StemSet(stems: [StemSet.Stem(track: "Pads", file: "Pads", analysis: pads), StemSet.Stem(track: "Lead", file: "Lead", analysis: lead)])
        let fix = Fix(id: "f", gapID: "g", action: .advice("brighter"), scope: .mixBus, expectedEffect: "by hand", expectedValue: nil,
                      confidence: 0.3, adviceOnly: true)
        let gap = Gap(id: "g", kind: .feature, feature: "brightness.high_ratio", section: nil, value: 0.01, unit: "ratio",
                      profileP10: 0.03, profileP50: 0.05, profileP90: 0.07, z: -3, percentile: 0, direction: .low, severity: 3,
                      importance: 0.35, fixability: 0.25, priority: 0.26, reason: "r", fixes: [fix])
        let profile = try GapFixtures.profile([Self.analysis("/refs/a.wav", totalPower: 1, sideMidRatio: 0.3)], name: "bright")
        let out = GapAnalyzer().attribute([gap], mix: Self.analysis("mix", totalPower: 2, sideMidRatio: 0.1), stems: stems, profile: profile)
        #expect(out[0].measuredOn == "stem:Lead")
        #expect(out[0].fixes[0].scope == .track("Lead"))
        #expect(out[0].reason.contains("\"Lead\" (lead) carries 99 %"))
    }
}
