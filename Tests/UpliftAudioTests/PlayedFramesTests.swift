import Foundation
import Testing
@testable import UpliftAudio

/// The analysis hears what the device plays, when it plays it: the output callback, not the file
/// reader, feeds the analysis ring of a file played with sound (`AudioOutput.playedRing`).
@Suite struct PlayedFramesTests {
    @Test func theOutputCallbackFeedsTheAnalysisRingWithWhatItPlays() throws {
        let queued = try SPSCRingBuffer(capacityFrames: 4096)
        let played = try SPSCRingBuffer(capacityFrames: 4096)
        let context = OutputCallbackContext(ring: queued, played: played, deviceChannels: 2)
        context.playing.store(true, ordering: .relaxed)
        // The reader queues 1,000 frames (~23 ms ahead of the ear): the analysis must not see them yet.
        let frames = (0..<2000).map { Float($0) / 2000 }
        frames.withUnsafeBufferPointer { _ = queued.write($0.baseAddress!, frameCount: 1000) }
        #expect(played.availableFrames == 0)
        let out = UnsafeMutablePointer<Float>.allocate(capacity: 512)
        defer { out.deallocate() }
        context.render(ring: queued, played: played, out, frameCount: 256)
        #expect(played.availableFrames == 256, "exactly the frames the device took")
        var heard = [Float](repeating: 0, count: 512)
        _ = heard.withUnsafeMutableBufferPointer { played.read(into: $0.baseAddress!, frameCount: 256) }
        #expect(heard == Array(frames[0..<512]))
        #expect((0..<512).allSatisfy { out[$0] == heard[$0] })
        // Paused: the device plays silence and the analysis gets nothing.
        context.playing.store(false, ordering: .relaxed)
        context.render(ring: queued, played: played, out, frameCount: 256)
        #expect(played.availableFrames == 0)
    }

    @Test func aMonoDeviceStillFeedsStereoFrames() throws {
        let queued = try SPSCRingBuffer(capacityFrames: 1024)
        let played = try SPSCRingBuffer(capacityFrames: 1024)
        let context = OutputCallbackContext(ring: queued, played: played, deviceChannels: 1)
        context.playing.store(true, ordering: .relaxed)
        let frames: [Float] = (0..<200).map { Float($0) }
        frames.withUnsafeBufferPointer { _ = queued.write($0.baseAddress!, frameCount: 100) }
        let out = UnsafeMutablePointer<Float>.allocate(capacity: 100)
        defer { out.deallocate() }
        context.render(ring: queued, played: played, out, frameCount: 100)
        #expect(played.availableFrames == 100)
        #expect(out[3] == 0.5 * (frames[6] + frames[7]))
    }
}
