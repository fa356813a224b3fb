import Foundation
import UpliftDSP

/// A long-window (8 × the STFT window, ~370 ms at any rate) mono power spectrum, recomputed once
/// per window length (no overlap: these features are track statistics, and the long FFT is the
/// costliest thing they do), for features that need fine frequency resolution (key, detune): 2.7 Hz bins at
/// 44.1 kHz instead of the engine's 21.5 Hz.
///
/// Several extractors may share one instance: `update(_:)` is idempotent per hop index, so the
/// first caller of a hop feeds it and computes, the others read the same frame. Nothing in
/// `update` allocates.
public final class LongWindowSpectrum {
    public let size: Int
    public let binCount: Int
    public let binHz: Double
    public let sampleRate: Double
    /// A new frame every this many hops (one window length).
    public let updateEveryHops: Int

    /// |X|² of the latest frame, scaled so a full-scale sine peaks near 1.0.
    public let power: UnsafeMutableBufferPointer<Float>
    /// Local maxima of `power` (see `findPeaks`), valid after an update returned true.
    public let peakBins: UnsafeMutableBufferPointer<Int>
    public let peakFrequencyHz: UnsafeMutableBufferPointer<Double>
    public let peakPower: UnsafeMutableBufferPointer<Float>
    public private(set) var peakCount = 0
    /// Frames computed since the last reset.
    public private(set) var frameCount = 0

    private let fft: RealFFT
    private let window: [Float]
    private let powerScale: Float
    private let history: UnsafeMutableBufferPointer<Float>   // circular, mono
    private let linear: UnsafeMutableBufferPointer<Float>
    private let re, im: UnsafeMutableBufferPointer<Float>
    private var writeIndex = 0
    private var samplesSeen = 0
    private var lastHopIndex = -1
    private var lastResult = false
    private let maxPeaks = 2048
    private let peakMinBin: Int
    private let peakMaxBin: Int

    /// Peaks are searched between `minPeakHz` and `maxPeakHz`.
    public init(format: STFTFormat, minPeakHz: Double = 50, maxPeakHz: Double = 6000) throws(DSPError) {
        size = format.windowSize * 8
        binCount = size / 2 + 1
        sampleRate = format.sampleRate
        binHz = format.sampleRate / Double(size)
        updateEveryHops = max(1, size / format.hopSize)
        guard size % format.hopSize == 0 else {
            throw DSPError(message: "hop size (\(format.hopSize)) must divide the long window (\(size)); use a power-of-two hop")
        }
        fft = try RealFFT(size: size)
        window = Window.hann.coefficients(size: size)
        let gain = Float(Window.hann.coherentGain(size: size) / 2)
        powerScale = 1 / (gain * gain)
        func buffer<T>(_ n: Int, _ zero: T) -> UnsafeMutableBufferPointer<T> {
            let b = UnsafeMutableBufferPointer<T>.allocate(capacity: n)
            b.initialize(repeating: zero)
            return b
        }
        power = buffer(binCount, 0)
        history = buffer(size, 0)
        linear = buffer(size, 0)
        re = buffer(binCount, 0)
        im = buffer(binCount, 0)
        peakBins = buffer(maxPeaks, 0)
        peakFrequencyHz = buffer(maxPeaks, 0)
        peakPower = buffer(maxPeaks, 0)
        peakMinBin = max(3, Int((minPeakHz / binHz).rounded(.down)))
        peakMaxBin = min(binCount - 4, Int((maxPeakHz / binHz).rounded(.up)))
    }

    deinit {
        power.deallocate(); history.deallocate(); linear.deallocate(); re.deallocate(); im.deallocate()
        peakBins.deallocate(); peakFrequencyHz.deallocate(); peakPower.deallocate()
    }

    public func reset() {
        history.update(repeating: 0)
        power.update(repeating: 0)
        writeIndex = 0; samplesSeen = 0; lastHopIndex = -1; lastResult = false
        peakCount = 0; frameCount = 0
    }

    /// Feeds the hop's new samples (once per hop index) and returns true when a new frame is ready.
    @discardableResult
    public func update(_ hop: borrowing Hop) -> Bool {
        if hop.index == lastHopIndex { return lastResult }
        lastHopIndex = hop.index
        let n = hop.left.count
        // hopSize divides size (both powers of two times the same factor), so a hop never wraps.
        let left = hop.left.baseAddress!, right = hop.right.baseAddress!, target = history.baseAddress! + writeIndex
        for i in 0..<n { target[i] = 0.5 * (left[i] + right[i]) }
        writeIndex += n
        if writeIndex >= size { writeIndex = 0 }
        samplesSeen += hop.validFrames
        // A frame once the window holds at least half real audio, then every half window.
        guard samplesSeen >= size / 2, (hop.index + 1) % updateEveryHops == 0 else {
            lastResult = false
            return false
        }
        let tail = size - writeIndex
        for i in 0..<tail { linear[i] = history[writeIndex + i] * window[i] }
        for i in 0..<writeIndex { linear[tail + i] = history[i] * window[tail + i] }
        fft.forward(UnsafeBufferPointer(linear), re: re, im: im)
        for k in 0..<binCount { power[k] = (re[k] * re[k] + im[k] * im[k]) * powerScale }
        findPeaks()
        frameCount += 1
        lastResult = true
        return true
    }

    /// Local maxima over ±2 bins, at most 50 dB under the frame's strongest, frequency refined by
    /// a parabola through the log powers (Hann main lobes are close to Gaussian, so this is exact to
    /// a few hundredths of a bin).
    private func findPeaks() {
        var strongest: Float = 0
        for k in peakMinBin...peakMaxBin where power[k] > strongest { strongest = power[k] }
        peakCount = 0
        guard strongest > 1e-12 else { return }
        let floor = strongest * 1e-5
        var k = peakMinBin
        while k <= peakMaxBin, peakCount < maxPeaks {
            let p = power[k]
            if p > floor, p > power[k - 1], p >= power[k + 1], p > power[k - 2], p >= power[k + 2] {
                let a = log(Double(max(power[k - 1], 1e-30))), b = log(Double(p)), c = log(Double(max(power[k + 1], 1e-30)))
                let denom = a - 2 * b + c
                let delta = denom < 0 ? max(-0.5, min(0.5, 0.5 * (a - c) / denom)) : 0
                peakBins[peakCount] = k
                peakFrequencyHz[peakCount] = (Double(k) + delta) * binHz
                peakPower[peakCount] = p
                peakCount += 1
                k += 2
            } else {
                k += 1
            }
        }
    }
}
