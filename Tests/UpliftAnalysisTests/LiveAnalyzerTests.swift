import Foundation
import Testing
import UpliftAudio
import UpliftModel
@testable import UpliftAnalysis

/// The live engine end to end in-process: a PCM pipe carrying a known tone → ring → analysis
/// thread → snapshots, plus drops, stalls, offline data and the snapshot hand-over.
@Suite struct LiveAnalyzerTests {
    static let rate = 48_000

    /// Float32 stereo bytes of a sine (`amplitude`, `frequencyHz`) lasting `seconds`.
    static func toneBytes(frequencyHz: Double, amplitude: Float = 0.5, seconds: Double) -> [UInt8] {
        let frames = Int(seconds * Double(rate))
        var bytes: [UInt8] = []
        bytes.reserveCapacity(frames * 8)
        for i in 0..<frames {
            let v = amplitude * Float(sin(2 * Double.pi * frequencyHz * Double(i) / Double(rate)))
            withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes += $0; bytes += $0 }
        }
        return bytes
    }

    /// A pipe whose write end gets `bytes`, then stays open for `holdOpenS` before closing.
    static func pipeFeeding(_ bytes: [UInt8], holdOpenS: Double = 0) -> Int32 {
        var fds: [Int32] = [0, 0]
        precondition(pipe(&fds) == 0)
        let writeEnd = fds[1]
        Thread {
            var offset = 0
            while offset < bytes.count {
                let n = min(4096, bytes.count - offset)
                let written = bytes[offset..<(offset + n)].withUnsafeBytes { write(writeEnd, $0.baseAddress, n) }
                if written <= 0 { break }
                offset += written
            }
            if holdOpenS > 0 { usleep(UInt32(holdOpenS * 1e6)) }
            close(writeEnd)
        }.start()
        return fds[0]
    }

    static func wait(timeoutS: Double, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeoutS)
        while Date() < deadline {
            if condition() { return true }
            usleep(5000)
        }
        return condition()
    }

    /// (tone, tolerance of its band level). Below ~300 Hz a 2048-point frame at 48 kHz has fewer
    /// bins than 1/6-octave bands, so a pure tone there spreads over the bands sharing its bins and reads a few dB low.
    @Test(arguments: [(1000.0, 1.0), (5039.7, 1.0), (250.0, 4.0)])
    func aPipedToneLightsItsBand(frequencyHz: Double, levelToleranceDB: Double) throws {
        let source = try PCMPipeSource(fileDescriptor: Self.pipeFeeding(Self.toneBytes(frequencyHz: frequencyHz, seconds: 1)),
                                       name: "-", format: .f32le, sampleRate: Double(Self.rate), channels: 2, whenBehind: .wait)
        let analyzer = try LiveAnalyzer(source: source)
        try analyzer.start()
        defer { analyzer.stop() }
        #expect(Self.wait(timeoutS: 5) {
            let s = analyzer.latestSnapshot()
            return s.source.state == .ended && analyzer.hopsProcessed >= 48_000 / analyzer.format.hopSize
        })
        usleep(50_000)  // one more snapshot after the last hop
        let snapshot = analyzer.latestSnapshot()
        let spectrum = try #require(snapshot.spectrum)
        let loudest = spectrum.levelsDB.indices.max { spectrum.levelsDB[$0] < spectrum.levelsDB[$1] }!
        let expectedBand = analyzer.spectrum.bandIndex(nearestTo: frequencyHz)
        #expect(loudest == expectedBand, "peak at \(spectrum.bandsHz[loudest]) Hz for a \(frequencyHz) Hz tone")
        #expect(abs(spectrum.levelsDB[loudest] - (-6.02)) < levelToleranceDB, "a 0.5-amplitude sine reads about −6 dB in its band")
        // Two octaves away the band is far down (Hann side lobes), so the peak is not a smear.
        let far = analyzer.spectrum.bandIndex(nearestTo: frequencyHz * 4)
        #expect(spectrum.levelsDB[far] < spectrum.levelsDB[loudest] - 40)
        #expect(spectrum.peaksDB[loudest] >= spectrum.levelsDB[loudest])
        let level = try #require(snapshot.level)
        #expect(abs(level.rmsDBFS - (-9.03)) < 0.2, "RMS of a 0.5 sine is −9.03 dBFS")
        #expect(abs(level.peakDBFS - (-6.02)) < 0.1)
        #expect(snapshot.source.kind == .pipe)
        #expect(snapshot.source.droppedFrames == 0)
        #expect(abs(snapshot.source.positionS - 1.0) < 1e-9)
        #expect(snapshot.source.note?.hasPrefix("end of input") == true)
    }

    @Test func dropsFromAStalledConsumerReachTheSnapshot() throws {
        let frames = 30_000
        let source = try PCMPipeSource(fileDescriptor: Self.pipeFeeding(Self.toneBytes(frequencyHz: 440, seconds: Double(frames) / 48_000)),
                                       name: "-", format: .f32le, sampleRate: 48_000, channels: 2,
                                       whenBehind: .drop, ringCapacityFrames: 4096)
        let analyzer = try LiveAnalyzer(source: source)
        // The analysis thread is not running: the consumer has stalled while the pipe delivers.
        try source.start()
        #expect(source.waitUntilFinished(timeoutS: 5))
        while analyzer.step() > 0 {}
        analyzer.step(forcePublish: true)
        let snapshot = analyzer.latestSnapshot()
        #expect(snapshot.source.droppedFrames == frames - 4096)
        #expect(snapshot.source.state == .ended)
        #expect(analyzer.hopsProcessed == 4096 / analyzer.format.hopSize)
    }

    @Test func inputThatStopsArrivingIsReported() throws {
        let source = try PCMPipeSource(fileDescriptor: Self.pipeFeeding(Self.toneBytes(frequencyHz: 440, seconds: 0.1), holdOpenS: 1.5),
                                       name: "-", format: .f32le, sampleRate: 48_000, channels: 2)
        let analyzer = try LiveAnalyzer(source: source, stallTimeoutS: 0.3)
        try analyzer.start()
        defer { analyzer.stop() }
        #expect(Self.wait(timeoutS: 1) { analyzer.latestSnapshot().source.state == .running })
        #expect(Self.wait(timeoutS: 1.2) { analyzer.latestSnapshot().source.state == .waiting })
        #expect(analyzer.latestSnapshot().source.note?.hasPrefix("no input for") == true)
        #expect(Self.wait(timeoutS: 2) { analyzer.latestSnapshot().source.state == .ended })
    }

    @Test func theFilesOfflineAnalysisIsShownOnceSet() throws {
        let source = try PCMPipeSource(fileDescriptor: Self.pipeFeeding(Self.toneBytes(frequencyHz: 440, seconds: 0.2), holdOpenS: 1),
                                       name: "-", format: .f32le, sampleRate: 48_000, channels: 2)
        let analyzer = try LiveAnalyzer(source: source)
        try analyzer.start()
        defer { analyzer.stop() }
        #expect(Self.wait(timeoutS: 1) { analyzer.latestSnapshot().sequence > 3 })
        #expect(analyzer.latestSnapshot().tempo == nil)
        var analysis = TrackAnalysis(file: "mix.wav", durationS: 60, sampleRate: 48_000, channels: 2)
        analysis.tempo = .init(bpm: 138, confidence: 0.9, stability: 0.95, firstBeatS: 0.1)
        analysis.sections = [.init(kind: .intro, startS: 0, endS: 30), .init(kind: .drop, startS: 30, endS: 60)]
        analysis.energy = .init(curve: [.init(tS: 0, rmsDB: -20, centroidHz: 1000, bassRatio: 0.3)])
        analyzer.setOfflineAnalysis(analysis)
        // Every slot of the triple buffer must pick it up, not only the next one.
        for _ in 0..<6 {
            let before = analyzer.latestSnapshot().sequence
            #expect(Self.wait(timeoutS: 1) { analyzer.latestSnapshot().sequence > before })
            let snapshot = analyzer.latestSnapshot()
            #expect(snapshot.tempo?.bpm == 138)
            #expect(snapshot.sections.map(\.kind) == [.intro, .drop])
            #expect(snapshot.energy.count == 1)
        }
        analyzer.setOfflineAnalysis(nil)
        usleep(100_000)
        #expect(analyzer.latestSnapshot().tempo == nil)
    }

    @Test func theTripleBufferNeverTearsAndLatestWins() throws {
        struct Payload: Sendable { var sequence: Int; var values: [Int] }
        let publisher = SnapshotPublisher(initial: Payload(sequence: 0, values: [Int](repeating: 0, count: 64)))
        let done = DispatchSemaphore(value: 0)
        let writes = 200_000
        Thread {
            for n in 1...writes {
                publisher.withBackSlot { payload in
                    payload.sequence = n
                    for i in payload.values.indices { payload.values[i] = n }
                }
                publisher.publish()
            }
            done.signal()
        }.start()
        var last = 0, reads = 0, torn = 0, backwards = 0
        while done.wait(timeout: .now()) != .success {
            let payload = publisher.latest()
            if payload.values.contains(where: { $0 != payload.sequence }) { torn += 1 }
            if payload.sequence < last { backwards += 1 }
            last = payload.sequence
            reads += 1
        }
        #expect(torn == 0)
        #expect(backwards == 0)
        #expect(reads > 0)
        #expect(publisher.latest().sequence == writes, "after the last publish the reader sees the last value")
        #expect(publisher.publishCount == writes)
    }
}

/// A source that is just a ring the test writes into.
final class RingOnlySource: LiveAudioSource, @unchecked Sendable {
    let ring: SPSCRingBuffer
    let sampleRate = 48_000.0
    init(ring: SPSCRingBuffer) { self.ring = ring }
    func status() -> LiveSourceStatus {
        LiveSourceStatus(kind: .pipe, name: "ring", state: .running, sampleRate: sampleRate, positionFrames: 0,
                         durationFrames: nil, framesDelivered: 0, generation: 0)
    }
    func start() throws(AudioError) {}
    func stop() {}
}
