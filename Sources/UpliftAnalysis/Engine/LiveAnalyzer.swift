import Foundation
import Synchronization
import UpliftAudio
import UpliftDSP
import UpliftModel

/// The live engine: an analysis thread that runs `AnalysisEngine` over a live source's ring,
/// one hop at a time with the engine's fixed buffers, and publishes `AnalysisSnapshot`s that the
/// UI reads through a `SnapshotPublisher` without ever blocking this thread.
///
/// Per hop nothing allocates (the engine and extractors own their buffers). A snapshot is
/// written into a reused slot as soon as new hops are analysed, at most `publishRateHz` (the
/// default, 120 Hz, is above every hop rate, so each hop is shown without waiting), and every
/// 50 ms while no audio arrives; it reports the position, the source state,
/// drops (ring overruns plus what the source lost), output underruns, a note when input stops,
/// the live spectrum and level, loudness when a `LiveLoudnessSource` is given, and — in file
/// mode — the file's offline analysis (energy, sections, tempo, key, trance) set by the caller.
public final class LiveAnalyzer: @unchecked Sendable {
    public let source: any LiveAudioSource
    public let format: STFTFormat
    public let spectrum: LiveSpectrumMeter
    public let level: LiveLevelMeter
    public let publisher: SnapshotPublisher<AnalysisSnapshot>
    /// The musical ear (tempo, grid, energy, sections, key, trance score over the last bars),
    /// when asked for; its summaries ride on the next snapshot.
    public let music: LiveMusicAnalyzer?
    public let publishIntervalS: Double
    /// Input counts as stopped when a running source delivers nothing for this long.
    public let stallTimeoutS: Double

    private let engine: AnalysisEngine
    /// Hops per loop turn: about two snapshot intervals' worth, so a flood still gets published.
    private let maxHopsPerStep: Int
    private let loudness: (any LiveLoudnessSource)?
    private let offline = Mutex<TrackAnalysis?>(nil)
    private let offlineVersion = Atomic<Int>(0)
    private var slotOfflineVersion = [0, 0, 0]  // analysis thread only
    private var slotMusicVersion = [0, 0, 0]  // analysis thread only
    private let stopRequested = Atomic<Bool>(false)
    private let started = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)
    private let cpuNanoseconds = Atomic<Int>(0)
    private let hops = Atomic<Int>(0)
    private let loadPermille = Atomic<Int>(0)

    // Analysis thread only.
    private var sequence = 0
    private var lastGeneration = 0
    /// The position the loudness meter restarted at after the last seek (the pane says "since").
    private var integratedSinceS: Double?
    private var lastDelivered = 0
    private var lastDeliveryTime = DispatchTime.now().uptimeNanoseconds
    private var loadWindow = (wallNs: DispatchTime.now().uptimeNanoseconds, cpuNs: 0)

    public init(source: any LiveAudioSource, loudness: (any LiveLoudnessSource)? = nil,
                extraExtractors: [any HopExtractor] = [], music musicOptions: LiveMusicAnalyzer.Options? = nil,
                publishRateHz: Double = 120, stallTimeoutS: Double = 1) throws(DSPError) {
        guard publishRateHz > 0, publishRateHz <= 1000 else {
            throw DSPError(message: "snapshot rate \(publishRateHz) Hz must be within 0…1000")
        }
        self.source = source
        format = try STFTFormat(sampleRate: source.sampleRate)
        spectrum = try LiveSpectrumMeter(format: format)
        level = try LiveLevelMeter(format: format)
        self.loudness = loudness
        var extractors: [any HopExtractor] = [spectrum, level]
        if let loudness { extractors.append(loudness) }
        extractors += extraExtractors
        if let musicOptions {
            do {
                let music = try LiveMusicAnalyzer(format: format, options: musicOptions)
                extractors.append(music)
                self.music = music
            } catch let error as DSPError { throw error } catch { throw DSPError(message: "\(error)") }
        } else {
            music = nil
        }
        engine = try AnalysisEngine(format: format, ring: source.ring, extractors: extractors)
        publishIntervalS = 1 / publishRateHz
        maxHopsPerStep = max(4, Int(2 * publishIntervalS / format.hopSeconds))
        self.stallTimeoutS = stallTimeoutS
        let status = source.status()
        let bands = spectrum.bandsHz
        let floor = [Double](repeating: LiveSpectrumMeter.floorDB, count: bands.count)
        publisher = SnapshotPublisher(initial: AnalysisSnapshot(
            sequence: 0, source: Self.snapshotSource(status, dropped: 0, stalled: false),
            spectrum: .init(bandsHz: bands, levelsDB: floor, peaksDB: floor)))
    }

    /// Starts the source (if not running) and the analysis thread.
    public func start() throws(AudioError) {
        guard !started.exchange(true, ordering: .acquiringAndReleasing) else { return }
        try source.start()
        music?.start()
        let thread = Thread { [self] in
            run()
            finished.signal()
        }
        thread.name = "uplift.analysis"
        thread.start()
    }

    /// Stops the analysis thread and then the source.
    public func stop() {
        stopRequested.store(true, ordering: .relaxed)
        if started.load(ordering: .relaxed) {
            _ = finished.wait(timeout: .now() + 2)
            finished.signal()
        }
        music?.stop()
        source.stop()
    }

    /// The newest snapshot; never blocks the analysis thread.
    public func latestSnapshot() -> AnalysisSnapshot { publisher.latest() }

    /// File mode: the file's offline analysis (energy curve, sections, tempo, key, trance),
    /// shown from the next snapshot on. Call again after a re-analysis.
    public func setOfflineAnalysis(_ analysis: TrackAnalysis?) {
        offline.withLock { $0 = analysis }
        offlineVersion.add(1, ordering: .releasing)
    }

    /// CPU time the analysis thread has used, seconds.
    public var cpuSeconds: Double { Double(cpuNanoseconds.load(ordering: .relaxed)) / 1e9 }
    public var hopsProcessed: Int { hops.load(ordering: .relaxed) }

    /// One turn of the analysis loop: processes every whole hop waiting, publishes when due.
    /// The thread calls this; tests and the benchmark may drive it directly instead of `start()`.
    @discardableResult
    public func step(forcePublish: Bool = false, now: UInt64 = DispatchTime.now().uptimeNanoseconds) -> Int {
        let count = engine.processAvailableHops(limit: maxHopsPerStep)
        hops.add(count, ordering: .relaxed)
        if forcePublish { publishNow(at: now) }
        return count
    }

    /// How long to sleep when no whole hop is waiting: about as long as its missing samples take to
    /// arrive, within 0.5–3 ms. Waking every millisecond regardless cost more CPU than publishing;
    /// the 3 ms cap bounds what a burst arriving early can wait.
    private func idleWaitMicroseconds() -> UInt32 {
        let missing = max(0, format.hopSize - source.ring.availableFrames)
        let wait = Double(missing) / format.sampleRate * 1e6
        return UInt32(min(3000, max(500, wait)))
    }

    /// With no new audio (paused, ended, waiting), a snapshot this often still carries the state.
    static let idlePublishIntervalS = 0.05

    private func run() {
        var lastPublish: UInt64 = 0
        let minimumGap = UInt64(publishIntervalS * 1e9)
        let idleGap = max(minimumGap, UInt64(Self.idlePublishIntervalS * 1e9))
        while !stopRequested.load(ordering: .relaxed) {
            let processed = step()
            let now = DispatchTime.now().uptimeNanoseconds
            // New hops are published at once (a timer of its own would add up to one interval of
            // latency before the UI's frame even looks); the rate caps how often.
            if now >= lastPublish &+ (processed > 0 ? minimumGap : idleGap) {
                publishNow(at: now)
                lastPublish = now
            }
            if processed > 0 {
                cpuNanoseconds.store(Self.threadCPUNanoseconds(), ordering: .relaxed)
            } else {
                usleep(idleWaitMicroseconds())
            }
        }
        publishNow(at: DispatchTime.now().uptimeNanoseconds)
    }

    private func publishNow(at now: UInt64) {
        let status = source.status()
        if status.generation != lastGeneration {
            // A seek: what is queued is from before it, and the history no longer matches.
            engine.reset()
            lastGeneration = status.generation
            integratedSinceS = status.positionS
        }
        if status.framesDelivered != lastDelivered {
            lastDelivered = status.framesDelivered
            lastDeliveryTime = now
        }
        let stalled = status.state == .running && Double(now - lastDeliveryTime) / 1e9 > stallTimeoutS
        let cpu = Self.threadCPUNanoseconds()
        if now - loadWindow.wallNs >= 1_000_000_000 {
            let load = Double(cpu - loadWindow.cpuNs) / Double(now - loadWindow.wallNs)
            loadPermille.store(Int(load * 1000), ordering: .relaxed)
            loadWindow = (now, cpu)
        }
        sequence += 1
        let slot = publisher.backSlotIndex
        let wantedOffline = offlineVersion.load(ordering: .acquiring)
        let offlineAnalysis: TrackAnalysis?? = slotOfflineVersion[slot] != wantedOffline ? offline.withLock { $0 } : nil
        slotOfflineVersion[slot] = wantedOffline
        let wantedMusic = music?.summaryVersion ?? 0
        let musicSummary: LiveMusic? = slotMusicVersion[slot] != wantedMusic ? music?.latest() : nil
        slotMusicVersion[slot] = wantedMusic
        let hasOffline = wantedOffline > 0
        let dropped = source.ring.overruns + status.sourceDroppedFrames
        let stalledFor = Double(now - lastDeliveryTime) / 1e9

        publisher.withBackSlot { snapshot in
            snapshot.sequence = sequence
            snapshot.source = Self.snapshotSource(status, dropped: dropped, stalled: stalled, stalledForS: stalledFor)
            if snapshot.spectrum != nil { spectrum.copy(into: &snapshot.spectrum!) }
            snapshot.level = .init(rmsDBFS: level.rmsDBFS, peakDBFS: level.peakDBFS)
            snapshot.analysisLoad = Double(loadPermille.load(ordering: .relaxed)) / 1000
            if let loudness {
                if snapshot.loudness == nil {
                    snapshot.loudness = .init(momentaryLUFS: -.infinity, shortTermLUFS: -.infinity, integratedLUFS: -.infinity,
                                              truePeakDBTP: -.infinity, lraLU: 0, shortTermHistory: [])
                }
                loudness.readLiveLoudness(into: &snapshot.loudness!)
                snapshot.loudness!.integratedSinceS = integratedSinceS
            }
            if let offlineAnalysis {
                snapshot.energy = offlineAnalysis?.energy?.curve ?? []
                snapshot.sections = offlineAnalysis?.sections ?? []
                snapshot.tempo = offlineAnalysis?.tempo
                snapshot.key = offlineAnalysis?.key
                snapshot.trance = offlineAnalysis?.trance
            }
            if let musicSummary {
                snapshot.music = musicSummary
                // A file's offline analysis (watch) keeps the whole-track view; live shows the rolling one.
                if !hasOffline {
                    snapshot.energy = musicSummary.energy
                    snapshot.sections = musicSummary.sections
                    snapshot.tempo = musicSummary.tempo
                    snapshot.key = musicSummary.window.key
                    snapshot.trance = musicSummary.window.trance
                }
            }
        }
        publisher.publish()
    }

    static func snapshotSource(_ status: LiveSourceStatus, dropped: Int, stalled: Bool, stalledForS: Double = 0) -> AnalysisSnapshot.Source {
        let kind: AnalysisSnapshot.SourceKind = switch status.kind {
        case .file: .file
        case .device: .device
        case .pipe: .pipe
        }
        let state: AnalysisSnapshot.InputState = switch status.state {
        case .running: stalled ? .waiting : .running
        case .paused: .paused
        case .ended: .ended
        case .stopped: .stopped
        case .waiting: .waiting
        }
        var source = AnalysisSnapshot.Source(
            kind: kind, name: status.name, state: state, sampleRate: status.sampleRate, positionS: status.positionS,
            durationS: status.durationS, droppedFrames: dropped, underruns: status.outputUnderruns,
            audioOutNote: status.audioOutNote)
        source.note = stalled ? "no input for \(Int(stalledForS)) s" : status.note
        if status.state == .waiting, source.note == nil { source.note = "waiting for input" }
        return source
    }

    static func threadCPUNanoseconds() -> Int {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return time.tv_sec * 1_000_000_000 + time.tv_nsec
    }
}
