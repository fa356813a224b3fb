import Foundation
import UpliftAnalysis
import UpliftAudio
import UpliftDSP
import UpliftModel
import UpliftSynth

/// Stereo test audio rendered in the test itself, every parameter known by construction.
struct StereoSignal {
    var left: [Float]
    var right: [Float]
    let sampleRate: Double

    init(seconds: Double, sampleRate: Double = 44_100) {
        self.sampleRate = sampleRate
        let n = Int(seconds * sampleRate)
        left = Array(repeating: 0, count: n)
        right = Array(repeating: 0, count: n)
    }

    var frameCount: Int { left.count }

    mutating func add(_ other: StereoSignal, gain: Float = 1) {
        for i in 0..<min(frameCount, other.frameCount) {
            left[i] += gain * other.left[i]
            right[i] += gain * other.right[i]
        }
    }
}

/// Deterministic pseudo-random numbers (64-bit LCG), so every fixture is the same on every run.
struct SeededRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407 }
    mutating func next() -> Double {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Double(state >> 11) / Double(1 << 53)
    }
}

/// A band-limited (polyBLEP) sawtooth oscillator.
struct SawOscillator {
    var phase: Double
    mutating func next(frequencyHz: Double, sampleRate: Double) -> Double {
        let dt = frequencyHz / sampleRate
        phase += dt
        if phase >= 1 { phase -= 1 }
        var value = 2 * phase - 1
        if phase < dt {
            let t = phase / dt
            value -= t + t - t * t - 1
        } else if phase > 1 - dt {
            let t = (phase - 1) / dt
            value -= t * t + t + t + 1
        }
        return value
    }
}

/// Zero-delay-feedback state-variable low-pass (stable at any cutoff and resonance).
struct StateVariableLowPass {
    var ic1 = 0.0, ic2 = 0.0
    mutating func next(_ x: Double, cutoffHz: Double, resonance: Double, sampleRate: Double) -> Double {
        let g = tan(Double.pi * min(cutoffHz, sampleRate * 0.45) / sampleRate)
        let k = 2 * (1 - 0.97 * resonance)
        let a1 = 1 / (1 + g * (g + k)), a2 = g * a1, a3 = g * a2
        let v3 = x - ic2
        let v1 = a1 * ic1 + a2 * v3
        let v2 = ic2 + a2 * ic1 + a3 * v3
        ic1 = 2 * v1 - ic1
        ic2 = 2 * v2 - ic2
        return v2
    }
}

func midiHz(_ note: Double, a4Hz: Double = 440) -> Double { a4Hz * pow(2, (note - 69) / 12) }

enum TestSignals {
    /// A supersaw chord: each note has `voices` saws spread evenly over ±`detuneCents` and panned evenly over `stereoSpread` (0 = mono, 1 = hard left to hard right).
    static func supersaw(notes: [Double], voices: Int, detuneCents: Double, stereoSpread: Double,
                         seconds: Double, a4Hz: Double = 440, cutoffHz: Double = 6000, seed: UInt64 = 1,
                         sampleRate: Double = 44_100) -> StereoSignal {
        var signal = StereoSignal(seconds: seconds, sampleRate: sampleRate)
        var random = SeededRandom(seed: seed)
        for note in notes {
            for v in 0..<voices {
                let position = voices == 1 ? 0 : Double(v) / Double(voices - 1) * 2 - 1
                let cents = detuneCents * position
                let frequency = midiHz(note, a4Hz: a4Hz) * pow(2, cents / 1200)
                let pan = stereoSpread * position
                let gainLeft = Float(cos((pan + 1) * Double.pi / 4)), gainRight = Float(sin((pan + 1) * Double.pi / 4))
                var oscillator = SawOscillator(phase: random.next())
                var filter = StateVariableLowPass()
                let amplitude = 0.25 / Double(voices * notes.count).squareRoot()
                for i in 0..<signal.frameCount {
                    let s = Float(amplitude * filter.next(oscillator.next(frequencyHz: frequency, sampleRate: sampleRate),
                                                          cutoffHz: cutoffHz, resonance: 0, sampleRate: sampleRate))
                    signal.left[i] += gainLeft * s
                    signal.right[i] += gainRight * s
                }
            }
        }
        return signal
    }

    /// A chord progression in one key: (chord root offsets from the tonic, chord quality) per
    /// segment, with the tonic in the bass, three detuned saws per note.
    static func keyFixture(tonic: Int, minor: Bool, secondsPerChord: Double = 0.8, a4Hz: Double = 440,
                           sampleRate: Double = 44_100) -> StereoSignal {
        // Minor: i – VI – iv – i; major: I – IV – V – I. Chords as semitones above the tonic.
        let chords: [[Int]] = minor ? [[0, 3, 7], [8, 12, 15], [5, 8, 12], [0, 3, 7]]
                                    : [[0, 4, 7], [5, 9, 12], [7, 11, 14], [0, 4, 7]]
        let base = 57.0 + Double((tonic + 3) % 12)   // tonic between A3 and G#4
        var out = StereoSignal(seconds: secondsPerChord * Double(chords.count), sampleRate: sampleRate)
        let segment = Int(secondsPerChord * sampleRate)
        for (c, chord) in chords.enumerated() {
            var pad = supersaw(notes: chord.map { base + Double($0) } + [base - 24], voices: 3, detuneCents: 6,
                               stereoSpread: 0.5, seconds: secondsPerChord, a4Hz: a4Hz, cutoffHz: 3000,
                               seed: UInt64(c + 1), sampleRate: sampleRate)
            // Short fades so chord changes do not click.
            let fade = Int(0.01 * sampleRate)
            for i in 0..<fade {
                let g = Float(i) / Float(fade)
                pad.left[i] *= g; pad.right[i] *= g
                pad.left[segment - 1 - i] *= g; pad.right[segment - 1 - i] *= g
            }
            for i in 0..<segment {
                out.left[c * segment + i] += pad.left[i]
                out.right[c * segment + i] += pad.right[i]
            }
        }
        return out
    }

    /// A 303-style line: saw through a resonant low-pass whose cutoff falls after each note (envelope),
    /// swept slowly over the whole render; `slideSteps` glide into the next note (60 ms), `accentSteps`
    /// are louder with a wider filter envelope. 16th notes at `bpm`.
    static func acidLine(bpm: Double = 138, seconds: Double, resonance: Double, slideSteps: Set<Int>,
                         accentSteps: Set<Int>, notes: [Double] = [45, 45, 57, 48, 45, 52, 45, 55, 43, 45, 57, 50, 45, 53, 45, 48],
                         sweepOctaves: Double = 2, sampleRate: Double = 44_100) -> StereoSignal {
        var signal = StereoSignal(seconds: seconds, sampleRate: sampleRate)
        let stepSeconds = 60 / bpm / 4
        var oscillator = SawOscillator(phase: 0)
        var filter = StateVariableLowPass()
        var pitch = midiHz(notes[0])
        let glideCoefficient = exp(-1 / (0.015 * sampleRate))   // ~60 ms to settle
        for i in 0..<signal.frameCount {
            let t = Double(i) / sampleRate
            let step = Int(t / stepSeconds)
            let pattern = step % notes.count
            let inStep = t - Double(step) * stepSeconds
            let target = midiHz(notes[pattern])
            let previousSlides = slideSteps.contains((pattern + notes.count - 1) % notes.count)
            if previousSlides && step > 0 {
                pitch = target + (pitch - target) * glideCoefficient
            } else {
                pitch = target
            }
            let accent = accentSteps.contains(pattern)
            let sweep = 0.5 - 0.5 * cos(2 * Double.pi * t / 8)   // 8-second cutoff sweep
            let baseCutoff = 250 * pow(2, sweepOctaves * sweep)
            // Slid notes are not retriggered: the envelope keeps decaying from the previous step.
            let envelopeTime = previousSlides && step > 0 ? inStep + stepSeconds : inStep
            let envelope = exp(-envelopeTime / (accent ? 0.09 : 0.06)) * (accent ? 2.5 : 1.4)
            let cutoff = baseCutoff * (1 + 3 * envelope)
            let gate: Double = inStep < stepSeconds * 0.8 || slideSteps.contains(pattern) ? 1 : 0
            let amplitude = (accent ? 0.35 : 0.2) * gate
            let y = filter.next(oscillator.next(frequencyHz: pitch, sampleRate: sampleRate), cutoffHz: cutoff,
                                resonance: resonance, sampleRate: sampleRate)
            let s = Float(amplitude * y)
            signal.left[i] = s
            signal.right[i] = s
        }
        return signal
    }

    /// Kick on every beat, clap on 2 and 4, open hat on the off-beats: plain drums with no pitch.
    static func drums(bpm: Double = 138, seconds: Double, seed: UInt64 = 7, sampleRate: Double = 44_100) -> StereoSignal {
        var signal = StereoSignal(seconds: seconds, sampleRate: sampleRate)
        var random = SeededRandom(seed: seed)
        let beat = 60 / bpm
        var previousNoise = 0.0
        for i in 0..<signal.frameCount {
            let t = Double(i) / sampleRate
            let beatIndex = Int(t / beat)
            let inBeat = t - Double(beatIndex) * beat
            let kick = sin(2 * Double.pi * (50 * inBeat + 120 * 0.03 * (1 - exp(-inBeat / 0.03)))) * exp(-inBeat / 0.15)
            let noise = random.next() * 2 - 1
            let clap = beatIndex % 2 == 1 ? noise * exp(-inBeat / 0.03) * 0.3 : 0
            let offbeat = inBeat - beat / 2
            let highPassed = noise - previousNoise   // first difference: a hat's bright hiss
            previousNoise = noise
            let hat = offbeat >= 0 ? highPassed * exp(-offbeat / 0.05) * 0.15 : 0
            let s = Float(0.6 * kick + clap + hat)
            signal.left[i] = s
            signal.right[i] = s
        }
        return signal
    }
}

/// Runs extractors over in-memory audio exactly as `TrackAnalyzer` runs them over a file:
/// ring buffer → `AnalysisEngine` → summaries.
enum DetectAnalysis {
    static func run(_ signal: StereoSignal,
                    extractors make: (STFTFormat, Int) throws -> [any HopExtractor]) throws -> (TrackAnalysis, [any HopExtractor]) {
        let format = try STFTFormat(sampleRate: signal.sampleRate)
        let extractors = try make(format, signal.frameCount)
        let ring = try SPSCRingBuffer(capacityFrames: 16_384)
        let engine = try AnalysisEngine(format: format, ring: ring, extractors: extractors)
        let block = 4096
        var interleaved = [Float](repeating: 0, count: block * 2)
        var position = 0
        while position < signal.frameCount {
            let n = min(block, signal.frameCount - position)
            for i in 0..<n {
                interleaved[2 * i] = signal.left[position + i]
                interleaved[2 * i + 1] = signal.right[position + i]
            }
            let written = interleaved.withUnsafeBufferPointer { ring.write($0.baseAddress!, frameCount: n) }
            precondition(written == n)
            engine.processAvailableHops()
            position += n
        }
        engine.finish()
        var analysis = TrackAnalysis(file: "memory", durationS: Double(signal.frameCount) / signal.sampleRate,
                                     sampleRate: signal.sampleRate, channels: 2)
        engine.summarize(into: &analysis)
        return (analysis, extractors)
    }
}

/// Spearman rank correlation (no ties expected in these tests; ties get their mean rank).
func spearman(_ x: [Double], _ y: [Double]) -> Double {
    func ranks(_ v: [Double]) -> [Double] {
        let order = v.indices.sorted { v[$0] < v[$1] }
        var r = [Double](repeating: 0, count: v.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count, v[order[j + 1]] == v[order[i]] { j += 1 }
            for k in i...j { r[order[k]] = Double(i + j) / 2 }
            i = j + 1
        }
        return r
    }
    let rx = ranks(x), ry = ranks(y)
    let n = Double(x.count)
    let mx = rx.reduce(0, +) / n, my = ry.reduce(0, +) / n
    var sxy = 0.0, sxx = 0.0, syy = 0.0
    for i in x.indices { sxy += (rx[i] - mx) * (ry[i] - my); sxx += (rx[i] - mx) * (rx[i] - mx); syy += (ry[i] - my) * (ry[i] - my) }
    return sxy / (sxx * syy).squareRoot()
}

extension StereoSignal {
    /// The synthesizer's interleaved render, split into channels.
    init(_ track: RenderedTrack) {
        self.init(seconds: 0, sampleRate: track.sampleRate)
        left = (0..<track.frameCount).map { track.interleaved[2 * $0] }
        right = (0..<track.frameCount).map { track.interleaved[2 * $0 + 1] }
    }
}
