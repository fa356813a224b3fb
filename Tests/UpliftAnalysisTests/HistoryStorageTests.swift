import Foundation
import Testing
import UpliftAnalysis
import UpliftAudio
import UpliftDSP
import UpliftTestSupport

/// Memory flat with length: a 2-hour mix must be analysed in a bounded number of bytes per hop.
/// Everything an offline analysis retains between hops is counted by reflection over the extractors
/// (histories, buffers and arrays, whoever owns them, new extractors included), after feeding two
/// lengths of the same music; what one more hop costs must stay under the budget.
@Suite("Offline analysis: history bytes per hop")
struct HistoryStorageTests {
    /// Bytes per hop the whole standard set may keep (before block sums: about 123; now about 62).
    static let budgetBytesPerHop = 72.0

    @Test func offlineHistoriesStayUnderTheBudgetPerHop() throws {
        let short = try retainedBytes(seconds: 10), long = try retainedBytes(seconds: 40)
        let hops = Double(long.hops - short.hops)
        var perExtractor: [String: Double] = [:]
        for (name, bytes) in long.byExtractor { perExtractor[name] = Double(bytes - (short.byExtractor[name] ?? 0)) / hops }
        let perHop = Double(long.total - short.total) / hops
        let detail = perExtractor.sorted { $0.value > $1.value }.map { "\($0.key) \(String(format: "%.1f", $0.value))" }
        #expect(perHop <= Self.budgetBytesPerHop, "\(String(format: "%.1f", perHop)) bytes per hop: \(detail)")
        // The summed histories (energy curve, downbeat band energies) keep one value per block of hops.
        #expect((perExtractor["EnergyAnalyzer"] ?? .infinity) <= 7 * 4 / Double(EnergyAnalyzer.offlineHopsPerBlock) + 0.5, "\(detail)")
    }

    /// Runs `seconds` of music through the standard offline set (no summary) and counts what it keeps.
    private func retainedBytes(seconds: Double) throws -> (total: Int, hops: Int, byExtractor: [String: Int]) {
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
    var retainedByteCount: Int { capacity * MemoryLayout<Element>.stride }
}
