import Foundation
import Testing
import UpliftAudio

/// `uplift watch` re-reads an export while Live may still be writing it. A slow writer rewrites the
/// file in place (same inode, truncated first), in small chunks over more than a second, with one
/// long pause mid-way (a settled but half-written file), three times. The player must never take
/// a half-written file, never end because of one, and keep its position.
@Suite("File player: slow re-exports", .serialized)
struct SlowWriterTests {
    static let rate = 8_000
    static let seconds = 6
    static let offsets = [100_000, 200_000, 300_000]

    /// A float stereo WAV whose frame i holds the ramp value of `offset + i`; the header announces
    /// the full length from the first chunk on (as exporters that write the header first do).
    static func wav(offset: Int, frames: Int = seconds * rate) -> [UInt8] {
        var bytes: [UInt8] = []
        func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
        func u16(_ v: UInt16) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
        bytes += Array("RIFF".utf8); u32(UInt32(36 + frames * 8)); bytes += Array("WAVE".utf8)
        bytes += Array("fmt ".utf8); u32(16); u16(3); u16(2); u32(UInt32(rate)); u32(UInt32(rate * 8)); u16(8); u16(32)
        bytes += Array("data".utf8); u32(UInt32(frames * 8))
        for i in 0..<frames {
            let (l, r) = LiveTestSignals.rampSample(offset + i)
            u32(l.bitPattern); u32(r.bitPattern)
        }
        return bytes
    }

    /// Writes `bytes` over `path` in place: a chunk every 50 ms, with a 0.5 s stop half-way.
    static func slowlyRewrite(_ path: String, with bytes: [UInt8], chunk: Int = 16_384) {
        let fd = open(path, O_WRONLY | O_TRUNC)
        precondition(fd >= 0)
        defer { close(fd) }
        var offset = 0
        while offset < bytes.count {
            let n = min(chunk, bytes.count - offset)
            _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, n) }
            offset += n
            usleep(offset >= bytes.count / 2 && offset - n < bytes.count / 2 ? 500_000 : 50_000)
        }
    }

    /// What the player reported while a writer ran, sampled every 5 ms.
    struct Watch {
        var states: Set<LiveSourceState> = []
        var maxReloads = 0
        var positions: [Int] = []
    }

    static func observe(_ player: FilePlayer, while writing: () -> Void) -> Watch {
        let stop = Flag()
        let box = WatchBox()
        let observer = Thread {
            var watch = Watch()
            while !stop.isSet {
                let status = player.status()
                watch.states.insert(status.state)
                watch.maxReloads = max(watch.maxReloads, player.reloadCount)
                watch.positions.append(status.positionFrames)
                usleep(5000)
            }
            box.set(watch)
        }
        observer.start()
        writing()
        stop.set()
        return box.wait()
    }

    /// The frame indices of the next `count` frames the player queues (the test signal numbers its frames), within 5 s.
    static func nextFrameIndices(_ player: FilePlayer, count: Int) -> [Int] {
        var frames: [Int] = []
        let buffer = UnsafeMutablePointer<Float>.allocate(capacity: 2 * 256)
        defer { buffer.deallocate() }
        let deadline = Date().addingTimeInterval(5)
        while frames.count < count, Date() < deadline {
            let n = min(256, count - frames.count, player.ring.availableFrames)
            if n == 0 { usleep(500); continue }
            _ = player.ring.read(into: buffer, frameCount: n)
            for i in 0..<n { frames.append(LiveTestSignals.frameIndex(buffer[2 * i])) }
        }
        return frames
    }

    @Test("paused: three slow rewrites are each taken once, complete, at the kept position")
    func pausedPositionIsKept() throws {
        let folder = LiveTestSignals.temporaryFolder("slow-writer")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("mix.wav").path
        FileManager.default.createFile(atPath: path, contents: Data(Self.wav(offset: 0)))
        let player = try FilePlayer(path: path, pacing: .asFastAsConsumed, pollIntervalS: 0.1, truncatedGraceS: 2)
        player.pause()
        player.seek(toSeconds: 2)
        try player.start()
        defer { player.stop() }
        #expect(LiveTestSignals.wait(timeoutS: 3) { player.status().positionFrames == 2 * Self.rate })

        for (k, offset) in Self.offsets.enumerated() {
            let watch = Self.observe(player) { Self.slowlyRewrite(path, with: Self.wav(offset: offset)) }
            #expect(watch.maxReloads == k, "rewrite \(k + 1): no half-written file was taken (\(watch.maxReloads) reloads while writing)")
            #expect(LiveTestSignals.wait(timeoutS: 5) { player.reloadCount == k + 1 }, "rewrite \(k + 1) was re-read once complete")
            #expect(!watch.states.contains(.ended) && !watch.states.contains(.stopped), "\(watch.states)")
            #expect(player.status().positionFrames == 2 * Self.rate, "the position is kept")
            #expect(abs(player.durationS - Double(Self.seconds)) < 1e-9)
        }
        usleep(300_000)
        #expect(player.reloadCount == 3, "a settled file is not re-read again")
        player.ring.discardAll()
        player.play()
        let frames = Self.nextFrameIndices(player, count: 1000)
        #expect(frames == Array((300_000 + 2 * Self.rate)..<(300_000 + 2 * Self.rate + 1000)), "the final export plays from the kept position")
    }

    @Test("playing: rewrites under the reader make it wait, not end; it goes on from where it was")
    func playingNeverEnds() throws {
        let folder = LiveTestSignals.temporaryFolder("slow-writer-playing")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("mix.wav").path
        // Long enough that real-time playback cannot reach the end during the rewrites (~5 s).
        let frames = 20 * Self.rate
        FileManager.default.createFile(atPath: path, contents: Data(Self.wav(offset: 0, frames: frames)))
        let player = try FilePlayer(path: path, pacing: .realTime, pollIntervalS: 0.1, truncatedGraceS: 2)
        try player.start()
        defer { player.stop() }
        #expect(LiveTestSignals.wait(timeoutS: 3) { player.status().positionFrames > Self.rate / 2 })

        var watches: [Watch] = []
        for (k, offset) in Self.offsets.enumerated() {
            watches.append(Self.observe(player) { Self.slowlyRewrite(path, with: Self.wav(offset: offset, frames: frames), chunk: 65_536) })
            #expect(LiveTestSignals.wait(timeoutS: 5) { player.reloadCount == k + 1 }, "rewrite \(k + 1) was re-read")
        }
        let states = watches.reduce(into: Set<LiveSourceState>()) { $0.formUnion($1.states) }
        #expect(!states.contains(.ended) && !states.contains(.stopped), "the file never ended the player: \(states)")
        #expect(states.contains(.waiting), "the reader met the rewrite and waited for it: \(states)")
        #expect(LiveTestSignals.wait(timeoutS: 3) { player.status().state == .running })
        // The position only moves forward (a re-read never sends it back to the top).
        let positions = watches.flatMap(\.positions)
        #expect(zip(positions, positions.dropFirst()).allSatisfy { $1 >= $0 }, "position went backwards")
        #expect(player.status().positionFrames > Self.rate)
    }

    @Test("first export still being written: the player waits at its rate, says so, and plays it once it decodes")
    func fileThatDoesNotDecodeYetIsWaitedFor() throws {
        let folder = LiveTestSignals.temporaryFolder("slow-writer-first")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("mix.wav").path
        // What Live leaves at the start of an export: a few bytes, not yet a header that decodes.
        FileManager.default.createFile(atPath: path, contents: Data(Self.wav(offset: 0).prefix(20)))
        #expect(throws: AudioError.self) { try FilePlayer(path: path, pacing: .asFastAsConsumed) }
        let player = try FilePlayer(path: path, pacing: .asFastAsConsumed, pollIntervalS: 0.1, truncatedGraceS: 2,
                                    pendingSampleRate: Double(Self.rate))
        #expect(player.isPending)
        #expect(player.status().note?.hasPrefix("cannot be read yet") == true, "\(player.status().note ?? "no note")")
        try player.start()
        defer { player.stop() }
        usleep(400_000)
        #expect(player.status().state == .waiting)
        #expect(player.isPending, "a file that did not change is not taken")

        let watch = Self.observe(player) { Self.slowlyRewrite(path, with: Self.wav(offset: 100_000)) }
        #expect(watch.maxReloads == 0, "no half-written file was taken")
        #expect(!watch.states.contains(.ended) && !watch.states.contains(.stopped), "\(watch.states)")
        #expect(LiveTestSignals.wait(timeoutS: 5) { player.reloadCount == 1 }, "the finished export was opened")
        #expect(!player.isPending)
        #expect(abs(player.durationS - Double(Self.seconds)) < 1e-9)
        let frames = Self.nextFrameIndices(player, count: 1000)
        #expect(frames == Array(100_000..<101_000), "the export plays from the top")
    }

    @Test("a file that decodes at another rate than the studio waited at is refused with a note, not played")
    func pendingFileAtAnotherRateIsRefused() throws {
        let folder = LiveTestSignals.temporaryFolder("slow-writer-rate")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("mix.wav").path
        FileManager.default.createFile(atPath: path, contents: Data([0x52, 0x49, 0x46, 0x46]))
        let player = try FilePlayer(path: path, pacing: .asFastAsConsumed, pollIntervalS: 0.1, pendingSampleRate: 44_100)
        try player.start()
        defer { player.stop() }
        FileManager.default.createFile(atPath: path, contents: Data(Self.wav(offset: 0)))
        #expect(LiveTestSignals.wait(timeoutS: 3) { player.status().note?.contains("opened at 44100 Hz") == true },
                "\(player.status().note ?? "no note")")
        #expect(player.isPending && player.reloadCount == 0 && player.status().state == .waiting)
    }
}

private final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.lock(); value = true; lock.unlock() }
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }
}

private final class WatchBox: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var watch = SlowWriterTests.Watch()
    func set(_ value: SlowWriterTests.Watch) { watch = value; done.signal() }
    func wait() -> SlowWriterTests.Watch { done.wait(); return watch }
}
