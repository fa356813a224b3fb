/// One audio device as PortAudio lists it.
public struct AudioDeviceInfo: Sendable, Equatable {
    /// PortAudio's device index (valid while the `PortAudioSystem` that listed it lives).
    public let index: Int
    public let name: String
    /// "ALSA", "JACK Audio Connection Kit", "Core Audio", …
    public let hostAPI: String
    public let maxInputChannels: Int
    public let maxOutputChannels: Int
    public let defaultSampleRate: Double
    public let isDefaultInput: Bool
    public let isDefaultOutput: Bool

    public init(index: Int, name: String, hostAPI: String, maxInputChannels: Int, maxOutputChannels: Int,
                defaultSampleRate: Double, isDefaultInput: Bool, isDefaultOutput: Bool) {
        self.index = index; self.name = name; self.hostAPI = hostAPI
        self.maxInputChannels = maxInputChannels; self.maxOutputChannels = maxOutputChannels
        self.defaultSampleRate = defaultSampleRate
        self.isDefaultInput = isDefaultInput; self.isDefaultOutput = isDefaultOutput
    }

    public var isInput: Bool { maxInputChannels > 0 }
    public var isOutput: Bool { maxOutputChannels > 0 }
}
