import Foundation
import Testing
import UpliftDSP

/// A long history pages out to a temporary file and comes back exactly (issue 20: memory flat with length).
@Suite("Paged buffer: values come back exactly, memory stays bounded")
struct PagedBufferTests {
    /// Deterministic values and positions (no clock, no system random).
    struct Sequence {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 11
        }
    }

    @Test func appendedAndRewrittenValuesComeBackExactlyWhileFewBlocksStayResident() {
        let buffer = PagedBuffer<Double>(repeating: 0, blockShift: 6, residentBlocks: 3)  // 64 values a block
        var mirror: [Double] = []
        var random = Sequence(state: 7)
        for _ in 0..<10_000 {
            let v = Double(bitPattern: random.next() | 0x3FF0_0000_0000_0000 & 0x7FEF_FFFF_FFFF_FFFF)
            buffer.append(v); mirror.append(v)
        }
        // Rewrites and reads all over the buffer: every block pages out and back many times.
        for _ in 0..<20_000 {
            let i = Int(random.next() % 10_000)
            if random.next() % 3 == 0 {
                let v = Double(random.next() % 1_000_000) / 7
                buffer[i] = v; mirror[i] = v
            } else {
                #expect(buffer[i].bitPattern == mirror[i].bitPattern)
            }
        }
        #expect(buffer.count == mirror.count)
        #expect(buffer.toArray().map(\.bitPattern) == mirror.map(\.bitPattern))
        #expect(buffer.residentBytes <= 3 * 64 * 8, "\(buffer.residentBytes) bytes resident")
        #expect(buffer.blocksWritten > 0 && buffer.blocksRead > 0, "nothing paged: the bound held by accident")
    }

    @Test func aBufferMadeForACountReadsItsFillUntilWritten() {
        let buffer = PagedBuffer<Int32>(repeating: -1, count: 1_000, blockShift: 4, residentBlocks: 2)
        for i in stride(from: 0, to: 1_000, by: 3) { buffer[i] = Int32(i) }
        for i in 0..<1_000 { #expect(buffer[i] == (i % 3 == 0 ? Int32(i) : -1)) }
        buffer.removeAll()
        #expect(buffer.count == 0)
        buffer.append(42)
        #expect(buffer[0] == 42)
    }

    /// No temporary directory to page into (read-only or missing): the values stay in memory, exact.
    @Test func withNowhereToPageEverythingStaysInMemory() {
        let buffer = PagedBuffer<Float>(repeating: 0, blockShift: 5, residentBlocks: 2, directory: "/nonexistent/uplift-pages")
        for i in 0..<1_000 { buffer.append(Float(i) * 0.5) }
        for i in stride(from: 999, through: 0, by: -1) { #expect(buffer[i] == Float(i) * 0.5) }
        #expect(buffer.blocksWritten == 0)
        #expect(buffer.residentBlocks >= 1_000 / 32)
    }
}
