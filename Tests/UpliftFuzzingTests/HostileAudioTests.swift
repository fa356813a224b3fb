import Foundation
import Testing
import UpliftAnalysis
import UpliftAudio
import UpliftDSP
import UpliftFuzzing
import UpliftModel

/// The files that crashed or stalled `uplift analyze` (issue 20), through the public entry point,
/// each within a time bound. Made from small libsndfile exports: `Hostile/README.md` says how.
@Suite("Hostile audio files")
struct HostileAudioTests {
    /// Generous for a debug build on a loaded 2-core machine; each file takes well under a second.
    static let timeLimitS = 20.0

    /// Runs `body` on its own thread and fails (rather than hangs) past the limit.
    func withinTimeLimit<T: Sendable>(_ body: @escaping @Sendable () -> T) throws -> T {
        let box = Box<T>()
        let done = DispatchSemaphore(value: 0)
        Thread { box.value = body(); done.signal() }.start()
        guard done.wait(timeout: .now() + Self.timeLimitS) == .success else {
            throw HostileTimeout(seconds: Self.timeLimitS)
        }
        return try #require(box.value)
    }

    @Test("a truncated OGG whose stream has no length (libsndfile: 2⁶³−1 frames) is analysed, with a warning")
    func truncatedOggWithoutLength() throws {
        let path = HostileFiles.hostile("ogg-truncated-no-length.ogg")
        let result = try withinTimeLimit { Result { () throws(AnalysisError) -> TrackAnalysis in try TrackAnalyzer().analyze(path: path) } }
        let analysis = try result.get()
        // 63 296 frames decode (the pages before the cut), whatever the stream claims.
        #expect(abs(analysis.durationS - 63_296.0 / 44_100) < 1e-9)
        #expect(analysis.warnings.contains { $0.contains("does not say its length") && $0.contains("1.44 s decoded") })
        let reader = try AudioFileReader(path: path)
        #expect(reader.declaredFrameCount == Int.max)
        #expect(reader.frameCount == 63_296)
    }

    @Test("an MP3 whose Xing header declares 101 days in 14 KB is analysed in proportion to its bytes, with a warning")
    func mp3Declaring101Days() throws {
        let path = HostileFiles.hostile("mp3-xing-declares-101-days.mp3")
        let start = Date()
        let result = try withinTimeLimit { Result { () throws(AnalysisError) -> TrackAnalysis in try TrackAnalyzer().analyze(path: path) } }
        let seconds = Date().timeIntervalSince(start)
        let analysis = try result.get()
        #expect(abs(analysis.durationS - 89_327.0 / 44_100) < 1e-9)
        #expect(analysis.warnings.contains { $0.contains("declares 101 days") && $0.contains("2.03 s decoded") })
        // It was 86 s of page-zeroing before; a 2-second file analyses in well under the limit.
        #expect(seconds < Self.timeLimitS / 2)
        let reader = try AudioFileReader(path: path)
        #expect(reader.declaredFrameCount == 386_547_148_271)
        #expect(reader.frameCount == 89_327)
        #expect(reader.durationSeconds < 3)
    }

    @Test("an OGG whose pages are damaged so nothing decodes is a clear error")
    func damagedOggIsAnError() throws {
        let path = HostileFiles.hostile("ogg-flipped-no-audio.ogg")
        let result = try withinTimeLimit { Result { () throws(AnalysisError) -> TrackAnalysis in try TrackAnalyzer().analyze(path: path) } }
        #expect(throws: AnalysisError.self) { try result.get() }
        if case .failure(let error) = result {
            #expect(error.audio?.code == .empty)
            #expect(error.message.contains("no audio frames that decode"))
        }
    }

    @Test("the same bytes decode from memory (libsndfile virtual I/O) as from the file")
    func memoryMatchesFile() throws {
        for name in ["ogg-truncated-no-length.ogg", "mp3-xing-declares-101-days.mp3"] {
            let path = HostileFiles.hostile(name)
            let fromFile = try TrackAnalyzer().analyze(path: path)
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            let fromMemory = try TrackAnalyzer().analyze(reader: try AudioFileReader(bytes: bytes, name: path))
            #expect(fromMemory.durationS == fromFile.durationS, "\(name)")
            #expect(fromMemory.loudness?.integratedLUFS == fromFile.loudness?.integratedLUFS, "\(name)")
        }
    }

    @Test("a FLAC cut mid-frame keeps what decoded, says where decoding stopped, and counts as truncated")
    func truncatedFlacKeepsWhatDecoded() throws {
        let seed = try #require(try HostileFiles.corpus("audio").first { $0.name.hasSuffix(".flac") })
        let cut = Array(seed.bytes.prefix(seed.bytes.count * 2 / 3))
        let reader = try AudioFileReader(bytes: cut, name: "cut.flac")
        let analysis = try TrackAnalyzer().analyze(reader: reader)
        #expect(reader.endedShort)
        #expect(analysis.durationS > 0.1 && analysis.durationS < 0.5)
        #expect(analysis.warnings.contains { $0.hasPrefix("decoding stopped after") })
        #expect(analysis.warnings.contains { $0.hasPrefix("file is truncated") })
    }

    @Test("headers beyond the limits are refused before anything is sized from them")
    func limits() throws {
        #expect(throws: AudioError.self) { try DecodeLimits.check(channels: 33, sampleRate: 44_100, path: nil) }
        #expect(throws: AudioError.self) { try DecodeLimits.check(channels: 2, sampleRate: 7_999, path: nil) }
        #expect(throws: AudioError.self) { try DecodeLimits.check(channels: 2, sampleRate: 384_001, path: nil) }
        try DecodeLimits.check(channels: 32, sampleRate: 384_000, path: nil)
        // A day is believed from a big enough file; a day from 48 KB is not, nor 2⁶³−1 frames.
        #expect(DecodeLimits.isPlausible(declaredFrames: 86_400 * 44_100, bytesOnDisk: 1 << 30, sampleRate: 44_100))
        #expect(!DecodeLimits.isPlausible(declaredFrames: 86_400 * 44_100 + 1, bytesOnDisk: 1 << 40, sampleRate: 44_100))
        #expect(!DecodeLimits.isPlausible(declaredFrames: 86_400 * 44_100, bytesOnDisk: 48_000, sampleRate: 44_100))
        #expect(!DecodeLimits.isPlausible(declaredFrames: .max, bytesOnDisk: .max, sampleRate: 44_100))
    }

    @Test("offline extractors size nothing from an absurd expected length, and grow past a short one")
    func extractorsGrowWithWhatDecodes() throws {
        // Before: 2⁶³−1 expected frames allocated 2⁵⁶ bytes at once and aborted.
        let format = try STFTFormat(sampleRate: 44_100)
        _ = try StandardExtractors.make(format: format, expectedFrames: .max)
        // A 40 s signal analysed with a hint of 1 s must give exactly what the true length gives.
        let path = HostileFiles.root.appendingPathComponent("Samples/demo-loop-138bpm.flac").path
        // Dual mono: the engine path below meters a mono file as played on two speakers, as `--dual-mono` does.
        let exact = try TrackAnalyzer(dualMono: true).analyze(path: path)
        let reader = try AudioFileReader(path: path)
        let hinted = try analyze(reader, expectedFrames: 44_100)
        // Every figure, compared as JSON (NaN-safe).
        let encoder = UpliftJSON.encoder()
        #expect(hinted.durationS > 10)
        #expect(String(decoding: try encoder.encode(hinted), as: UTF8.self) == String(decoding: try encoder.encode(exact), as: UTF8.self))
    }

    @Test("an offline hop series keeps every hop, paging past its resident blocks; a live one keeps the newest")
    func hopSeriesBlocks() {
        let offline = HopSeries(capacity: 10, growable: true)
        for i in 0..<100_000 { offline.append(Float(i)) }
        #expect(offline.count == 100_000 && offline.firstHop == 0)
        #expect((0..<100_000).allSatisfy { offline[$0] == Float($0) })
        #expect(offline.recent(0) == 99_999)
        #expect(offline.capacity == 100_000, "sized by what was appended, not by a header")
        #expect(offline.blocksPagedOut > 0 && offline.retainedBytes <= (Paging.residentBlocks << Paging.blockShift) * 4,
                "\(offline.retainedBytes) bytes resident, \(offline.blocksPagedOut) blocks paged out")
        let live = HopSeries(capacity: 1000)
        for i in 0..<2500 { live.append(Float(i)) }
        #expect(live.count == 1000 && live.firstHop == 1500 && live[0] == 1500 && live.recent(0) == 2499)
    }

    private func analyze(_ reader: AudioFileReader, expectedFrames: Int) throws -> TrackAnalysis {
        let format = try STFTFormat(sampleRate: reader.sampleRate)
        let engine = try AnalysisEngine(format: format, ring: try SPSCRingBuffer(capacityFrames: 16_384),
                                        extractors: try StandardExtractors.make(format: format, expectedFrames: expectedFrames))
        let block = UnsafeMutablePointer<Float>.allocate(capacity: 8192)
        defer { block.deallocate() }
        while true {
            let got = try reader.read(into: block, maxFrames: 4096)
            if got == 0 { break }
            engine.ring.write(block, frameCount: got)
            engine.processAvailableHops()
        }
        engine.finish()
        var analysis = TrackAnalysis(file: reader.path, durationS: Double(reader.framesRead) / reader.sampleRate,
                                     sampleRate: reader.sampleRate, channels: reader.channels)
        analysis.warnings = reader.warnings
        engine.summarize(into: &analysis)
        return analysis
    }
}

struct HostileTimeout: Error, CustomStringConvertible {
    let seconds: Double
    var description: String { "did not finish within \(seconds) s (a stall)" }
}

final class Box<T>: @unchecked Sendable {
    var value: T?
}
