import Foundation
import Synchronization
import UpliftAnalysis
import UpliftAudio
import UpliftModel
import UpliftProfile
import UpliftTUI

/// The A/B studio: the mix (slot 0) and up to 15 references in an `ABMixer`, each decoded and
/// resampled to the output rate ahead of time, loudness-matched, switched by the position lock.
/// The analysis reads `mixer.playedRing`, which the output callback (or, silent, the pacer)
/// fills with the frames as they play: the panes follow the slot that is sounding.
///
/// Threads: loading runs on its own thread (the mix first, so playback starts at once; analyses
/// come from the cache when the file was analysed before). Requests (keys) arrive on the UI
/// thread; state is behind one lock; the audio thread only sees the mixer's command queue.
public final class ABSession: TransportControl, @unchecked Sendable {
    public struct Options: Sendable {
        public var mixPath: String
        public var referencePaths: [String]
        public var crossfadeMS: Double = 20
        public var outputDevice: String?
        public var noAudio = false
        /// Where the blind record goes (beside it), and whose references `--nearest` took.
        public var profilePath: String?
        public var framesPerBuffer = 256
        /// Analyses from (and into) the profile cache.
        public var useCache = true
        /// Where the mix starts playing (the studio's playhead when opened from `watch`).
        public var startS = 0.0
        /// The mix's analysis when the caller has it (the studio's): not analysed again.
        public var mixAnalysis: TrackAnalysis?
        /// An audition (`A` in the studio): slot 0 the mix as it is, slot 1 with the fix; no references.
        public var audition: ABAudition?
        /// What is compared, shown above the slots.
        public var heading: String?
        /// Each blind guess (mix against a reference), after it is saved in the blind record: the studio
        /// also records it in the profile's feedback.
        public var onGuess: (@Sendable (BlindRecord.Pick) -> Void)?
        public init(mixPath: String, referencePaths: [String]) { self.mixPath = mixPath; self.referencePaths = referencePaths }
    }

    struct Slot {
        var name: String
        var path: String
        var track: ABTrack?
        var analysis: TrackAnalysis?
        var timeline: ABTimeline?
        var whole: ABLoudness.Reading?
        var section: ABLoudness.Reading?
        var notice: String?
        var playable = true
        /// Decoded from `path` by the loader (an audition's slots come from memory instead).
        var fromFile = true
    }

    struct Inner {
        var slots: [Slot]
        var lock = ABPositionLock.sameTime
        var matching = true
        var sectionMatch = false
        var matchNote: String?
        var listen = ABListenMode.stereo
        var band: ABBand?
        var lastReference: Int?
        var sounding = 0
        var blind = false
        var blindSlot: Int?
        var blindVerdict: String?
        var record = BlindRecord()
        var progress: String?
        var playing = true
        /// Blind audition: hidden X, Y → slot; and what the producer preferred so far.
        var blindOrder: [Int] = []
        var preferred = (mix: 0, fix: 0, none: 0)
    }

    public let options: Options
    public let mixer: ABMixer
    public let source: ABSource
    public let analyzer: LiveAnalyzer
    public let audioNote: String?
    public let blindRecordPath: String
    private let output: ABOutput?
    private let system: PortAudioSystem?
    let inner: Mutex<Inner>
    private let poster = Mutex<(@Sendable (Action) -> Void)?>(nil)
    private let loadingDone = DispatchSemaphore(value: 0)

    /// Opens the output and the mix; the references load in `startLoading()`. Throws when the mix cannot be decoded.
    public init(options: Options) throws {
        self.options = options
        let mixRate = try options.audition.map { $0.audition.asIs.sampleRate } ?? AudioFileReader(path: options.mixPath).sampleRate
        var note: String?
        var opened: (ABMixer, ABOutput)?
        var system: PortAudioSystem?
        if options.noAudio {
            note = "--no-audio — playing silently"
        } else {
            do {
                let pa = try PortAudioSystem()
                system = pa
                // The mix's own rate when the device takes it (the mix then plays bit-exact), else the device's.
                var rates = [mixRate]
                let device = options.outputDevice.flatMap { try? pa.device(named: $0, forInput: false) } ?? pa.defaultDevice(forInput: false)
                if let device, device.defaultSampleRate > 0, device.defaultSampleRate != mixRate { rates.append(device.defaultSampleRate) }
                var lastError: AudioError?
                for rate in rates where opened == nil {
                    let mixer = ABMixer(sampleRate: rate, crossfadeMS: options.crossfadeMS)
                    do {
                        opened = (mixer, try ABOutput(system: pa, deviceName: options.outputDevice, mixer: mixer,
                                                      framesPerBuffer: options.framesPerBuffer, playedRing: mixer.playedRing))
                    } catch { lastError = error }
                }
                if opened == nil, let lastError { throw lastError }
            } catch {
                if options.outputDevice != nil { throw error }
                let message = (error as? AudioError)?.message ?? "\(error)"
                note = message == "this system has no output device"
                    ? "no audio output device — the A/B view runs silently"
                    : "no audio output (\(message)) — the A/B view runs silently"
            }
        }
        mixer = opened?.0 ?? ABMixer(sampleRate: mixRate, crossfadeMS: options.crossfadeMS)
        output = opened?.1
        self.system = system
        audioNote = note
        blindRecordPath = BlindRecordStore.path(profilePath: options.profilePath)
        let name = { (path: String) in URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent }
        var slots = [Slot(name: name(options.mixPath), path: options.mixPath)]
        if options.audition != nil {
            slots = [Slot(name: "as it is", path: options.mixPath, fromFile: false),
                     Slot(name: "with the fix", path: options.mixPath, notice: "rendering…", fromFile: false)]
        }
        for path in options.referencePaths.prefix(ABMixer.maxSlots - 1) where options.audition == nil {
            slots.append(Slot(name: name(path), path: path, notice: "loading…"))
        }
        var initial = Inner(slots: slots)
        initial.record = (try? BlindRecordStore.load(blindRecordPath)) ?? BlindRecord()
        if options.referencePaths.count > ABMixer.maxSlots - 1 {
            initial.progress = "only the first \(ABMixer.maxSlots - 1) references fit (16 slots)"
        }
        inner = Mutex(initial)
        source = ABSource(mixer: mixer, output: output, audioNote: note)
        analyzer = try LiveAnalyzer(source: source, loudness: StudioLoudness.meter(sampleRate: mixer.sampleRate))
        source.describe = { [weak self] in self?.soundingDescription() ?? ("", 0) }
        // The mix now, so playback starts before the references are in.
        if let audition = options.audition {
            try loadAudition(audition)
        } else {
            try loadSlot(0, required: true, cache: options.useCache ? try? AnalysisCache() : nil)
        }
        // The studio's analysis of the mix: its sections (drop to drop) and panes from the start.
        if let analysis = options.mixAnalysis {
            inner.withLock { state in
                state.slots[0].analysis = analysis
                state.slots[0].timeline = Self.timeline(analysis)
                if options.audition != nil, state.slots.count > 1, state.slots[1].analysis == nil { state.slots[1].timeline = state.slots[0].timeline }
            }
            analyzer.setOfflineAnalysis(analysis)
        }
        // From the studio's playhead, unless the studio had reached the end (then from the top).
        if options.startS > 0, let mix = mixer.track(in: 0), Int(options.startS * mixer.sampleRate) < mix.frames - Int(mixer.sampleRate) {
            mixer.seek(toFrame: Int(options.startS * mixer.sampleRate))
        }
        mixer.setPlaying(true)
    }

    /// Where the session's state goes (the TUI's inbox, or the printer).
    public func attach(post: @escaping @Sendable (Action) -> Void) {
        poster.withLock { $0 = post }
        publish()
    }

    /// Loads the references, then every analysis (cached where possible), on a background thread.
    public func startLoading() {
        let thread = Thread { [self] in
            let count = inner.withLock { $0.slots.count }
            let cache = options.useCache ? try? AnalysisCache() : nil
            let files = inner.withLock { state in state.slots.indices.filter { $0 > 0 && state.slots[$0].fromFile } }
            if !files.isEmpty {
                inner.withLock { $0.progress = "loading \(files.count) reference\(files.count == 1 ? "" : "s")…" }
                publish()
            }
            // Two at a time (decode and resample are single-threaded each).
            let loaded = Atomic<Int>(0)
            DispatchQueue.concurrentPerform(iterations: files.count) { i in
                try? loadSlot(files[i], required: false, cache: cache)
                let done = loaded.add(1, ordering: .relaxed).newValue
                inner.withLock { $0.progress = "loaded \(done) of \(files.count) references…" }
                applyGains()
            }
            // An audition's slot 1 gets its analysis when the whole mix with the fix is rendered.
            for index in 0..<count where index == 0 || inner.withLock({ $0.slots[index].fromFile }) {
                guard inner.withLock({ $0.slots[index].playable }) else { continue }
                inner.withLock { $0.progress = "analysing \(index == 0 ? "the mix" : "reference \(index)") (\(index + 1) of \(count))…" }
                publish()
                let path = inner.withLock { $0.slots[index].path }
                let analysis = index == 0 ? options.mixAnalysis ?? Self.analysis(path: path, cache: cache) : Self.analysis(path: path, cache: cache)
                inner.withLock { state in
                    state.slots[index].analysis = analysis
                    if let analysis {
                        let timeline = Self.timeline(analysis)
                        state.slots[index].timeline = timeline
                        // An audition's "with the fix" has the mix's arrangement until its own analysis lands.
                        if index == 0, options.audition != nil, state.slots.count > 1, state.slots[1].analysis == nil {
                            state.slots[1].timeline = timeline
                        }
                        if timeline.sections.isEmpty, index > 0 { state.slots[index].notice = "no sections: lock falls back to same time" }
                    } else {
                        state.slots[index].notice = "not analysed: same time only"
                    }
                }
                if index == inner.withLock({ $0.sounding }) { analyzer.setOfflineAnalysis(analysis) }
            }
            inner.withLock { $0.progress = nil }
            publish()
            loadingDone.signal()
        }
        thread.name = "uplift.ab-loader"
        thread.start()
    }

    /// Waits for loading to end (tests, the benchmark). `false` on timeout.
    public func waitUntilLoaded(timeoutS: Double) -> Bool {
        guard loadingDone.wait(timeout: .now() + timeoutS) == .success else { return false }
        loadingDone.signal()
        return true
    }

    public func start() throws {
        try analyzer.start()
        publisherThread()
    }

    public func stop() {
        stopped.store(true, ordering: .relaxed)
        analyzer.stop()
    }

    private let stopped = Atomic<Bool>(false)

    // MARK: Loading

    private func loadSlot(_ index: Int, required: Bool, cache: AnalysisCache? = nil) throws {
        let path = inner.withLock { $0.slots[index].path }
        let track: ABTrack
        do {
            track = try ABTrack.load(path: path, outputRate: mixer.sampleRate)
        } catch {
            if required { throw error }
            inner.withLock { $0.slots[index].notice = "cannot be decoded (\(error.message)): skipped"; $0.slots[index].playable = false }
            return
        }
        // A cached analysis already has the loudness and true peak of these frames (the analysis reads
        // mono as dual mono too); otherwise measure them here.
        let cached = cache.flatMap { Self.cachedAnalysis(path: path, cache: $0) }
        let reading = cached?.loudness.map { ABLoudness.Reading(loudnessLUFS: $0.integratedLUFS, truePeakDBTP: $0.truePeakDBTP) }
            ?? ABLoudness.measure(track)
        guard reading.loudnessLUFS.isFinite, track.samplePeak > 0 else {
            if required { throw StudioError("\(path): the mix is silent") }
            inner.withLock { $0.slots[index].notice = "silent: skipped"; $0.slots[index].playable = false }
            return
        }
        mixer.install(track, slot: index)
        inner.withLock { state in
            state.slots[index].notice = nil
            state.slots[index].track = track
            state.slots[index].whole = reading
            state.slots[index].timeline = ABTimeline(durationS: track.durationS)
        }
    }

    /// The cached analysis of `path` when the file was analysed before (no hashing of a new file).
    static func cachedAnalysis(path: String, cache: AnalysisCache) -> TrackAnalysis? {
        guard let stamp = AnalysisCache.FileStamp.of(path: path),
              let hash = cache.rememberedHash(path: path, stamp: stamp), ContentHash.isCurrent(hash) else { return nil }
        return cache.analysis(contentHash: hash, analyzerVersion: StandardTrackAnalyzer().version)
    }

    static func analysis(path: String, cache: AnalysisCache?) -> TrackAnalysis? {
        let analyzer = StandardTrackAnalyzer()
        guard let cache, let stamp = AnalysisCache.FileStamp.of(path: path) else { return try? analyzer.analyze(path: path) }
        let hash: String
        if let remembered = cache.rememberedHash(path: path, stamp: stamp), ContentHash.isCurrent(remembered) {
            hash = remembered
        } else {
            guard let fresh = try? ContentHash.hexOfFile(atPath: path) else { return try? analyzer.analyze(path: path) }
            hash = fresh
            cache.rememberHash(hash, path: path, stamp: stamp)
        }
        if var cached = cache.analysis(contentHash: hash, analyzerVersion: analyzer.version) {
            cached.file = path
            return cached
        }
        guard var analysis = try? analyzer.analyze(path: path) else { return nil }
        analysis.file = path
        try? cache.store(analysis, contentHash: hash, analyzerVersion: analyzer.version)
        return analysis
    }

    static func timeline(_ analysis: TrackAnalysis) -> ABTimeline {
        let tempo = analysis.tempo.flatMap { $0.bpm > 0 && $0.confidence > 0.1 ? $0 : nil }
        return ABTimeline(durationS: analysis.durationS,
                          sections: (analysis.sections ?? []).map { .init(kind: $0.kind.rawValue, startS: $0.startS, endS: $0.endS) },
                          bpm: tempo?.bpm, firstBeatS: tempo?.firstBeatS ?? 0)
    }

    // MARK: Requests (UI thread)

    public func handle(_ request: ABRequest) {
        switch request {
        case .select(let index):
            // A blind audition's keys play the hidden X (0) and Y (1).
            let order = inner.withLock { $0.blind ? $0.blindOrder : [] }
            select(order.indices.contains(index) ? order[index] : index)
        case .guess(let index): guess(index)
        case .prefer: preferSounding(true)
        case .noPreference: preferSounding(false)
        case .step(let step):
            let next = inner.withLock { state -> Int? in
                let n = state.slots.count
                var i = state.sounding
                for _ in 0..<n {
                    i = ((i + step) % n + n) % n
                    if state.slots[i].playable && state.slots[i].track != nil { return i }
                }
                return nil
            }
            if let next { select(next) }
        case .toggleLast:
            let target = inner.withLock { $0.sounding == 0 ? ($0.lastReference ?? 1) : 0 }
            select(target)
        case .nextDrop:
            let (timeline, position) = inner.withLock { ($0.slots[$0.sounding].timeline, mixer.positionS) }
            if let drop = timeline?.nextSection("drop", after: position) {
                mixer.seek(toFrame: Int(drop.startS * mixer.sampleRate))
                if inner.withLock({ $0.sectionMatch }) { refreshSectionMatch() }
            } else {
                note("no drop after here")
            }
        case .cycleLock: inner.withLock { $0.lock = $0.lock.next }
        case .toggleMatching:
            inner.withLock { $0.matching.toggle() }
            applyGains()
        case .toggleSectionMatch:
            inner.withLock { $0.sectionMatch.toggle() }
            refreshSectionMatch()
        case .toggleBlind:
            let on = inner.withLock { state -> Bool in
                state.blind.toggle()
                state.blindVerdict = nil
                return state.blind
            }
            if on, options.audition != nil { shuffleHidden() } else if on { blindNext() } else {
                inner.withLock { $0.blindSlot = nil; $0.blindOrder = [] }
            }
        case .cycleListen:
            let mode = inner.withLock { state -> ABListenMode in
                state.listen = ABListenMode(rawValue: (state.listen.rawValue + 1) % ABListenMode.allCases.count)!
                return state.listen
            }
            mixer.setListen(mode)
        case .cycleBand:
            let band = inner.withLock { state -> ABBand? in
                switch state.band {
                case nil: state.band = .sub
                case .air?: state.band = nil
                case let current?: state.band = ABBand(rawValue: current.rawValue + 1)
                }
                return state.band
            }
            mixer.setBandSolo(band)
        }
        publish()
    }

    /// Switches to `index` where the position lock says.
    public func select(_ index: Int, dueAtMixerFrame: Int? = nil) {
        let plan = inner.withLock { state -> (frame: Int?, from: Int, analysis: TrackAnalysis?, fellBack: Bool)? in
            guard index < state.slots.count, state.slots[index].playable, state.slots[index].track != nil else { return nil }
            let from = state.sounding
            let position = dueAtMixerFrame.map { Double($0) / mixer.sampleRate } ?? mixer.positionS
            var frame: Int?
            var fellBack = false
            if let a = state.slots[from].timeline, let b = state.slots[index].timeline {
                let mapped = state.lock.map(position, from: a, to: b)
                frame = mapped.seconds.map { Int(($0 * mixer.sampleRate).rounded()) }
                fellBack = mapped.fellBack
            } else if state.lock != .free {
                frame = Int(position * mixer.sampleRate)
            }
            state.sounding = index
            if index > 0 { state.lastReference = index }
            return (frame, from, state.slots[index].analysis, fellBack)
        }
        guard let plan else {
            let loading = inner.withLock { index < $0.slots.count && $0.slots[index].playable ? $0.slots[index].name : nil }
            note(loading.map { "\($0) is still loading" } ?? "slot \(index) cannot play")
            return
        }
        let from = dueAtMixerFrame ?? mixer.positionFrame
        mixer.switchTo(slot: index, atFrame: plan.frame, computedFrom: dueAtMixerFrame == nil ? from : nil, dueAtMixerFrame: dueAtMixerFrame)
        analyzer.setOfflineAnalysis(plan.analysis)
        if plan.fellBack { note("\(inner.withLock { $0.lock.label }) needs sections and a beat grid: same time instead") }
        if inner.withLock({ $0.sectionMatch }) { refreshSectionMatch() }
        publish()
    }

    private func blindNext() {
        let choice = inner.withLock { state -> Int? in
            let candidates = state.slots.indices.filter { state.slots[$0].playable && state.slots[$0].track != nil }
            guard candidates.count > 1 else { return nil }
            var pick = candidates.randomElement()!
            // Not the same twice in a row more often than chance allows: re-draw once.
            if pick == state.blindSlot { pick = candidates.randomElement()! }
            state.blindSlot = pick
            return pick
        }
        guard let choice else { note("blind test needs the mix and a reference"); inner.withLock { $0.blind = false }; return }
        select(choice)
    }

    private func guess(_ index: Int) {
        let pick = inner.withLock { state -> BlindRecord.Pick? in
            guard state.blind, let played = state.blindSlot, index < state.slots.count else { return nil }
            let correct = index == played
            let pick = BlindRecord.Pick(time: Date(), played: played == 0 ? .mix : .reference, playedName: state.slots[played].name,
                                        guessed: index == 0 ? .mix : .reference, guessedName: state.slots[index].name,
                                        correct: correct, matched: state.matching)
            state.record.picks.append(pick)
            let what = played == 0 ? "the mix" : "\(state.slots[played].name) (\(played))"
            state.blindVerdict = correct ? "right: it was \(what)" : "wrong: it was \(what)"
            return pick
        }
        guard let pick else { return }
        do { try BlindRecordStore.append(pick, to: blindRecordPath) } catch {
            note("blind score not saved: \(error)")
        }
        options.onGuess?(pick)
        blindNext()
    }

    func note(_ text: String) { poster.withLock { $0 }?(.abUpdated(viewState(notice: text))) }

    // MARK: Loudness matching

    private func refreshSectionMatch() {
        let on = inner.withLock { $0.sectionMatch }
        guard on else { applyGains(); return }
        // The mix's section under the playhead, and each slot's aligned section (drop to drop).
        let position = inner.withLock { state -> Double in
            state.sounding == 0 ? mixer.positionS : (state.slots[0].timeline.map { _ in mixer.positionS } ?? 0)
        }
        let snapshot = inner.withLock { $0.slots }
        guard let mixTimeline = snapshot[0].timeline, let (mixSection, _) = mixTimeline.section(at: position) else {
            inner.withLock { $0.sectionMatch = false; $0.matchNote = "no section here (analysis pending?): whole-track matching" }
            applyGains()
            return
        }
        var readings: [ABLoudness.Reading?] = []
        for slot in snapshot {
            guard let track = slot.track, let timeline = slot.timeline else { readings.append(nil); continue }
            let start = ABPositionLock.sectionAligned.map(mixSection.startS + 0.001, from: mixTimeline, to: timeline)
            let end = ABPositionLock.sectionAligned.map(mixSection.endS - 0.001, from: mixTimeline, to: timeline)
            let a = Int((start.seconds ?? mixSection.startS) * mixer.sampleRate), b = Int((end.seconds ?? mixSection.endS) * mixer.sampleRate)
            readings.append(b > a ? ABLoudness.measure(track, range: a..<b) : nil)
        }
        inner.withLock { state in for i in readings.indices { state.slots[i].section = readings[i] } }
        applyGains()
    }

    func applyGains() {
        let (inputs, matching, sectionMatch) = inner.withLock { state in
            (state.slots.map { slot -> ABLoudnessMatch.Input in
                let reading = (state.sectionMatch ? slot.section : nil) ?? slot.whole
                return ABLoudnessMatch.Input(name: slot.name, loudnessLUFS: reading?.loudnessLUFS ?? -.infinity,
                                             truePeakDBTP: reading?.truePeakDBTP ?? -.infinity)
            }, state.matching, state.sectionMatch)
        }
        let plan = ABLoudnessMatch(inputs)
        for index in inputs.indices { mixer.setGain(slot: index, dB: matching ? plan.gainsDB[index] : 0) }
        inner.withLock { state in
            state.matchNote = matching ? plan.note : "loudness matching off: the louder one will sound better"
            if sectionMatch, matching, plan.note == nil { state.matchNote = nil }
        }
        publish()
    }

    /// The gain each slot plays with now (dB).
    public func gainsDB() -> [Double] {
        let (inputs, matching, _) = inner.withLock { state in
            (state.slots.map { slot -> ABLoudnessMatch.Input in
                let reading = (state.sectionMatch ? slot.section : nil) ?? slot.whole
                return ABLoudnessMatch.Input(name: slot.name, loudnessLUFS: reading?.loudnessLUFS ?? -.infinity,
                                             truePeakDBTP: reading?.truePeakDBTP ?? -.infinity)
            }, state.matching, state.sectionMatch)
        }
        let plan = ABLoudnessMatch(inputs)
        return matching ? plan.gainsDB : inputs.map { _ in 0 }
    }

    // MARK: View state

    public func viewState(notice: String? = nil) -> ABViewState {
        let gains = gainsDB()
        return inner.withLock { state in
            let position = mixer.positionS
            // What the callback plays (a scheduled switch shows when it happens).
            let playing = min(mixer.soundingSlot, state.slots.count - 1)
            let soundingTimeline = state.slots[playing].timeline
            let allSlots = state.slots.enumerated().map { index, slot -> ABSlotView in
                let reading = (state.sectionMatch ? slot.section : nil) ?? slot.whole
                var where_ = position
                if index != playing, let a = soundingTimeline, let b = slot.timeline {
                    where_ = state.lock.map(position, from: a, to: b).seconds ?? where_
                }
                return ABSlotView(name: slot.name, isMix: index == 0, gainDB: index < gains.count ? gains[index] : 0,
                                  loudnessLUFS: reading?.loudnessLUFS, truePeakDBTP: reading?.truePeakDBTP, notice: slot.notice,
                                  playable: slot.playable, analysis: slot.analysis, positionS: where_,
                                  durationS: slot.track?.durationS ?? slot.analysis?.durationS ?? 0)
            }
            var slots = allSlots
            var sounding = playing
            if state.blind, state.blindOrder.count == slots.count {
                // Hidden: X and Y in a drawn order, their level and peak out of sight.
                slots = state.blindOrder.enumerated().map { hidden, index in
                    var slot = allSlots[index]
                    slot.name = hidden == 0 ? "X" : "Y"
                    slot.isMix = false
                    slot.truePeakDBTP = nil
                    return slot
                }
                sounding = state.blindOrder.firstIndex(of: playing) ?? playing
            }
            let reference = sounding > 0 ? sounding : state.lastReference ?? (state.slots.count > 1 ? 1 : nil)
            let listen = [state.listen == .stereo ? nil : state.listen.label, state.band.map { "solo " + $0.label }]
                .compactMap { $0 }.joined(separator: " + ")
            return ABViewState(
                slots: slots, sounding: sounding, reference: reference, lockLabel: state.lock.label, matching: state.matching,
                sectionMatch: state.sectionMatch, matchNote: notice ?? state.matchNote, listenLabel: listen.isEmpty ? "stereo" : listen,
                blind: state.blind, blindCorrect: state.record.correctCount, blindTotal: state.record.picks.count,
                blindVerdict: state.blindVerdict, playing: state.playing, crossfadeMS: options.crossfadeMS,
                audioNote: audioNote, progress: state.progress, heading: options.heading,
                blindPrefers: options.audition != nil,
                preferenceTally: state.preferred == (0, 0, 0) ? nil
                    : "with the fix \(state.preferred.fix) · as it is \(state.preferred.mix) · no preference \(state.preferred.none)")
        }
    }

    func publish() {
        guard let post = poster.withLock({ $0 }) else { return }
        post(.abUpdated(viewState()))
    }

    /// Playheads move: the view state goes out ten times a second.
    private func publisherThread() {
        let thread = Thread { [weak self] in
            while let self, !self.stopped.load(ordering: .relaxed) {
                self.publish()
                usleep(100_000)
            }
        }
        thread.name = "uplift.ab-publisher"
        thread.start()
    }

    fileprivate func soundingDescription() -> (name: String, frames: Int) {
        inner.withLock { state in
            let slot = state.slots[state.sounding]
            return (state.blind ? "blind" : slot.name, slot.track?.frames ?? 0)
        }
    }

    // MARK: TransportControl

    public func togglePlayback() {
        let playing = inner.withLock { state -> Bool in state.playing.toggle(); return state.playing }
        mixer.setPlaying(playing)
        publish()
    }

    public func seek(bySeconds seconds: Double) {
        mixer.seek(toFrame: max(0, mixer.positionFrame + Int(seconds * mixer.sampleRate)))
    }

    public func setLoop(_ region: LoopRegion?) {
        mixer.setLoop(region.map { Int($0.startS * mixer.sampleRate)..<Int($0.endS * mixer.sampleRate) })
        if let region, !(region.startS...region.endS).contains(mixer.positionS) { mixer.seek(toFrame: Int(region.startS * mixer.sampleRate)) }
    }
}

/// The mixer as a live source: its ring is the played-frames ring; without a device, a pacer thread
/// renders at real-time pace (the same `render` as the callback, into a scratch buffer).
public final class ABSource: LiveAudioSource, @unchecked Sendable {
    public let mixer: ABMixer
    public var ring: SPSCRingBuffer { mixer.playedRing }
    public var sampleRate: Double { mixer.sampleRate }
    let output: ABOutput?
    let audioNote: String?
    var describe: (@Sendable () -> (name: String, frames: Int))?
    private let stopRequested = Atomic<Bool>(false)
    private let running = Atomic<Bool>(false)

    init(mixer: ABMixer, output: ABOutput?, audioNote: String?) {
        self.mixer = mixer; self.output = output; self.audioNote = audioNote
    }

    public func status() -> LiveSourceStatus {
        let (name, frames) = describe?() ?? ("", 0)
        let state: LiveSourceState = !running.load(ordering: .relaxed) ? .waiting : (mixer.isPlaying ? .running : .paused)
        return LiveSourceStatus(kind: .file, name: name, state: state, sampleRate: sampleRate, positionFrames: mixer.positionFrame,
                                durationFrames: frames, framesDelivered: mixer.framesRendered, generation: mixer.switchesApplied,
                                audioOutNote: audioNote)
    }

    public func start() throws(AudioError) {
        guard !running.exchange(true, ordering: .relaxed) else { return }
        if let output { try output.start(); return }
        let thread = Thread { [self] in
            let block = 256
            let scratch = UnsafeMutablePointer<Float>.allocate(capacity: block * 2)
            defer { scratch.deallocate() }
            let start = Date()
            var rendered = 0
            while !stopRequested.load(ordering: .relaxed) {
                let due = Int(Date().timeIntervalSince(start) * mixer.sampleRate)
                while rendered + block <= due {
                    mixer.render(scratch, frameCount: block, channels: 2, tap: mixer.playedRing)
                    rendered += block
                }
                usleep(2000)
            }
        }
        thread.name = "uplift.ab-pacer"
        thread.start()
    }

    public func stop() {
        stopRequested.store(true, ordering: .relaxed)
        output?.close()
    }
}
