import Testing
import UpliftAnalysis
import UpliftModel
import UpliftSynth

/// The relative major/minor decision (issue 18): a minor loop i–VI–III–VII and the relative
/// major's I–V–vi–IV are the same four chords, so a whole-track chroma cannot tell them apart; only
/// which chord the sections start on can (`KeyDetector`'s phrase-start cue).
@Suite("Key: a loop's first chord decides between relative major and minor")
struct KeyPhraseStartTests {
    static let rate = 22_050.0

    /// Drums alone, then bass and pads: sections of 4 or 8 bars over a 4-chord loop (one chord a
    /// bar), so every section starts on the loop's first chord. No acid (its notes favour the tonic).
    static func arrangement() -> [TranceSection] {
        let drums = TrancePattern(kick: true, offbeatHats: true)
        let full = TrancePattern(kick: true, offbeatHats: true, bass: true, pads: true)
        return [TranceSection(kind: .intro, bars: 4, pattern: drums),
                TranceSection(kind: .drop, bars: 8, pattern: full),
                TranceSection(kind: .breakdown, bars: 4, pattern: TrancePattern(pads: true)),
                TranceSection(kind: .drop, bars: 8, pattern: full),
                TranceSection(kind: .outro, bars: 4, pattern: drums)]
    }

    static func key(_ recipe: TranceRecipe) throws -> String {
        let analysis = try InMemoryAnalysis.analyze(recipe.render(sampleRate: rate))
        let key = try #require(analysis.key)
        return "\(key.tonic) \(key.mode)"
    }

    @Test("i–VI–III–VII reads minor; the same chords from the relative major (I–V–vi–IV) read major",
          arguments: [(9, UInt64(3), 138.0), (2, UInt64(5), 132.0), (7, UInt64(8), 140.0)])
    func loopStartDecides(minorTonic: Int, seed: UInt64, bpm: Double) throws {
        let minor = MusicalKey(tonic: minorTonic, mode: .minor)
        let major = MusicalKey(tonic: minorTonic + 3, mode: .major)
        // Scale degrees: i VI III VII in minor; I V vi IV in the relative major — the same triads.
        let minorLoop = TranceRecipe(seed: seed, bpm: bpm, key: minor, sections: Self.arrangement(), chordDegrees: [0, 5, 2, 6])
        let majorLoop = TranceRecipe(seed: seed, bpm: bpm, key: major, sections: Self.arrangement(), chordDegrees: [0, 4, 5, 3])
        #expect(try Self.key(minorLoop) == "\(minor.tonicName) minor")
        #expect(try Self.key(majorLoop) == "\(major.tonicName) major")
    }
}
