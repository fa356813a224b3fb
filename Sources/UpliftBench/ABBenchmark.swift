import Foundation
import Synchronization
import UpliftAudio
import UpliftStudio
import UpliftSynth

/// Issue 16's figures: switch latency, the callback's worst case with 16 slots, memory per slot,
/// and the time to load 8 five-minute references whose analyses are cached.
public enum ABBenchmark {
    public static func run(referenceSeconds: Double = 300, log: (String) -> Void) throws -> [String] {
        var lines: [String] = []
        let rate = 48_000.0
        // One five-minute arrangement (138 BPM, 8-bar sections looped), rendered once.
        log("rendering a \(Int(referenceSeconds)) s arrangement…")
        let bars = Int(referenceSeconds / (4 * 60 / 138.0))
        let sections = (0..<(bars / 8)).map { i -> TranceSection in
            let kinds: [TranceSectionKind] = [.intro, .breakdown, .buildup, .drop, .drop]
            let kind = kinds[i % kinds.count]
            let pattern: TrancePattern = kind == .drop ? .drop : kind == .breakdown ? .breakdown : kind == .buildup ? .buildup : .intro
            return TranceSection(kind: kind, bars: 8, pattern: pattern)
        }
        let track = TranceRecipe(seed: 5, bpm: 138, sections: sections).render(sampleRate: 44_100)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("uplift-ab-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        setenv("XDG_CACHE_HOME", folder.path, 1)
        // Eight different files (each scaled a little, so each has its own content hash and cache entry).
        var paths: [String] = []
        for i in 0..<9 {
            let scale = Float(1 - 0.02 * Double(i))
            let path = folder.appendingPathComponent("ref-\(i).wav").path
            try AudioFileWriter.write(track.interleaved.map { $0 * scale }, channels: 2, sampleRate: 44_100, format: .wavPCM16, to: path)
            paths.append(path)
        }

        // Memory per slot: a five-minute reference resampled to 48 kHz, float stereo.
        let one = try ABTrack.load(path: paths[1], outputRate: rate)
        lines.append(String(format: "memory per slot: %.1f MB for %.0f s at 48 kHz (16-bit stereo scaled to ±2)   target ≤ 64 MB", Double(one.memoryBytes) / 1e6, one.durationS))

        // Callback worst case: 16 slots, a switch every 40 ms (crossfading most of the time), band solo on.
        let mixer = ABMixer(sampleRate: rate, crossfadeMS: 20)
        for slot in 0..<16 { mixer.install(one, slot: slot) }
        mixer.setPlaying(true)
        mixer.setBandSolo(.lowMid)
        let block = 256
        let out = UnsafeMutablePointer<Float>.allocate(capacity: block * 2)
        defer { out.deallocate() }
        let tap = try SPSCRingBuffer(capacityFrames: 1 << 15)
        var times: [Double] = [], cpu: [Double] = []
        for i in 0..<20_000 {
            if i % 8 == 0 { mixer.switchTo(slot: (i / 8) % 16, atFrame: mixer.positionFrame, computedFrom: mixer.positionFrame) }
            let start = BenchClock.wall(), startCPU = BenchClock.threadCPU()
            mixer.render(out, frameCount: block, channels: 2, tap: tap)
            cpu.append(BenchClock.threadCPU() - startCPU)
            times.append(BenchClock.wall() - start)
            tap.discardAll()
        }
        times.sort(); cpu.sort()
        let period = Double(block) / rate
        lines.append(String(format: "callback, 16 slots, 256 frames (%.2f ms), thread CPU: mean %.1f µs, p99.9 %.1f µs, worst %.1f µs = %.1f %% of the period   target < 10 %%",
                            period * 1000, cpu.reduce(0, +) / Double(cpu.count) * 1e6, cpu[cpu.count * 999 / 1000] * 1e6,
                            cpu.last! * 1e6, cpu.last! / period * 100))
        lines.append(String(format: "  (wall clock, preemption by other processes included: p99.9 %.1f µs, worst %.1f µs)",
                            times[times.count * 999 / 1000] * 1e6, times.last! * 1e6))

        // Switch latency: a pacer renders 256-frame buffers at real time; a request at a random moment
        // is applied at the start of the next buffer (then the crossfade's first frame sounds).
        let pacedMixer = ABMixer(sampleRate: rate, crossfadeMS: 20)
        pacedMixer.install(one, slot: 0); pacedMixer.install(one, slot: 1)
        pacedMixer.setPlaying(true)
        let stop = Atomic<Bool>(false)
        let pacer = Thread {
            let scratch = UnsafeMutablePointer<Float>.allocate(capacity: block * 2)
            defer { scratch.deallocate() }
            let begin = BenchClock.wall()
            var rendered = 0
            while !stop.load(ordering: .relaxed) {
                while Double(rendered + block) / rate <= BenchClock.wall() - begin {
                    pacedMixer.render(scratch, frameCount: block, channels: 2, tap: pacedMixer.playedRing)
                    pacedMixer.playedRing.discardAll()
                    rendered += block
                }
                usleep(200)
            }
        }
        pacer.start()
        var latencies: [Double] = []
        var frameLatencies: [Int] = []
        var generator = SystemRandomNumberGenerator()
        for i in 0..<200 {
            usleep(UInt32.random(in: 2_000...12_000, using: &generator))
            let before = pacedMixer.switchesApplied
            let renderedAtRequest = pacedMixer.framesRendered
            let start = BenchClock.wall()
            pacedMixer.switchTo(slot: i % 2 == 0 ? 1 : 0, atFrame: nil)
            while pacedMixer.switchesApplied == before { usleep(50) }
            latencies.append(BenchClock.wall() - start)
            frameLatencies.append(pacedMixer.framesRendered - block - renderedAtRequest)
            usleep(25_000)  // let the crossfade finish
        }
        stop.store(true, ordering: .relaxed)
        latencies.sort()
        lines.append(String(format: "switch: request → first crossfaded frame rendered: median %.1f ms, worst %.1f ms (≤ one 256-frame buffer, 5.3 ms, plus scheduling); %d frames of the clock at most; then the device's output latency   target < 30 ms",
                            latencies[latencies.count / 2] * 1000, latencies.last! * 1000, frameLatencies.max() ?? -1))

        // Load: decode + resample + measure 8 references, analyses cached (a first pass fills the cache).
        func load() throws -> Double {
            var options = ABSession.Options(mixPath: paths[0], referencePaths: Array(paths[1...8]))
            options.noAudio = true
            let start = BenchClock.wall()
            let session = try ABSession(options: options)
            session.startLoading()
            _ = session.waitUntilLoaded(timeoutS: 900)
            return BenchClock.wall() - start
        }
        log("first load (analyses every reference, fills the cache)…")
        let cold = try load()
        let warm = try load()
        var decodeFloor = 0.0
        let started = BenchClock.wall()
        for path in paths[0...8] {
            let reader = try AudioFileReader(path: path, blockFrames: 8192)
            let buffer = UnsafeMutablePointer<Float>.allocate(capacity: 8192 * 2)
            while try reader.read(into: buffer, maxFrames: 8192) > 0 {}
            buffer.deallocate()
        }
        decodeFloor = BenchClock.wall() - started
        lines.append(String(format: "load mix + 8 × %.0f s references: %.2f s with cached analyses (%.1f s the first time); decode alone %.2f s (ratio %.1f×)   target < 3 s",
                            referenceSeconds, warm, cold, decodeFloor, warm / decodeFloor))
        return lines
    }
}
