import Foundation
import Synchronization
internal import CPortAudio

/// A reference to an initialized PortAudio. `Pa_Initialize` runs when the first one is made and
/// `Pa_Terminate` when the last one goes away, so streams and device lists from several owners
/// never pull PortAudio down under each other.
///
/// On Linux, ALSA reads `~/.asoundrc` during initialization: set `HOME` before the first one.
/// ALSA and JACK print probing noise to stderr while PortAudio scans devices; it is muted unless
/// `UPLIFT_AUDIO_DEBUG` is set, because it would land on the terminal the TUI draws on.
public final class PortAudioSystem: Sendable {
    private static let users = Mutex<Int>(0)

    public init() throws(AudioError) {
        let status: PaError = Self.users.withLock { count in
            if count == 0 {
                let result = Self.withStderrMuted { Pa_Initialize() }
                if result != paNoError.rawValue { return result }
            }
            count += 1
            return paNoError.rawValue
        }
        guard status == paNoError.rawValue else {
            throw AudioError(.device, "PortAudio could not start (\(Self.text(status))); check that ALSA/CoreAudio is available")
        }
    }

    deinit {
        Self.users.withLock { count in
            count -= 1
            if count == 0 { _ = Self.withStderrMuted { Pa_Terminate() } }
        }
    }

    /// Every device PortAudio sees, inputs and outputs.
    public func devices() -> [AudioDeviceInfo] {
        let count = Int(Pa_GetDeviceCount())
        guard count > 0 else { return [] }
        let defaultIn = Int(Pa_GetDefaultInputDevice()), defaultOut = Int(Pa_GetDefaultOutputDevice())
        return (0..<count).compactMap { index in
            guard let info = Pa_GetDeviceInfo(PaDeviceIndex(index))?.pointee else { return nil }
            let hostAPI = Pa_GetHostApiInfo(info.hostApi).map { String(cString: $0.pointee.name) } ?? "?"
            return AudioDeviceInfo(
                index: index, name: info.name.map { String(cString: $0) } ?? "device \(index)", hostAPI: hostAPI,
                maxInputChannels: Int(info.maxInputChannels), maxOutputChannels: Int(info.maxOutputChannels),
                defaultSampleRate: info.defaultSampleRate,
                isDefaultInput: index == defaultIn, isDefaultOutput: index == defaultOut)
        }
    }

    /// The default device for input or output, if the system has one.
    public func defaultDevice(forInput: Bool) -> AudioDeviceInfo? {
        let index = Int(forInput ? Pa_GetDefaultInputDevice() : Pa_GetDefaultOutputDevice())
        guard index >= 0 else { return nil }
        return devices().first { $0.index == index }
    }

    /// Finds a device by name: exact, then case-insensitive, then a unique case-insensitive
    /// substring. An unknown or ambiguous name gets an error listing the candidates.
    public func device(named name: String, forInput: Bool) throws(AudioError) -> AudioDeviceInfo {
        let candidates = devices().filter { forInput ? $0.isInput : $0.isOutput }
        let direction = forInput ? "input" : "output"
        if let exact = candidates.first(where: { $0.name == name }) { return exact }
        let lower = name.lowercased()
        if let folded = candidates.first(where: { $0.name.lowercased() == lower }) { return folded }
        let partial = candidates.filter { $0.name.lowercased().contains(lower) }
        if partial.count == 1 { return partial[0] }
        let listed = (partial.isEmpty ? candidates : partial).map { "\"\($0.name)\"" }.joined(separator: ", ")
        if partial.count > 1 {
            throw AudioError(.device, "\(direction) device name \"\(name)\" is ambiguous: \(listed); give more of the name")
        }
        if candidates.isEmpty {
            throw AudioError(.device, "no \(direction) device \"\(name)\": this system has no \(direction) devices at all")
        }
        throw AudioError(.device, "no \(direction) device \"\(name)\"; available: \(listed) (see `uplift devices`)")
    }

    static func text(_ error: PaError) -> String {
        Pa_GetErrorText(error).map { String(cString: $0) } ?? "PortAudio error \(error)"
    }

    /// Runs `body` with file descriptor 2 pointed at /dev/null (library probing noise).
    static func withStderrMuted<T>(_ body: () -> T) -> T {
        if ProcessInfo.processInfo.environment["UPLIFT_AUDIO_DEBUG"] != nil { return body() }
        let saved = dup(2)
        let devNull = open("/dev/null", O_WRONLY)
        guard saved >= 0, devNull >= 0 else {
            if saved >= 0 { close(saved) }
            if devNull >= 0 { close(devNull) }
            return body()
        }
        dup2(devNull, 2)
        close(devNull)
        defer {
                dup2(saved, 2)
            close(saved)
        }
        return body()
    }
}
