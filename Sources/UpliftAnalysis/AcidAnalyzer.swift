import Foundation
import UpliftDSP
import UpliftModel

/// How much a track sounds like a TB-303 acid line, combined 30/25/25/20 (sweep, resonance,
/// glide, accent) as the research synthesis says.
///
/// Everything is read on the **pitched line** that a per-hop pitch tracker follows (a generalized
/// autocorrelation: cosine transform of the 0.67-compressed magnitude, 120 Hz–2.5 kHz, voiced when
/// its peak reaches 0.3 of lag 0), on the "sustained" band spectrum (per-bin minimum over the last
/// three hops, 35 ms: kick, clap and hat transients vanish, a 16th note at 138 BPM stays).
/// - **Sweep**: the line's harmonics (sampled at multiples of its pitch, 200 Hz–5 kHz) give a
///   log-frequency centroid: where its filter is. Standard deviation in octaves inside 2-second
///   blocks (blocks with a line in ≥ a quarter of the hops), upper quartile over the track.
/// - **Resonance**: the largest rise (dB) of a strong harmonic over the three harmonics on each
///   side (the higher side counts): a resonant peak riding the cutoff. Upper quartile of block means.
/// - **Glide**: the share of pitch changes (≥ 80 cents) that pass through the pitches between
///   (≥ 3 successive moves one way) instead of jumping.
/// - **Accent**: correlation, across notes, of each note's peak level with its peak brightness
///   after removing the slow trend (±4 notes), so a slow filter sweep does not count as accents.
///
/// Limit: in a dense mix (sustained pads over the line) the tracker finds no single pitch and the
/// score falls to 0 (a miss, never a false acid). Over a beat, or alone, the line is followed.
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

    // Pitch: cosine transform of the compressed magnitude spectrum (a generalized autocorrelation).
    private let fft: RealFFT
    private let even: UnsafeMutableBufferPointer<Float>
    private let lagRe, lagIm: UnsafeMutableBufferPointer<Float>
    private let pitchLowBin: Int, pitchHighBin: Int
    private let minLag: Int, maxLag: Int
    private let sampleRate: Double

    // Harmonic levels of the pitched line in the current hop.
    private let harmonicCapacity = 64
    private let harmonicLevelDB: UnsafeMutableBufferPointer<Double>

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
    private var lastVoicedCents = Double.nan
    private var gapHops = 0
    private var runDirection = 0, runMoves = 0, runTotalCents = 0.0
    static let voicingThreshold: Float = 0.3

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
        fft = try RealFFT(size: format.windowSize)
        even = buffer(format.windowSize, 0)
        lagRe = buffer(format.binCount, 0); lagIm = buffer(format.binCount, 0)
        pitchLowBin = Int((120 / format.binHz).rounded(.up))
        pitchHighBin = min(format.binCount - 1, Int((2500 / format.binHz).rounded(.down)))
        minLag = max(2, Int(format.sampleRate / 1000))
        maxLag = min(format.windowSize / 2 - 2, Int(format.sampleRate / 40))
        harmonicLevelDB = buffer(64, 0)
        let hopsPerBlock = max(1, Int((2.0 / format.hopSeconds).rounded()))
        blockHops = hopsPerBlock
        let hops = expectedFrames.map { $0 / format.hopSize + 2 }
        blockCapacity = hops.map { $0 / hopsPerBlock + 2 } ?? 4096
        blockSweep = buffer(blockCapacity, 0); blockResonance = buffer(blockCapacity, 0)
        noteCapacity = hops.map { $0 / 4 + 16 } ?? 65_536
        noteLevel = buffer(noteCapacity, 0); noteBrightness = buffer(noteCapacity, 0)
    }

    deinit {
        for b in [previous1, previous2, sustained, even, lagRe, lagIm] { b.deallocate() }
        harmonicLevelDB.deallocate()
        blockSweep.deallocate(); blockResonance.deallocate(); noteLevel.deallocate(); noteBrightness.deallocate()
    }

    public func reset() {
        previous1.update(repeating: 0); previous2.update(repeating: 0)
        blockCount = 0; blockHop = 0; blockActive = 0
        blockSum = 0; blockSumSquares = 0; blockResonanceSum = 0; blockResonanceHops = 0
        noteCount = 0; levelHistory = (0, 0, 0); hopsSinceOnset = .max; noteOpen = false
        lastVoicedCents = .nan; gapHops = 0; runDirection = 0; runMoves = 0; runTotalCents = 0
        transitions = 0; glides = 0; notes = 0
    }

    public func process(_ hop: borrowing Hop) {
        let magnitude = hop.monoMagnitude
        var power = 0.0
        for i in 0..<bandCount {
            let m = magnitude[lowBin + i]
            let s = min(m, previous1[i], previous2[i])
            previous2[i] = previous1[i]; previous1[i] = m
            sustained[i] = s
            power += Double(s * s)
        }
        let levelDB = 10 * log10(power / Double(bandCount) + 1e-20)
        let active = levelDB > -90
        let pitch = active ? estimatePitchCents(magnitude) : nil

        // Sweep and resonance are read on the pitched line's own harmonics, so pads, drums and
        // the sidechain's changing mix proportions do not move them.
        var lineCentroid: Double?
        if let pitch, let harmonics = sampleHarmonics(frequencyHz: 440 * pow(2, pitch / 1200)) {
            lineCentroid = harmonics.logCentroid
            blockActive += 1
            blockSum += harmonics.logCentroid; blockSumSquares += harmonics.logCentroid * harmonics.logCentroid
            if let excess = harmonics.resonanceDB { blockResonanceSum += excess; blockResonanceHops += 1 }
        }
        blockHop += 1
        if blockHop == blockHops { closeBlock() }

        trackNotes(levelDB: levelDB, active: active, lineCentroid: lineCentroid)
        trackPitch(pitch)
    }

    private func closeBlock() {
        // A block speaks only if a pitched line sounded for a quarter of it.
        if blockActive * 4 >= blockHops {
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

    /// Reads the sustained magnitude at each harmonic of `frequencyHz` inside the band: their
    /// power-weighted log-frequency centroid (where the filter is) and the largest rise (dB) of a
    /// strong harmonic over the mean of the three harmonics on each side (the higher side counts),
    /// which is what a resonant peak riding the cutoff looks like; a plain low-passed saw slopes.
    private func sampleHarmonics(frequencyHz: Double) -> (logCentroid: Double, resonanceDB: Double?)? {
        let first = max(1, Int((Self.bandHz.lowerBound / frequencyHz).rounded(.up)))
        let last = min(first + harmonicCapacity - 1, Int((Self.bandHz.upperBound / frequencyHz).rounded(.down)))
        guard last - first >= 3 else { return nil }
        var count = 0, power = 0.0, weightedLog = 0.0, strongest = -300.0
        for h in first...last {
            let centre = Int((Double(h) * frequencyHz / binHz).rounded()) - lowBin
            guard centre >= 1, centre < bandCount - 1 else { continue }
            let a = Double(max(sustained[centre - 1], sustained[centre], sustained[centre + 1]))
            harmonicLevelDB[count] = 20 * log10(a + 1e-12)
            strongest = max(strongest, harmonicLevelDB[count])
            power += a * a
            weightedLog += a * a * log2(Double(h) * frequencyHz)
            count += 1
        }
        guard count >= 4, power > 0 else { return nil }
        var best: Double?
        if count >= 7 {
            for i in 3..<(count - 3) where harmonicLevelDB[i] >= strongest - 15 {
                let below = (harmonicLevelDB[i - 1] + harmonicLevelDB[i - 2] + harmonicLevelDB[i - 3]) / 3
                let above = (harmonicLevelDB[i + 1] + harmonicLevelDB[i + 2] + harmonicLevelDB[i + 3]) / 3
                let excess = harmonicLevelDB[i] - max(below, above)
                if best == nil || excess > best! { best = excess }
            }
        }
        return (weightedLog / power, best)
    }

    /// Note onsets (band level up ≥ 4 dB over 3 hops, 4-hop refractory); each note keeps its
    /// peak level and the peak brightness of the pitched line over its first 5 hops.
    private func trackNotes(levelDB: Double, active: Bool, lineCentroid: Double?) {
        let rise = levelDB - levelHistory.2
        levelHistory = (levelDB, levelHistory.0, levelHistory.1)
        if hopsSinceOnset != .max { hopsSinceOnset += 1 }
        if noteOpen {
            notePeakLevel = max(notePeakLevel, levelDB)
            if let lineCentroid { notePeakBrightness = max(notePeakBrightness, lineCentroid) }
            if hopsSinceOnset >= 4 {
                if notePeakBrightness > 0 {
                    let slot = noteCount % noteCapacity
                    noteLevel[slot] = notePeakLevel; noteBrightness[slot] = notePeakBrightness
                    noteCount += 1
                }
                noteOpen = false
            }
        }
        if active, rise >= 4, !noteOpen, hopsSinceOnset >= 4 {
            noteOpen = true
            hopsSinceOnset = 0
            notePeakLevel = levelDB; notePeakBrightness = lineCentroid ?? 0
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
        guard maxValue / zero >= Self.voicingThreshold else { return nil }
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

    /// Pitch changes between voiced hops. A run of ≥ 3 consecutive hop-to-hop moves of ≥ 8 cents
    /// in one direction, ≥ 80 cents in all, is a glide; any other change of ≥ 80 cents (in one or
    /// two hops, or across a short silence) is a jump. A 46 ms window smears a jump over at most
    /// two moves; a slide shows the pitch passing through the notes between.
    private func trackPitch(_ cents: Double?) {
        guard let cents else {
            gapHops += 1
            return
        }
        defer { lastVoicedCents = cents; gapHops = 0 }
        guard !lastVoicedCents.isNaN, gapHops <= 20 else { closeRun(); return }
        let move = cents - lastVoicedCents
        if gapHops > 0 {
            closeRun()
            if abs(move) >= 80 { transitions += 1 }
            return
        }
        if abs(move) >= 8 {
            let direction = move > 0 ? 1 : -1
            if direction != runDirection { closeRun(); runDirection = direction }
            runMoves += 1
            runTotalCents += abs(move)
        } else {
            closeRun()
        }
    }

    private func closeRun() {
        if runTotalCents >= 80 {
            transitions += 1
            if runMoves >= 3 { glides += 1 }
        }
        runDirection = 0; runMoves = 0; runTotalCents = 0
    }

    public func summarize(into analysis: inout TrackAnalysis, context: SummaryContext) {
        closeRun()
        if noteOpen && notePeakBrightness > 0 {
            let slot = noteCount % noteCapacity
            noteLevel[slot] = notePeakLevel; noteBrightness[slot] = notePeakBrightness
            noteCount += 1; noteOpen = false
        }
        let blocks = min(blockCount, blockCapacity)
        guard context.durationS > 0 else { return }
        // No block with a pitched line: nothing acid-like could be heard, every part is 0.
        sweepOctavesMeasured = blocks > 0 ? Self.upperQuartile((0..<blocks).map { blockSweep[$0] }) : 0
        resonanceDBMeasured = blocks > 0 ? Self.upperQuartile((0..<blocks).map { blockResonance[$0] }) : 0
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
