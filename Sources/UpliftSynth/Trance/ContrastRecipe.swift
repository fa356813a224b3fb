import Foundation

/// Material that is not trance, for proving that trance features say "no" when they should.
public struct ContrastRecipe: Sendable, Equatable {
    public enum Style: String, Sendable, CaseIterable {
        /// 90 BPM boom-bap: kick on 1 and the swung "and" of 2 and 3, snare on 2 and 4, swung hats.
        case hipHop
        /// Beatless: slow overlapping chords with 4 s swells, no transients.
        case ambient
        /// 120 BPM rock kit (kick 1 and "and" of 3, snare 2 and 4, eighth hats) and chugging power chords, no sidechain.
        case rock
        /// 174 BPM two-step break (kick 1 and "and" of 3, snare 2 and 4, ghost notes, sixteenth hats) and a sub bass.
        case drumAndBass
    }

    public var style: Style
    public var seed: UInt64
    /// Ignored for ambient (no beat).
    public var bpm: Double
    public var bars: Int
    /// Where the off-beat eighth lands within the beat: 0.5 straight, 0.62 a typical MPC swing.
    public var swing: Double
    public var key: MusicalKey
    public var peakDBFS: Double?

    public init(style: Style, seed: UInt64 = 1, bpm: Double? = nil, bars: Int = 16, swing: Double? = nil,
                key: MusicalKey = MusicalKey(tonic: 2, mode: .minor), peakDBFS: Double? = -1) {
        self.style = style; self.seed = seed; self.bars = max(bars, 1); self.key = key; self.peakDBFS = peakDBFS
        switch style {
        case .hipHop: self.bpm = bpm ?? 90; self.swing = swing ?? 0.62
        case .ambient: self.bpm = bpm ?? 60; self.swing = swing ?? 0.5
        case .rock: self.bpm = bpm ?? 120; self.swing = swing ?? 0.5
        case .drumAndBass: self.bpm = bpm ?? 174; self.swing = swing ?? 0.5
        }
    }

    public func render(sampleRate sr: Double) -> RenderedTrack {
        var random = SynthRandom(seed: seed)
        let map = TempoMap(bpm: bpm, change: .none, totalBeats: bars * 4)
        let frames = Int((map.endS * sr).rounded(.up))
        let bus = StereoBuffer(count: frames)
        let tonic = 36 + key.tonic  // C2…B2
        func at(_ beat: Double) -> Double { map.time(ofBeat: beat) }
        /// Beat position of eighth `index` of a bar, with swing on the off-beats.
        func eighth(_ bar: Int, _ index: Int) -> Double { Double(bar * 4 + index / 2) + (index % 2 == 1 ? swing : 0) }

        switch style {
        case .hipHop:
            let kick = DrumShots.kick(sampleRate: sr, random: &random)
            let snare = DrumShots.snare(sampleRate: sr, random: &random)
            let hat = DrumShots.closedHat(sampleRate: sr, random: &random)
            for bar in 0..<bars {
                for i in [0, 3, 4] { bus.add(kick, atSeconds: at(eighth(bar, i)), sampleRate: sr, gain: i == 3 ? 0.5 : 0.7) }
                for i in [2, 6] { bus.add(snare, atSeconds: at(eighth(bar, i)), sampleRate: sr, gain: 0.6) }
                for i in 0..<8 { bus.add(hat, atSeconds: at(eighth(bar, i)), sampleRate: sr, gain: i % 2 == 0 ? 0.25 : 0.15, pan: 0.2) }
                let degree = [0, 5, 3, 4][bar % 4]
                addChord(bus, rootMIDI: tonic + 24, degree: degree, startS: at(Double(bar * 4)), lengthS: at(Double(bar * 4 + 4)) - at(Double(bar * 4)),
                         sampleRate: sr, gain: 0.08, decayS: 1.2)
                addSine(bus, midi: tonic + key.semitones(ofDegree: degree), startS: at(Double(bar * 4)), lengthS: at(Double(bar * 4) + 1.4) - at(Double(bar * 4)), sampleRate: sr, gain: 0.3)
            }
        case .ambient:
            // Chords every 2 bars at 60 "BPM" (8 s), overlapping by 4 s with slow swells: no onsets to lock onto.
            var t = 0.0
            var index = 0
            while t < map.endS {
                let degree = [0, 5, 2, 6][index % 4]
                addPadChord(bus, rootMIDI: tonic + 24, degree: degree, startS: t, lengthS: 12, sampleRate: sr, gain: 0.07, random: &random)
                t += 8; index += 1
            }
        case .rock:
            let kick = DrumShots.kick(sampleRate: sr, random: &random)
            let snare = DrumShots.snare(sampleRate: sr, random: &random)
            let hat = DrumShots.closedHat(sampleRate: sr, random: &random)
            for bar in 0..<bars {
                for i in [0, 5] { bus.add(kick, atSeconds: at(eighth(bar, i)), sampleRate: sr, gain: 0.6) }
                for i in [2, 6] { bus.add(snare, atSeconds: at(eighth(bar, i)), sampleRate: sr, gain: 0.9) }
                for i in 0..<8 { bus.add(hat, atSeconds: at(eighth(bar, i)), sampleRate: sr, gain: 0.3, pan: -0.3) }
                let degree = [0, 5, 2, 6][bar % 4]
                for i in 0..<8 {
                    addPowerChord(bus, midi: tonic + 12 + key.semitones(ofDegree: degree), startS: at(eighth(bar, i)),
                                  lengthS: 0.9 * (at(eighth(bar, i) + 0.5) - at(eighth(bar, i))), sampleRate: sr, gain: 0.12)
                }
            }
        case .drumAndBass:
            let kick = DrumShots.kick(sampleRate: sr, random: &random)
            let snare = DrumShots.snare(sampleRate: sr, random: &random)
            let hat = DrumShots.closedHat(sampleRate: sr, random: &random)
            for bar in 0..<bars {
                let b = Double(bar * 4)
                for p in [0.0, 2.5] { bus.add(kick, atSeconds: at(b + p), sampleRate: sr, gain: 0.7) }
                for p in [1.0, 3.0] { bus.add(snare, atSeconds: at(b + p), sampleRate: sr, gain: 0.9) }
                for p in [1.75, 3.25] { bus.add(snare, atSeconds: at(b + p), sampleRate: sr, gain: 0.2) }
                for i in 0..<16 { bus.add(hat, atSeconds: at(b + Double(i) * 0.25), sampleRate: sr, gain: i % 2 == 0 ? 0.22 : 0.12, pan: 0.25) }
                if bar % 2 == 0 {
                    let degree = [0, 5, 3, 4][(bar / 2) % 4]
                    addSine(bus, midi: tonic + key.semitones(ofDegree: degree), startS: at(b), lengthS: at(b + 8) - at(b) - 0.05, sampleRate: sr, gain: 0.35)
                }
            }
        }
        var scale: Float = 1
        if let target = peakDBFS { let p = bus.peak; if p > 0 { scale = Float(dbToGain(target)) / p } }
        let beats = style == .ambient ? [] : Array(map.beatTimesS[0..<map.totalBeats])
        return RenderedTrack(sampleRate: sr, interleaved: bus.interleaved(scale: scale), bpm: style == .ambient ? nil : bpm,
                             beatTimesS: beats, sections: [], key: key, sidechainDepthDB: 0)
    }

    // MARK: - Instruments

    private func addSine(_ bus: StereoBuffer, midi: Int, startS: Double, lengthS: Double, sampleRate sr: Double, gain: Double) {
        let start = Int(startS * sr), n = Int(lengthS * sr), f = midiToHz(Double(midi))
        for i in 0..<n where start + i < bus.count {
            let t = Double(i) / sr
            let env = min(1, t / 0.005) * min(1, Double(n - i) / (0.01 * sr))
            let v = Float(sin(2 * .pi * f * t) * env * gain)
            bus.left[start + i] += v; bus.right[start + i] += v
        }
    }

    /// Electric-piano-like triad: sines with a little second harmonic, decaying.
    private func addChord(_ bus: StereoBuffer, rootMIDI: Int, degree: Int, startS: Double, lengthS: Double,
                          sampleRate sr: Double, gain: Double, decayS: Double) {
        let start = Int(startS * sr), n = Int(lengthS * sr)
        let freqs = (0..<3).map { midiToHz(Double(rootMIDI + key.semitones(ofDegree: degree + 2 * $0))) }
        for i in 0..<n where start + i < bus.count {
            let t = Double(i) / sr
            let env = min(1, t / 0.004) * exp(-t / decayS) * min(1, Double(n - i) / (0.01 * sr))
            var v = 0.0
            for f in freqs { v += sin(2 * .pi * f * t) + 0.2 * sin(4 * .pi * f * t) }
            let x = Float(v * env * gain)
            bus.left[start + i] += x; bus.right[start + i] += x
        }
    }

    /// Slowly swelling pad: two detuned saws per note through a gentle low-pass, sin² envelope.
    private func addPadChord(_ bus: StereoBuffer, rootMIDI: Int, degree: Int, startS: Double, lengthS: Double,
                             sampleRate sr: Double, gain: Double, random: inout SynthRandom) {
        let start = Int(startS * sr), n = Int(lengthS * sr)
        var freqs: [Double] = []
        for k in 0..<3 {
            let f = midiToHz(Double(rootMIDI + key.semitones(ofDegree: degree + 2 * k)))
            freqs += [f * pow(2, 6 / 1200), f * pow(2, -6 / 1200)]
        }
        var phases = freqs.map { _ in random.unit() }
        var filterL = StateVariableFilter(), filterR = StateVariableFilter()
        filterL.set(cutoffHz: 1200, q: 0.7, sampleRate: sr); filterR.set(cutoffHz: 1200, q: 0.7, sampleRate: sr)
        for i in 0..<n where start + i < bus.count {
            let x = Double(i) / Double(n)
            let env = sin(Double.pi * x) * sin(Double.pi * x)
            var l = 0.0, r = 0.0
            for k in freqs.indices {
                let inc = freqs[k] / sr
                let s = polyBLEPSaw(phase: phases[k], increment: inc)
                phases[k] += inc; if phases[k] >= 1 { phases[k] -= 1 }
                if k % 2 == 0 { l += s } else { r += s }
            }
            bus.left[start + i] += Float(filterL.process(l).0 * env * gain)
            bus.right[start + i] += Float(filterR.process(r).0 * env * gain)
        }
    }

    /// Root and fifth saws, overdriven and darkened: a palm-muted power chord.
    private func addPowerChord(_ bus: StereoBuffer, midi: Int, startS: Double, lengthS: Double, sampleRate sr: Double, gain: Double) {
        let start = Int(startS * sr), n = Int(lengthS * sr)
        let f1 = midiToHz(Double(midi)), f2 = midiToHz(Double(midi + 7))
        var p1 = 0.0, p2 = 0.0
        var filter = StateVariableFilter()
        filter.set(cutoffHz: 2500, q: 0.7, sampleRate: sr)
        for i in 0..<n where start + i < bus.count {
            let t = Double(i) / sr
            let env = min(1, t / 0.003) * exp(-t / 0.15) * min(1, Double(n - i) / (0.005 * sr))
            let s = polyBLEPSaw(phase: p1, increment: f1 / sr) + polyBLEPSaw(phase: p2, increment: f2 / sr)
            p1 += f1 / sr; if p1 >= 1 { p1 -= 1 }
            p2 += f2 / sr; if p2 >= 1 { p2 -= 1 }
            let y = filter.process(tanh(3 * s)).0 * env * gain
            bus.left[start + i] += Float(y * 0.8); bus.right[start + i] += Float(y)
        }
    }
}
