import Foundation
import Testing
import UpliftAnalysis
import UpliftDSP
import UpliftModel

#if os(Linux)
/// Memory flat with length, at summary time: the tempo tracker's onset stores and what the tempo, rhythm
/// and pumping summaries allocate on top of them (detrended bands, combined onset, the beat tracker's
/// back-pointers, the hat band's median) page out past a few resident blocks, so the peak resident set
/// of a 4× longer track is the same but for its beat grid. Measured as the kernel sees it (peak resident
/// set), each length in a child process of its own so no other test's allocations are counted.
@Suite("Offline analysis: onset stores and summaries flat with length")
struct SummaryMemoryTests {
    /// Hops: 15 and 62 minutes at 44.1 kHz, both past the 65 536 hops a store keeps resident.
    static let shortHops = 80_000, longHops = 320_000
    /// What one more hop may add to the peak: the beat grid's few arrays (a beat every 37 hops) and page
    /// rounding. Stores and summaries held in memory (before paging) added about 45 bytes a hop.
    static let budgetBytesPerHop = 4.0

    @Test func onsetStoresAndSummariesPeakTheSameForALongerTrack() async throws {
        // Each child reports its peak on standard error; the slope is checked here.
        let short = await #expect(processExitsWith: .success, observing: [\.standardErrorContent]) {
            FileHandle.standardError.write(Data("peak-bytes \(try SummaryMemoryTests.peakBytes(hops: SummaryMemoryTests.shortHops))\n".utf8))
        }
        let long = await #expect(processExitsWith: .success, observing: [\.standardErrorContent]) {
            FileHandle.standardError.write(Data("peak-bytes \(try SummaryMemoryTests.peakBytes(hops: SummaryMemoryTests.longHops))\n".utf8))
        }
        func peak(_ result: ExitTest.Result?) throws -> Double {
            let report = String(decoding: try #require(result).standardErrorContent, as: UTF8.self)
            let line = try #require(report.split(separator: "\n").first { $0.hasPrefix("peak-bytes ") }, "\(report)")
            return try #require(Double(line.dropFirst("peak-bytes ".count)))
        }
        let a = try peak(short), b = try peak(long)
        let perHop = (b - a) / Double(Self.longHops - Self.shortHops)
        print(String(format: "onset stores and summaries: peak %.1f MB at %d hops, %.1f MB at %d hops: %.2f bytes per hop (budget %.0f)",
                     a / 1e6, Self.shortHops, b / 1e6, Self.longHops, perHop, Self.budgetBytesPerHop))
        #expect(perHop <= Self.budgetBytesPerHop,
                "the onset stores and summaries grow \(String(format: "%.2f", perHop)) bytes per hop (budget \(Self.budgetBytesPerHop))")
    }

    /// Fills a tracker's onset stores with a 140 BPM pattern (kick every beat, clap on 2 and 4, off-beat
    /// hats), runs the tempo, rhythm and pumping summaries, and returns the peak resident set above what
    /// was resident before the stores were made.
    static func peakBytes(hops: Int) throws -> Double {
        let format = try STFTFormat(sampleRate: 44_100)
        try "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)  // peak := current
        let before = try statusKB("VmRSS")
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
        for extractor in [tracker, rhythm, pumping] as [any HopExtractor] { extractor.summarize(into: &analysis, context: context) }
        let peak = try statusKB("VmHWM")
        // The pattern must be read as what it is (else the summaries skipped their work).
        guard let bpm = analysis.tempo?.bpm, abs(bpm - 139.7) < 2, (analysis.rhythm?.fourOnFloor ?? 0) > 0.5 else {
            throw MeasureError(what: "the 139.7 BPM pattern was not read as such: \(String(describing: analysis.tempo)), \(String(describing: analysis.rhythm))")
        }
        return Double(max(0, peak - before)) * 1024
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
