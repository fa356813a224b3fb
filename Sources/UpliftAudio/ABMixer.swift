import Foundation
import Synchronization

/// What the A/B listening tools do to the mixed signal (after the band solo, if any).
public enum ABListenMode: Int, Sendable, CaseIterable {
    case stereo, mono, side, left, right
    public var label: String {
        switch self {
        case .stereo: "stereo"
        case .mono: "mono"
        case .side: "side only"
        case .left: "left only"
        case .right: "right only"
        }
    }
}

/// The A/B mixer: up to 16 slots of audio already decoded and resampled to the output rate
/// (`ABTrack`), one sounding at a time, switched with an equal-power crossfade.
///
/// The control side (UI thread, tests) posts commands into a lock-free single-producer queue;
/// the audio callback (`render`) drains it at the start of each buffer, and applies a switch at
/// a frame boundary: the outgoing voice fades with cos, the incoming with sin over
/// `crossfadeFrames`, from a table computed here (no libm call in the callback). A switch that
/// arrives during a crossfade waits for it to end. Seeks are crossfades within one slot. Slot
/// gains glide (one-pole, 5 ms) so loudness matching on/off never clicks. `render` is
/// `@_noLocks`: the compiler proves it does no allocation, locking or reference counting.
public final class ABMixer: @unchecked Sendable {
    public static let maxSlots = 16
    public let sampleRate: Double
    public let crossfadeFrames: Int
    /// Where the frames rendered without a device go (the analysis ring of a silent session).
    public let playedRing: SPSCRingBuffer

    // Callback-owned state, preallocated.
    private let slots: UnsafeMutablePointer<SlotState>
    private let fadeTable: UnsafeMutablePointer<Float>  // sin(π/2 · k / n), k = 0…n
    private let left: ABCrossoverChannel
    private let right: ABCrossoverChannel
    private let voice: UnsafeMutablePointer<VoiceState>
    private let glideCoefficient: Float
    /// `ABTrack.scale`, copied (a static would be a lazy global: a call the callback may not make).
    private let sampleScale: Float = ABTrack.scale
    /// A mono device's frames in stereo, for the tap (buffers longer than this are tapped in part).
    private let tapScratch: UnsafeMutablePointer<Float>
    static let tapScratchFrames = 16_384

    // The command queue (single producer behind `producer`, single consumer: the callback).
    private static let queueCapacity = 256
    private let queue: UnsafeMutablePointer<Command>
    private let queueWritten = Atomic<Int>(0)
    private let queueRead = Atomic<Int>(0)
    private let producer = Mutex<[ABTrack?]>(Array(repeating: nil, count: ABMixer.maxSlots))
    private let retired = Mutex<[ABTrack]>([])

    // Published for the UI (relaxed atomics).
    private let soundingSlotValue = Atomic<Int>(0)
    private let positionValue = Atomic<Int>(0)
    private let renderedValue = Atomic<Int>(0)
    private let switchesValue = Atomic<Int>(0)
    private let lastLatencyValue = Atomic<Int>(-1)
    private let playingValue = Atomic<Bool>(false)
    private let fadingValue = Atomic<Bool>(false)

    struct SlotState {
        var samples: UnsafeMutablePointer<Int16>?
        var frames = 0
        var position = 0
        var targetGain: Float = 1
        var gain: Float = 1
    }

    struct VoiceState {
        var slot = 0
        var position = 0
        var outSlot = -1
        var outPosition = 0
        var fadeDone = 0  // frames of the crossfade already played; == crossfadeFrames when none runs
        var playing = false
        var listen = 0
        var band = -1
        var loopStart = -1
        var loopEnd = -1
        var pending = Command()
        var hasPending = false
    }

    enum Kind: Int { case none, install, switchTo, gain, playing, listen, band, loop }

    struct Command {
        var kind = Kind.none
        var slot = 0
        var frame = 0
        var frame2 = 0
        var requestedAt = 0
        /// A switch scheduled for this mixer frame (`framesRendered` clock); -1: as soon as possible.
        var dueAt = -1
        var value: Float = 0
        var samples: UnsafeMutablePointer<Int16>?
    }

    public init(sampleRate: Double, crossfadeMS: Double = 20) {
        self.sampleRate = sampleRate
        crossfadeFrames = max(1, Int((crossfadeMS / 1000 * sampleRate).rounded()))
        playedRing = try! SPSCRingBuffer(capacityFrames: 1 << 15)
        slots = .allocate(capacity: Self.maxSlots)
        slots.initialize(repeating: SlotState(), count: Self.maxSlots)
        fadeTable = .allocate(capacity: crossfadeFrames + 1)
        for k in 0...crossfadeFrames { fadeTable[k] = Float(sin(Double.pi / 2 * Double(k) / Double(crossfadeFrames))) }
        left = ABCrossoverChannel(sampleRate: sampleRate)
        right = ABCrossoverChannel(sampleRate: sampleRate)
        voice = .allocate(capacity: 1)
        voice.initialize(to: VoiceState())
        voice.pointee.fadeDone = crossfadeFrames
        queue = .allocate(capacity: Self.queueCapacity)
        queue.initialize(repeating: Command(), count: Self.queueCapacity)
        glideCoefficient = Float(1 - exp(-1 / (0.005 * sampleRate)))
        tapScratch = .allocate(capacity: 2 * Self.tapScratchFrames)
        tapScratch.initialize(repeating: 0, count: 2 * Self.tapScratchFrames)
    }

    deinit {
        slots.deallocate(); fadeTable.deallocate(); voice.deallocate(); queue.deallocate(); tapScratch.deallocate()
        left.free(); right.free()
    }

    // MARK: Control side (any thread but the audio callback)

    /// Puts `track` (at this mixer's rate) in `slot`. The mixer keeps it alive from now on.
    public func install(_ track: ABTrack, slot: Int) {
        precondition(track.sampleRate == sampleRate, "slots must be resampled to the output rate first")
        guard (0..<Self.maxSlots).contains(slot) else { return }
        producer.withLock { tracks in
            if let old = tracks[slot] { retired.withLock { $0.append(old) } }
            tracks[slot] = track
            push(Command(kind: .install, slot: slot, frame: track.frames, samples: track.samples))
        }
    }

    public func track(in slot: Int) -> ABTrack? {
        guard (0..<Self.maxSlots).contains(slot) else { return nil }
        return producer.withLock { $0[slot] }
    }

    /// Crossfades to `slot` starting at `frame` (its own remembered place when `nil`: free lock).
    /// `fromPosition` is the sounding position `frame` was computed from; the frames that play
    /// between the request and the switch are added, so a same-time switch lands sample-exact.
    /// `dueAtMixerFrame` schedules the switch for that frame of the mixer's own clock (`framesRendered`):
    /// sample-exact, for scripted runs and tests.
    public func switchTo(slot: Int, atFrame frame: Int?, computedFrom fromPosition: Int? = nil, dueAtMixerFrame: Int? = nil) {
        guard (0..<Self.maxSlots).contains(slot) else { return }
        producer.withLock { _ in
            let now = renderedValue.load(ordering: .relaxed)
            push(Command(kind: .switchTo, slot: slot, frame: frame ?? -1, frame2: fromPosition ?? -1,
                         requestedAt: dueAtMixerFrame ?? now, dueAt: dueAtMixerFrame ?? -1))
        }
    }

    /// A seek in the sounding slot: a crossfade from the old place to the new.
    public func seek(toFrame frame: Int) { switchTo(slot: soundingSlot, atFrame: max(0, frame)) }

    public func setGain(slot: Int, dB: Double) {
        producer.withLock { _ in push(Command(kind: .gain, slot: slot, value: Float(pow(10, dB / 20)))) }
    }

    public func setPlaying(_ playing: Bool) {
        producer.withLock { _ in push(Command(kind: .playing, frame: playing ? 1 : 0)) }
        playingValue.store(playing, ordering: .relaxed)
    }

    public func setListen(_ mode: ABListenMode) { producer.withLock { _ in push(Command(kind: .listen, frame: mode.rawValue)) } }
    public func setBandSolo(_ band: ABBand?) { producer.withLock { _ in push(Command(kind: .band, frame: band?.rawValue ?? -1)) } }

    /// Loops `range` (frames) of whatever sounds; `nil` ends the loop.
    public func setLoop(_ range: Range<Int>?) {
        producer.withLock { _ in push(Command(kind: .loop, frame: range?.lowerBound ?? -1, frame2: range?.upperBound ?? -1)) }
    }

    /// The producer's lock is held.
    private func push(_ command: Command) {
        var w = queueWritten.load(ordering: .relaxed)
        // Full (the callback is not running): wait for room, at most ~0.5 s, then drop the oldest.
        var spins = 0
        while w - queueRead.load(ordering: .acquiring) >= Self.queueCapacity {
            if spins > 500 { return }
            spins += 1
            usleep(1000)
            w = queueWritten.load(ordering: .relaxed)
        }
        queue[w % Self.queueCapacity] = command
        queueWritten.store(w + 1, ordering: .releasing)
    }

    public var soundingSlot: Int { soundingSlotValue.load(ordering: .relaxed) }
    /// The sounding slot's playhead (frames at the mixer's rate).
    public var positionFrame: Int { positionValue.load(ordering: .relaxed) }
    public var positionS: Double { Double(positionFrame) / sampleRate }
    public var framesRendered: Int { renderedValue.load(ordering: .relaxed) }
    public var switchesApplied: Int { switchesValue.load(ordering: .relaxed) }
    /// Frames between the last switch's request and its first crossfaded frame (-1: none yet).
    public var lastSwitchLatencyFrames: Int { lastLatencyValue.load(ordering: .relaxed) }
    public var isPlaying: Bool { playingValue.load(ordering: .relaxed) }
    public var isCrossfading: Bool { fadingValue.load(ordering: .relaxed) }

    // MARK: Audio callback

    /// The same without a device (tests, the silent pacer): the frames also go to `playedRing`.
    public func render(_ out: UnsafeMutablePointer<Float>, frameCount: Int, channels: Int = 2) {
        render(out, frameCount: frameCount, channels: channels, tap: playedRing)
    }

    /// Renders `frameCount` frames into `out` (`channels` 1 or 2, interleaved) and writes the same
    /// stereo frames to `tap` (the analysis ring): the analysis hears exactly what plays.
    @_noLocks
    public func render(_ out: UnsafeMutablePointer<Float>, frameCount: Int, channels: Int, tap: SPSCRingBuffer) {
        let v = voice
        let clock = renderedValue.load(ordering: .relaxed)
        drainCommands(clock: clock, frameOffset: 0)
        if !v.pointee.playing {
            out.update(repeating: 0, count: frameCount * channels)
            fadingValue.store(false, ordering: .relaxed)
            return
        }
        let n = crossfadeFrames
        let coefficient = glideCoefficient
        var i = 0
        while i < frameCount {
            if v.pointee.hasPending, v.pointee.fadeDone >= n, v.pointee.pending.dueAt <= clock + i {
                v.pointee.hasPending = false
                apply(v.pointee.pending, clock: clock, frameOffset: i)
            }
            // Gains glide toward their targets.
            var s = 0
            while s < Self.maxSlots {
                slots[s].gain += (slots[s].targetGain - slots[s].gain) * coefficient
                s += 1
            }
            var l: Float = 0, r: Float = 0
            let inGain: Float = v.pointee.fadeDone < n ? fadeTable[v.pointee.fadeDone] : 1
            let current = v.pointee.slot
            let position = v.pointee.position
            if let samples = slots[current].samples, position < slots[current].frames, position >= 0 {
                let g = slots[current].gain * inGain * sampleScale
                l += Float(samples[2 * position]) * g
                r += Float(samples[2 * position + 1]) * g
            }
            if v.pointee.fadeDone < n {
                let outSlot = v.pointee.outSlot
                let outPosition = v.pointee.outPosition
                if outSlot >= 0, let samples = slots[outSlot].samples, outPosition < slots[outSlot].frames, outPosition >= 0 {
                    let g = slots[outSlot].gain * fadeTable[n - v.pointee.fadeDone] * sampleScale
                    l += Float(samples[2 * outPosition]) * g
                    r += Float(samples[2 * outPosition + 1]) * g
                }
                v.pointee.outPosition = outPosition + 1
                v.pointee.fadeDone += 1
            }
            var next = position + 1
            if v.pointee.loopEnd > 0, next >= v.pointee.loopEnd, v.pointee.loopStart >= 0 {
                next = v.pointee.loopStart
            } else if slots[current].frames > 0, next >= slots[current].frames {
                next = 0  // the sounding slot ended: it plays on from the top rather than into silence
            }
            v.pointee.position = next
            // Listening tools: band solo, then the channel view.
            let band = v.pointee.band
            if band >= 0 {
                l = Float(left.process(Double(l), band: band))
                r = Float(right.process(Double(r), band: band))
            } else {
                _ = left.process(Double(l), band: 0)
                _ = right.process(Double(r), band: 0)
            }
            switch v.pointee.listen {
            case 1: let m = 0.5 * (l + r); l = m; r = m
            case 2: let side = 0.5 * (l - r); l = side; r = side
            case 3: r = l
            case 4: l = r
            default: break
            }
            if channels == 2 {
                out[2 * i] = l
                out[2 * i + 1] = r
            } else {
                out[i] = 0.5 * (l + r)
                if i < Self.tapScratchFrames {
                    tapScratch[2 * i] = l
                    tapScratch[2 * i + 1] = r
                }
            }
            i += 1
        }
        if channels == 2 { tap.write(out, frameCount: frameCount) } else { tap.write(tapScratch, frameCount: min(frameCount, Self.tapScratchFrames)) }
        slots[v.pointee.slot].position = v.pointee.position
        renderedValue.store(clock + frameCount, ordering: .relaxed)
        soundingSlotValue.store(v.pointee.slot, ordering: .relaxed)
        positionValue.store(v.pointee.position, ordering: .relaxed)
        fadingValue.store(v.pointee.fadeDone < n, ordering: .relaxed)
    }

    @_noLocks
    private func drainCommands(clock: Int, frameOffset: Int) {
        let w = queueWritten.load(ordering: .acquiring)
        var r = queueRead.load(ordering: .relaxed)
        while r < w {
            let command = queue[r % Self.queueCapacity]
            r += 1
            // (No `||`: its autoclosure would cost reference counting here.)
            var waits = voice.pointee.fadeDone < crossfadeFrames
            if voice.pointee.hasPending { waits = true }
            if command.dueAt > clock { waits = true }
            if command.kind == .switchTo, waits {
                // A crossfade runs (or the switch is scheduled): the latest switch waits for its end or its
                // frame (earlier waiting ones are superseded).
                voice.pointee.pending = command
                voice.pointee.hasPending = true
                continue
            }
            apply(command, clock: clock, frameOffset: frameOffset)
        }
        queueRead.store(r, ordering: .releasing)
    }

    @_noLocks
    private func apply(_ command: Command, clock: Int, frameOffset: Int) {
        let v = voice
        switch command.kind {
        case .install:
            slots[command.slot].samples = command.samples
            slots[command.slot].frames = command.frame
            slots[command.slot].position = 0
        case .switchTo:
            let from = v.pointee.slot
            slots[from].position = v.pointee.position
            var target = command.frame < 0 ? slots[command.slot].position : command.frame
            if command.frame >= 0, command.frame2 >= 0 {
                let elapsed = v.pointee.position - command.frame2
                if elapsed > 0, elapsed < Int(sampleRate) { target += elapsed }
            }
            v.pointee.outSlot = from
            v.pointee.outPosition = v.pointee.position
            v.pointee.slot = command.slot
            v.pointee.position = target
            v.pointee.fadeDone = v.pointee.playing ? 0 : crossfadeFrames
            if from != command.slot { v.pointee.loopStart = -1; v.pointee.loopEnd = -1 }
            switchesValue.add(1, ordering: .relaxed)
            lastLatencyValue.store(clock + frameOffset - command.requestedAt, ordering: .relaxed)
        case .gain:
            if command.slot >= 0, command.slot < Self.maxSlots { slots[command.slot].targetGain = command.value }
        case .playing:
            v.pointee.playing = command.frame != 0
        case .listen:
            v.pointee.listen = command.frame
        case .band:
            v.pointee.band = command.frame
        case .loop:
            v.pointee.loopStart = command.frame
            v.pointee.loopEnd = command.frame2
        case .none:
            break
        }
    }
}
