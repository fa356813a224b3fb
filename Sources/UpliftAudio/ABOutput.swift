import Foundation
import Synchronization
internal import CPortAudio

/// A PortAudio output stream whose callback is the A/B mixer's `render`. The frames it plays
/// are also written to `playedRing`, which the analysis reads: the panes show what is heard.
public final class ABOutput: @unchecked Sendable {
    public let mixer: ABMixer
    public let device: AudioDeviceInfo
    public let playedRing: SPSCRingBuffer
    public let framesPerBuffer: Int
    private let system: PortAudioSystem
    private let context: ABCallbackContext
    private var stream: UnsafeMutableRawPointer?
    private let lifecycle = Mutex<Bool>(false)

    /// Opens `deviceName` (or the default output) at the mixer's rate; `framesPerBuffer` 0 lets
    /// PortAudio choose. Throws `.device` when there is no usable output.
    public init(system: PortAudioSystem, deviceName: String? = nil, mixer: ABMixer, framesPerBuffer: Int = 256,
                playedRing: SPSCRingBuffer) throws(AudioError) {
        self.system = system
        self.mixer = mixer
        self.playedRing = playedRing
        self.framesPerBuffer = framesPerBuffer
        let chosen: AudioDeviceInfo
        if let deviceName {
            chosen = try system.device(named: deviceName, forInput: false)
        } else if let fallback = system.defaultDevice(forInput: false) {
            chosen = fallback
        } else {
            throw AudioError(.device, "this system has no output device")
        }
        guard chosen.maxOutputChannels >= 1 else { throw AudioError(.device, "\"\(chosen.name)\" has no output channels") }
        device = chosen
        context = ABCallbackContext(mixer: mixer, tap: playedRing, channels: min(2, chosen.maxOutputChannels))
        var parameters = PaStreamParameters(
            device: PaDeviceIndex(chosen.index), channelCount: Int32(context.channels),
            sampleFormat: PaSampleFormat(CPortAudio_paFloat32()),
            suggestedLatency: Pa_GetDeviceInfo(PaDeviceIndex(chosen.index))?.pointee.defaultLowOutputLatency ?? 0.05,
            hostApiSpecificStreamInfo: nil)
        var opened: UnsafeMutableRawPointer?
        let status = Pa_OpenStream(&opened, nil, &parameters, mixer.sampleRate, UInt(framesPerBuffer),
                                   PaStreamFlags(CPortAudio_paClipOff()), abCallback,
                                   Unmanaged.passUnretained(context).toOpaque())
        guard status == paNoError.rawValue, let opened else {
            throw AudioError(.device, "cannot open output \"\(chosen.name)\" at \(Int(mixer.sampleRate)) Hz: \(PortAudioSystem.text(status))")
        }
        stream = opened
    }

    deinit {
        stop()
        if let stream { Pa_CloseStream(stream) }
    }

    public func start() throws(AudioError) {
        let status: PaError = lifecycle.withLock { started in
            if started { return paNoError.rawValue }
            guard let stream else { return paNotInitialized.rawValue }
            let result = Pa_StartStream(stream)
            if result == paNoError.rawValue { started = true }
            return result
        }
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

    /// Stops and closes the stream: the device is free for the next user (the studio the A/B view
    /// was opened from). Not started again after this.
    public func close() {
        lifecycle.withLock { started in
            if started, let stream { Pa_StopStream(stream) }
            started = false
            if let stream { Pa_CloseStream(stream) }
            stream = nil
        }
    }

    public var callbacks: Int { context.callbacks.load(ordering: .relaxed) }
}

final class ABCallbackContext: @unchecked Sendable {
    let mixer: ABMixer
    let tap: SPSCRingBuffer
    let channels: Int
    let callbacks = Atomic<Int>(0)
    init(mixer: ABMixer, tap: SPSCRingBuffer, channels: Int) { self.mixer = mixer; self.tap = tap; self.channels = channels }
}

private func abCallback(
    _ input: UnsafeRawPointer?, _ output: UnsafeMutableRawPointer?, _ frameCount: UInt,
    _ timeInfo: UnsafePointer<PaStreamCallbackTimeInfo>?, _ flags: PaStreamCallbackFlags, _ userData: UnsafeMutableRawPointer?
) -> Int32 {
    guard let output, let userData else { return Int32(paContinue.rawValue) }
    Unmanaged<ABCallbackContext>.fromOpaque(userData)._withUnsafeGuaranteedRef { context in
        context.callbacks.add(1, ordering: .relaxed)
        context.mixer.render(output.assumingMemoryBound(to: Float.self), frameCount: Int(frameCount),
                             channels: context.channels, tap: context.tap)
    }
    return Int32(paContinue.rawValue)
}
