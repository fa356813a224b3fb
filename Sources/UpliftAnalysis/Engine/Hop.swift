import UpliftDSP
import UpliftModel

/// One analysis step, handed to every extractor in turn. The buffers belong to the engine and
/// are valid only during `process(_:)`: copy what you need to keep into your own preallocated storage.
public struct Hop {
    /// Hop number from the start of the stream (0-based).
    public let index: Int
    /// Stream position, in frames, of the first new sample of this hop.
    public let startFrame: Int
    /// New frames in this hop that are real audio: `hopSize`, except for the last (zero-padded) hop.
    public let validFrames: Int
    public let format: STFTFormat

    /// The `hopSize` new samples of each channel (time domain, unwindowed).
    public let left: UnsafeBufferPointer<Float>
    public let right: UnsafeBufferPointer<Float>
    /// The last `windowSize` samples of each channel, ending with this hop (unwindowed).
    public let windowLeft: UnsafeBufferPointer<Float>
    public let windowRight: UnsafeBufferPointer<Float>

    /// Hann-windowed spectra of the current frame, `binCount` bins each.
    public let leftRe: UnsafeBufferPointer<Float>
    public let leftIm: UnsafeBufferPointer<Float>
    public let rightRe: UnsafeBufferPointer<Float>
    public let rightIm: UnsafeBufferPointer<Float>
    /// |FFT((L+R)/2)|, the mono magnitude most extractors need, normalized so a full-scale sine
    /// peaks at 1.0 (divided by the window's coherent gain, times 2 for the one-sided spectrum).
    public let monoMagnitude: UnsafeBufferPointer<Float>

    /// Time of the end of this hop (its newest sample) in seconds.
    public var timeSeconds: Double { Double(startFrame + validFrames) / format.sampleRate }
}

/// A feature extractor: validated at `init`, fed per hop without allocating, summarized once.
///
/// The engine calls extractors in the order it was given, so a summary may read the sections
/// that earlier extractors wrote (pumping reads `analysis.tempo` for its beat grid).
public protocol HopExtractor: AnyObject {
    /// Per hop. Runs on the analysis thread: no allocation, no locks, no I/O.
    func process(_ hop: borrowing Hop)
    /// Back to the state after `init` (a new track, a seek in live mode).
    func reset()
    /// After the last hop: write this extractor's section of `analysis`; may allocate.
    func summarize(into analysis: inout TrackAnalysis, context: SummaryContext)
}

/// What extractors hand each other at summary time that has no place in the report itself.
public final class SummaryContext {
    /// Beat times in seconds from the tempo tracker (follows drift; empty when no beat was found).
    public var beatTimesS: [Double] = []
    /// Index into `beatTimesS` of the first downbeat (bar start), when known.
    public var firstDownbeatIndex = 0
    public let format: STFTFormat
    public let durationS: Double

    public init(format: STFTFormat, durationS: Double) {
        self.format = format
        self.durationS = durationS
    }
}
