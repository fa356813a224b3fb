import Foundation
import Testing
import UpliftAudio

@Suite("SPSC ring buffer")
struct SPSCRingBufferTests {
    func frames(_ range: Range<Int>) -> [Float] { range.flatMap { [Float($0), -Float($0)] } }

    @Test("refuses a capacity that is not a power of two")
    func powerOfTwo() {
        #expect(throws: AudioError.self) { try SPSCRingBuffer(capacityFrames: 12) }
        #expect(throws: AudioError.self) { try SPSCRingBuffer(capacityFrames: 0) }
        #expect((try? SPSCRingBuffer(capacityFrames: 16)) != nil)
    }

    @Test("keeps frames in order across the wrap-around")
    func wrapAround() throws {
        let ring = try SPSCRingBuffer(capacityFrames: 8)
        var out = [Float](repeating: 0, count: 16)
        #expect(ring.write(frames(0..<6), frameCount: 6) == 6)
        #expect(ring.read(into: &out, frameCount: 4))
        #expect(Array(out[0..<8]) == frames(0..<4))
        // 2 left; 6 more wrap past the end of storage.
        #expect(ring.write(frames(6..<12), frameCount: 6) == 6)
        #expect(ring.availableFrames == 8)
        #expect(ring.read(into: &out, frameCount: 8))
        #expect(out == frames(4..<12))
        #expect(ring.overruns == 0 && ring.underruns == 0)
    }

    @Test("counts the frames it had to drop (overrun) and reads it could not serve (underrun)")
    func overrunAndUnderrun() throws {
        let ring = try SPSCRingBuffer(capacityFrames: 8)
        #expect(ring.write(frames(0..<10), frameCount: 10) == 8)
        #expect(ring.overruns == 2)
        var out = [Float](repeating: 0, count: 20)
        #expect(!ring.read(into: &out, frameCount: 9))
        #expect(ring.underruns == 1)
        #expect(ring.availableFrames == 8)
        #expect(ring.read(into: &out, frameCount: 8))
        #expect(Array(out[0..<16]) == frames(0..<8))
        #expect(!ring.read(into: &out, frameCount: 1))
        #expect(ring.underruns == 2)
    }

    @Test("delivers every frame in order from a producer thread to a consumer thread")
    func twoThreads() async throws {
        let ring = try SPSCRingBuffer(capacityFrames: 64)
        let total = 200_000
        let producer = Thread {
            var next = 0
            var chunk = [Float](repeating: 0, count: 2 * 37)
            while next < total {
                let n = min(1 + next % 37, total - next)
                for i in 0..<n { chunk[2 * i] = Float(next + i); chunk[2 * i + 1] = -Float(next + i) }
                // Never overrun: only write what fits (a real source would count the drop).
                let free = ring.capacityFrames - ring.availableFrames
                guard free >= n else { continue }
                next += ring.write(chunk, frameCount: n)
            }
        }
        producer.start()
        var expected = 0
        var out = [Float](repeating: 0, count: 2 * 16)
        var mismatches = 0
        let deadline = Date().addingTimeInterval(60)
        while expected < total, Date() < deadline {
            let n = min(16, total - expected)
            guard ring.read(into: &out, frameCount: n) else { continue }
            for i in 0..<n where out[2 * i] != Float(expected + i) || out[2 * i + 1] != -Float(expected + i) { mismatches += 1 }
            expected += n
        }
        #expect(expected == total)
        #expect(mismatches == 0)
        #expect(ring.overruns == 0)
        #expect(ring.underruns > 0, "the consumer outran the producer at least once, so the counter moved")
    }
}
