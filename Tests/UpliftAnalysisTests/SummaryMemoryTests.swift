import Foundation
import Testing
import UpliftAnalysis
import UpliftDSP
import UpliftModel

#if os(Linux)
/// Memory flat with length, at summary time: what the tempo, rhythm and pumping summaries allocate on top
/// of the onset stores they read (detrended bands, combined onset, the beat tracker's arrays) must stay a
/// few bytes per hop, not several copies of the track. `HistoryStorageTests` counts what is kept between hops; this counts the
/// summary's transient peak, as the kernel sees it (peak resident set), in a child process of its own so
/// no other test's allocations are counted.
@Suite("Offline analysis: onset summaries' bytes per hop")
struct SummaryMemoryTests {
    /// 200 000 hops: 39 minutes at 44.1 kHz. Copies of the track cost 60+ bytes a hop (before issue 20's
    /// third part); reading the stores in place, one band at a time, about 20.
    static let hops = 200_000
    static let budgetBytesPerHop = 32.0

    @Test func onsetSummariesPeakUnderTheBudgetPerHop() async throws {
        // The child reports its measurement on standard error; the budget is checked here.
        let result = await #expect(processExitsWith: .success, observing: [\.standardErrorContent]) {
            let perHop = try SummaryMemoryTests.summaryPeakBytesPerHop()
            FileHandle.standardError.write(Data("bytes-per-hop \(perHop)\n".utf8))
        }
        let report = String(decoding: try #require(result).standardErrorContent, as: UTF8.self)
        let line = try #require(report.split(separator: "\n").first { $0.hasPrefix("bytes-per-hop ") }, "\(report)")
        let perHop = try #require(Double(line.dropFirst("bytes-per-hop ".count)))
        print(String(format: "onset summaries: %.1f bytes per hop above the stores (budget %.0f)", perHop, Self.budgetBytesPerHop))
        #expect(perHop <= Self.budgetBytesPerHop,
                "the onset summaries peak \(String(format: "%.1f", perHop)) bytes per hop above its stores (budget \(Self.budgetBytesPerHop))")
    }

    /// Fills a tracker's onset stores with a 140 BPM pattern (kick every beat, clap on 2 and 4, off-beat
    /// hats), then measures the peak resident set the tempo, rhythm and pumping summaries reach above what
    /// was resident before them.
    static func summaryPeakBytesPerHop() throws -> Double {
        let format = try STFTFormat(sampleRate: 44_100)
        let tracker = TempoTracker(format: format, expectedFrames: hops * format.hopSize,
                                   hopsPerBlock: TempoTracker.offlineHopsPerBlock)
        let period = 37  // hops: 139.7 BPM
        for i in 0..<hops {
            let phase = i % period, beat = (i / period) % 4
            tracker.onsetLow.append(phase == 0 ? 10 : Float(i % 5) * 0.05)
            tracker.onsetMid.append(phase == 0 && beat % 2 == 1 ? 6 : Float(i % 3) * 0.05)
            tracker.onsetHigh.append(phase == period / 2 ? 3 : Float(i % 7) * 0.02)
        }
        // The summaries that read the onset stores: tempo, then rhythm and pumping against its beat grid.
        let rhythm = RhythmAnalyzer(tempo: tracker)
        let pumping = PumpingAnalyzer(format: format, expectedFrames: hops * format.hopSize, tempo: tracker, compact: true)
        let durationS = Double(hops) * format.hopSeconds
        var analysis = TrackAnalysis(file: "pattern", durationS: durationS, sampleRate: 44_100, channels: 2)
        let context = SummaryContext(format: format, durationS: durationS)
        try "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)  // peak := current
        let before = try statusKB("VmRSS")
        for extractor in [tracker, rhythm, pumping] as [any HopExtractor] { extractor.summarize(into: &analysis, context: context) }
        let peak = try statusKB("VmHWM")
        // The pattern must be read as what it is (else the summaries skipped their work).
        guard let bpm = analysis.tempo?.bpm, abs(bpm - 139.7) < 2, (analysis.rhythm?.fourOnFloor ?? 0) > 0.5 else {
            throw MeasureError(what: "the 139.7 BPM pattern was not read as such: \(String(describing: analysis.tempo)), \(String(describing: analysis.rhythm))")
        }
        return Double(max(0, peak - before)) * 1024 / Double(hops)
    }

    static func statusKB(_ key: String) throws -> Int {
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        for line in status.split(separator: "\n") where line.hasPrefix(key + ":") {
            if let kb = Int(line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first ?? "") { return kb }
        }
        throw MeasureError(what: "no \(key) in /proc/self/status")
    }

    struct MeasureError: Error { let what: String }
}
#endif
