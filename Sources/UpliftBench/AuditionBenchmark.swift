import Foundation
import UpliftAnalysis
import UpliftAudio
import UpliftGaps
import UpliftModel
import UpliftStudio

/// `uplift-bench run --suites audition`: from `A` on a gap to the first rendered buffer ready to play,
/// on a 5-minute mix (issue 17's target: < 1 s): the section around the playhead (8 s) rendered
/// through the device models first, the whole in the background. Measured with the mix already
/// decoded (the A/B view's player holds it) and with its decode, beside the floor (decode + one STFT
/// pass) of the same file in the same run.
public enum AuditionBenchmark {
    public struct Row {
        public var fix: String
        public var firstS: Double
        public var wholeS: Double
    }

    static let fixes: [FixAction] = [
        .eq(shape: .bell, frequencyHz: 250, gainDB: -3, q: 1.4),
        .utility(widthPercent: 140),
        .limiter(gainDB: 3, ceilingDB: -1),
        .sectionGain(section: "breakdown", gainDB: -2),
    ]

    public static func run(mixSeconds: Double, repeats: Int) throws -> String {
        let root = NSTemporaryDirectory() + "uplift-bench-audition"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let mixPath = root + "/mix-\(Int(mixSeconds))s.wav"
        if !FileManager.default.fileExists(atPath: mixPath) {
            try AnalysisBenchmark.renderSignal(to: mixPath, seconds: mixSeconds, sampleRate: 44_100, format: .wavPCM16)
        }
        var decode = Double.infinity
        var mix = StereoAudio(samples: [], sampleRate: 44_100)
        for _ in 0..<max(1, repeats) {
            let t = try BenchClock.measure { mix = try StereoAudio.load(path: mixPath) }
            decode = min(decode, t.wall)
        }
        var floor = Double.infinity
        for _ in 0..<max(1, repeats) { floor = min(floor, try BenchClock.measure { try BenchCase.floorPass(path: mixPath) }.wall) }
        // Sections for the section-level fix: a breakdown in the middle.
        var analysis = TrackAnalysis(file: mixPath, durationS: mix.durationS, sampleRate: mix.sampleRate, channels: 2)
        analysis.sections = [.init(kind: .breakdown, startS: mix.durationS * 0.4, endS: mix.durationS * 0.6)]
        var rows: [Row] = []
        for action in fixes {
            let fix = Fix(id: "bench", gapID: "bench", action: action, scope: .mixBus, expectedEffect: "", expectedValue: nil,
                          confidence: 1, adviceOnly: false)
            let renderer = try FixRenderer(plan: try AuditionPlan.make(for: fix, mix: analysis), mix: mix)
            var best = Row(fix: action.summary, firstS: .infinity, wholeS: .infinity)
            for _ in 0..<max(1, repeats) {
                let audition = FixAudition(renderer: renderer)
                let start = Date()
                audition.start(aroundS: mix.durationS / 2)
                let first = Date().timeIntervalSince(start)
                audition.waitUntilComplete()
                let whole = Date().timeIntervalSince(start)
                if first < best.firstS { best = Row(fix: action.summary, firstS: first, wholeS: whole) }
            }
            rows.append(best)
        }
        // `A` in the studio, whole: the mix decoded, the 8 s around the playhead rendered, both slots in
        // the A/B mixer and matched (the studio's analysis gives the mix's loudness), no device.
        let analysed = try TrackAnalyzer().analyze(path: mixPath)
        let eq = Fix(id: "bench", gapID: "bench", action: fixes[0], scope: .mixBus, expectedEffect: "", expectedValue: nil,
                     confidence: 1, adviceOnly: false)
        var toPlay = (cpu: Double.infinity, wall: Double.infinity)
        for _ in 0..<max(1, repeats) {
            let wall0 = BenchClock.wall(), cpu0 = BenchClock.threadCPU()
            let audition = try AuditionWorkflow.audition(fix: eq, mixPath: mixPath, analysis: analysed, stems: nil)
            var options = ABSession.Options(mixPath: mixPath, referencePaths: [])
            options.noAudio = true
            options.useCache = false
            options.startS = mix.durationS / 2
            options.mixAnalysis = analysed
            options.audition = ABAudition(audition: audition) { _ in }
            let session = try ABSession(options: options)
            let (cpu, wall) = (BenchClock.threadCPU() - cpu0, BenchClock.wall() - wall0)
            if wall < toPlay.wall { toPlay = (cpu, wall) }
            audition.waitUntilComplete()
            session.stop()
        }
        func f(_ x: Double) -> String { String(format: "%.3f", x) }
        var out = "mix: \(Int(mixSeconds)) s UpliftSynth signal, 16-bit 44.1 kHz stereo WAV; decode into memory \(f(decode)) s; floor (decode + STFT) \(f(floor)) s\n"
        out += "fix                                          first 8 s ready   (+ decode)   whole mix   whole × real time\n"
        for r in rows {
            out += r.fix.padding(toLength: 45, withPad: " ", startingAt: 0)
                + "\(f(r.firstS)) s".padding(toLength: 18, withPad: " ", startingAt: 0)
                + "\(f(r.firstS + decode)) s".padding(toLength: 13, withPad: " ", startingAt: 0)
                + "\(f(r.wholeS)) s".padding(toLength: 12, withPad: " ", startingAt: 0)
                + String(format: "%.0f×", mixSeconds / r.wholeS) + "\n"
        }
        out += "A in the studio → the A/B view ready to play (decode, first 8 s rendered, both slots in the mixer): \(f(toPlay.wall)) s wall, \(f(toPlay.cpu)) s of its thread's CPU (the whole render runs beside it)\n"
        out += "target: first buffer < 1 s"
        return out
    }
}
