import Foundation

extension TranceRecipe {
    /// Renders the whole arrangement as interleaved stereo at `sampleRate`, with its truth.
    public func render(sampleRate: Double) -> RenderedTrack {
        TranceRenderer(recipe: self, sampleRate: sampleRate).render()
    }
}

/// Renders a `TranceRecipe`: drums on a dry bus, bass/pads/acid on a bus multiplied by the
/// sidechain gain, then the sum normalized to the recipe's peak.
struct TranceRenderer {
    let recipe: TranceRecipe
    let sr: Double
    let map: TempoMap
    let frames: Int
    /// Section index of every bar.
    let barSection: [Int]
    /// First bar of every section.
    let sectionStartBar: [Int]

    static let beatsPerBar = 4

    init(recipe: TranceRecipe, sampleRate: Double) {
        self.recipe = recipe
        sr = sampleRate
        let bars = max(recipe.totalBars, 1)
        map = TempoMap(bpm: recipe.bpm, change: recipe.tempoChange, totalBeats: bars * Self.beatsPerBar)
        frames = Int((map.endS * sampleRate).rounded(.up))
        var owner: [Int] = [], starts: [Int] = []
        for (i, s) in recipe.sections.enumerated() {
            starts.append(owner.count)
            owner += Array(repeating: i, count: s.bars)
        }
        barSection = owner.isEmpty ? [0] : owner
        sectionStartBar = starts
    }

    func pattern(bar: Int) -> TrancePattern {
        guard !recipe.sections.isEmpty else { return TrancePattern() }
        return recipe.sections[barSection[min(max(bar, 0), barSection.count - 1)]].pattern
    }

    func timeOfBeat(_ b: Double) -> Double { map.time(ofBeat: b) }

    func render() -> RenderedTrack {
        var random = SynthRandom(seed: recipe.seed)
        let drums = StereoBuffer(count: frames)
        let music = StereoBuffer(count: frames)
        let duck = UnsafeMutablePointer<Float>.allocate(capacity: max(frames, 1))
        duck.initialize(repeating: 1, count: max(frames, 1))
        defer { duck.deallocate() }

        renderDrums(into: drums, duck: duck, random: &random)
        renderBass(into: music)
        renderPads(into: music, random: &random)
        renderAcid(into: music, random: &random)
        renderRisers(into: drums, random: &random)

        drums.mix(music, gain: duck)
        var scale: Float = 1
        if let target = recipe.peakDBFS {
            let peak = drums.peak
            if peak > 0 { scale = Float(dbToGain(target)) / peak }
        }
        let total = map.totalBeats
        var sections: [RenderedSection] = []
        var bar = 0
        for s in recipe.sections {
            sections.append(RenderedSection(kind: s.kind, startBar: bar, endBar: bar + s.bars,
                                            startS: map.beatTimesS[bar * 4], endS: map.beatTimesS[(bar + s.bars) * 4]))
            bar += s.bars
        }
        return RenderedTrack(sampleRate: sr, interleaved: drums.interleaved(scale: scale), bpm: recipe.bpm,
                             beatTimesS: Array(map.beatTimesS[0..<total]), sections: sections, key: recipe.key,
                             sidechainDepthDB: recipe.sidechain.depthDB)
    }

    // MARK: - Drums and the sidechain

    private func renderDrums(into bus: StereoBuffer, duck: UnsafeMutablePointer<Float>, random: inout SynthRandom) {
        let kick = DrumShots.kick(sampleRate: sr, random: &random)
        let hat = DrumShots.openHat(sampleRate: sr, random: &random)
        let clap = DrumShots.clap(sampleRate: sr, random: &random)
        let snare = DrumShots.snare(sampleRate: sr, random: &random)
        let sc = recipe.sidechain
        for beat in 0..<map.totalBeats {
            let p = pattern(bar: beat / 4)
            let t = map.beatTimesS[beat]
            if p.kick {
                bus.add(kick, atSeconds: t, sampleRate: sr, gain: Float(dbToGain(-3)))
                if sc.depthDB > 0 { applyDuck(duck, at: t, settings: sc) }
            }
            if p.offbeatHats { bus.add(hat, atSeconds: timeOfBeat(Double(beat) + 0.5), sampleRate: sr, gain: Float(dbToGain(-16)), pan: 0.15) }
            if p.claps, beat % 2 == 1 { bus.add(clap, atSeconds: t, sampleRate: sr, gain: Float(dbToGain(-12)), pan: -0.05) }
        }
        // Snare rolls: density doubles every quarter of the section (1, 2, 4, 8 hits per beat), level rising 12 dB.
        for (index, section) in recipe.sections.enumerated() where section.pattern.snareRoll {
            let firstBeat = sectionStartBar[index] * 4, beats = section.bars * 4
            var position = 0.0
            while position < Double(beats) - 1e-9 {
                let quarter = min(Int(4 * position / Double(beats)), 3)
                let progress = position / Double(beats)
                bus.add(snare, atSeconds: timeOfBeat(Double(firstBeat) + position), sampleRate: sr,
                        gain: Float(dbToGain(-24 + 12 * progress)))
                position += 1 / Double(1 << quarter)
            }
        }
    }

    /// Gain reduction after one kick: ramp down (attack), hold, climb back linearly in dB (release).
    private func applyDuck(_ duck: UnsafeMutablePointer<Float>, at t0: Double, settings sc: SidechainSettings) {
        let start = Int((t0 * sr).rounded())
        let attack = max(sc.attackMs, 0.1) * 0.001, hold = max(sc.holdMs, 0) * 0.001, release = max(sc.releaseMs, 1) * 0.001
        let n = Int(((attack + hold + release) * sr).rounded(.up))
        for i in 0..<n {
            let j = start + i
            guard j >= 0 else { continue }
            if j >= frames { break }
            let t = Double(i) / sr
            let db: Double
            if t < attack { db = -sc.depthDB * t / attack }
            else if t < attack + hold { db = -sc.depthDB }
            else { db = -sc.depthDB * max(0, 1 - (t - attack - hold) / release) }
            duck[j] = min(duck[j], Float(dbToGain(db)))
        }
    }

    // MARK: - Harmony

    /// Pitch (MIDI) of the chord root of `bar` in the register starting at `baseMIDI` for the tonic.
    private func chordRootDegree(bar: Int) -> Int {
        let d = recipe.chordDegrees
        return d.isEmpty ? 0 : d[bar % d.count]
    }

    /// MIDI note of the tonic in the octave from A below to G# above `reference`.
    private func tonicMIDI(near reference: Int) -> Int {
        let pc = recipe.key.tonic
        var m = reference - ((reference - pc) % 12 + 12) % 12
        if reference - m > 6 { m += 12 }
        return m
    }

    private func renderBass(into bus: StereoBuffer) {
        let tonic = tonicMIDI(near: 45)  // around A2, sounding an octave below the pads' roots
        let level = dbToGain(-10)
        var filter = StateVariableFilter()
        filter.set(cutoffHz: 900, q: 0.9, sampleRate: sr)
        for beat in 0..<map.totalBeats where pattern(bar: beat / 4).bass {
            let degree = chordRootDegree(bar: beat / 4)
            let f = midiToHz(Double(tonic + recipe.key.semitones(ofDegree: degree) - (degree >= 4 ? 12 : 0)))
            for sixteenth in 1...3 {
                let startS = timeOfBeat(Double(beat) + Double(sixteenth) * 0.25)
                let lengthS = 0.2 * map.beatLengthS(atBeat: Double(beat))
                let start = Int((startS * sr).rounded()), n = Int(lengthS * sr)
                var phase = 0.0
                let inc = f / sr
                for i in 0..<n where start + i < frames {
                    let t = Double(i) / sr
                    let env = min(1, t / 0.002) * (0.6 + 0.4 * exp(-t / 0.04)) * min(1, Double(n - i) / (0.004 * sr))
                    let (lp, _) = filter.process(polyBLEPSaw(phase: phase, increment: inc))
                    phase += inc; if phase >= 1 { phase -= 1 }
                    let v = Float(lp * env * level)
                    bus.left[start + i] += v; bus.right[start + i] += v
                }
            }
        }
    }

    private func renderPads(into bus: StereoBuffer, random: inout SynthRandom) {
        let settings = recipe.supersaw
        let voices = settings.voices
        let tonic = tonicMIDI(near: 57)
        let chordNotes = 3
        // Voice positions -1…1: detune offset and (shuffled) pan position.
        var positions = (0..<voices).map { voices > 1 ? 2 * Double($0) / Double(voices - 1) - 1 : 0 }
        var pans = positions
        for i in stride(from: pans.count - 1, to: 0, by: -1) { pans.swapAt(i, random.int(below: i + 1)) }
        let spread = settings.stereoSpreadPercent / 100
        let panGainsPerVoice = pans.map { panGains(Float($0 * spread)) }
        var phases = (0..<(voices * chordNotes)).map { _ in random.unit() }
        let level = dbToGain(settings.levelDB) / Double(voices).squareRoot()
        var filterL = StateVariableFilter(), filterR = StateVariableFilter()
        positions = positions.map { $0 * settings.detuneCents }
        let block = 32
        var increments = [Double](repeating: 0, count: voices * chordNotes)

        for bar in 0..<barSection.count where pattern(bar: bar).pads {
            let p = pattern(bar: bar)
            let degree = chordRootDegree(bar: bar)
            for n in 0..<chordNotes {
                let midi = Double(tonic + recipe.key.semitones(ofDegree: degree + 2 * n))
                for v in 0..<voices { increments[n * voices + v] = midiToHz(midi + positions[v] / 100) / sr }
            }
            let barStart = Int((map.beatTimesS[bar * 4] * sr).rounded())
            let barEnd = min(frames, Int((map.beatTimesS[bar * 4 + 4] * sr).rounded()))
            let sectionIndex = barSection[bar]
            let section = recipe.sections[sectionIndex]
            let sectionStartS = map.beatTimesS[sectionStartBar[sectionIndex] * 4]
            let sectionEndS = map.beatTimesS[(sectionStartBar[sectionIndex] + section.bars) * 4]
            // Fades at the edges of a pad region avoid clicks.
            let fadeIn = bar == 0 || !pattern(bar: bar - 1).pads
            let fadeOut = bar == barSection.count - 1 || !pattern(bar: bar + 1).pads
            let fadeN = Double(0.01 * sr)
            var i = barStart
            while i < barEnd {
                let t = Double(i) / sr
                var cutoff = settings.cutoffHz
                if p.filterOpening {
                    let progress = min(max((t - sectionStartS) / max(sectionEndS - sectionStartS, 1e-9), 0), 1)
                    cutoff = 250 * pow(settings.cutoffHz / 250, progress)
                }
                filterL.set(cutoffHz: cutoff, q: 0.8, sampleRate: sr)
                filterR.set(cutoffHz: cutoff, q: 0.8, sampleRate: sr)
                let end = min(i + block, barEnd)
                for j in i..<end {
                    var l = 0.0, r = 0.0
                    for k in 0..<(voices * chordNotes) {
                        let inc = increments[k]
                        let s = polyBLEPSaw(phase: phases[k], increment: inc)
                        var ph = phases[k] + inc; if ph >= 1 { ph -= 1 }
                        phases[k] = ph
                        let g = panGainsPerVoice[k % voices]
                        l += s * Double(g.0); r += s * Double(g.1)
                    }
                    var edge = 1.0
                    if fadeIn { edge = min(edge, Double(j - barStart) / fadeN) }
                    if fadeOut { edge = min(edge, Double(barEnd - j) / fadeN) }
                    let (lpL, _) = filterL.process(l * level)
                    let (lpR, _) = filterR.process(r * level)
                    bus.left[j] += Float(lpL * edge); bus.right[j] += Float(lpR * edge)
                }
                i = end
            }
        }
    }

    // MARK: - Acid

    /// The 16-step pattern as scale degrees (nil = rest): the recipe's, or one drawn from the seed.
    static func acidNotes(_ settings: AcidSettings, seed: UInt64) -> [Int?] {
        if let notes = settings.notes, !notes.isEmpty { return notes }
        var random = SynthRandom(seed: seed ^ 0xAC1D)
        let palette: [Int?] = [0, 0, 0, 0, 7, 7, 4, 2, -3, nil]
        return (0..<16).map { $0 == 0 ? 0 : palette[random.int(below: palette.count)] }
    }

    private func renderAcid(into bus: StereoBuffer, random: inout SynthRandom) {
        let a = recipe.acid
        let notes = Self.acidNotes(a, seed: recipe.seed)
        let tonic = tonicMIDI(near: 45)
        var ladder = LadderFilter()
        ladder.feedback = 3.9 * a.resonance
        let level = dbToGain(a.levelDB) * (1 + 1.5 * a.resonance)  // resonance costs pass-band level
        var phase = 0.0, frequency = 0.0
        let block = 16
        for bar in 0..<barSection.count where pattern(bar: bar).acid {
            for step in 0..<16 {
                let stepIndex = step % notes.count
                let beatPosition = Double(bar * 4) + Double(step) * 0.25
                let start = Int((timeOfBeat(beatPosition) * sr).rounded())
                let end = min(frames, Int((timeOfBeat(beatPosition + 0.25) * sr).rounded()))
                guard end > start else { continue }
                let previous = (stepIndex + notes.count - 1) % notes.count
                let sliding = a.slideSteps.contains(previous) && notes[previous] != nil && step + bar > 0
                let accent = a.accentSteps.contains(stepIndex)
                let gateN = a.slideSteps.contains(stepIndex) ? end - start : Int(0.6 * Double(end - start))
                guard let degree = notes[stepIndex] else { continue }
                let target = midiToHz(Double(tonic + recipe.key.semitones(ofDegree: degree)))
                if !sliding || frequency == 0 { frequency = target }
                let glide = 1 - exp(-1 / (0.04 * sr))
                let envDecay = exp(-1 / ((accent ? 0.1 : 0.18) * sr))
                var env = sliding ? 0.35 : 1.0
                let envOctaves = a.envelopeOctaves * (accent ? 1.5 : 1)
                let amp = level * (accent ? 2 : 1)
                let startS = Double(start) / sr
                var i = start
                while i < end {
                    let t = Double(i) / sr
                    let stepFraction = (t - startS) / (Double(end - start) / sr)
                    let sweepPosition = (beatPosition + 0.25 * stepFraction) / Double(a.sweepBars * 4)
                    let tri = 1 - abs(2 * (sweepPosition - sweepPosition.rounded(.down)) - 1)
                    let cutoff = a.baseCutoffHz * pow(2, a.sweepOctaves * tri + envOctaves * env)
                    ladder.set(cutoffHz: cutoff, sampleRate: sr)
                    let blockEnd = min(i + block, end)
                    for j in i..<blockEnd {
                        frequency += (target - frequency) * glide
                        let inc = frequency / sr
                        let osc = a.waveform == .saw ? polyBLEPSaw(phase: phase, increment: inc) : polyBLEPSquare(phase: phase, increment: inc) * 0.5
                        phase += inc; if phase >= 1 { phase -= 1 }
                        let k = j - start
                        var gate = 1.0
                        if k < Int(0.002 * sr) { gate = sliding ? 1 : Double(k) / (0.002 * sr) }
                        if k >= gateN { gate = 0 } else if gateN - k < Int(0.003 * sr) && gateN < end - start { gate *= Double(gateN - k) / (0.003 * sr) }
                        let y = ladder.process(osc * 0.8) * gate * amp
                        env *= envDecay
                        bus.left[j] += Float(y); bus.right[j] += Float(y)
                    }
                    i = blockEnd
                }
            }
        }
        _ = random.next()
    }

    // MARK: - Risers

    private func renderRisers(into bus: StereoBuffer, random: inout SynthRandom) {
        for (index, section) in recipe.sections.enumerated() where section.pattern.riser {
            let startS = map.beatTimesS[sectionStartBar[index] * 4]
            let endS = map.beatTimesS[(sectionStartBar[index] + section.bars) * 4]
            let start = Int((startS * sr).rounded()), end = min(frames, Int((endS * sr).rounded()))
            var filter = StateVariableFilter()
            var i = start
            while i < end {
                let progress = Double(i - start) / Double(max(end - start, 1))
                filter.set(cutoffHz: 400 * pow(20, progress), q: 2, sampleRate: sr)
                let gain = dbToGain(-30 + 22 * progress)
                let blockEnd = min(i + 32, end)
                for j in i..<blockEnd {
                    let (_, bp) = filter.process(Double(random.bipolar()))
                    let v = Float(bp * gain)
                    bus.left[j] += v; bus.right[j] += v * 0.9
                }
                i = blockEnd
            }
        }
    }
}
