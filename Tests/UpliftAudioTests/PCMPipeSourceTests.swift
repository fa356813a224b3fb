import Foundation
import Testing
@testable import UpliftAudio

/// The PCM pipe source over a real `pipe(2)`: conversion, channel handling, end of input, drops.
@Suite struct PCMPipeSourceTests {
    /// Writes `bytes` to a new pipe from a background thread and returns the read end.
    func pipeFeeding(_ bytes: [UInt8], chunk: Int = 1000) -> Int32 {
        var fds: [Int32] = [0, 0]
        precondition(pipe(&fds) == 0)
        let writeEnd = fds[1]
        Thread {
            var offset = 0
            while offset < bytes.count {
                // Odd chunk sizes split frames across reads, which the source must stitch.
                let n = min(chunk, bytes.count - offset)
                let written = bytes[offset..<(offset + n)].withUnsafeBytes { write(writeEnd, $0.baseAddress, n) }
                if written <= 0 { break }
                offset += written
            }
            close(writeEnd)
        }.start()
        return fds[0]
    }

    func drain(_ ring: SPSCRingBuffer) -> [Float] {
        let n = ring.availableFrames
        var out = [Float](repeating: 0, count: n * 2)
        out.withUnsafeMutableBufferPointer { _ = ring.read(into: $0.baseAddress!, frameCount: n) }
        return out
    }

    @Test func monoS16IsDuplicatedAndScaled() throws {
        let values: [Int16] = (0..<5000).map { Int16(truncatingIfNeeded: $0 * 13 - 30_000) }
        let bytes = values.flatMap { withUnsafeBytes(of: $0.littleEndian, Array.init) }
        let source = try PCMPipeSource(fileDescriptor: pipeFeeding(bytes, chunk: 999), name: "test", format: .s16le,
                                       sampleRate: 44_100, channels: 1, whenBehind: .wait)
        try source.start()
        #expect(source.waitUntilFinished(timeoutS: 5))
        #expect(source.status().state == .ended)
        #expect(source.status().note?.hasPrefix("end of input") == true)
        let frames = drain(source.ring)
        #expect(frames.count == 10_000)
        for (i, value) in values.enumerated() {
            #expect(frames[2 * i] == Float(value) / 32768)
            #expect(frames[2 * i + 1] == Float(value) / 32768)
        }
        #expect(source.status().framesDelivered == 5000)
    }

    @Test func fourChannelF32IsDownMixed() throws {
        // L R C LFE: left = L + C/√2, right = R + C/√2, LFE dropped.
        let frames = 1000
        var samples: [Float] = []
        for i in 0..<frames { samples += [0.1, -0.2, Float(i) / 2000, 0.9] }
        let bytes = samples.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) }
        let source = try PCMPipeSource(fileDescriptor: pipeFeeding(bytes, chunk: 777), name: "test", format: .f32le,
                                       sampleRate: 48_000, channels: 4, whenBehind: .wait)
        try source.start()
        #expect(source.waitUntilFinished(timeoutS: 5))
        let out = drain(source.ring)
        #expect(out.count == 2 * frames)
        let g: Float = 0.70710677
        for i in 0..<frames {
            #expect(abs(out[2 * i] - (0.1 + g * Float(i) / 2000)) < 1e-6)
            #expect(abs(out[2 * i + 1] - (-0.2 + g * Float(i) / 2000)) < 1e-6)
        }
    }

    @Test func dropsAreCountedWhenTheConsumerStalls() throws {
        let frames = 20_000
        let bytes = [UInt8](repeating: 0, count: frames * 8)
        let source = try PCMPipeSource(fileDescriptor: pipeFeeding(bytes), name: "test", format: .f32le,
                                       sampleRate: 48_000, channels: 2, whenBehind: .drop, ringCapacityFrames: 4096)
        try source.start()
        #expect(source.waitUntilFinished(timeoutS: 5))
        #expect(source.ring.availableFrames == 4096)
        #expect(source.ring.overruns == frames - 4096, "nobody read: all but one ring's worth is dropped and counted")
        #expect(source.status().framesDelivered == frames)
    }

    @Test func losslessModeWaitsForTheConsumerInstead() throws {
        let frames = 20_000
        let bytes = (0..<frames).flatMap { i in
            [Float(i), Float(i)].flatMap { withUnsafeBytes(of: ($0 / 100_000).bitPattern.littleEndian, Array.init) }
        }
        let source = try PCMPipeSource(fileDescriptor: pipeFeeding(bytes), name: "test", format: .f32le,
                                       sampleRate: 48_000, channels: 2, whenBehind: .wait, ringCapacityFrames: 4096)
        try source.start()
        var received: [Float] = []
        let deadline = Date().addingTimeInterval(5)
        while received.count < 2 * frames, Date() < deadline {
            received += drain(source.ring)
            usleep(1000)
        }
        #expect(source.ring.overruns == 0)
        #expect(received.count == 2 * frames)
        #expect(received.enumerated().allSatisfy { $0.element == Float($0.offset / 2) / 100_000 })
    }

    @Test func badArgumentsAreRejectedWithClearMessages() throws {
        #expect(throws: AudioError.self) {
            try PCMPipeSource(path: "-", format: .f32le, sampleRate: 1000, channels: 2)
        }
        #expect(throws: AudioError.self) {
            try PCMPipeSource(path: "-", format: .f32le, sampleRate: 44_100, channels: 0)
        }
        do {
            _ = try PCMPipeSource(path: "/nonexistent/fifo", format: .s16le, sampleRate: 44_100, channels: 2)
            Issue.record("a missing FIFO must throw")
        } catch {
            #expect(error.code == .notFound)
            #expect(error.message.contains("mkfifo"))
        }
    }
}
