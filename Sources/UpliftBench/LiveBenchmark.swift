import Foundation
import Synchronization
import UpliftAudio
import UpliftDSP
import UpliftAnalysis
import UpliftModel

/// Figures for `uplift-bench`: how long a sample takes from entering the ring to the snapshot
/// that shows it, and how much of one core the analysis thread uses in steady live mode.
public struct LiveBenchmarkResult: Sendable, CustomStringConvertible {
    /// Ring → visible snapshot, per burst (milliseconds).
    public var latenciesMS: [Double]
    /// Analysis-thread CPU time over wall time while a real-time source plays (0…1 of one core).
    public var analysisCPUShare: Double
    public var durationS: Double
    public var sampleRate: Double
    public var publishRateHz: Double

    public var meanLatencyMS: Double { latenciesMS.isEmpty ? .nan : latenciesMS.reduce(0, +) / Double(latenciesMS.count) }
    public var maxLatencyMS: Double { latenciesMS.max() ?? .nan }

    public var description: String {
        String(format: "live: ring→snapshot latency mean %.1f ms, max %.1f ms (%d bursts, snapshots at %.0f Hz; add the UI frame time); analysis thread %.2f%% of one core at %.0f Hz stereo over %.0f s",
               meanLatencyMS, maxLatencyMS, latenciesMS.count, publishRateHz, analysisCPUShare * 100, sampleRate, durationS)
    }
}

public enum LiveBenchmark {
    /// Runs the live engine on a synthetic real-time source for `durationS` seconds: quiet noise
    /// (−50 dBFS) with a 1 kHz burst at −6 dBFS every `burstIntervalS`. A reader polls the
    /// snapshots every 0.5 ms and times each burst from the moment its first sample was written
    /// to the ring until a snapshot's 400 ms peak level shows it.
    /// `music`: with the live musical analysis on the same hops (as `uplift live` runs by default).
    public static func measure(durationS: Double = 6, sampleRate: Double = 44_100, burstIntervalS: Double = 0.5,
                               publishRateHz: Double = 120, music: Bool = false) throws -> LiveBenchmarkResult {
        let source = try SyntheticBurstSource(sampleRate: sampleRate, burstIntervalS: burstIntervalS)
        let analyzer = try LiveAnalyzer(source: source, music: music ? LiveMusicAnalyzer.Options() : nil, publishRateHz: publishRateHz)
        try analyzer.start()
        let startCPU = analyzer.cpuSeconds
        let start = DispatchTime.now().uptimeNanoseconds
        let end = start + UInt64(durationS * 1e9)
        var latencies: [Double] = []
        var seenBursts = 0
        while DispatchTime.now().uptimeNanoseconds < end {
            let snapshot = analyzer.latestSnapshot()
            let now = DispatchTime.now().uptimeNanoseconds
            let written = source.burstsWritten
            if written > seenBursts, let peak = snapshot.level?.peakDBFS, peak > -12 {
                latencies.append(Double(now - source.burstWriteTime(written - 1)) / 1e6)
                seenBursts = written
            }
            usleep(500)
        }
        let wall = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let cpu = analyzer.cpuSeconds - startCPU
        analyzer.stop()
        // The first burst may land before the engine's first snapshot: keep the steady ones.
        return LiveBenchmarkResult(latenciesMS: Array(latencies.dropFirst()), analysisCPUShare: cpu / wall,
                                   durationS: wall, sampleRate: sampleRate, publishRateHz: publishRateHz)
    }
}

/// A real-time source for the benchmark: writes 128-frame blocks paced by the wall clock and
/// records when each burst's first sample entered the ring.
final class SyntheticBurstSource: LiveAudioSource, @unchecked Sendable {
    let ring: SPSCRingBuffer
    let sampleRate: Double
    let burstIntervalS: Double
    private let stopRequested = Atomic<Bool>(false)
    private let delivered = Atomic<Int>(0)
    private let bursts = Atomic<Int>(0)
    private let burstTimes: UnsafeMutablePointer<UInt64>
    private static let maxBursts = 4096

    init(sampleRate: Double, burstIntervalS: Double) throws(AudioError) {
        self.sampleRate = sampleRate
        self.burstIntervalS = burstIntervalS
        ring = try SPSCRingBuffer(capacityFrames: 1 << 15)
        burstTimes = .allocate(capacity: Self.maxBursts)
        burstTimes.initialize(repeating: 0, count: Self.maxBursts)
    }

    deinit { burstTimes.deallocate() }

    var burstsWritten: Int { bursts.load(ordering: .acquiring) }
    func burstWriteTime(_ index: Int) -> UInt64 { burstTimes[index] }

    func status() -> LiveSourceStatus {
        let frames = delivered.load(ordering: .relaxed)
        return LiveSourceStatus(kind: .pipe, name: "benchmark", state: .running, sampleRate: sampleRate,
                                positionFrames: frames, durationFrames: nil, framesDelivered: frames, generation: 0)
    }

    func start() throws(AudioError) {
        Thread { [self] in run() }.start()
    }

    func stop() { stopRequested.store(true, ordering: .relaxed) }

    private func run() {
        let blockFrames = 128
        let block = UnsafeMutablePointer<Float>.allocate(capacity: blockFrames * 2)
        defer { block.deallocate() }
        let burstFrames = Int(0.05 * sampleRate), intervalFrames = Int(burstIntervalS * sampleRate)
        var generator = SystemRandomNumberGenerator()
        let start = DispatchTime.now().uptimeNanoseconds
        var frame = 0
        while !stopRequested.load(ordering: .relaxed) {
            let due = Int(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 * sampleRate)
            if due < frame + blockFrames {
                usleep(500)
                continue
            }
            var burstStartsHere = false
            for i in 0..<blockFrames {
                let n = frame + i
                let phase = n % intervalFrames
                // Bursts start after the first interval so the analyzer is running when they arrive.
                let inBurst = n >= intervalFrames && phase < burstFrames
                if inBurst && phase == 0 { burstStartsHere = true }
                let noise = Float.random(in: -0.003...0.003, using: &generator)
                let tone = inBurst ? 0.5 * Float(sin(2 * Double.pi * 1000 * Double(n) / sampleRate)) : 0
                block[2 * i] = noise + tone
                block[2 * i + 1] = noise + tone
            }
            if burstStartsHere, bursts.load(ordering: .relaxed) < Self.maxBursts {
                burstTimes[bursts.load(ordering: .relaxed)] = DispatchTime.now().uptimeNanoseconds
            }
            ring.write(block, frameCount: blockFrames)
            if burstStartsHere, bursts.load(ordering: .relaxed) < Self.maxBursts { bursts.add(1, ordering: .releasing) }
            delivered.add(blockFrames, ordering: .relaxed)
            frame += blockFrames
        }
    }
}
