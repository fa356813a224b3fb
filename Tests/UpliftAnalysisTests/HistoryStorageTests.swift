import Foundation
import Testing
import UpliftAnalysis
import UpliftAudio
import UpliftDSP
import UpliftTestSupport

/// Memory flat with length: a 2-hour mix must be analysed in the memory a short one takes. Everything
/// an offline analysis retains between hops is counted by reflection over the extractors (histories,
/// buffers and arrays, whoever owns them, new extractors included), after feeding two lengths of the
/// same music; what one more hop costs must stay near nothing. The per-hop histories page out past a
/// few resident blocks (`PagedBuffer`); at a test's lengths they would all fit, so the child process
/// that measures shrinks the blocks first (`Paging`), and paging shows at 10 and 40 seconds.
@Suite("Offline analysis: history bytes per hop")
struct HistoryStorageTests {
    /// Bytes per hop the whole standard set may keep once its histories page (before paging: about
    /// 21 at these lengths, 45 with the loudness stores and acid's records, 49 at a long mix's; before
    /// block sums: about 123). What is left: acid's 2-second blocks (0.09 bytes a hop).
    static let budgetBytesPerHop = 0.5

    #if os(Linux) || os(macOS)
    @Test func offlineHistoriesStayFlatWithLength() async throws {
        let result = await #expect(processExitsWith: .success, observing: [\.standardErrorContent]) {
            Paging.blockShift = 6
            Paging.residentBlocks = 2
            let report = try HistoryStorageTests.measure()
            FileHandle.standardError.write(Data("bytes-per-hop \(report.perHop) \(report.detail)\n".utf8))
        }
        let output = String(decoding: try #require(result).standardErrorContent, as: UTF8.self)
        let line = try #require(output.split(separator: "\n").first { $0.hasPrefix("bytes-per-hop ") }, "\(output)")
        let fields = line.split(separator: " ", maxSplits: 2)
        let perHop = try #require(Double(fields[1]))
        print("offline histories: \(line)")
        #expect(perHop <= Self.budgetBytesPerHop, "\(line)")
    }
    #endif

    static func measure() throws -> (perHop: Double, detail: String) {
        let short = try retainedBytes(seconds: 10), long = try retainedBytes(seconds: 40)
        let hops = Double(long.hops - short.hops)
        var perExtractor: [String: Double] = [:]
        for (name, bytes) in long.byExtractor { perExtractor[name] = Double(bytes - (short.byExtractor[name] ?? 0)) / hops }
        let perHop = Double(long.total - short.total) / hops
        let detail = perExtractor.sorted { $0.value > $1.value }.map { "\($0.key) \(String(format: "%.2f", $0.value))" }
        return (perHop, detail.joined(separator: ", "))
    }

    /// Runs `seconds` of music through the standard offline set (no summary) and counts what it keeps.
    private static func retainedBytes(seconds: Double) throws -> (total: Int, hops: Int, byExtractor: [String: Int]) {
        let rate = 22_050
        let music = StudioMusic.stereo(seconds: seconds, sampleRate: rate)
        let frames = music.count / 2
        let format = try STFTFormat(sampleRate: Double(rate))
        let extractors = try StandardExtractors.make(format: format, expectedFrames: frames)
        let engine = try AnalysisEngine(format: format, ring: try SPSCRingBuffer(capacityFrames: 16_384), extractors: extractors)
        engine.process(interleaved: music)
        engine.finish()
        var seen = Set<ObjectIdentifier>()
        var byExtractor: [String: Int] = [:]
        for extractor in extractors {
            byExtractor["\(type(of: extractor))", default: 0] += Self.retained(extractor, seen: &seen, depth: 0)
        }
        return (byExtractor.values.reduce(0, +), engine.hopsProcessed, byExtractor)
    }

    /// Bytes held by `value`: histories by their capacity, buffers and numeric arrays by their size,
    /// anything else by its stored properties (each object once).
    static func retained(_ value: Any, seen: inout Set<ObjectIdentifier>, depth: Int) -> Int {
        guard depth < 12 else { return 0 }
        let mirror = Mirror(reflecting: value)
        if mirror.displayStyle == .class {
            guard seen.insert(ObjectIdentifier(value as AnyObject)).inserted else { return 0 }
        }
        if let history = value as? any RetainedHistory { return history.retainedBytes }
        if let buffer = value as? any RetainedStorage { return buffer.retainedByteCount }
        var total = 0
        var level: Mirror? = mirror
        while let current = level {
            for child in current.children { total += retained(child.value, seen: &seen, depth: depth + 1) }
            level = current.superclassMirror
        }
        return total
    }
}

/// Storage whose size is its element count (the extractors' preallocated buffers, numeric arrays).
protocol RetainedStorage { var retainedByteCount: Int { get } }
extension UnsafeMutableBufferPointer: RetainedStorage {
    var retainedByteCount: Int { count * MemoryLayout<Element>.stride }
}
extension Array: RetainedStorage where Element: Numeric {
    // By count, not capacity: an array's capacity is what the allocator rounded its block to, which
    // differs from run to run by kilobytes (the tables extractors build at init), noise at these lengths.
    var retainedByteCount: Int { count * MemoryLayout<Element>.stride }
}
