import Foundation
import Testing
@testable import UpliftAudio

/// The file player's transport, pacing and re-write detection, read back through its ring with
/// a position-encoding ramp (frame i carries i / 10⁶), so every jump is visible sample-exactly.
@Suite struct FilePlayerTests {
    static let rate = 48_000

    /// A 3-second ramp file and a player on it, paused at the start (no audio out).
    func makePlayer(pacing: FilePlayer.Pacing = .asFastAsConsumed, seconds: Double = 3, pollIntervalS: Double = 0.5)
        throws -> (FilePlayer, URL) {
        let folder = LiveTestSignals.temporaryFolder("player")
        let url = folder.appendingPathComponent("ramp.wav")
        try LiveTestSignals.writeFloatWAV(to: url, sampleRate: Self.rate, frames: Int(seconds * Double(Self.rate)),
                                          sample: LiveTestSignals.rampSample)
        let player = try FilePlayer(path: url.path, audioOutNote: "--no-audio", pacing: pacing,
                                    ringCapacityFrames: 8192, pollIntervalS: pollIntervalS)
        return (player, url)
    }

    /// Reads `frames` frames from the ring (waiting for them) and returns the left-channel frame indices.
    func consume(_ player: FilePlayer, frames: Int, timeoutS: Double = 5) -> [Int] {
        var result: [Int] = []
        let chunk = 256
        let buffer = UnsafeMutablePointer<Float>.allocate(capacity: chunk * 2)
        defer { buffer.deallocate() }
        let deadline = Date().addingTimeInterval(timeoutS)
        while result.count < frames, Date() < deadline {
            let n = min(chunk, frames - result.count, player.ring.availableFrames)
            if n == 0 { usleep(500); continue }
            _ = player.ring.read(into: buffer, frameCount: n)
            for i in 0..<n { result.append(LiveTestSignals.frameIndex(buffer[2 * i])) }
        }
        return result
    }

    @Test func playsTheFileInOrderAndPauseStopsTheFlow() throws {
        let (player, _) = try makePlayer()
        try player.start()
        defer { player.stop() }
        let first = consume(player, frames: 20_000)
        #expect(sameFrames(first, Array(0..<20_000)))

        player.pause()
        #expect(LiveTestSignals.wait(timeoutS: 2) { player.status().state == .paused })
        let queued = player.ring.availableFrames
        usleep(100_000)
        #expect(player.ring.availableFrames == queued, "a paused player must not write")
        let pausedAt = player.positionS
        usleep(50_000)
        #expect(player.positionS == pausedAt)

        player.play()
        let resumed = consume(player, frames: queued + 5000)
        #expect(resumed.count == queued + 5000)
        #expect(sameFrames(resumed, Array(20_000..<(20_000 + queued + 5000))), "resuming continues where it paused")
    }

    @Test func seekMovesToTheExactFrameAndBumpsTheGeneration() throws {
        let (player, _) = try makePlayer()
        player.pause()
        try player.start()
        defer { player.stop() }
        #expect(LiveTestSignals.wait(timeoutS: 2) { player.status().state == .paused })
        let generation = player.status().generation

        player.seek(toSeconds: 1.0)
        #expect(LiveTestSignals.wait(timeoutS: 2) { player.status().generation == generation + 1 })
        #expect(abs(player.positionS - 1.0) < 1e-9)
        player.ring.discardAll()  // what an analyzer does on a new generation
        player.play()
        let after = consume(player, frames: 1000)
        #expect(sameFrames(after, Array(48_000..<49_000)))

        player.pause()
        #expect(LiveTestSignals.wait(timeoutS: 2) { player.status().state == .paused })
        let here = player.status().positionFrames
        player.seek(byBars: 2, barLengthS: 0.25)  // two bars of a 240 BPM 4/4 = 0.5 s
        #expect(LiveTestSignals.wait(timeoutS: 2) { player.status().positionFrames == here + 24_000 })
        player.seek(bySeconds: -10)
        #expect(LiveTestSignals.wait(timeoutS: 2) { player.status().positionFrames == 0 }, "seeking before the start clamps to 0")
        player.seek(bySeconds: 0.5)
        player.seek(bySeconds: 0.5)  // queued seeks add up
        #expect(LiveTestSignals.wait(timeoutS: 2) { player.status().positionFrames == 48_000 })
    }

    @Test func loopRepeatsTheRangeSeamlessly() throws {
        let (player, _) = try makePlayer()
        player.pause()
        try player.start()
        defer { player.stop() }
        player.setLoop(startS: 1.0, endS: 1.25)  // frames 48 000 ..< 60 000
        #expect(player.loopRangeS == 1.0...1.25)
        #expect(LiveTestSignals.wait(timeoutS: 2) { player.status().positionFrames == 48_000 })
        player.ring.discardAll()
        player.play()
        let frames = consume(player, frames: 30_000)
        #expect(frames.count == 30_000)
        let expected = (0..<30_000).map { 48_000 + $0 % 12_000 }
        #expect(sameFrames(frames, expected), "the loop wraps from 59 999 back to 48 000 without a gap")
        #expect(player.status().state == .running)
    }

    @Test func endOfFileIsReportedAndPlayRestarts() throws {
        let (player, _) = try makePlayer(seconds: 0.5)
        try player.start()
        defer { player.stop() }
        let all = consume(player, frames: 24_000)
        #expect(sameFrames(all, Array(0..<24_000)))
        #expect(LiveTestSignals.wait(timeoutS: 2) { player.status().state == .ended })
        #expect(player.status().note == "end of file")
        player.play()
        let again = consume(player, frames: 100)
        #expect(sameFrames(again, Array(0..<100)))
    }

    @Test func realTimePacingFollowsTheWallClock() throws {
        let (player, _) = try makePlayer(pacing: .realTime)
        try player.start()
        defer { player.stop() }
        let start = Date()
        usleep(400_000)
        let delivered = player.status().framesDelivered
        let elapsed = Date().timeIntervalSince(start)
        let expected = elapsed * Double(Self.rate)
        #expect(Double(delivered) > expected * 0.75 && Double(delivered) < expected * 1.1,
                "delivered \(delivered) frames in \(elapsed) s at \(Self.rate) Hz")
        // Paused, the reader thread stands still, so position and delivery are read at one moment
        // (while running, a block can land between the two reads on a busy machine).
        player.pause()
        #expect(LiveTestSignals.wait(timeoutS: 2) { player.status().state == .paused })
        let settled = player.status().framesDelivered
        #expect(abs(player.positionS - Double(settled) / Double(Self.rate)) < 0.001)
    }

    @Test func aRewrittenFileIsReopenedAtTheSamePosition() throws {
        let (player, url) = try makePlayer(pollIntervalS: 0.05)
        let reloaded = ReloadCounter()
        player.onReload = { _ in reloaded.increment() }
        player.pause()
        player.seek(toSeconds: 1.0)
        try player.start()
        defer { player.stop() }
        #expect(LiveTestSignals.wait(timeoutS: 2) { player.status().positionFrames == 48_000 })

        // Re-export: different content (offset ramp) and a different length, swapped in by rename.
        try LiveTestSignals.writeFloatWAV(to: url, sampleRate: Self.rate, frames: 4 * Self.rate) { frame in
            LiveTestSignals.rampSample(frame + 500_000)
        }
        #expect(LiveTestSignals.wait(timeoutS: 3) { player.reloadCount == 1 })
        #expect(reloaded.value == 1)
        #expect(abs(player.durationS - 4.0) < 1e-9)
        #expect(abs(player.positionS - 1.0) < 1e-9, "the position survives the re-read")
        #expect(player.status().note?.contains("re-read") == true)

        player.ring.discardAll()
        player.play()
        let frames = consume(player, frames: 1000)
        #expect(sameFrames(frames, Array(548_000..<549_000)), "samples now come from the new file at the kept position")
        usleep(200_000)
        #expect(player.reloadCount == 1, "an unchanged file is not re-read again")
    }

    /// Live writes its export in place: the file is truncated and filled again under the open reader
    /// (what `cp new.wav watched.wav` does). Playback holds its place through the short reads and goes
    /// on in the new file, as it does for an atomic rename; it never says the file ended.
    @Test func anInPlaceRewriteKeepsThePositionAndKeepsPlaying() throws {
        let (player, url) = try makePlayer(pacing: .realTime, pollIntervalS: 0.05)
        try player.start()
        defer { player.stop() }
        #expect(LiveTestSignals.wait(timeoutS: 3) { player.positionS > 0.5 })
        // The new export, written beside it first only to get its bytes.
        let staged = url.deletingLastPathComponent().appendingPathComponent("next.wav")
        try LiveTestSignals.writeFloatWAV(to: staged, sampleRate: Self.rate, frames: 4 * Self.rate) { frame in
            LiveTestSignals.rampSample(frame + 500_000)
        }
        let bytes = try Data(contentsOf: staged)
        let inode = FileChangeWatcher.signature(of: url.path)!.inode
        let handle = try FileHandle(forWritingTo: url)
        try handle.truncate(atOffset: 0)
        let positionAtRewrite = player.positionS
        var sawEnded = false
        // Slowly, as an export is written: 20 chunks over ~0.4 s, watching the state meanwhile.
        let chunk = bytes.count / 20 + 1
        for start in stride(from: 0, to: bytes.count, by: chunk) {
            try handle.write(contentsOf: bytes[start..<min(bytes.count, start + chunk)])
            usleep(20_000)
            sawEnded = sawEnded || player.status().state == .ended
        }
        try handle.close()
        #expect(FileChangeWatcher.signature(of: url.path)!.inode == inode, "written in place, not renamed")
        #expect(LiveTestSignals.wait(timeoutS: 3) { player.reloadCount == 1 })
        #expect(abs(player.durationS - 4.0) < 1e-9)
        // It keeps playing past where it was, in the new file.
        #expect(LiveTestSignals.wait(timeoutS: 3) { player.positionS > positionAtRewrite + 0.5 })
        #expect(!sawEnded && player.status().state == .running, "state \(player.status().state), note \(player.status().note ?? "")")
        player.ring.discardAll()
        let frames = consume(player, frames: 500)
        #expect(frames.first.map { $0 >= 500_000 + Int(positionAtRewrite * Double(Self.rate)) } == true,
                "samples come from the new file after the old position: \(frames.first ?? -1)")
    }

    @Test func openingErrorsAreClear() throws {
        #expect(throws: AudioError.self) { try FilePlayer(path: "/nonexistent/mix.wav") }
        do {
            _ = try FilePlayer(path: "/nonexistent/mix.wav")
        } catch {
            #expect(error.code == .notFound)
        }
    }
}

/// Compares frame sequences without dumping thousands of numbers on failure.
func sameFrames(_ actual: [Int], _ expected: [Int]) -> Bool {
    if actual == expected { return true }
    let firstDifference = zip(actual, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset
    print("frames differ: \(actual.count) vs \(expected.count) frames, first difference at \(firstDifference.map(String.init) ?? "the end"), actual starts \(actual.prefix(3)), expected starts \(expected.prefix(3))")
    return false
}

final class ReloadCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() { lock.lock(); count += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}
