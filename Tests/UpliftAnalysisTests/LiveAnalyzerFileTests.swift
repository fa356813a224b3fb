import Foundation
import Testing
import UpliftAudio
import UpliftDSP
import UpliftModel
@testable import UpliftAnalysis

/// The live engine over a file player (seek clears the analysis history) and the loudness hook.
@Suite struct LiveAnalyzerFileTests {
    static let rate = 48_000

    @Test func aSeekClearsTheSpectrumHistory() throws {
        // 1 kHz for the first second, 5 kHz after it.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("uplift-seek-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent("two-tones.wav")
        try Self.writeWAV(to: url, frames: 3 * Self.rate) { i in
            let hz = i < Self.rate ? 1000.0 : 5039.7
            return 0.5 * Float(sin(2 * Double.pi * hz * Double(i) / Double(Self.rate)))
        }
        let player = try FilePlayer(path: url.path, audioOutNote: "--no-audio", pacing: .realTime)
        let analyzer = try LiveAnalyzer(source: player)
        try analyzer.start()
        defer { analyzer.stop() }
        let low = analyzer.spectrum.bandIndex(nearestTo: 1000), high = analyzer.spectrum.bandIndex(nearestTo: 5039.7)
        #expect(LiveAnalyzerTests.wait(timeoutS: 2) {
            (analyzer.latestSnapshot().spectrum?.peaksDB[low] ?? -200) > -8
        }, "the 1 kHz part is playing")

        player.seek(toSeconds: 1.5)
        #expect(LiveAnalyzerTests.wait(timeoutS: 2) {
            let snapshot = analyzer.latestSnapshot()
            return snapshot.source.positionS > 1.6 && (snapshot.spectrum?.levelsDB[high] ?? -200) > -8
        })
        let snapshot = analyzer.latestSnapshot()
        let spectrum = try #require(snapshot.spectrum)
        // Without the reset the 1 kHz peak would still be held near −6 dB (hold 1.5 s); after it,
        // only the broadband click of the new tone starting in a cleared window reaches 1 kHz.
        #expect(spectrum.peaksDB[low] < -40, "1 kHz peak \(spectrum.peaksDB[low]) dB survived the seek")
        #expect(spectrum.levelsDB.indices.max { spectrum.levelsDB[$0] < spectrum.levelsDB[$1] } == high)
        #expect(snapshot.source.kind == .file)
        #expect(snapshot.source.audioOutNote == "--no-audio")
        #expect(abs((snapshot.source.durationS ?? 0) - 3) < 1e-9)
    }

    /// After a seek the integrated reading starts again, and the snapshot says from where.
    @Test func aSeekSaysWhereTheIntegratedLoudnessStartsAgain() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("uplift-since-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("tone.wav")
        try Self.writeWAV(to: url, frames: 4 * Self.rate) { i in 0.25 * Float(sin(2 * Double.pi * 440 * Double(i) / Double(Self.rate))) }
        let player = try FilePlayer(path: url.path, audioOutNote: "--no-audio", pacing: .realTime)
        let format = try STFTFormat(sampleRate: Double(Self.rate))
        let analyzer = try LiveAnalyzer(source: player, loudness: LoudnessMeter(format: format, expectedFrames: nil))
        try analyzer.start()
        defer { analyzer.stop() }
        #expect(LiveAnalyzerTests.wait(timeoutS: 3) { (analyzer.latestSnapshot().source.positionS) > 0.5 })
        let before = try #require(analyzer.latestSnapshot().loudness)
        #expect(before.integratedSinceS == nil)
        player.seek(toSeconds: 2)
        #expect(LiveAnalyzerTests.wait(timeoutS: 3) { analyzer.latestSnapshot().loudness?.integratedSinceS != nil })
        let since = try #require(analyzer.latestSnapshot().loudness?.integratedSinceS)
        #expect(since >= 2 && since < 2.5, "integrated since \(since) s after a seek to 2 s")
    }

    @Test func aLoudnessSourceFeedsTheSnapshot() throws {
        let ring = try SPSCRingBuffer(capacityFrames: 1 << 14)
        let meter = HopCountingLoudness()
        let analyzer = try LiveAnalyzer(source: RingOnlySource(ring: ring), loudness: meter)
        let block = UnsafeMutablePointer<Float>.allocate(capacity: 2 * 4096)
        defer { block.deallocate() }
        block.initialize(repeating: 0.1, count: 2 * 4096)
        ring.write(block, frameCount: 4096)
        while analyzer.step() > 0 {}
        analyzer.step(forcePublish: true)
        let loudness = try #require(analyzer.latestSnapshot().loudness)
        #expect(loudness.momentaryLUFS == -Double(4096 / analyzer.format.hopSize))
        #expect(loudness.shortTermHistory == [1, 2])
    }

    static func writeWAV(to url: URL, frames: Int, sample: (Int) -> Float) throws {
        var data = Data()
        func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { data.append(contentsOf: $0) } }
        func u16(_ v: UInt16) { withUnsafeBytes(of: v.littleEndian) { data.append(contentsOf: $0) } }
        data.append(contentsOf: Array("RIFF".utf8)); u32(UInt32(36 + frames * 8)); data.append(contentsOf: Array("WAVE".utf8))
        data.append(contentsOf: Array("fmt ".utf8)); u32(16); u16(3); u16(2); u32(UInt32(rate)); u32(UInt32(rate * 8)); u16(8); u16(32)
        data.append(contentsOf: Array("data".utf8)); u32(UInt32(frames * 8))
        for i in 0..<frames {
            let v = sample(i).bitPattern
            u32(v); u32(v)
        }
        try data.write(to: url)
    }
}

/// A loudness source whose "reading" is minus the number of hops it saw: proves the analyzer
/// feeds it every hop and copies its readings into the snapshot.
final class HopCountingLoudness: LiveLoudnessSource {
    private var hops = 0
    func process(_ hop: borrowing Hop) { hops += 1 }
    func reset() { hops = 0 }
    func summarize(into analysis: inout TrackAnalysis, context: SummaryContext) {}
    func readLiveLoudness(into loudness: inout AnalysisSnapshot.LiveLoudness) {
        loudness.momentaryLUFS = -Double(hops)
        loudness.shortTermHistory = [1, 2]
    }
}
