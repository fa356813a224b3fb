import Foundation
import Synchronization
import UpliftDSP
import UpliftModel

/// The live engine's musical ear: the offline extractors (`StandardExtractors`, rolling set) run on
/// every live hop, and at each bar line a rolling summary of the same extractors over the last
/// bars is computed on a utility thread and handed to the snapshot (DESIGN, "Data flow, live").
///
/// Real-time side (the analysis thread, `process`): the extractors' per-hop work, a checkpoint of
/// their running sums every half second, and at a bar line a copy of the window's state into twin
/// extractors (same types, sized for the window), all in storage allocated at `init`. It then wakes
/// the summary thread, which is the only reader of the twins until it is done; a bar line that
/// finds it still busy is skipped. Summary side: the twins' ordinary `summarize` (so the window's
/// figures are by construction what an offline analysis of the window says), then the streaming
/// state that needs memory across summaries: the tempo follower (octave hysteresis) and the energy
/// curve and sections since listening began (older bars frozen, the newest provisional).
public final class LiveMusicAnalyzer: HopExtractor, @unchecked Sendable {
    public struct Options: Sendable, Equatable {
        /// Window in bars once a grid is known (nil: always `windowSeconds`)…
        public var windowBars: Int?
        /// …and in seconds before (or when the grid is lost).
        public var windowSeconds: Double
        /// Bars at the end of the energy curve whose label may still change.
        public var provisionalBars: Int
        public init(windowBars: Int? = 32, windowSeconds: Double = 60, provisionalBars: Int = 4) {
            self.windowBars = windowBars; self.windowSeconds = windowSeconds; self.provisionalBars = provisionalBars
        }

        /// A `--window` value that is neither bars nor seconds in range: one line for standard error.
        public struct WindowError: Error, CustomStringConvertible { public var description: String }

        /// `--window`: `32` or `32bars` (bars), `60s` (seconds); nil is the default.
        public init(windowArgument: String?) throws(WindowError) {
            self.init()
            guard let text = windowArgument?.trimmingCharacters(in: .whitespaces).lowercased(), !text.isEmpty else { return }
            let limit = LiveMusicAnalyzer.maximumWindowSeconds
            if text.hasSuffix("s"), !text.hasSuffix("bars"), let seconds = Double(text.dropLast()) {
                guard seconds >= 8, seconds <= limit else {
                    throw WindowError(description: "--window \(text): seconds must be within 8…\(Int(limit))")
                }
                windowBars = nil; windowSeconds = seconds
                return
            }
            let number = text.hasSuffix("bars") ? String(text.dropLast(4)) : text
            guard let bars = Int(number), bars >= 4, bars <= 64 else {
                throw WindowError(description: "--window \(text): give bars (4…64, e.g. 32) or seconds (e.g. 60s)")
            }
            windowBars = bars
        }
    }

    /// Longest window the preallocated storage holds (the live series keep 90 s).
    public static let maximumWindowSeconds = 88.0
    /// Summaries every this often until a grid gives bar lines.
    static let gridlessIntervalS = 1.0
    /// A bar line is summarized this long after it passes, so its first onset is in the window.
    static let barLineMarginS = 0.1
    static let checkpointIntervalS = 0.5

    public let format: STFTFormat
    public let options: Options
    private let live: [any WindowCopyable]
    private let twins: [any HopExtractor]
    private let checkpointOffsets: [Int]
    private let checkpoints: CheckpointRing
    private let checkpointEveryHops: Int
    private let zeroCheckpoint: UnsafeMutablePointer<Double>

    // Analysis thread → summary thread (published by the semaphore).
    private var windowStartHop = 0, windowEndHop = 0
    private var resetsSeen = 0
    // Summary thread → analysis thread.
    private let nextSummaryHop = Atomic<Int>(0)
    private let windowHopsWanted: Atomic<Int>
    private let busy = Atomic<Bool>(false)
    private let resets = Atomic<Int>(0)
    private let stopping = Atomic<Bool>(false)
    private let wake = DispatchSemaphore(value: 0)
    private let done = DispatchSemaphore(value: 0)
    private var threadStarted = false

    // Summary thread only.
    private var follower = TempoFollower()
    private var history = LiveMusicHistory()
    private var summaries = 0
    private var sessionResets = 0

    /// Live's own transport (the Ableton bridge's tempo and beat pushes), when connected.
    private struct ExternalTransport { var bpm: Double?; var beat: Int?; var beatStreamS: Double? }
    private let external = Mutex(ExternalTransport())
    /// Live's beat counts as current while its last push is this recent (in stream time).
    public static let externalBeatFreshS = 4.0

    private let latestMusic = Mutex<LiveMusic?>(nil)
    /// Summaries so far, their total and worst CPU time (ms): the benchmark's "time per bar".
    public var summaryStatistics: (count: Int, totalMS: Double, worstMS: Double) { statistics.withLock { $0 } }
    private let statistics = Mutex<(count: Int, totalMS: Double, worstMS: Double)>((0, 0, 0))
    /// CPU ms each extractor's summary took in the last summary (the benchmark reports it).
    public let summaryBreakdown = Mutex<[(String, Double)]>([])
    private let version = Atomic<Int>(0)
    /// Called on the summary thread after each summary (tests wait on it).
    public var onSummary: (@Sendable (LiveMusic) -> Void)?

    /// `inlineSummaries`: summarize on the thread that calls `process`, at the same bar lines
    /// (tests and the offline replay of a live session: same triggers, deterministic).
    private let inlineSummaries: Bool

    public init(format: STFTFormat, options: Options = Options(), inlineSummaries: Bool = false) throws {
        self.format = format
        self.inlineSummaries = inlineSummaries
        self.options = options
        let liveSet = try StandardExtractors.make(format: format, expectedFrames: nil, rolling: true)
        let windowFrames = Int((Self.maximumWindowSeconds + 2) * format.sampleRate)
        let twinSet = try StandardExtractors.make(format: format, expectedFrames: windowFrames, rolling: true)
        live = liveSet.map { $0 as! any WindowCopyable }
        twins = twinSet
        for twin in twins { (twin as? EnergyAnalyzer)?.rollingEdge = true }
        var offsets: [Int] = [], total = 0
        for e in live { offsets.append(total); total += e.checkpointSize }
        checkpointOffsets = offsets
        checkpointEveryHops = max(1, Int((Self.checkpointIntervalS / format.hopSeconds).rounded()))
        checkpoints = CheckpointRing(capacity: Int(Self.maximumWindowSeconds / Self.checkpointIntervalS) + 8, stride: max(1, total))
        zeroCheckpoint = .allocate(capacity: max(1, total))
        zeroCheckpoint.initialize(repeating: 0, count: max(1, total))
        windowHopsWanted = Atomic(Int(min(options.windowSeconds, Self.maximumWindowSeconds) / format.hopSeconds))
        nextSummaryHop.store(Int(Self.gridlessIntervalS / format.hopSeconds), ordering: .relaxed)
    }

    deinit {
        stop()
        zeroCheckpoint.deallocate()
    }

    /// Starts the summary thread (utility priority). Without it, `process` still runs the
    /// extractors but no summary is made; `summarizeNow` serves tests that drive it by hand.
    public func start() {
        guard !threadStarted else { return }
        threadStarted = true
        let thread = Thread { [self] in
            while true {
                wake.wait()
                if stopping.load(ordering: .relaxed) { break }
                runSummary()
                busy.store(false, ordering: .releasing)
            }
            done.signal()
        }
        thread.name = "uplift.summary"
        thread.qualityOfService = .utility
        thread.start()
    }

    public func stop() {
        guard threadStarted, !stopping.exchange(true, ordering: .relaxed) else { return }
        wake.signal()
        _ = done.wait(timeout: .now() + 2)
    }

    /// The newest summary (any thread).
    public func latest() -> LiveMusic? { latestMusic.withLock { $0 } }
    /// Bumped at every new summary; lets the publisher copy only what changed.
    public var summaryVersion: Int { version.load(ordering: .acquiring) }

    // MARK: - Live's transport as the grid

    /// Live's tempo (AbletonOSC `/live/song/get/tempo`, pushed at once and on each change).
    public func noteExternalTempo(_ bpm: Double) {
        guard bpm.isFinite, bpm > 0 else { return }
        external.withLock { $0.bpm = bpm }
    }

    /// Live's beat number (`/live/song/get/beat`, pushed on each whole beat while playing) and the
    /// stream time at which the push arrived (the input's position then). The push's own latency
    /// (OSC, audio loopback, buffers) is measured against the detected onsets and taken out.
    public func noteExternalBeat(_ beat: Int, atStreamS streamS: Double) {
        external.withLock { $0.beat = beat; $0.beatStreamS = streamS }
    }

    /// The bridge went away: the detected grid takes over again.
    public func clearExternalTransport() { external.withLock { $0 = ExternalTransport() } }

    /// Live's grid for a window ending at `endS`, aligned on `detectedBeats` (the median offset of
    /// the detected beats from Live's, within half a beat), or nil when Live is not (recently) heard.
    public static func externalGrid(bpm: Double?, beat: Int?, beatStreamS: Double?, endS: Double,
                             detectedBeats: [Double]) -> (grid: LiveMusic.Grid, offsetS: Double)? {
        guard let bpm, let beat, let pushedAt = beatStreamS, endS - pushedAt <= externalBeatFreshS, endS >= pushedAt - 1 else { return nil }
        let beatS = 60 / bpm
        var offsets: [Double] = []
        for t in detectedBeats.suffix(32) {
            var d = (t - pushedAt).truncatingRemainder(dividingBy: beatS)
            if d > beatS / 2 { d -= beatS } else if d < -beatS / 2 { d += beatS }
            offsets.append(d)
        }
        let offset = offsets.isEmpty ? 0 : RhythmMath.median(offsets)
        let anchor = pushedAt + offset
        let n = Int(((endS - anchor) / beatS).rounded(.down))
        let latest = beat + n
        let downbeat = latest - ((latest % 4) + 4) % 4
        return (LiveMusic.Grid(bpm: bpm, downbeatS: anchor + Double(downbeat - beat) * beatS, source: .ableton), offset)
    }

    // MARK: - Real-time side

    public func process(_ hop: borrowing Hop) {
        // Checkpoint i holds the sums of hops 0..<i: a window starting at hop i subtracts it.
        if hop.index % checkpointEveryHops == 0 {
            let sums = checkpoints.beginWrite(hop: hop.index)
            for (i, e) in live.enumerated() where e.checkpointSize > 0 { e.writeCheckpoint(into: sums + checkpointOffsets[i]) }
            checkpoints.endWrite()
        }
        for e in live { e.process(hop) }
        let processed = hop.index + 1
        guard threadStarted || inlineSummaries, processed >= nextSummaryHop.load(ordering: .relaxed),
              !busy.load(ordering: .acquiring) else { return }
        copyWindow(endHop: processed)
        if inlineSummaries { runSummary(); return }
        busy.store(true, ordering: .relaxed)
        wake.signal()
    }

    public func reset() {
        for e in live { e.reset() }
        checkpoints.reset()
        resets.add(1, ordering: .relaxed)
        nextSummaryHop.store(Int(Self.gridlessIntervalS / format.hopSeconds), ordering: .relaxed)
    }

    /// The rolling summary is published through `latest()`, not into a whole-track analysis.
    public func summarize(into analysis: inout TrackAnalysis, context: SummaryContext) {}

    /// Copies the window ending at `endHop` into the twins (analysis thread; no allocation).
    private func copyWindow(endHop: Int) {
        let wanted = windowHopsWanted.load(ordering: .relaxed)
        let start = max(0, endHop - wanted)
        let checkpoint = checkpoints.oldest(atOrAfter: start) ?? (0, UnsafePointer(zeroCheckpoint))
        let hops = endHop - checkpoint.hop
        for (i, e) in live.enumerated() {
            e.copyWindow(into: twins[i], hops: hops, checkpoint: checkpoint.sums + checkpointOffsets[i])
        }
        windowStartHop = checkpoint.hop
        windowEndHop = endHop
        resetsSeen = resets.load(ordering: .relaxed)
    }

    /// Beats must carry this many times the (detrended) onset of the average hop to make a grid. On
    /// the synthesizer: ambient pads 1.65–2.35, trance drops and arrangements 3.2–3.7, kick and pads
    /// 6.4, drum & bass 3.4–3.7, rock 6–6.7, hip-hop 8.3–9.3. Unverified on real recordings.
    static let minimumBeatSalience = 2.7
    /// The last summary's beat salience (tests, tuning).
    public private(set) var lastBeatSalience = 0.0

    /// Mean onset peak (±1 hop) at the beats over the mean onset peak at every hop: about 1 where the
    /// grid sits on nothing in particular, several times that on a kick or a backbeat.
    static func beatSalience(_ tracker: TempoTracker, beats: [Double]) -> Double {
        // The onset the tracker places beats on: kick and backbeat bands, local mean removed.
        let half = Int(0.2 / tracker.format.hopSeconds)
        let low = RhythmMath.detrendedOnset(tracker.onsetLow.toArray(), halfWindow: half)
        let mid = RhythmMath.detrendedOnset(tracker.onsetMid.toArray(), halfWindow: half)
        let onset = zip(low, mid).map { 2 * $0 + $1 }
        let n = onset.count
        guard n > 8 else { return 0 }
        func localPeak(_ c: Int) -> Double { onset[max(0, c - 1)...min(n - 1, c + 1)].max() ?? 0 }
        let f = tracker.format
        var atBeats = 0.0, count = 0
        for t in beats {
            let c = Int(((t + 0.5 * Double(f.windowSize) / f.sampleRate) / f.hopSeconds - 1 - Double(tracker.onsetFull.firstHop)).rounded())
            guard c >= 0, c < n else { continue }
            atBeats += localPeak(c); count += 1
        }
        var everywhere = 0.0
        for c in 0..<n { everywhere += localPeak(c) }
        guard count > 0, everywhere > 0 else { return 0 }
        return (atBeats / Double(count)) / (everywhere / Double(n))
    }

    /// Tests: copy the window now and summarize on the caller's thread (no summary thread running).
    @discardableResult
    public func summarizeNow(endHop: Int) -> LiveMusic {
        precondition(!threadStarted, "summarizeNow is for engines driven by hand")
        copyWindow(endHop: endHop)
        return runSummary()
    }

    /// The hop count at which the next summary is due (tests driving the engine by hand).
    public var nextSummaryDueHop: Int { nextSummaryHop.load(ordering: .relaxed) }

    // MARK: - Summary side

    @discardableResult
    private func runSummary() -> LiveMusic {
        let cpuStart = LiveAnalyzer.threadCPUNanoseconds()
        if resetsSeen != sessionResets {
            sessionResets = resetsSeen
            follower = TempoFollower(); history = LiveMusicHistory()
        }
        let hopS = format.hopSeconds
        let startS = Double(windowStartHop) * hopS, endS = Double(windowEndHop) * hopS
        let context = SummaryContext(format: format, durationS: endS - startS)
        var window = TrackAnalysis(file: "live", durationS: endS - startS, sampleRate: format.sampleRate, channels: 2)
        var parts: [(String, Double)] = []
        for twin in twins {
            let t0 = LiveAnalyzer.threadCPUNanoseconds()
            twin.summarize(into: &window, context: context)
            parts.append(("\(type(of: twin))", Double(LiveAnalyzer.threadCPUNanoseconds() - t0) / 1e6))
            if let tracker = twin as? TempoTracker, !context.beatTimesS.isEmpty {
                let salience = Self.beatSalience(tracker, beats: context.beatTimesS)
                lastBeatSalience = salience
                // A grid whose beats carry no more onset than anywhere else is a guess (slow pad
                // swells in a short window can fool the periodicity measure): no grid, low confidence.
                if salience < Self.minimumBeatSalience {
                    context.beatTimesS = []
                    if var tempo = window.tempo { tempo.confidence = min(tempo.confidence, 0.1); window.tempo = tempo }
                }
            }
        }
        summaryBreakdown.withLock { $0 = parts }

        var tempo = follower.update(estimate: window.tempo, beats: context.beatTimesS)
        var grid: LiveMusic.Grid?
        let transport = external.withLock { $0 }
        if let live = Self.externalGrid(bpm: transport.bpm, beat: transport.beat, beatStreamS: transport.beatStreamS,
                                        endS: endS, detectedBeats: context.beatTimesS) {
            // Live's own transport is the grid: its tempo is the tempo, sure by definition.
            grid = live.grid
            tempo = TrackAnalysis.Tempo(bpm: live.grid.bpm, confidence: 1, stability: window.tempo?.stability ?? 1,
                                        firstBeatS: live.grid.downbeatS)
        } else if let tempo, tempo.confidence >= TempoFollower.gridConfidence, context.beatTimesS.count >= 8 {
            let beats = context.beatTimesS
            var d = min(max(context.firstDownbeatIndex, 0), 3)
            while d + 4 < beats.count { d += 4 }
            grid = LiveMusic.Grid(bpm: tempo.bpm, downbeatS: beats[d])
        }
        // Per-bar points of the window, its sections as labels, merged into the session.
        let barS = grid?.barS
        history.merge(window: window.energy?.curve ?? [], sections: window.sections ?? [], windowStartS: startS, windowEndS: endS,
                      barS: barS, freezeBars: options.provisionalBars)
        // The trance score's energy progression reads the window's own sections and curve, as the
        // offline analysis of the window would: nothing to change there.
        summaries += 1
        let barsCovered = barS.flatMap { bar in options.windowBars.map { min($0, Int(((endS - startS) / bar).rounded())) } }
        let music = LiveMusic(tempo: tempo, grid: grid, energy: history.points, sections: history.sections(endS: endS),
                              provisionalFrom: history.provisionalSectionIndex(freezeBars: options.provisionalBars),
                              window: window, windowStartS: startS, windowEndS: endS, windowBars: barsCovered,
                              summaries: summaries,
                              summaryMS: Double(LiveAnalyzer.threadCPUNanoseconds() - cpuStart) / 1e6)
        // Next: just after the next bar line, or a second on while there is no grid.
        let next: Int
        if let grid {
            var t = grid.downbeatS
            while t <= endS { t += grid.barS }
            next = Int(((t + Self.barLineMarginS) / hopS).rounded(.up))
            let wantedS = min(options.windowBars.map { Double($0) * grid.barS } ?? options.windowSeconds, Self.maximumWindowSeconds)
            windowHopsWanted.store(Int(wantedS / hopS), ordering: .relaxed)
        } else {
            next = windowEndHop + Int(Self.gridlessIntervalS / hopS)
            windowHopsWanted.store(Int(min(options.windowSeconds, Self.maximumWindowSeconds) / hopS), ordering: .relaxed)
        }
        nextSummaryHop.store(max(next, windowEndHop + 1), ordering: .relaxed)
        latestMusic.withLock { $0 = music }
        statistics.withLock { $0 = ($0.count + 1, $0.totalMS + music.summaryMS, max($0.worstMS, music.summaryMS)) }
        version.add(1, ordering: .releasing)
        onSummary?(music)
        return music
    }
}

/// The streaming tempo: the window's estimate, read at its newest beats so a tempo change shows
/// within a few bars, held against octave jumps (a half- or double-tempo reading must persist
/// over several summaries before it replaces the tempo shown).
struct TempoFollower {
    /// Below this tempo confidence no grid is published (the tracker's own threshold).
    static let gridConfidence = 0.15
    /// Consecutive summaries an octave (or 3:2) jump must persist to be believed.
    static let jumpPersistence = 3
    /// Newest beats whose spacing gives the current tempo (three bars: a step shows within four).
    static let recentBeats = 12

    /// The newest beats must disagree with the window's tempo by this much, over this many
    /// summaries in a row, to be taken as a tempo change (beats interpolated through a beatless
    /// breakdown wander by less).
    static let stepBPM = 0.75, stepPersistence = 2

    private(set) var bpm: Double?
    private var pending: Double?
    private var pendingCount = 0
    private var stepCount = 0

    mutating func update(estimate: TrackAnalysis.Tempo?, beats: [Double]) -> TrackAnalysis.Tempo? {
        guard var estimate else { return nil }
        var candidate = estimate.bpm
        if estimate.confidence >= Self.gridConfidence, beats.count >= Self.recentBeats {
            let newest = Array(beats.suffix(Self.recentBeats))
            let slope = RhythmMath.slope((0..<newest.count).map(Double.init), newest)
            // The window's tempo (a median over 16-beat stretches: precise, but slow to move) unless
            // the newest beats keep saying otherwise: then the tempo changed.
            let recent = slope > 0 ? 60 / slope : estimate.bpm
            if abs(recent - estimate.bpm) > Self.stepBPM, abs(recent / estimate.bpm - 1) < 0.04 {
                stepCount += 1
                if stepCount >= Self.stepPersistence { candidate = recent }
            } else {
                stepCount = 0
            }
        }
        if let current = bpm, abs(log2(candidate / current)) > 0.3 {
            if let p = pending, abs(candidate / p - 1) < 0.03 { pendingCount += 1 } else { pending = candidate; pendingCount = 1 }
            if pendingCount < Self.jumpPersistence {
                estimate.bpm = current
                return estimate
            }
        }
        pending = nil; pendingCount = 0
        bpm = candidate
        estimate.bpm = candidate
        return estimate
    }
}

/// The energy curve and section labels since listening began. Each summary replaces the newest
/// `freezeBars` points (and anything newer than what is kept) with the window's; older points are
/// frozen, so a window whose first section is mislabelled "intro" by position cannot rewrite them.
struct LiveMusicHistory {
    private(set) var points: [TrackAnalysis.EnergyPoint] = []
    private(set) var kinds: [TrackAnalysis.SectionKind?] = []
    private var hadGrid = false

    mutating func merge(window: [TrackAnalysis.EnergyPoint], sections: [TrackAnalysis.Section], windowStartS: Double, windowEndS: Double,
                        barS: Double?, freezeBars: Int) {
        let unit = barS ?? 2.0
        // Whole bars only: the window ends just after a bar line, its last point is a sliver.
        var curve = window
        if let last = curve.last, windowEndS - last.tS < 0.6 * unit { curve.removeLast() }
        if let first = curve.first, curve.count > 1, curve[1].tS - first.tS < 0.6 * unit { curve.removeFirst() }
        guard !curve.isEmpty else { return }
        let labels: [TrackAnalysis.SectionKind?] = curve.map { p in
            let mid = p.tS + 0.5 * unit
            return sections.first { mid >= $0.startS && mid < $0.endS }?.kind
        }
        let tolerance = 0.3 * unit
        var keepCount: Int
        if let first = points.first, windowStartS <= first.tS + tolerance {
            // The window still reaches back to where listening began: it sees every section
            // whole (the intro is only known as one once something follows it), relabel them all.
            keepCount = 0
        } else if (barS != nil) != hadGrid {
            // Bars replace two-second blocks (or the reverse): keep only what precedes the window.
            keepCount = points.firstIndex { $0.tS >= curve[0].tS - tolerance } ?? points.count
        } else {
            let frozenEnd = curve[max(0, curve.count - freezeBars)].tS
            keepCount = points.firstIndex { $0.tS >= frozenEnd - tolerance } ?? points.count
        }
        hadGrid = barS != nil
        points.removeSubrange(keepCount...); kinds.removeSubrange(keepCount...)
        let after = points.last?.tS ?? -.infinity
        for (p, k) in zip(curve, labels) where p.tS > after + tolerance {
            points.append(p); kinds.append(k)
        }
    }

    /// Runs of equal labels, each from its first bar to the next run (or the window's end).
    func sections(endS: Double) -> [TrackAnalysis.Section] {
        var out: [TrackAnalysis.Section] = []
        for (i, p) in points.enumerated() {
            let end = i + 1 < points.count ? points[i + 1].tS : endS
            guard let kind = kinds[i] else { continue }
            if let last = out.last, last.kind == kind, abs(last.endS - p.tS) < 0.5 {
                out[out.count - 1].endS = end
            } else {
                out.append(TrackAnalysis.Section(kind: kind, startS: p.tS, endS: end))
            }
        }
        return out
    }

    /// Index of the first section that starts within the last `freezeBars` points.
    func provisionalSectionIndex(freezeBars: Int) -> Int {
        let secs = sections(endS: .infinity)
        guard points.count > freezeBars else { return 0 }
        let frozenEnd = points[points.count - freezeBars].tS
        return secs.firstIndex { $0.startS >= frozenEnd - 0.05 } ?? secs.count
    }
}
