import Foundation
import Synchronization

/// Plays a sound file into the live engine at real-time pace, as if it were live, with transport.
///
/// A reader thread decodes blocks and writes each one to the output's ring when an `AudioOutput`
/// is attached, and then the analysis ring is the output's `playedRing` (fed by the device callback
/// with the frames as they play, so the panes are in step with the ear); without audio the reader
/// writes the analysis ring itself. With audio, the device's consumption paces
/// playback (the reader only tops the small output ring up); without audio, the wall clock does.
/// Seeks bump `generation` so the analyzer clears its history, and flush the output ring.
///
/// The file is polled (size, mtime, inode) every `pollIntervalS`: when Ableton re-exports it and
/// the new file has been stable for one poll, it is re-opened at the same position and
/// `onReload` runs (on the reader thread) so the caller can re-analyse it. A new file that does
/// not decode yet, or is shorter than its header says (still being written), is tried again at
/// each poll while the old one stays in use; one still truncated after `truncatedGraceS` of
/// stillness is taken as it is. When the file is rewritten in place under the reader (it ends
/// early or fails to read), playback waits at its position for the new file instead of ending.
///
/// Started with `pendingSampleRate`, a file that exists but does not decode yet (a first export
/// still being written) is not an error: the player waits (state `.waiting`, a note saying so)
/// and opens it once it has settled, as it does for a re-export; the analysis runs at
/// `pendingSampleRate` meanwhile, and a file that turns out at another rate is refused with a note.
public final class FilePlayer: LiveAudioSource, @unchecked Sendable {
    public enum Pacing: Sendable {
        /// Wall clock, or the output device's consumption when audio plays.
        case realTime
        /// As fast as the analysis ring drains (tests; offline-speed replays).
        case asFastAsConsumed
    }

    public let path: String
    public let ring: SPSCRingBuffer
    public let sampleRate: Double
    public let output: AudioOutput?
    public let audioOutNote: String?
    public let pacing: Pacing
    public let pollIntervalS: Double
    /// How long a re-written file that is shorter than its header says must hold still before it is taken as final.
    public let truncatedGraceS: Double
    /// Runs on the reader thread after the file was re-read (the new frame count is in `status()`).
    public var onReload: (@Sendable (FilePlayer) -> Void)? {
        get { callbacks.withLock { $0 } }
        set { callbacks.withLock { $0 = newValue } }
    }

    private var reader: AudioFileReader?  // reader thread only (after init); nil until a pending file decodes
    /// Started on a file that did not decode yet: why, for the note until it does.
    private let pendingReason: String?
    private let pendingFlag: Atomic<Bool>
    private let commands = Mutex<Commands>(Commands())
    private let callbacks = Mutex<(@Sendable (FilePlayer) -> Void)?>(nil)
    private let note = Mutex<String?>(nil)
    private let stateIndex = Atomic<Int>(0)
    private let positionFrame = Atomic<Int>(0)
    private let durationFrames: Atomic<Int>
    private let framesDelivered = Atomic<Int>(0)
    private let generationCounter = Atomic<Int>(0)
    private let reloads = Atomic<Int>(0)
    private let stopRequested = Atomic<Bool>(false)
    private let started = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)
    private static let states: [LiveSourceState] = [.waiting, .running, .paused, .ended, .stopped]

    /// What the UI asked for; the reader thread applies it at its next turn.
    private struct Commands {
        var playing = true
        var seekTargetFrame: Int?
        var loop: Range<Int>?
    }

    static let blockFrames = 512

    /// Opens `path` (errors are `AudioFileReader`'s). `output` may be `nil` (silent); then
    /// `audioOutNote` says why ("--no-audio", "no output device"). With `pendingSampleRate`, a file
    /// that exists but does not decode yet is waited for at that rate instead (see the type's note);
    /// a missing file stays an error (a mistyped path must not wait forever).
    public init(path: String, output: AudioOutput? = nil, audioOutNote: String? = nil, pacing: Pacing = .realTime,
                ringCapacityFrames: Int = 1 << 15, pollIntervalS: Double = 0.5, truncatedGraceS: Double = 3,
                pendingSampleRate: Double? = nil) throws(AudioError) {
        self.path = path
        do {
            let opened = try AudioFileReader(path: path, blockFrames: Self.blockFrames)
            reader = opened
            sampleRate = opened.sampleRate
            pendingReason = nil
        } catch {
            guard let pendingSampleRate, Self.mayStillBeWritten(error) else { throw error }
            reader = nil
            sampleRate = pendingSampleRate
            pendingReason = error.message
        }
        if let output, output.sampleRate != sampleRate {
            throw AudioError(.invalidArgument, "output opened at \(Int(output.sampleRate)) Hz but the file is \(Int(sampleRate)) Hz", path: path)
        }
        self.output = output
        self.audioOutNote = output == nil ? (audioOutNote ?? "no audio output") : nil
        self.pacing = pacing
        self.pollIntervalS = pollIntervalS
        self.truncatedGraceS = truncatedGraceS
        durationFrames = Atomic(reader?.frameCount ?? 0)
        pendingFlag = Atomic(pendingReason != nil)
        if let output { ring = output.playedRing } else { ring = try SPSCRingBuffer(capacityFrames: ringCapacityFrames) }
        if let pendingReason { note.withLock { $0 = Self.pendingNote(pendingReason) } }
    }

    /// An error a file being exported can show: it exists but does not decode (yet).
    public static func mayStillBeWritten(_ error: AudioError) -> Bool {
        [.unreadable, .empty, .truncated, .unsupportedFormat].contains(error.code)
    }

    /// What the status line says until a pending file decodes: the wait first (a narrow line cuts the end).
    static func pendingNote(_ reason: String) -> String {
        "cannot be read yet, waiting for the export to finish (\(reason))"
    }

    /// The file has not decoded yet (started on a half-written export); playback waits for it.
    public var isPending: Bool { pendingFlag.load(ordering: .relaxed) }

    public func start() throws(AudioError) {
        guard !started.exchange(true, ordering: .acquiringAndReleasing) else { return }
        if let output { try output.start() }
        setState(.running)
        let thread = Thread { [self] in
            run()
            finished.signal()
        }
        thread.name = "uplift.file-player"
        thread.start()
    }

    public func stop() {
        stopRequested.store(true, ordering: .relaxed)
        guard started.load(ordering: .relaxed) else { return }
        _ = finished.wait(timeout: .now() + 2)
        finished.signal()
        output?.isPlaying = false
        output?.stop()
        setState(.stopped)
    }

    // MARK: Transport (any thread)

    /// Plays; at the end of the file (no loop) it starts again from the top.
    public func play() {
        let atEnd = Self.states[stateIndex.load(ordering: .relaxed)] == .ended
        commands.withLock { commands in
            commands.playing = true
            if atEnd, commands.seekTargetFrame == nil { commands.seekTargetFrame = 0 }
        }
    }
    public func pause() { commands.withLock { $0.playing = false } }
    public func togglePlayPause() {
        if isPlaying, Self.states[stateIndex.load(ordering: .relaxed)] != .ended { pause() } else { play() }
    }
    public var isPlaying: Bool { commands.withLock { $0.playing } }

    public func seek(toSeconds seconds: Double) {
        let frame = Int((seconds * sampleRate).rounded())
        commands.withLock { $0.seekTargetFrame = clampFrame(frame) }
    }

    /// Relative to the pending target if a seek is still queued, so key repeats add up.
    public func seek(bySeconds seconds: Double) {
        commands.withLock { commands in
            let base = commands.seekTargetFrame ?? positionFrame.load(ordering: .relaxed)
            commands.seekTargetFrame = clampFrame(base + Int((seconds * sampleRate).rounded()))
        }
    }

    public func seek(byBars bars: Int, barLengthS: Double) {
        seek(bySeconds: Double(bars) * barLengthS)
    }

    /// Loops `startS..<endS` (clamped to the file). Playback jumps into the range if outside it.
    public func setLoop(startS: Double, endS: Double) {
        let start = clampFrame(Int((startS * sampleRate).rounded()))
        let end = clampFrame(Int((endS * sampleRate).rounded()))
        guard end > start else { return }
        commands.withLock { commands in
            commands.loop = start..<end
            let current = commands.seekTargetFrame ?? positionFrame.load(ordering: .relaxed)
            if !(start..<end).contains(current) { commands.seekTargetFrame = start }
        }
    }

    public func clearLoop() { commands.withLock { $0.loop = nil } }
    public var loopRangeS: ClosedRange<Double>? {
        commands.withLock { $0.loop }.map { Double($0.lowerBound) / sampleRate...Double($0.upperBound) / sampleRate }
    }

    public var positionS: Double { Double(positionFrame.load(ordering: .relaxed)) / sampleRate }
    public var durationS: Double { Double(durationFrames.load(ordering: .relaxed)) / sampleRate }
    /// How many times the file was re-read after a change on disk.
    public var reloadCount: Int { reloads.load(ordering: .relaxed) }

    public func status() -> LiveSourceStatus {
        LiveSourceStatus(
            kind: .file, name: path, state: Self.states[stateIndex.load(ordering: .relaxed)], sampleRate: sampleRate,
            positionFrames: positionFrame.load(ordering: .relaxed), durationFrames: durationFrames.load(ordering: .relaxed),
            framesDelivered: framesDelivered.load(ordering: .relaxed), generation: generationCounter.load(ordering: .relaxed),
            sourceDroppedFrames: 0, outputUnderruns: output?.underruns ?? 0, audioOutNote: audioOutNote,
            note: note.withLock { $0 })
    }

    /// Waits until the reader thread has ended (stop). Returns `false` on timeout.
    public func waitUntilFinished(timeoutS: Double) -> Bool {
        guard finished.wait(timeout: .now() + timeoutS) == .success else { return false }
        finished.signal()
        return true
    }

    // MARK: Reader thread

    private func clampFrame(_ frame: Int) -> Int { max(0, min(frame, durationFrames.load(ordering: .relaxed))) }

    private func setState(_ newState: LiveSourceState) {
        stateIndex.store(Self.states.firstIndex(of: newState)!, ordering: .relaxed)
    }

    private func run() {
        let block = UnsafeMutablePointer<Float>.allocate(capacity: Self.blockFrames * 2)
        defer { block.deallocate() }
        var nextFrame = 0  // file frame the next read returns
        var ended = false
        var paceOrigin = (time: Date(), frames: 0)
        var wasPlaying = true
        var watcher = FileChangeWatcher(path: path)
        // A file that did not decode at init may have been finished since: it is a candidate at once.
        if reader == nil { watcher.forgetOpened() }
        var lastPoll = Date()
        // The file was rewritten under the reader (it ended early or failed): wait for the new one.
        var awaitingRewrite = false

        while !stopRequested.load(ordering: .relaxed) {
            let wanted = commands.withLock { commands -> Commands in
                let copy = commands
                commands.seekTargetFrame = nil
                return copy
            }
            if let target = wanted.seekTargetFrame {
                do {
                    try reader?.seek(toFrame: target)
                    nextFrame = target
                    ended = false
                    generationCounter.add(1, ordering: .releasing)
                    output?.flush()
                    positionFrame.store(target, ordering: .relaxed)
                    paceOrigin = (Date(), framesDelivered.load(ordering: .relaxed))
                } catch {
                    note.withLock { $0 = error.message }
                }
            }
            if Date().timeIntervalSince(lastPoll) >= pollIntervalS {
                lastPoll = Date()
                if watcher.changedAndSettled(), reopen(at: &nextFrame, watcher: &watcher) {
                    awaitingRewrite = false
                    if nextFrame < durationFrames.load(ordering: .relaxed) { ended = false }
                }
            }
            if awaitingRewrite || reader == nil {
                output?.isPlaying = false
                setState(.waiting)
                updatePosition(nextFrame)
                usleep(5000)
                continue
            }
            let playing = wanted.playing && !ended
            if playing != wasPlaying {
                paceOrigin = (Date(), framesDelivered.load(ordering: .relaxed))
                wasPlaying = playing
            }
            // At the end of the file the device still plays what is queued (up to the output ring's
            // ~85 ms), so the last notes are heard; only then is the file over.
            let draining = ended && wanted.playing && (output?.ring.availableFrames ?? 0) > 0
            output?.isPlaying = playing || draining
            if !playing {
                setState(draining ? .running : ended ? .ended : .paused)
                updatePosition(nextFrame)
                usleep(5000)
                continue
            }
            setState(.running)

            var count = Self.blockFrames
            if let output {
                count = min(count, output.ring.capacityFrames - output.ring.availableFrames)
            } else if pacing == .realTime {
                let due = Int(Date().timeIntervalSince(paceOrigin.time) * sampleRate) - (framesDelivered.load(ordering: .relaxed) - paceOrigin.frames)
                count = min(count, due)
            }
            if pacing == .asFastAsConsumed {
                count = min(count, ring.capacityFrames - ring.availableFrames)
            }
            if let loop = wanted.loop, loop.contains(nextFrame) { count = min(count, loop.upperBound - nextFrame) }
            guard count > 0 else {
                updatePosition(nextFrame)
                // Nothing due or no room: 2 ms is 88 frames at 44.1 kHz, small against a hop (512)
                // and the output ring (4096); waking every millisecond cost more than the reading.
                usleep(2000)
                continue
            }

            let got: Int
            do { got = try reader!.read(into: block, maxFrames: count) } catch {
                if watcher.changedSinceOpen { awaitRewrite(&awaitingRewrite); continue }
                note.withLock { $0 = error.message }
                ended = true
                continue
            }
            if got == 0 {
                if nextFrame < durationFrames.load(ordering: .relaxed), watcher.changedSinceOpen {
                    awaitRewrite(&awaitingRewrite)
                } else if let loop = wanted.loop { seekQuietly(to: loop.lowerBound, nextFrame: &nextFrame) } else {
                    ended = true
                    note.withLock { $0 = "end of file" }
                }
                continue
            }
            if let output { output.ring.write(block, frameCount: got) } else { ring.write(block, frameCount: got) }
            framesDelivered.add(got, ordering: .relaxed)
            nextFrame += got
            updatePosition(nextFrame)
            if let loop = wanted.loop, nextFrame >= loop.upperBound {
                seekQuietly(to: loop.lowerBound, nextFrame: &nextFrame)
            }
        }
    }

    /// A loop jump: no flush and no new generation, so the loop plays seamlessly.
    private func seekQuietly(to frame: Int, nextFrame: inout Int) {
        do {
            try reader?.seek(toFrame: frame)
            nextFrame = frame
        } catch {
            note.withLock { $0 = error.message }
        }
    }

    /// The audible position: what was read minus what still waits in the output ring.
    private func updatePosition(_ nextFrame: Int) {
        var position = nextFrame - (output?.ring.availableFrames ?? 0)
        if position < 0 { position = 0 }
        positionFrame.store(position, ordering: .relaxed)
    }

    private func awaitRewrite(_ awaiting: inout Bool) {
        awaiting = true
        note.withLock { $0 = "the file is being re-written; waiting for it to settle" }
    }

    /// Re-opens the settled file; `false` (keeping the old reader) when it cannot be used yet.
    private func reopen(at nextFrame: inout Int, watcher: inout FileChangeWatcher) -> Bool {
        do {
            let fresh = try AudioFileReader(path: path, blockFrames: Self.blockFrames)
            guard fresh.sampleRate == sampleRate else {
                note.withLock {
                    $0 = reader == nil
                        ? "the file is \(Int(fresh.sampleRate)) Hz but the studio opened at \(Int(sampleRate)) Hz before it could be read; quit and watch it again"
                        : "file re-written at \(Int(fresh.sampleRate)) Hz (was \(Int(sampleRate)) Hz); restart to follow it"
                }
                watcher.accept()  // not a half-written file: do not try again until it changes
                return false
            }
            // Shorter than its header says: most likely still being written with pauses. Wait
            // for it to hold still a while; past that, it is what the export left.
            if fresh.isTruncated, watcher.settledForS < truncatedGraceS {
                note.withLock { $0 = String(format: "file changed but is still incomplete (%.1f s of %.1f s); waiting",
                                            Double(fresh.frameCount) / sampleRate, Double(fresh.announcedFrameCount) / sampleRate) }
                return false
            }
            let keep = min(nextFrame, fresh.frameCount)
            try fresh.seek(toFrame: keep)
            let first = reader == nil
            reader = fresh
            pendingFlag.store(false, ordering: .relaxed)
            nextFrame = keep
            durationFrames.store(fresh.frameCount, ordering: .relaxed)
            watcher.accept()
            reloads.add(1, ordering: .relaxed)
            // What matters first (a long status line cuts the end): where playback went on.
            note.withLock {
                $0 = first ? "the file can be read now: playing it"
                    : "re-read at \(String(format: "%.1f", Double(keep) / sampleRate)) s: the file changed on disk"
            }
            if let onReload = callbacks.withLock({ $0 }) { onReload(self) }
            return true
        } catch {
            // Half-written (Ableton still exporting): keep the old one, try again at the next poll.
            note.withLock { $0 = reader == nil ? Self.pendingNote(error.message) : "file changed but cannot be read yet: \(error.message)" }
            // Nothing playing yet: try again once the file changes and settles, not at every poll.
            if reader == nil { watcher.accept() }
            return false
        }
    }
}

/// Notices that a file was re-written: its size, mtime or inode differ from the file the reader
/// has open and then held still for one poll. It keeps saying so at each poll until the player
/// `accept`s the new file (a file that cannot be read yet is tried again), or it changes again.
struct FileChangeWatcher {
    struct Signature: Equatable {
        var size: Int64, modifiedSeconds: Int, modifiedNanoseconds: Int, inode: UInt64
    }

    let path: String
    /// The file the reader has open.
    private var opened: Signature?
    private var candidate: Signature?
    private var candidateSince = Date()

    init(path: String) {
        self.path = path
        opened = Self.signature(of: path)
    }

    /// Call once per poll; `true` while a change has settled and was not accepted yet.
    mutating func changedAndSettled(now: Date = Date()) -> Bool {
        guard let current = Self.signature(of: path) else { candidate = nil; return false }  // mid-rename or deleted: wait
        if current == opened { candidate = nil; return false }
        if current == candidate { return true }
        candidate = current
        candidateSince = now
        return false
    }

    /// How long the changed file has held still.
    var settledForS: Double { candidate == nil ? 0 : Date().timeIntervalSince(candidateSince) }

    /// No file is open yet (a first export still being written): whatever is on disk counts as a change.
    mutating func forgetOpened() { opened = nil; candidate = nil }

    /// The settled file is the one open now.
    mutating func accept() {
        if let candidate { opened = candidate }
        candidate = nil
    }

    /// The file on disk is no longer the one the reader opened (being rewritten, or replaced).
    var changedSinceOpen: Bool { Self.signature(of: path) != opened }

    static func signature(of path: String) -> Signature? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        #if canImport(Darwin)
        let modified = info.st_mtimespec
        #else
        let modified = info.st_mtim
        #endif
        return Signature(size: Int64(info.st_size), modifiedSeconds: Int(modified.tv_sec),
                         modifiedNanoseconds: Int(modified.tv_nsec), inode: UInt64(info.st_ino))
    }
}
