/// What kind of thing feeds the live engine.
public enum LiveSourceKind: String, Sendable {
    case file, device, pipe
}

/// Where a live source is in its life. `waiting`: opened, no audio yet (a FIFO without a writer).
public enum LiveSourceState: String, Sendable {
    case waiting, running, paused, ended, stopped
}

/// A source's view of itself, cheap to read from any thread (built from atomics).
public struct LiveSourceStatus: Sendable, Equatable {
    public var kind: LiveSourceKind
    /// File path, device name or `-` for standard input.
    public var name: String
    public var state: LiveSourceState
    public var sampleRate: Double
    /// Playback/capture position in frames (file: position in the file).
    public var positionFrames: Int
    /// Frames of the file; `nil` for live input.
    public var durationFrames: Int?
    /// Frames handed to the ring since the start (drops included): the analyzer uses it to notice
    /// that input stopped arriving.
    public var framesDelivered: Int
    /// Bumped on every discontinuity (seek): the analyzer then clears its history.
    public var generation: Int
    /// Frames lost before they reached the ring (PortAudio input overflow, pipe reads that fell behind).
    public var sourceDroppedFrames: Int
    /// Output callbacks that found too little audio while playing (audible gaps).
    public var outputUnderruns: Int
    /// `nil` when audio plays; otherwise why it does not ("no output device", "--no-audio").
    public var audioOutNote: String?
    /// A one-line note for the status line (end of input, a re-read file, an error).
    public var note: String?

    public init(kind: LiveSourceKind, name: String, state: LiveSourceState, sampleRate: Double,
                positionFrames: Int, durationFrames: Int?, framesDelivered: Int, generation: Int,
                sourceDroppedFrames: Int = 0, outputUnderruns: Int = 0, audioOutNote: String? = nil, note: String? = nil) {
        self.kind = kind; self.name = name; self.state = state; self.sampleRate = sampleRate
        self.positionFrames = positionFrames; self.durationFrames = durationFrames
        self.framesDelivered = framesDelivered; self.generation = generation
        self.sourceDroppedFrames = sourceDroppedFrames; self.outputUnderruns = outputUnderruns
        self.audioOutNote = audioOutNote; self.note = note
    }

    public var positionS: Double { Double(positionFrames) / sampleRate }
    public var durationS: Double? { durationFrames.map { Double($0) / sampleRate } }
}

/// Anything that writes audio into an `SPSCRingBuffer` for the live analyzer: a file played at
/// real-time pace, an audio device, a PCM pipe. The source is the ring's only producer; the
/// analyzer is its only consumer.
public protocol LiveAudioSource: AnyObject, Sendable {
    var ring: SPSCRingBuffer { get }
    var sampleRate: Double { get }
    func status() -> LiveSourceStatus
    func start() throws(AudioError)
    /// Stops producing; idempotent. The source cannot be restarted.
    func stop()
}
