import Foundation
import Synchronization
internal import CPortAudio

/// Plays interleaved stereo float frames from an `SPSCRingBuffer` through a PortAudio output stream.
///
/// The PortAudio callback is the ring's consumer: it copies what is queued, pads the rest with
/// silence, and only touches atomics and preallocated memory (no allocation, lock or I/O).
/// The producer (the file player's reader thread) keeps the ring topped up; how fast the callback
/// drains it is what paces playback. What the callback plays also goes to `playedRing`, which the
/// analysis reads: the panes follow the frames as they are heard, not as they are queued.
public final class AudioOutput: @unchecked Sendable {
    public let ring: SPSCRingBuffer
    /// The frames the device took, as it took them (the analysis ring of a file played with sound).
    public let playedRing: SPSCRingBuffer
    public let device: AudioDeviceInfo
    public let sampleRate: Double
    private let system: PortAudioSystem
    private let context: OutputCallbackContext
    private var stream: UnsafeMutableRawPointer?
    private let lifecycle = Mutex<Bool>(false)  // started

    /// Opens `deviceName` (or the default output) at `sampleRate`; does not start it.
    /// Throws `.device` when there is no usable output (the caller then plays on silently).
    public init(system: PortAudioSystem, deviceName: String? = nil, sampleRate: Double,
                ringCapacityFrames: Int = 4096, playedRingCapacityFrames: Int = 1 << 15) throws(AudioError) {
        self.system = system
        let chosen: AudioDeviceInfo
        if let deviceName {
            chosen = try system.device(named: deviceName, forInput: false)
        } else if let fallback = system.defaultDevice(forInput: false) {
            chosen = fallback
        } else {
            throw AudioError(.device, "this system has no output device")
        }
        guard chosen.maxOutputChannels >= 1 else {
            throw AudioError(.device, "\"\(chosen.name)\" has no output channels")
        }
        device = chosen
        self.sampleRate = sampleRate
        ring = try SPSCRingBuffer(capacityFrames: ringCapacityFrames)
        playedRing = try SPSCRingBuffer(capacityFrames: playedRingCapacityFrames)
        context = OutputCallbackContext(ring: ring, played: playedRing, deviceChannels: min(2, chosen.maxOutputChannels))
        stream = try Self.open(device: chosen, sampleRate: sampleRate, context: context)
    }

    private static func open(device: AudioDeviceInfo, sampleRate: Double, context: OutputCallbackContext) throws(AudioError) -> UnsafeMutableRawPointer {
        var parameters = PaStreamParameters(
            device: PaDeviceIndex(device.index), channelCount: Int32(context.deviceChannels),
            sampleFormat: PaSampleFormat(CPortAudio_paFloat32()),
            suggestedLatency: Pa_GetDeviceInfo(PaDeviceIndex(device.index))?.pointee.defaultLowOutputLatency ?? 0.05,
            hostApiSpecificStreamInfo: nil)
        var opened: UnsafeMutableRawPointer?
        let status = Pa_OpenStream(&opened, nil, &parameters, sampleRate, UInt(paFramesPerBufferUnspecified),
                                   PaStreamFlags(CPortAudio_paClipOff()), outputCallback,
                                   Unmanaged.passUnretained(context).toOpaque())
        guard status == paNoError.rawValue, let opened else {
            throw AudioError(.device, "cannot open output \"\(device.name)\" at \(Int(sampleRate)) Hz: \(PortAudioSystem.text(status))")
        }
        return opened
    }

    /// Stops and closes the stream so another can have the device (the A/B view opened from the
    /// studio); `start()` opens it again.
    public func release() {
        lifecycle.withLock { started in
            if started, let stream { Pa_StopStream(stream) }
            started = false
            if let stream { Pa_CloseStream(stream) }
            stream = nil
        }
    }

    deinit {
        stop()
        if let stream { Pa_CloseStream(stream) }
    }

    public func start() throws(AudioError) {
        var reopenError: AudioError?
        let status: PaError = lifecycle.withLock { started in
            if started { return paNoError.rawValue }
            if stream == nil {
                do { stream = try Self.open(device: device, sampleRate: sampleRate, context: context) } catch {
                    reopenError = (error as? AudioError) ?? AudioError(.device, "\(error)")
                    return paNotInitialized.rawValue
                }
            }
            guard let stream else { return paNotInitialized.rawValue }
            let result = Pa_StartStream(stream)
            if result == paNoError.rawValue { started = true }
            return result
        }
        if let reopenError { throw reopenError }
        guard status == paNoError.rawValue else {
            throw AudioError(.stream, "cannot start output \"\(device.name)\": \(PortAudioSystem.text(status))")
        }
    }

    public func stop() {
        lifecycle.withLock { started in
            if started, let stream { Pa_StopStream(stream) }
            started = false
        }
    }

    /// While `false` the callback plays silence and leaves the ring alone (pause, end of file).
    public var isPlaying: Bool {
        get { context.playing.load(ordering: .relaxed) }
        set { context.playing.store(newValue, ordering: .relaxed) }
    }

    /// Asks the callback to drop what is queued (a seek): it discards on its next run.
    public func flush() { context.flushRequests.add(1, ordering: .releasing) }

    /// Frames the device has taken from the ring since the start.
    public var framesPlayed: Int { context.framesPlayed.load(ordering: .relaxed) }
    /// Callbacks that found fewer frames than asked while playing.
    public var underruns: Int { context.underruns.load(ordering: .relaxed) }
    /// Callbacks since the start (a liveness check for tests).
    public var callbacks: Int { context.callbacks.load(ordering: .relaxed) }
}

/// What the real-time callback reaches through its `userData` pointer. Only atomics and the ring.
final class OutputCallbackContext: @unchecked Sendable {
    let ring: SPSCRingBuffer
    let played: SPSCRingBuffer
    let deviceChannels: Int
    let playing = Atomic<Bool>(false)
    let flushRequests = Atomic<Int>(0)
    let flushesDone = Atomic<Int>(0)
    let framesPlayed = Atomic<Int>(0)
    let underruns = Atomic<Int>(0)
    let callbacks = Atomic<Int>(0)
    /// Mono devices get (L+R)/2: one preallocated block, consumed in pieces.
    let monoScratch: UnsafeMutablePointer<Float>
    static let scratchFrames = 1024
    let scratchFrames = OutputCallbackContext.scratchFrames

    init(ring: SPSCRingBuffer, played: SPSCRingBuffer, deviceChannels: Int) {
        self.ring = ring
        self.played = played
        self.deviceChannels = deviceChannels
        monoScratch = .allocate(capacity: Self.scratchFrames * 2)
        monoScratch.initialize(repeating: 0, count: Self.scratchFrames * 2)
    }

    deinit { monoScratch.deallocate() }

    /// Real-time: fills `frameCount` frames of `out`.
    /// `@_noLocks`: the compiler proves there is no allocation, lock, reference counting or unknown
    /// call in here (the ring comes in as an argument so reaching it costs no retain).
    @_noLocks
    func render(ring: SPSCRingBuffer, played: SPSCRingBuffer, _ out: UnsafeMutablePointer<Float>, frameCount: Int) {
        callbacks.add(1, ordering: .relaxed)
        let requested = flushRequests.load(ordering: .acquiring)
        if requested != flushesDone.load(ordering: .relaxed) {
            ring.discardAll()
            flushesDone.store(requested, ordering: .relaxed)
        }
        guard playing.load(ordering: .relaxed) else {
            out.update(repeating: 0, count: frameCount * deviceChannels)
            return
        }
        var copied = 0
        if deviceChannels == 2 {
            copied = min(ring.availableFrames, frameCount)
            if copied > 0 {
                _ = ring.read(into: out, frameCount: copied)
                played.write(out, frameCount: copied)
            }
        } else {
            while copied < frameCount {
                let n = min(min(ring.availableFrames, frameCount - copied), scratchFrames)
                guard n > 0, ring.read(into: monoScratch, frameCount: n) else { break }
                played.write(monoScratch, frameCount: n)
                for i in 0..<n { out[copied + i] = 0.5 * (monoScratch[2 * i] + monoScratch[2 * i + 1]) }
                copied += n
            }
        }
        if copied < frameCount {
            (out + copied * deviceChannels).update(repeating: 0, count: (frameCount - copied) * deviceChannels)
            underruns.add(1, ordering: .relaxed)
        }
        framesPlayed.add(copied, ordering: .relaxed)
    }
}

/// The C callback: no captures, so it converts to a C function pointer.
private func outputCallback(
    _ input: UnsafeRawPointer?, _ output: UnsafeMutableRawPointer?, _ frameCount: UInt,
    _ timeInfo: UnsafePointer<PaStreamCallbackTimeInfo>?, _ flags: PaStreamCallbackFlags, _ userData: UnsafeMutableRawPointer?
) -> Int32 {
    guard let output, let userData else { return Int32(paContinue.rawValue) }
    Unmanaged<OutputCallbackContext>.fromOpaque(userData)._withUnsafeGuaranteedRef {
        $0.render(ring: $0.ring, played: $0.played, output.assumingMemoryBound(to: Float.self), frameCount: Int(frameCount))
    }
    return Int32(paContinue.rawValue)
}
