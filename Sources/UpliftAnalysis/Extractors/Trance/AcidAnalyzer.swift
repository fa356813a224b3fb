import Foundation
import UpliftDSP
import UpliftModel

/// How much a track sounds like a TB-303 acid line, combined 30/25/25/20 (sweep, resonance,
/// glide, accent) as the research synthesis says, and counted only where a 303-like line plays.
///
/// **Finding the line in a mix.** Per hop, the band spectrum (120 Hz–5 kHz) is first made
/// "sustained" (per-bin minimum over the last three hops, 35 ms: kick, clap and hat transients
/// vanish, a 16th note stays). What a bin held over the last 150–300 ms (its minimum over this and
/// the previous 13-hop block) is its floor: pads, drones, a reese and a bass repeating one note
/// fill it, and sidechain ducking or detuned voices beating dip it by less than 12 dB. Only what
/// stands 12 dB above the floor is kept (a 303 note: new pitch, filter envelope opening again);
/// when that holds ≥ 10 % of the band's power, a generalized autocorrelation of it (cosine
/// transform of the 0.67-compressed magnitude, 120 Hz–2.5 kHz, voiced at 0.3 of lag 0) gives the
/// line's pitch.
///
/// **Is it a 16th-note line?** (summary time, on the tempo tracker's beats, also trying half and
/// double the beat for a tracker locked an octave off.) A step is a held note when the tracker
/// voiced a third of its hops, ≥ 70 % of them within 60 cents of their median. A bar holds a line
/// when ≥ 5 of its 16 steps are notes, ≥ 4 start with an onset, the pitch changes ≥ 3 times, and
/// ≥ 3 notes, at two pitches or more, recur at the same step one or two bars apart (a 303 pattern
/// loops; tracker noise on chords and drums does not). The share of such bars, ramped from 5 % to
/// 20 %, scales the score and every part: no line, no acid, whatever else moves.
///
/// **The parts** (read over the whole track, on the line's harmonics in the sustained spectrum):
/// - **Sweep**: the harmonics (multiples of the pitch, 200 Hz–5 kHz, whitened by harmonic number)
///   give a log-frequency centroid; its standard deviation in octaves inside 2-second blocks with a
///   line in ≥ a quarter of the hops, upper quartile over the track.
/// - **Resonance**: the largest rise (dB) of a strong harmonic over the loudest of the three
///   harmonics on each side: a resonant peak riding the cutoff. Upper quartile of block means.
/// - **Glide**: the share of pitch changes (≥ 80 cents) that pass through the pitches between
///   (≥ 3 successive moves one way) instead of jumping.
/// - **Accent**: correlation, across notes, of each note's peak level with its peak brightness (the
///   line's harmonics in the note's own first spectra), each read against notes of the same pitch
///   at the same 16th of the beat nearby: melody, sidechain ducking and drums on the beat, and the
///   slow filter sweep move level and brightness together without any accent (see
///   `samePitchCorrelation`).
///
/// Limits: a 303 mixed well under the pads (the synthesizer's default drop puts it ~8 dB under
/// them) is not found: the score is then 0, a miss, never a false acid. A riff that sits on one
/// note, or changes every bar, is not recognized as a line. Without a beat grid (beatless
/// material, a tempo the tracker cannot find) the score is 0. The parts are measured over the
/// whole track, not only the bars with the line, so in a track with a short acid passage they
/// also carry what the rest of the track does.
public final class AcidAnalyzer: HopExtractor {
    public static let weights = (sweep: 0.30, resonance: 0.25, glide: 0.25, accent: 0.20)
    public static let bandHz: ClosedRange<Double> = 200...5000
    /// Anchors of the 0…1 curves (linear between, clamped): measured on the synthesizer's acid
    /// line against pads, bass and drums alone.
    public static let sweepOctaves: ClosedRange<Double> = 0.25...0.6
    public static let resonanceDB: ClosedRange<Double> = 0...4
    public static let glideRatio: ClosedRange<Double> = 0.0...0.25
    public static let accentCorrelation: ClosedRange<Double> = 0.1...0.6
    /// Share of bars holding a 16th-note line: below 5 % nothing counts, from 20 % all of it.
    public static let lineBarShare: ClosedRange<Double> = 0.05...0.2
    /// Fewest notes compared with same-pitch neighbours for the accent correlation: two bars of a
    /// 16-step pattern (over fewer, a correlation swings by ±0.2 on chance alone).
    static let accentNotes = 32

    /// Measurements behind the last summary, for tests and the text report.
    public private(set) var sweepOctavesMeasured = 0.0
    public private(set) var resonanceDBMeasured = 0.0
    public private(set) var transitions = 0
    public private(set) var glides = 0
    public private(set) var notes = 0
    public private(set) var accentCorrelationMeasured = 0.0
    /// Share of the track's bars (beat grid) that hold a 16th-note line, and what it gates by.
    public private(set) var lineBarShareMeasured = 0.0
    public private(set) var lineBars = 0
    public private(set) var barsMeasured = 0

    private let binHz: Double
    private let lowBin: Int, highBin: Int
    private let bandCount: Int
    private let previous1, previous2, sustained, residual, attack: UnsafeMutableBufferPointer<Float>
    private let floorCurrent, floorPrevious: UnsafeMutableBufferPointer<Float>
    private var floorHop = 0
    private let levelLowIndex: Int

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
    private var blockSweep, blockResonance: UnsafeMutableBufferPointer<Double>
    private var blockCapacity: Int
    private var blockCount = 0
    private var blockHop = 0, blockActive = 0
    private var blockSum = 0.0, blockSumSquares = 0.0, blockResonanceSum = 0.0, blockResonanceHops = 0

    // Notes for the accent correlation.
    private let noteLevel, noteBrightness: RecordBuffer<Double>
    /// Each note's pitch (cents, NaN when none) and start hop (since the stream's start), for the accent's same-pitch, same-16th comparison.
    private let noteCents: RecordBuffer<Float>
    private let noteHop: RecordBuffer<Int32>
    private let noteCapacity: Int
    private var noteCount = 0
    private var levelHistory = (0.0, 0.0, 0.0)
    private var previousRise = 0.0
    private var hopsSinceOnset = Int.max
    private var noteOpen = false
    private var notePeakLevel = -200.0, notePeakBrightness = 0.0, notePitch = Double.nan, noteStartHop = 0

    // Per-hop record of the tracked pitch (cents, NaN when unvoiced) and whether a note started,
    // read against the beat grid at summary time. A record's time (its window's centre) follows
    // from its hop number (`recordTimeS`): nothing stored for it.
    private let hopCapacity: Int
    private let hopPitch: RecordBuffer<Float>
    private let hopOnset: RecordBuffer<Bool>
    /// Offline: the blocks start at the expected length (capped: a header cannot size them) and
    /// grow with what decodes; the hop and note records are paged (`RecordBuffer`). Live: fixed rings.
    private let recordsGrow: Bool
    private var hopsRecorded = 0
    private let windowHalfS: Double
    private let hopSize: Int
    /// Hop number (since the stream's start or last reset) of record 0: 0, or in a rolling twin
    /// the source's hop where the window starts.
    private var recordBaseHop = 0
    /// The stream's last hop when it was short (end of file): its record and end frame.
    private var shortRecord: (index: Int, endFrame: Int)?

    // Glide state.
    private var lastVoicedCents = Double.nan
    private var gapHops = 0
    private var runDirection = 0, runMoves = 0, runTotalCents = 0.0
    static let voicingThreshold: Float = 0.3
    static let floorBlockHops = 13
    /// A bin counts as the line's when it stands 12 dB above its recent floor.
    static let floorMargin: Float = 4
    /// A hop is read for pitch when what stands above the floor holds ≥ 10 % of the band's power.
    static let activeShare = 0.1

    public init(format: STFTFormat, expectedFrames: Int?) throws(DSPError) {
        binHz = format.binHz
        sampleRate = format.sampleRate
        lowBin = Int((120 / format.binHz).rounded(.up))
        levelLowIndex = Int((Self.bandHz.lowerBound / format.binHz).rounded(.up)) - lowBin
        highBin = min(format.binCount - 2, Int((Self.bandHz.upperBound / format.binHz).rounded(.down)))
        bandCount = highBin - lowBin + 1
        func buffer<T>(_ n: Int, _ zero: T) -> UnsafeMutableBufferPointer<T> {
            let b = UnsafeMutableBufferPointer<T>.allocate(capacity: n)
            b.initialize(repeating: zero)
            return b
        }
        previous1 = buffer(bandCount, 0); previous2 = buffer(bandCount, 0); sustained = buffer(bandCount, 0); residual = buffer(bandCount, 0); attack = buffer(bandCount, 0)
        floorCurrent = buffer(bandCount, Float.greatestFiniteMagnitude); floorPrevious = buffer(bandCount, Float.greatestFiniteMagnitude)
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
        let hops = expectedFrames.map { HopSeries.initialHops(format: format, expectedFrames: $0) }
        recordsGrow = expectedFrames != nil
        blockCapacity = hops.map { $0 / hopsPerBlock + 2 } ?? 4096
        blockSweep = buffer(blockCapacity, 0); blockResonance = buffer(blockCapacity, 0)
        // Offline (and a rolling twin's window): paged, with the expected length's memory made up front.
        let live: Int? = hops == nil ? 65_536 : nil, notes = (hops ?? 0) / 4 + 16
        noteLevel = RecordBuffer(liveCapacity: live, zero: 0, reserving: notes)
        noteBrightness = RecordBuffer(liveCapacity: live, zero: 0, reserving: notes)
        noteCents = RecordBuffer(liveCapacity: live, zero: .nan, reserving: notes)
        noteHop = RecordBuffer(liveCapacity: live, zero: 0, reserving: notes)
        noteCapacity = noteLevel.capacity
        hopPitch = RecordBuffer(liveCapacity: live, zero: 0, reserving: hops ?? 0)
        hopOnset = RecordBuffer(liveCapacity: live, zero: false, reserving: hops ?? 0)
        hopCapacity = hopPitch.capacity
        windowHalfS = Double(format.windowSize) / 2 / format.sampleRate
        hopSize = format.hopSize
    }

    deinit {
        for b in [previous1, previous2, sustained, residual, attack, floorCurrent, floorPrevious, even, lagRe, lagIm] { b.deallocate() }
        harmonicLevelDB.deallocate()
        blockSweep.deallocate(); blockResonance.deallocate()
    }

    public func reset() {
        previous1.update(repeating: 0); previous2.update(repeating: 0)
        floorCurrent.update(repeating: .greatestFiniteMagnitude); floorPrevious.update(repeating: .greatestFiniteMagnitude); floorHop = 0
        blockCount = 0; blockHop = 0; blockActive = 0
        blockSum = 0; blockSumSquares = 0; blockResonanceSum = 0; blockResonanceHops = 0
        noteCount = 0; levelHistory = (0, 0, 0); previousRise = 0; hopsSinceOnset = .max; noteOpen = false
        lastVoicedCents = .nan; gapHops = 0; runDirection = 0; runMoves = 0; runTotalCents = 0
        transitions = 0; glides = 0; notes = 0
        hopsRecorded = 0; recordBaseHop = 0; shortRecord = nil
        hopPitch.reset(); hopOnset.reset(); noteLevel.reset(); noteBrightness.reset(); noteCents.reset(); noteHop.reset()
    }

    /// Time of record `r`'s window centre: where the hop ends, less half a window (as `Hop.timeSeconds`).
    @inline(__always)
    private func recordTimeS(_ r: Int) -> Double {
        if let short = shortRecord, short.index == r { return Double(short.endFrame) / sampleRate - windowHalfS }
        return Double((recordBaseHop + r + 1) * hopSize) / sampleRate - windowHalfS
    }

    public func process(_ hop: borrowing Hop) {
        let magnitude = hop.monoMagnitude
        var power = 0.0, totalPower = 0.0
        for i in 0..<bandCount {
            let m = magnitude[lowBin + i]
            let s = min(m, previous1[i], previous2[i])
            previous2[i] = previous1[i]; previous1[i] = m
            // The floor a bin held over the last 150–300 ms (minimum over this and the previous
            // 13-hop block): a pad, a drone or a bass repeating one note fills it (ducking and
            // detuned voices beating dip it by less than the margin); a 303 note, whose pitch
            // and filter move every 16th, rises far above it.
            let current = min(floorCurrent[i], s)
            floorCurrent[i] = current
            let r = max(0, s - Self.floorMargin * min(current, floorPrevious[i]))
            sustained[i] = s
            attack[i] = m
            residual[i] = r
            if i >= levelLowIndex { power += Double(r * r); totalPower += Double(s * s) }
        }
        floorHop += 1
        if floorHop == Self.floorBlockHops {
            floorHop = 0
            for i in 0..<bandCount { floorPrevious[i] = floorCurrent[i]; floorCurrent[i] = .greatestFiniteMagnitude }
        }
        let levelDB = 10 * log10(power / Double(bandCount - levelLowIndex) + 1e-20)
        let active = levelDB > -90 && power >= Self.activeShare * totalPower
        let pitch = active ? estimatePitchCents() : nil

        // Sweep and resonance are read on the pitched line's own harmonics, so pads, drums and
        // the sidechain's changing mix proportions do not move them.
        var lineCentroid: Double?, attackCentroid: Double?
        if let pitch, let harmonics = sampleHarmonics(frequencyHz: 440 * pow(2, pitch / 1200), in: sustained) {
            lineCentroid = harmonics.logCentroid
            blockActive += 1
            blockSum += harmonics.logCentroid; blockSumSquares += harmonics.logCentroid * harmonics.logCentroid
            if let excess = harmonics.resonanceDB { blockResonanceSum += excess; blockResonanceHops += 1 }
        }
        // The same harmonics in this hop's own spectrum (not the 3-hop minimum, which reads a note
        // 25–35 ms after its attack): where an accent's wider filter envelope shows.
        if let pitch, lineCentroid != nil { attackCentroid = sampleHarmonics(frequencyHz: 440 * pow(2, pitch / 1200), in: attack)?.logCentroid }
        blockHop += 1
        if blockHop == blockHops { closeBlock() }

        let onset = trackNotes(levelDB: levelDB, active: active, brightness: attackCentroid, pitch: pitch)
        let slot = hopsRecorded % hopCapacity
        if hop.validFrames != hopSize { shortRecord = (hopsRecorded, hop.startFrame + hop.validFrames) }
        hopPitch[slot] = pitch.map { Float($0) } ?? .nan
        hopOnset[slot] = onset
        hopsRecorded += 1
        trackPitch(pitch)
    }

    /// Offline only (never on the live path): the same values in twice the room.
    private static func doubled<T>(_ old: UnsafeMutableBufferPointer<T>, _ zero: T) -> UnsafeMutableBufferPointer<T> {
        let fresh = UnsafeMutableBufferPointer<T>.allocate(capacity: old.count * 2)
        fresh.initialize(repeating: zero)
        _ = fresh.update(fromContentsOf: old)
        old.deallocate()
        return fresh
    }

    private func closeBlock() {
        // A block speaks only if a pitched line sounded for a quarter of it.
        if blockActive * 4 >= blockHops {
            let n = Double(blockActive)
            let mean = blockSum / n
            let variance = max(0, blockSumSquares / n - mean * mean)
            if recordsGrow, blockCount == blockCapacity {
                blockSweep = Self.doubled(blockSweep, 0); blockResonance = Self.doubled(blockResonance, 0)
                blockCapacity *= 2
            }
            let slot = blockCount % blockCapacity
            blockSweep[slot] = variance.squareRoot()
            blockResonance[slot] = blockResonanceHops > 0 ? blockResonanceSum / Double(blockResonanceHops) : 0
            blockCount += 1
        }
        blockHop = 0; blockActive = 0
        blockSum = 0; blockSumSquares = 0; blockResonanceSum = 0; blockResonanceHops = 0
    }

    /// Reads the sustained magnitude at each harmonic of `frequencyHz` inside the band, whitened by
    /// the harmonic number (a saw falls 6 dB/octave: whitened, an open saw is flat and only the
    /// filter shapes it). Returns their power-weighted log-frequency centroid (where the filter
    /// is) and the largest rise (dB) of a strong harmonic above the loudest of the three harmonics
    /// on each side: a resonant peak riding the cutoff. Taking the loudest neighbour, not the mean,
    /// keeps a comb of real partials and gaps (a pitch an octave too low) from reading as resonance.
    private func sampleHarmonics(frequencyHz: Double, in spectrum: UnsafeMutableBufferPointer<Float>) -> (logCentroid: Double, resonanceDB: Double?)? {
        let first = max(1, Int((Self.bandHz.lowerBound / frequencyHz).rounded(.up)))
        let last = min(first + harmonicCapacity - 1, Int((Self.bandHz.upperBound / frequencyHz).rounded(.down)))
        guard last - first >= 3 else { return nil }
        var count = 0, power = 0.0, weightedLog = 0.0, strongest = -300.0
        for h in first...last {
            let centre = Int((Double(h) * frequencyHz / binHz).rounded()) - lowBin
            guard centre >= 1, centre < bandCount - 1 else { continue }
            let a = Double(max(spectrum[centre - 1], spectrum[centre], spectrum[centre + 1])) * Double(h)
            harmonicLevelDB[count] = 20 * log10(a + 1e-12)
            strongest = max(strongest, harmonicLevelDB[count])
            power += a * a
            weightedLog += a * a * log2(Double(h) * frequencyHz)
            count += 1
        }
        guard count >= 4, power > 0 else { return nil }
        var best: Double?
        if count >= 7 {
            for i in 3..<(count - 3) where harmonicLevelDB[i] >= strongest - 6 {
                var neighbour = -300.0
                for j in (i - 3)...(i + 3) where j != i { neighbour = max(neighbour, harmonicLevelDB[j]) }
                let excess = harmonicLevelDB[i] - neighbour
                if best == nil || excess > best! { best = excess }
            }
        }
        return (weightedLog / power, best)
    }

    /// Note onsets (band level up ≥ 4 dB over 3 hops, 4-hop refractory); each note keeps its
    /// peak level, the peak brightness of the pitched line's harmonics in the hops' own spectra
    /// over its first 5 hops, and its last pitch there.
    private func trackNotes(levelDB: Double, active: Bool, brightness: Double?, pitch: Double?) -> Bool {
        let rise = levelDB - levelHistory.2
        levelHistory = (levelDB, levelHistory.0, levelHistory.1)
        // An onset is where a rise begins: the 3-hop minimum and the window smear one attack over
        // 3–5 hops of rising level, which must not start a second note 4 hops into the first.
        let rising = previousRise >= 4
        previousRise = rise
        if hopsSinceOnset != .max { hopsSinceOnset += 1 }
        if noteOpen {
            notePeakLevel = max(notePeakLevel, levelDB)
            if let brightness { notePeakBrightness = max(notePeakBrightness, brightness) }
            if let pitch { notePitch = pitch }
            if hopsSinceOnset >= 4 {
                if notePeakBrightness > 0 {
                    let slot = noteCount % noteCapacity
                    noteLevel[slot] = notePeakLevel; noteBrightness[slot] = notePeakBrightness; noteCents[slot] = Float(notePitch); noteHop[slot] = Int32(clamping: noteStartHop)
                    noteCount += 1
                }
                noteOpen = false
            }
        }
        if active, rise >= 4, !rising, !noteOpen, hopsSinceOnset >= 4 {
            noteOpen = true
            hopsSinceOnset = 0
            notePeakLevel = levelDB; notePeakBrightness = brightness ?? 0; notePitch = pitch ?? .nan
            noteStartHop = recordBaseHop + hopsRecorded
            return true
        }
        return false
    }

    /// Pitch in cents from A4 of the dominant periodic sound, nil when nothing is clearly periodic.
    private func estimatePitchCents() -> Double? {
        let n = even.count
        even.update(repeating: 0)
        for k in pitchLowBin...pitchHighBin {
            let c = powf(residual[k - lowBin], 0.67)
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
            noteLevel[slot] = notePeakLevel; noteBrightness[slot] = notePeakBrightness; noteCents[slot] = Float(notePitch); noteHop[slot] = Int32(clamping: noteStartHop)
            noteCount += 1; noteOpen = false
        }
        let blocks = min(blockCount, blockCapacity)
        guard context.durationS > 0 else { return }
        // No block with a pitched line: nothing acid-like could be heard, every part is 0.
        sweepOctavesMeasured = blocks > 0 ? Self.upperQuartile((0..<blocks).map { blockSweep[$0] }) : 0
        resonanceDBMeasured = blocks > 0 ? Self.upperQuartile((0..<blocks).map { blockResonance[$0] }) : 0
        notes = min(noteCount, noteCapacity)
        let positions = notePositions(beats: context.beatTimesS)
        accentCorrelationMeasured = Self.samePitchCorrelation(
            count: notes, level: { self.noteLevel[$0] }, brightness: { self.noteBrightness[$0] },
            cents: { Double(self.noteCents[$0]) }, position: { Int(positions[$0]) })
        let sweep = Self.ramp(sweepOctavesMeasured, Self.sweepOctaves)
        let resonance = Self.ramp(resonanceDBMeasured, Self.resonanceDB)
        // Too few pitch changes to tell slides from jumps: no glide evidence.
        let glide = transitions >= 6 ? Self.ramp(Double(glides) / Double(transitions), Self.glideRatio) : 0
        let accent = notes >= 16 ? Self.ramp(accentCorrelationMeasured, Self.accentCorrelation) : 0
        let gate = lineGate(beats: context.beatTimesS)
        let w = Self.weights
        let score = gate * (w.sweep * sweep + w.resonance * resonance + w.glide * glide + w.accent * accent)
        analysis.acid = TrackAnalysis.Acid(score: score, sweep: gate * sweep, resonance: gate * resonance,
                                           glide: gate * glide, accent: gate * accent, confidence: gate)
    }

    /// How much of the track is a 16th-note line, 0…1 (the share of bars that hold one, ramped).
    ///
    /// The tempo tracker's beats are split into sixteenths; a tracker locked to half or double
    /// tempo is allowed for by also trying eighths and thirty-seconds of its beat and keeping the
    /// grid that finds the most line bars. Steps and bars as described on the type: a bass or a
    /// chord holding its root through the bar, drums with a tonal body, and a tracker wandering
    /// between the notes of sustained chords (unstable inside steps, no onsets, no looping
    /// pattern) do not make a line bar; a 303 riff does.
    func lineGate(beats: [Double]) -> Double {
        lineBars = 0; barsMeasured = 0; lineBarShareMeasured = 0
        guard beats.count >= 5 else { return 0 }
        var best = (lines: -1, bars: 0)
        for stepsPerBeat in [4, 2, 8] {
            let result = countLineBars(beats: beats, stepsPerBeat: stepsPerBeat)
            if result.bars > 0, best.lines < 0 || Double(result.lines) / Double(result.bars) > Double(best.lines) / Double(best.bars) {
                best = result
            }
        }
        guard best.bars > 0 else { return 0 }
        lineBars = best.lines; barsMeasured = best.bars
        lineBarShareMeasured = Double(lineBars) / Double(barsMeasured)
        return Self.ramp(lineBarShareMeasured, Self.lineBarShare)
    }

    private func countLineBars(beats: [Double], stepsPerBeat: Int) -> (lines: Int, bars: Int) {
        let count = min(hopsRecorded, hopCapacity)
        var hop = hopsRecorded - count
        var pitches: [Double] = []
        pitches.reserveCapacity(128)
        // Per step: the held note's pitch (NaN when none) and whether an onset started it. A bar is
        // judged once its 16 steps are in, against the two bars before it: the steps live in a ring
        // of three bars, not one entry per step of the track.
        let ring = 48
        var stepNote = [Double](repeating: .nan, count: ring), stepAttacked = [Bool](repeating: false, count: ring)
        var stepHops = [Int](repeating: 0, count: ring)
        var steps = 0
        var lines = 0, bars = 0
        for beat in 0..<(beats.count - 1) {
            let beatStart = beats[beat], stepLength = (beats[beat + 1] - beats[beat]) / Double(stepsPerBeat)
            for part in 0..<stepsPerBeat {
                let t0 = beatStart + stepLength * Double(part), t1 = t0 + stepLength
                while hop < hopsRecorded, recordTimeS(hop) < t0 { hop += 1 }
                pitches.removeAll(keepingCapacity: true)
                var hops = 0
                var attacked = false
                while hop < hopsRecorded, recordTimeS(hop) < t1 {
                    let p = hopPitch[hop % hopCapacity]
                    if !p.isNaN { pitches.append(Double(p)) }
                    if hopOnset[hop % hopCapacity], recordTimeS(hop) < t0 + 0.6 * stepLength { attacked = true }
                    hops += 1; hop += 1
                }
                var note = Double.nan
                if hops >= 2, pitches.count >= 2, pitches.count * 3 >= hops {
                    pitches.sort()
                    let median = pitches[pitches.count / 2]
                    let stable = pitches.reduce(0) { $0 + (abs($1 - median) <= 60 ? 1 : 0) }
                    if stable * 10 >= pitches.count * 7 { note = median }
                }
                stepNote[steps % ring] = note; stepAttacked[steps % ring] = attacked; stepHops[steps % ring] = hops
                steps += 1
                guard steps % 16 == 0 else { continue }
                let bar = steps / 16 - 1
                if isLineBar(bar) { lines += 1 }
            }
        }
        /// Whether bar `bar` (its steps the ring's newest 16) holds a looping 16th-note line; counts it as measured when it sounded.
        func isLineBar(_ bar: Int) -> Bool {
            let range = (bar * 16)..<(bar * 16 + 16)
            guard range.contains(where: { stepHops[$0 % ring] > 0 }) else { return false }
            bars += 1
            var notes = 0, attacks = 0, changes = 0
            var last = Double.nan
            for i in range where !stepNote[i % ring].isNaN {
                notes += 1
                if stepAttacked[i % ring] { attacks += 1 }
                if !last.isNaN, abs(stepNote[i % ring] - last) >= 80 { changes += 1 }
                last = stepNote[i % ring]
            }
            guard notes >= 5, attacks >= 4, changes >= 3 else { return false }
            // A 303 pattern loops: many of its notes recur at the same step one or two bars
            // apart, at more than one pitch. Tracker noise on pads and drums does not.
            var bestRepeats = 0
            for back in 1...2 where bar - back >= 0 {
                var repeats = 0, firstPitch = Double.nan, pitchesSeen = 0
                for i in range {
                    let a = stepNote[i % ring], b = stepNote[(i - 16 * back) % ring]
                    guard !a.isNaN, !b.isNaN, abs(a - b) <= 60 else { continue }
                    repeats += 1
                    if firstPitch.isNaN { firstPitch = a; pitchesSeen = 1 } else if pitchesSeen == 1, abs(a - firstPitch) >= 80 { pitchesSeen = 2 }
                }
                if pitchesSeen >= 2 { bestRepeats = max(bestRepeats, repeats) }
            }
            return bestRepeats >= 3
        }
        return (lines, bars)
    }

    /// Each note's 16th within its beat (0…3) on the tempo tracker's grid; all 0 without a grid
    /// (a byte a note).
    private func notePositions(beats: [Double]) -> [UInt8] {
        let n = min(noteCount, noteCapacity)
        guard beats.count >= 2 else { return Array(repeating: 0, count: n) }
        var beat = 0
        return (0..<n).map { i in
            let t = Double((Int(noteHop[i]) + 1) * hopSize) / sampleRate - windowHalfS
            while beat + 2 < beats.count, beats[beat + 1] <= t { beat += 1 }
            let length = beats[beat + 1] - beats[beat]
            // Rounded to the nearest 16th: a note just before the beat is the beat's first 16th.
            return UInt8((Int(((t - beats[beat]) / length * 4).rounded()) % 4 + 4) % 4)
        }
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

    /// Accent evidence: Pearson correlation, across notes, of peak level and peak brightness, each
    /// read against the notes of the *same pitch* (within 50 cents) at the *same 16th of the beat*
    /// among the ±16 notes around it (a note with fewer than two such neighbours is left out;
    /// fewer than `accentNotes` left: 0).
    ///
    /// Why the same pitch: a note's level in the 200 Hz–5 kHz band and the centroid of its
    /// harmonics both rise with its pitch (a higher note puts more of its saw above 200 Hz and its
    /// harmonics higher), so across a melody they correlate without any accent (r ≈ 0.4 on the
    /// synthesizer's unaccented line when each note was read against its ±4 neighbours whatever
    /// their pitch). An accent is the step played louder with the filter envelope opened further:
    /// at the same pitch, a bar or so away (the slow cutoff sweep has hardly moved, and its linear
    /// part cancels in the mean of neighbours on both sides), the accented
    /// note is both louder and brighter than its unaccented twins; without accents what is left
    /// is noise. The same 16th of the beat: the sidechain ducks the notes on the beat (level) and
    /// the claps and hats there brighten the harmonics read under them, both by beat position, so
    /// across positions level and brightness move together with no accent (r ≈ 0.45 on the
    /// synthesizer's unaccented line over the beat).
    ///
    /// Read in place from the note records (`count` notes by index), in two passes that compute each
    /// note's residuals the same way, so no array of the track's notes is made.
    static func samePitchCorrelation(count n: Int, level: (Int) -> Double, brightness: (Int) -> Double,
                                     cents: (Int) -> Double, position: (Int) -> Int) -> Double {
        /// Note `i`'s level and brightness less the mean of its same-pitch, same-16th neighbours; nil without two.
        func residual(_ i: Int) -> (x: Double, y: Double)? {
            let c = cents(i)
            guard c.isFinite else { return nil }
            var sumX = 0.0, sumY = 0.0, k = 0
            for j in max(0, i - 16)...min(n - 1, i + 16) where j != i && position(j) == position(i) && cents(j).isFinite && abs(cents(j) - c) <= 50 {
                sumX += level(j); sumY += brightness(j); k += 1
            }
            guard k >= 2 else { return nil }
            return (level(i) - sumX / Double(k), brightness(i) - sumY / Double(k))
        }
        var count = 0, sumX = 0.0, sumY = 0.0
        for i in 0..<n { if let r = residual(i) { count += 1; sumX += r.x; sumY += r.y } }
        guard count >= accentNotes else { return 0 }
        let m = Double(count)
        let mx = sumX / m, my = sumY / m
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for i in 0..<n {
            guard let r = residual(i) else { continue }
            sxy += (r.x - mx) * (r.y - my); sxx += (r.x - mx) * (r.x - mx); syy += (r.y - my) * (r.y - my)
        }
        return sxx > 0 && syy > 0 ? sxy / (sxx * syy).squareRoot() : 0
    }
}

extension AcidAnalyzer: WindowCopyable {
    public var checkpointSize: Int { 4 }
    public func writeCheckpoint(into sums: UnsafeMutablePointer<Double>) {
        sums[0] = Double(blockCount); sums[1] = Double(noteCount); sums[2] = Double(transitions); sums[3] = Double(glides)
    }
    public func copyWindow(into twin: any HopExtractor, hops: Int, checkpoint: UnsafePointer<Double>) {
        let twin = twin as! AcidAnalyzer
        twin.reset()
        // Hop records, blocks and notes of the window, oldest first from index 0 (the twin's rings
        // start empty); counters as differences.
        let h = max(0, min(hops, hopsRecorded, hopCapacity, twin.hopCapacity))
        for i in 0..<h {
            let from = (hopsRecorded - h + i) % hopCapacity
            twin.hopPitch[i] = hopPitch[from]; twin.hopOnset[i] = hopOnset[from]
        }
        twin.hopsRecorded = h
        twin.recordBaseHop = recordBaseHop + hopsRecorded - h
        twin.shortRecord = shortRecord.flatMap { $0.index >= hopsRecorded - h ? ($0.index - (hopsRecorded - h), $0.endFrame) : nil }
        let b = max(0, min(blockCount - Int(checkpoint[0]), blockCapacity, twin.blockCapacity))
        for i in 0..<b {
            let from = (blockCount - b + i) % blockCapacity
            twin.blockSweep[i] = blockSweep[from]; twin.blockResonance[i] = blockResonance[from]
        }
        twin.blockCount = b
        let n = max(0, min(noteCount - Int(checkpoint[1]), noteCapacity, twin.noteCapacity))
        for i in 0..<n {
            let from = (noteCount - n + i) % noteCapacity
            twin.noteLevel[i] = noteLevel[from]; twin.noteBrightness[i] = noteBrightness[from]; twin.noteCents[i] = noteCents[from]; twin.noteHop[i] = noteHop[from]
        }
        twin.noteCount = n
        twin.transitions = max(0, transitions - Int(checkpoint[2]))
        twin.glides = max(0, glides - Int(checkpoint[3]))
    }
}
