import Foundation
import Testing
import UpliftAnalysis
import UpliftModel
import UpliftSimilarity
import UpliftSynth

/// The timbre section and the descriptor, from synthesized tracks whose key, arrangement and level are known.
@Suite("Timbre and descriptor")
struct TimbreTests {
    static let sampleRate = 22_050.0
    /// Drop – breakdown (pads alone) – drop, framed by intro and outro: 16 bars, 27 s.
    static func render(key: MusicalKey = MusicalKey(tonic: 9, mode: .minor), seed: UInt64 = 3) -> RenderedTrack {
        let sections = [
            TranceSection(kind: .intro, bars: 2, pattern: .intro), TranceSection(kind: .drop, bars: 4, pattern: .drop),
            TranceSection(kind: .breakdown, bars: 4, pattern: .breakdown), TranceSection(kind: .drop, bars: 4, pattern: .drop),
            TranceSection(kind: .outro, bars: 2, pattern: .outro),
        ]
        return TranceRecipe(seed: seed, bpm: 140, key: key, sections: sections).render(sampleRate: sampleRate)
    }
    static func analyze(_ samples: [Float]) throws -> TrackAnalysis {
        try TrackAnalyzer().analyze(interleaved: samples, sampleRate: sampleRate, name: "synth")
    }

    static let original = render()
    static let originalAnalysis = Result { try analyze(original.interleaved) }

    @Test("a gain change moves MFCC c0 by the gain times √40 / 10·… and nothing else")
    func gainMovesOnlyC0() throws {
        let a = try Self.originalAnalysis.get()
        let quieter = try Self.analyze(Self.original.interleaved.map { $0 * 0.5 })
        let t = try #require(a.timbre), q = try #require(quieter.timbre)
        // c0 = Σ logmel / √40; every log-mel band moves by 20·log10(0.5) dB.
        let expected = 20 * log10(0.5) * 40 / 40.0.squareRoot()
        #expect(abs((q.mfccMean[0] - t.mfccMean[0]) - expected) < 0.05)
        for j in 1..<20 { #expect(abs(q.mfccMean[j] - t.mfccMean[j]) < 0.01, "c\(j)") }
        let d = try #require(Descriptor.make(a)), dq = try #require(Descriptor.make(quieter))
        #expect(d.count == Descriptor.dimension)
        // This parts (spectra, MFCCs, chroma) move by rounding only; the other extractors' figures
        // (pumping depth, …) by under 0.1 of their unit.
        let own = ["whole.", "drop.", "breakdown.", "mfcc.", "chroma."]
        var worst = 0, largest = 0.0, worstOther = 0, largestOther = 0.0
        for i in d.indices where !(d[i].isNaN && dq[i].isNaN) {
            let change = abs(d[i] - dq[i])
            if own.contains(where: { Descriptor.names[i].hasPrefix($0) }) {
                if !(change <= largest) { worst = i; largest = change }
            } else if !(change <= largestOther) { worstOther = i; largestOther = change }
        }
        let name = Descriptor.names[worst], otherName = Descriptor.names[worstOther]
        #expect(largest < 0.02, "largest change under a −6 dB gain: \(name) \(largest)")
        #expect(largestOther < 0.1, "largest change under a −6 dB gain: \(otherName) \(largestOther)")
    }

    @Test("chroma names the key's notes; the descriptor's chroma follows the tonic, not the absolute pitch")
    func chromaRelativeToTonic() throws {
        let a = try Self.originalAnalysis.get()
        let t = try #require(a.timbre)
        #expect(t.chroma.count == 12)
        #expect(abs(t.chroma.reduce(0, +) - 1) < 1e-9)
        // A natural minor: A C D E F G … ; the strongest classes belong to the scale.
        let scale: Set<Int> = [9, 11, 0, 2, 4, 5, 7]
        let top3 = t.chroma.indices.sorted { t.chroma[$0] > t.chroma[$1] }.prefix(3)
        #expect(top3.allSatisfy { scale.contains($0) }, "strongest pitch classes \(Array(top3))")

        let transposed = try Self.analyze(Self.render(key: MusicalKey(tonic: 2, mode: .minor)).interleaved)
        let u = try #require(transposed.timbre)
        func correlation(_ x: [Double], _ y: [Double]) -> Double {
            let mx = x.reduce(0, +) / 12, my = y.reduce(0, +) / 12
            var s = 0.0, sx = 0.0, sy = 0.0
            for i in 0..<12 { s += (x[i] - mx) * (y[i] - my); sx += (x[i] - mx) * (x[i] - mx); sy += (y[i] - my) * (y[i] - my) }
            return s / (sx * sy).squareRoot()
        }
        let start = Descriptor.names.firstIndex(of: "chroma.tonic+0")!
        let d = Array(try #require(Descriptor.make(a))[start..<(start + 12)])
        let e = Array(try #require(Descriptor.make(transposed))[start..<(start + 12)])
        #expect(correlation(d, e) > 0.9, "tonic-relative chroma A minor vs D minor")
        #expect(correlation(t.chroma, u.chroma) < correlation(d, e) - 0.3, "absolute chroma must differ")
    }

    @Test("per-section spectra: the breakdown (pads alone) has far less sub-bass than the drop")
    func sectionSpectra() throws {
        let a = try Self.originalAnalysis.get()
        let t = try #require(a.timbre)
        let found = (a.sections ?? []).map { "\($0.kind.rawValue) \(Int($0.startS))–\(Int($0.endS)) s" }
        let whole = try #require(t.section(.whole)), drop = try #require(t.section(.drop), "sections: \(found)"),
            breakdown = try #require(t.section(.breakdown), "sections: \(found)")
        #expect(whole.levelsDB.count == 59 && whole.spreadDB.count == 59)
        #expect(drop.seconds > 2 && drop.seconds < whole.seconds)
        let band60 = a.spectrum!.bandsHz.firstIndex { $0 >= 55 }!
        #expect(drop.levelsDB[band60] - breakdown.levelsDB[band60] > 15,
                "60 Hz: drop \(drop.levelsDB[band60]) dB, breakdown \(breakdown.levelsDB[band60]) dB")
        #expect(whole.spreadDB.allSatisfy { $0 >= 0 })
        #expect(whole.spreadDB[band60] > 3, "the kick comes and goes over the track")
    }
}
