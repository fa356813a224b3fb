import Foundation
import UpliftDSP
import UpliftModel

/// How much a track sounds like a TB-303 acid line, from four measurements of the sustained
/// (non-drum) content of the 200 Hz–5 kHz band, combined 30/25/25/20 as the research synthesis says.
///
/// "Sustained" is the per-bin minimum over the last three hops (35 ms): kick, clap and hat
/// transients shorter than that vanish, notes (a 16th at 138 BPM is 109 ms) stay.
/// - **Sweep**: standard deviation of the band's log-frequency centroid (in octaves) inside 2-second
///   blocks, upper quartile over the track. An acid filter moves every note; a pad sits still.
/// - **Resonance**: how far the strongest harmonic peaks rise above the harmonics on both sides
///   of them (±½ octave), in dB, upper quartile of the 2-second block means. A resonant filter
///   lifts the harmonic at its cutoff above its neighbours; an open or plain low-passed saw slopes.
/// - **Glide**: the share of pitch changes between stable notes that pass through intermediate
///   pitches (≥ 2 hops strictly between the two notes, in order) instead of jumping.
/// - **Accent**: correlation, across notes, of each note's peak level with its peak brightness
///   after removing the slow trend (±4 notes), so a slow filter sweep does not count as accents.
public final class AcidAnalyzer: HopExtractor {
    public static let weights = (sweep: 0.30, resonance: 0.25, glide: 0.25, accent: 0.20)
    public static let bandHz: ClosedRange<Double> = 200...5000
    /// Anchors of the 0…1 curves (linear between, clamped): measured on the synthesizer's acid
    /// line against pads, bass and drums alone.
    public static let sweepOctaves: ClosedRange<Double> = 0.06...0.30
    public static let resonanceDB: ClosedRange<Double> = 2...8
    public static let glideRatio: ClosedRange<Double> = 0.0...0.25
    public static let accentCorrelation: ClosedRange<Double> = 0.1...0.6

    /// Measurements behind the last summary, for tests and the text report.
    public private(set) var sweepOctavesMeasured = 0.0
    public private(set) var resonanceDBMeasured = 0.0
    public private(set) var transitions = 0
    public private(set) var glides = 0
    public private(set) var notes = 0
    public private(set) var accentCorrelationMeasured = 0.0

    private let binHz: Double
    private let lowBin: Int, highBin: Int
    private let bandCount: Int
    private let previous1, previous2, sustained: UnsafeMutableBufferPointer<Float>
    private let logFrequency: UnsafeMutableBufferPointer<Double>

    // Pitch: cosine transform of the compressed magnitude spectrum (a generalized autocorrelation).
    private let fft: RealFFT
    private let even: UnsafeMutableBufferPointer<Float>
    private let lagRe, lagIm: UnsafeMutableBufferPointer<Float>
    private let pitchLowBin: Int, pitchHighBin: Int
    private let minLag: Int, maxLag: Int
    private let sampleRate: Double

    // Resonance peaks of the current hop.
    private let peakBin: UnsafeMutableBufferPointer<Int>
    private let peakLevelDB: UnsafeMutableBufferPointer<Double>

    // 2-second blocks.
    private let blockHops: Int
    private let blockSweep, blockResonance: UnsafeMutableBufferPointer<Double>
    private let blockCapacity: Int
    private var blockCount = 0
    private var blockHop = 0, blockActive = 0
    private var blockSum = 0.0, blockSumSquares = 0.0, blockResonanceSum = 0.0, blockResonanceHops = 0

    // Notes for the accent correlation.
    private let noteLevel, noteBrightness: UnsafeMutableBufferPointer<Double>
    private let noteCapacity: Int
    private var noteCount = 0
    private var levelHistory = (0.0, 0.0, 0.0)
    private var hopsSinceOnset = Int.max
    private var noteOpen = false
    private var notePeakLevel = -200.0, notePeakBrightness = 0.0

    // Glide state.
    private var recentPitch = (Double.nan, Double.nan, Double.nan)
    private var anchorCents = Double.nan
    private var inTransition = false
    private let transitionPitch: UnsafeMutableBufferPointer<Double>
    private var transitionLength = 0
    private var unvoicedRun = 0

    public init(format: STFTFormat, expectedFrames: Int?) throws(DSPError) {
        binHz = format.binHz
        sampleRate = format.sampleRate
        lowBin = Int((Self.bandHz.lowerBound / format.binHz).rounded(.up))
        highBin = min(format.binCount - 2, Int((Self.bandHz.upperBound / format.binHz).rounded(.down)))
        bandCount = highBin - lowBin + 1
        func buffer<T>(_ n: Int, _ zero: T) -> UnsafeMutableBufferPointer<T> {
            let b = UnsafeMutableBufferPointer<T>.allocate(capacity: n)
            b.initialize(repeating: zero)
            return b
        }
        previous1 = buffer(bandCount, 0); previous2 = buffer(bandCount, 0); sustained = buffer(bandCount, 0)
        logFrequency = buffer(bandCount, 0)
        for i in 0..<bandCount { logFrequency[i] = log2(Double(lowBin + i) * format.binHz) }
        fft = try RealFFT(size: format.windowSize)
        even = buffer(format.windowSize, 0)
        lagRe = buffer(format.binCount, 0); lagIm = buffer(format.binCount, 0)
        pitchLowBin = Int((120 / format.binHz).rounded(.up))
        pitchHighBin = min(format.binCount - 1, Int((2500 / format.binHz).rounded(.down)))
        minLag = max(2, Int(format.sampleRate / 1000))
        maxLag = min(format.windowSize / 2 - 2, Int(format.sampleRate / 40))
        peakBin = buffer(bandCount, 0); peakLevelDB = buffer(bandCount, 0)
        let hopsPerBlock = max(1, Int((2.0 / format.hopSeconds).rounded()))
        blockHops = hopsPerBlock
        let hops = expectedFrames.map { $0 / format.hopSize + 2 }
        blockCapacity = hops.map { $0 / hopsPerBlock + 2 } ?? 4096
        blockSweep = buffer(blockCapacity, 0); blockResonance = buffer(blockCapacity, 0)
        noteCapacity = hops.map { $0 / 4 + 16 } ?? 65_536
        noteLevel = buffer(noteCapacity, 0); noteBrightness = buffer(noteCapacity, 0)
        transitionPitch = buffer(64, 0)
    }

    deinit {
        for b in [previous1, previous2, sustained, even, lagRe, lagIm] { b.deallocate() }
        logFrequency.deallocate(); peakBin.deallocate(); peakLevelDB.deallocate()
        blockSweep.deallocate(); blockResonance.deallocate(); noteLevel.deallocate(); noteBrightness.deallocate()
        transitionPitch.deallocate()
    }

    public func reset() {
        previous1.update(repeating: 0); previous2.update(repeating: 0)
        blockCount = 0; blockHop = 0; blockActive = 0
        blockSum = 0; blockSumSquares = 0; blockResonanceSum = 0; blockResonanceHops = 0
        noteCount = 0; levelHistory = (0, 0, 0); hopsSinceOnset = .max; noteOpen = false
        recentPitch = (.nan, .nan, .nan); anchorCents = .nan; inTransition = false
        transitionLength = 0; unvoicedRun = 0
        transitions = 0; glides = 0; notes = 0
    }

    public func process(_ hop: borrowing Hop) {
        let magnitude = hop.monoMagnitude
        var power = 0.0, weightedLog = 0.0
        for i in 0..<bandCount {
            let m = magnitude[lowBin + i]
            let s = min(m, previous1[i], previous2[i])
            previous2[i] = previous1[i]; previous1[i] = m
            sustained[i] = s
            let p = Double(s * s)
            power += p
            weightedLog += p * logFrequency[i]
        }
        let levelDB = 10 * log10(power / Double(bandCount) + 1e-20)
        let active = levelDB > -90
        let logCentroid = power > 0 ? weightedLog / power : 0

        // Sweep and resonance, per 2-second block.
        if active {
            blockActive += 1
            blockSum += logCentroid; blockSumSquares += logCentroid * logCentroid
            if let excess = resonanceExcessDB() { blockResonanceSum += excess; blockResonanceHops += 1 }
        }
        blockHop += 1
        if blockHop == blockHops { closeBlock() }

        trackNotes(levelDB: levelDB, active: active, logCentroid: logCentroid)
        trackPitch(active ? estimatePitchCents(magnitude) : nil)
    }

    private func closeBlock() {
        if blockActive * 2 >= blockHops {
            let n = Double(blockActive)
            let mean = blockSum / n
            let variance = max(0, blockSumSquares / n - mean * mean)
            let slot = blockCount % blockCapacity
            blockSweep[slot] = variance.squareRoot()
            blockResonance[slot] = blockResonanceHops > 0 ? blockResonanceSum / Double(blockResonanceHops) : 0
            blockCount += 1
        }
        blockHop = 0; blockActive = 0
        blockSum = 0; blockSumSquares = 0; blockResonanceSum = 0; blockResonanceHops = 0
    }

    /// The largest rise (dB) of a strong harmonic peak above the mean level of the peaks on each
    /// side within half an octave (the lower of the two sides' excesses), nil without such a peak.
    private func resonanceExcessDB() -> Double? {
        var count = 0
        var strongest = -300.0
        for i in 2..<(bandCount - 2) {
            let s = sustained[i]
            if s > sustained[i - 1], s >= sustained[i + 1], s > sustained[i - 2], s >= sustained[i + 2] {
                let level = 20 * log10(Double(s) + 1e-12)
                peakBin[count] = lowBin + i; peakLevelDB[count] = level
                count += 1
                strongest = max(strongest, level)
            }
        }
        guard count >= 5 else { return nil }
        var best: Double?
        for p in 0..<count where peakLevelDB[p] >= strongest - 12 {
            let bin = Double(peakBin[p])
            var below = 0.0, belowCount = 0, above = 0.0, aboveCount = 0
            var q = p - 1
            while q >= 0, Double(peakBin[q]) >= bin * 0.7071 { below += peakLevelDB[q]; belowCount += 1; q -= 1 }
            q = p + 1
            while q < count, Double(peakBin[q]) <= bin * 1.4142 { above += peakLevelDB[q]; aboveCount += 1; q += 1 }
            guard belowCount > 0, aboveCount > 0 else { continue }
            let excess = peakLevelDB[p] - max(below / Double(belowCount), above / Double(aboveCount))
            if best == nil || excess > best! { best = excess }
        }
        return best
    }

    /// Note onsets (band level up ≥ 4 dB over 3 hops, 4-hop refractory); each note keeps its
    /// peak level and peak brightness over its first 5 hops.
    private func trackNotes(levelDB: Double, active: Bool, logCentroid: Double) {
        let rise = levelDB - levelHistory.2
        levelHistory = (levelDB, levelHistory.0, levelHistory.1)
        if hopsSinceOnset != .max { hopsSinceOnset += 1 }
        if noteOpen {
            notePeakLevel = max(notePeakLevel, levelDB)
            if active { notePeakBrightness = max(notePeakBrightness, logCentroid) }
            if hopsSinceOnset >= 4 {
                let slot = noteCount % noteCapacity
                noteLevel[slot] = notePeakLevel; noteBrightness[slot] = notePeakBrightness
                noteCount += 1
                noteOpen = false
            }
        }
        if active, rise >= 4, !noteOpen, hopsSinceOnset >= 4 {
            noteOpen = true
            hopsSinceOnset = 0
            notePeakLevel = levelDB; notePeakBrightness = logCentroid
        }
    }

    /// Pitch in cents from A4 of the dominant periodic sound, nil when nothing is clearly periodic.
    private func estimatePitchCents(_ magnitude: UnsafeBufferPointer<Float>) -> Double? {
        let n = even.count
        even.update(repeating: 0)
        for k in pitchLowBin...pitchHighBin {
            let c = powf(magnitude[k], 0.67)
            even[k] = c
            if k > 0, k < n / 2 { even[n - k] = c }
        }
        fft.forward(UnsafeBufferPointer(even), re: lagRe, im: lagIm)
        let zero = lagRe[0]
        guard zero > 0 else { return nil }
        var maxValue: Float = 0
        for lag in minLag...maxLag where lagRe[lag] > maxValue { maxValue = lagRe[lag] }
        guard maxValue / zero >= 0.4 else { return nil }
        // The shortest lag whose local maximum reaches 85 % of the best: avoids the octave below.
        for lag in (minLag + 1)..<maxLag {
            let v = lagRe[lag]
            guard v >= 0.85 * maxValue, v >= lagRe[lag - 1], v >= lagRe[lag + 1] else { continue }
            let a = Double(lagRe[lag - 1]), b = Double(v), c = Double(lagRe[lag + 1])
            let denom = a - 2 * b + c
            let delta = denom < 0 ? max(-0.5, min(0.5, 0.5 * (a - c) / denom)) : 0
            let frequencyHz = sampleRate / (Double(lag) + delta)
            return 1200 * log2(frequencyHz / 440)
        }
        return nil
    }

    /// A note is stable when three voiced hops agree within 25 cents. Between two stable notes
    /// at least 80 cents apart lies a transition; it is a glide when ≥ 2 of its hops sit strictly
    /// between the two pitches (25-cent margins) in the direction of travel.
    private func trackPitch(_ cents: Double?) {
        guard let cents else {
            recentPitch = (.nan, .nan, .nan)
            unvoicedRun += 1
            if unvoicedRun > 6 { inTransition = false; transitionLength = 0 }
            return
        }
        unvoicedRun = 0
        recentPitch = (cents, recentPitch.0, recentPitch.1)
        let (a, b, c) = recentPitch
        let stable = !b.isNaN && !c.isNaN && max(a, b, c) - min(a, b, c) <= 25
        if stable {
            let notePitch = (a + b + c) / 3
            if anchorCents.isNaN {
                anchorCents = notePitch
            } else if abs(notePitch - anchorCents) >= 80 {
                transitions += 1
                let low = min(anchorCents, notePitch) + 25, high = max(anchorCents, notePitch) - 25
                var between = 0
                var last = anchorCents
                let rising = notePitch > anchorCents
                // The last two hops of the transition buffer are the new note's own first hops.
                for i in 0..<max(0, transitionLength - 2) {
                    let p = transitionPitch[i]
                    if p > low, p < high, rising ? p >= last : p <= last { between += 1; last = p }
                }
                if between >= 2 { glides += 1 }
                anchorCents = notePitch
            } else if abs(notePitch - anchorCents) <= 25 {
                anchorCents = notePitch
            }
            inTransition = false
            transitionLength = 0
        } else if !anchorCents.isNaN {
            if !inTransition { inTransition = true; transitionLength = 0 }
            if transitionLength < transitionPitch.count { transitionPitch[transitionLength] = cents; transitionLength += 1 }
        }
    }

    public func summarize(into analysis: inout TrackAnalysis, context: SummaryContext) {
        if noteOpen {
            let slot = noteCount % noteCapacity
            noteLevel[slot] = notePeakLevel; noteBrightness[slot] = notePeakBrightness
            noteCount += 1; noteOpen = false
        }
        let blocks = min(blockCount, blockCapacity)
        guard blocks > 0 else { return }
        sweepOctavesMeasured = Self.upperQuartile((0..<blocks).map { blockSweep[$0] })
        resonanceDBMeasured = Self.upperQuartile((0..<blocks).map { blockResonance[$0] })
        notes = min(noteCount, noteCapacity)
        accentCorrelationMeasured = Self.detrendedCorrelation(
            (0..<notes).map { noteLevel[$0] }, (0..<notes).map { noteBrightness[$0] })
        let sweep = Self.ramp(sweepOctavesMeasured, Self.sweepOctaves)
        let resonance = Self.ramp(resonanceDBMeasured, Self.resonanceDB)
        // Too few pitch changes to tell slides from jumps: no glide evidence.
        let glide = transitions >= 6 ? Self.ramp(Double(glides) / Double(transitions), Self.glideRatio) : 0
        let accent = notes >= 16 ? Self.ramp(accentCorrelationMeasured, Self.accentCorrelation) : 0
        let w = Self.weights
        let score = w.sweep * sweep + w.resonance * resonance + w.glide * glide + w.accent * accent
        analysis.acid = TrackAnalysis.Acid(score: score, sweep: sweep, resonance: resonance, glide: glide, accent: accent)
    }

    /// Share of pitch changes that glide, nil when none were seen.
    public var glideRatioMeasured: Double? { transitions > 0 ? Double(glides) / Double(transitions) : nil }

    static func ramp(_ x: Double, _ range: ClosedRange<Double>) -> Double {
        guard x.isFinite else { return 0 }
        return max(0, min(1, (x - range.lowerBound) / (range.upperBound - range.lowerBound)))
    }

    static func upperQuartile(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * 0.75 + 0.5))]
    }

    /// Pearson correlation of x and y after subtracting from each value the mean of its ±4 neighbours.
    static func detrendedCorrelation(_ x: [Double], _ y: [Double]) -> Double {
        let n = x.count
        guard n >= 9 else { return 0 }
        func residuals(_ v: [Double]) -> [Double] {
            (0..<n).map { i in
                let lo = max(0, i - 4), hi = min(n - 1, i + 4)
                var sum = 0.0
                for j in lo...hi where j != i { sum += v[j] }
                return v[i] - sum / Double(hi - lo)
            }
        }
        let rx = residuals(x), ry = residuals(y)
        let mx = rx.reduce(0, +) / Double(n), my = ry.reduce(0, +) / Double(n)
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for i in 0..<n { sxy += (rx[i] - mx) * (ry[i] - my); sxx += (rx[i] - mx) * (rx[i] - mx); syy += (ry[i] - my) * (ry[i] - my) }
        return sxx > 0 && syy > 0 ? sxy / (sxx * syy).squareRoot() : 0
    }
}
