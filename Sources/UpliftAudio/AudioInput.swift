import Foundation
import Synchronization
internal import CPortAudio

/// Captures from an audio input (a loopback device carrying Live's master, an ALSA `file` PCM in
/// tests) into an `SPSCRingBuffer` as interleaved stereo float.
///
/// The PortAudio callback is the ring's producer. Mono input is duplicated to both sides through a
/// preallocated block; the callback never allocates, locks or does I/O. Frames that do not fit
/// (analysis fell behind) are dropped and counted by the ring; PortAudio's own input overflows
/// are counted too.
public final class AudioInput: LiveAudioSource, @unchecked Sendable {
    public let ring: SPSCRingBuffer
    public let device: AudioDeviceInfo
    public let sampleRate: Double
    public let channels: Int
    private let system: PortAudioSystem
    private let context: InputCallbackContext
    private var stream: UnsafeMutableRawPointer?
    private let lifecycle = Mutex<LiveSourceState>(.waiting)

    /// Opens the named input (or the default one) at `sampleRate` (default: the device's own rate).
    public init(system: PortAudioSystem, deviceName: String?, sampleRate: Double? = nil,
                ringCapacityFrames: Int = 1 << 16) throws(AudioError) {
        self.system = system
        let chosen: AudioDeviceInfo
        if let deviceName {
            chosen = try system.device(named: deviceName, forInput: true)
        } else if let fallback = system.defaultDevice(forInput: true) {
            chosen = fallback
        } else {
            throw AudioError(.device, "no input device on this system; name one with --input (see `uplift devices`) or pipe PCM with --input -")
        }
        device = chosen
        let rate = sampleRate ?? chosen.defaultSampleRate
        guard (8000...192_000).contains(rate) else {
            throw AudioError(.invalidArgument, "sample rate \(rate) Hz is outside 8 kHz…192 kHz")
        }
        self.sampleRate = rate
        channels = min(2, chosen.maxInputChannels)
        ring = try SPSCRingBuffer(capacityFrames: ringCapacityFrames)
        context = InputCallbackContext(ring: ring, channels: channels)

        var parameters = PaStreamParameters(
            device: PaDeviceIndex(chosen.index), channelCount: Int32(channels),
            sampleFormat: PaSampleFormat(CPortAudio_paFloat32()),
            suggestedLatency: Pa_GetDeviceInfo(PaDeviceIndex(chosen.index))?.pointee.defaultLowInputLatency ?? 0.05,
            hostApiSpecificStreamInfo: nil)
        var opened: UnsafeMutableRawPointer?
        let status = Pa_OpenStream(&opened, &parameters, nil, rate, UInt(paFramesPerBufferUnspecified),
                                   PaStreamFlags(CPortAudio_paNoFlag()), inputCallback,
                                   Unmanaged.passUnretained(context).toOpaque())
        guard status == paNoError.rawValue, let opened else {
            throw AudioError(.device, "cannot open input \"\(chosen.name)\" (\(channels) ch, \(Int(rate)) Hz): \(PortAudioSystem.text(status)); try --rate \(Int(chosen.defaultSampleRate))")
        }
        stream = opened
    }

    deinit {
        stop()
        if let stream { Pa_CloseStream(stream) }
    }

    public func start() throws(AudioError) {
        let status: PaError = lifecycle.withLock { state in
            guard state == .waiting, let stream else { return paNoError.rawValue }
            let result = Pa_StartStream(stream)
            if result == paNoError.rawValue { state = .running }
            return result
        }
        guard status == paNoError.rawValue else {
            throw AudioError(.stream, "cannot start input \"\(device.name)\": \(PortAudioSystem.text(status))")
        }
    }

    public func stop() {
        lifecycle.withLock { state in
            if state == .running, let stream { Pa_StopStream(stream) }
            state = .stopped
        }
    }

    public func status() -> LiveSourceStatus {
        var state = lifecycle.withLock { $0 }
        if state == .running, let stream, Pa_IsStreamActive(stream) != 1 { state = .stopped }
        let captured = context.framesCaptured.load(ordering: .relaxed)
        return LiveSourceStatus(
            kind: .device, name: device.name, state: state, sampleRate: sampleRate,
            positionFrames: captured, durationFrames: nil, framesDelivered: captured, generation: 0,
            sourceDroppedFrames: context.overflowCallbacks.load(ordering: .relaxed),
            note: state == .stopped ? "input stream stopped" : nil)
    }

    /// Callbacks PortAudio flagged with an input overflow (audio lost before it reached us).
    public var inputOverflows: Int { context.overflowCallbacks.load(ordering: .relaxed) }
}

final class InputCallbackContext: @unchecked Sendable {
    let ring: SPSCRingBuffer
    let channels: Int
    /// PortAudio's overflow bit, read once here because the callback may not call into C shims.
    let inputOverflowFlag = UInt(CPortAudio_paInputOverflow())
    let framesCaptured = Atomic<Int>(0)
    let overflowCallbacks = Atomic<Int>(0)
    let stereoScratch: UnsafeMutablePointer<Float>
    static let scratchFrames = 1024
    let scratchFrames = InputCallbackContext.scratchFrames

    init(ring: SPSCRingBuffer, channels: Int) {
        self.ring = ring
        self.channels = channels
        stereoScratch = .allocate(capacity: Self.scratchFrames * 2)
        stereoScratch.initialize(repeating: 0, count: Self.scratchFrames * 2)
    }

    deinit { stereoScratch.deallocate() }

    /// Real-time: hands `frameCount` captured frames to the ring.
    /// `@_noLocks`: the compiler proves there is no allocation, lock, reference counting or unknown
    /// call in here (the ring comes in as an argument so reaching it costs no retain).
    @_noLocks
    func capture(ring: SPSCRingBuffer, _ input: UnsafePointer<Float>, frameCount: Int, flags: UInt) {
        if flags & inputOverflowFlag != 0 { overflowCallbacks.add(1, ordering: .relaxed) }
        if channels == 2 {
            ring.write(input, frameCount: frameCount)
        } else {
            var done = 0
            while done < frameCount {
                let n = min(frameCount - done, scratchFrames)
                for i in 0..<n {
                    let sample = input[done + i]
                    stereoScratch[2 * i] = sample
                    stereoScratch[2 * i + 1] = sample
                }
                ring.write(stereoScratch, frameCount: n)
                done += n
            }
        }
        framesCaptured.add(frameCount, ordering: .relaxed)
    }
}

private func inputCallback(
    _ input: UnsafeRawPointer?, _ output: UnsafeMutableRawPointer?, _ frameCount: UInt,
    _ timeInfo: UnsafePointer<PaStreamCallbackTimeInfo>?, _ flags: PaStreamCallbackFlags, _ userData: UnsafeMutableRawPointer?
) -> Int32 {
    guard let input, let userData else { return Int32(paContinue.rawValue) }
    Unmanaged<InputCallbackContext>.fromOpaque(userData)._withUnsafeGuaranteedRef {
        $0.capture(ring: $0.ring, input.assumingMemoryBound(to: Float.self), frameCount: Int(frameCount), flags: UInt(flags))
    }
    return Int32(paContinue.rawValue)
}
