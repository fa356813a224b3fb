import UpliftAudio
import UpliftDSP
import UpliftModel

/// Pulls hops from the ring buffer, computes one STFT frame of each channel, and feeds the extractors.
///
/// Offline analysis and live analysis run this same engine; only the producer side of the ring
/// differs. Everything `processAvailableHops` touches is allocated in `init`.
public final class AnalysisEngine {
    public let format: STFTFormat
    public let ring: SPSCRingBuffer
    public private(set) var extractors: [any HopExtractor]
    public private(set) var hopsProcessed = 0
    public private(set) var framesProcessed = 0

    private let fft: RealFFT
    private let window: [Float]
    private let magnitudeScale: Float
    private let hopInterleaved: UnsafeMutableBufferPointer<Float>
    private let newLeft, newRight: UnsafeMutableBufferPointer<Float>
    private let historyLeft, historyRight: UnsafeMutableBufferPointer<Float>
    private let windowed: UnsafeMutableBufferPointer<Float>
    private let leftRe, leftIm, rightRe, rightIm, monoMagnitude: UnsafeMutableBufferPointer<Float>

    public init(format: STFTFormat, ring: SPSCRingBuffer, extractors: [any HopExtractor]) throws(DSPError) {
        self.format = format
        self.ring = ring
        self.extractors = extractors
        fft = try RealFFT(size: format.windowSize)
        window = Window.hann.coefficients(size: format.windowSize)
        magnitudeScale = Float(2 / Window.hann.coherentGain(size: format.windowSize))
        func buffer(_ n: Int) -> UnsafeMutableBufferPointer<Float> {
            let b = UnsafeMutableBufferPointer<Float>.allocate(capacity: n)
            b.initialize(repeating: 0)
            return b
        }
        hopInterleaved = buffer(format.hopSize * 2)
        newLeft = buffer(format.hopSize); newRight = buffer(format.hopSize)
        historyLeft = buffer(format.windowSize); historyRight = buffer(format.windowSize)
        windowed = buffer(format.windowSize)
        leftRe = buffer(format.binCount); leftIm = buffer(format.binCount)
        rightRe = buffer(format.binCount); rightIm = buffer(format.binCount)
        monoMagnitude = buffer(format.binCount)
    }

    deinit {
        for b in [hopInterleaved, newLeft, newRight, historyLeft, historyRight, windowed,
                  leftRe, leftIm, rightRe, rightIm, monoMagnitude] { b.deallocate() }
    }

    /// Processes every whole hop waiting in the ring, at most `limit` (live analysis bounds each
    /// turn so a source faster than real time cannot starve publishing). Returns how many it processed.
    @discardableResult
    public func processAvailableHops(limit: Int = .max) -> Int {
        var count = 0
        while count < limit, ring.availableFrames >= format.hopSize,
              ring.read(into: hopInterleaved.baseAddress!, frameCount: format.hopSize) {
            runHop(validFrames: format.hopSize)
            count += 1
        }
        return count
    }

    /// End of stream: the frames left in the ring (fewer than a hop) go out as one zero-padded hop.
    /// Feeds interleaved stereo samples already in memory through the ring, a block at a time, and processes
    /// every hop they make (offline: in-memory analyses and the tests that count what extractors keep).
    public func process(interleaved: [Float]) {
        let frames = interleaved.count / 2
        interleaved.withUnsafeBufferPointer { samples in
            var frame = 0
            while frame < frames {
                let n = min(4096, frames - frame)
                ring.write(samples.baseAddress! + 2 * frame, frameCount: n)
                processAvailableHops()
                frame += n
            }
        }
    }

    public func finish() {
        processAvailableHops()
        let remaining = ring.availableFrames
        guard remaining > 0 else { return }
        hopInterleaved.update(repeating: 0)
        _ = ring.read(into: hopInterleaved.baseAddress!, frameCount: remaining)
        runHop(validFrames: remaining)
    }

    /// Back to the start (a seek or a new source): clears history and every extractor.
    public func reset() {
        ring.discardAll()
        historyLeft.update(repeating: 0); historyRight.update(repeating: 0)
        hopsProcessed = 0
        framesProcessed = 0
        for extractor in extractors { extractor.reset() }
    }

    /// Asks every extractor for its section, in order.
    public func summarize(into analysis: inout TrackAnalysis) {
        let context = SummaryContext(format: format, durationS: Double(framesProcessed) / format.sampleRate)
        for extractor in extractors { extractor.summarize(into: &analysis, context: context) }
    }

    private func runHop(validFrames: Int) {
        let hop = format.hopSize, size = format.windowSize
        for i in 0..<hop {
            newLeft[i] = hopInterleaved[2 * i]
            newRight[i] = hopInterleaved[2 * i + 1]
        }
        slide(historyLeft, appending: newLeft)
        slide(historyRight, appending: newRight)

        for i in 0..<size { windowed[i] = historyLeft[i] * window[i] }
        fft.forward(UnsafeBufferPointer(windowed), re: leftRe, im: leftIm)
        for i in 0..<size { windowed[i] = historyRight[i] * window[i] }
        fft.forward(UnsafeBufferPointer(windowed), re: rightRe, im: rightIm)
        let scale = magnitudeScale * 0.5
        for k in 0..<format.binCount {
            let re = leftRe[k] + rightRe[k], im = leftIm[k] + rightIm[k]
            monoMagnitude[k] = (re * re + im * im).squareRoot() * scale
        }

        let current = Hop(
            index: hopsProcessed, startFrame: framesProcessed, validFrames: validFrames, format: format,
            left: UnsafeBufferPointer(newLeft), right: UnsafeBufferPointer(newRight),
            windowLeft: UnsafeBufferPointer(historyLeft), windowRight: UnsafeBufferPointer(historyRight),
            leftRe: UnsafeBufferPointer(leftRe), leftIm: UnsafeBufferPointer(leftIm),
            rightRe: UnsafeBufferPointer(rightRe), rightIm: UnsafeBufferPointer(rightIm),
            monoMagnitude: UnsafeBufferPointer(monoMagnitude))
        for extractor in extractors { extractor.process(current) }
        hopsProcessed += 1
        framesProcessed += validFrames
    }

    private func slide(_ history: UnsafeMutableBufferPointer<Float>, appending new: UnsafeMutableBufferPointer<Float>) {
        let keep = history.count - new.count
        let base = history.baseAddress!
        base.update(from: base + new.count, count: keep)
        (base + keep).update(from: new.baseAddress!, count: new.count)
    }
}
