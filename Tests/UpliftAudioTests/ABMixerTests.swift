import Foundation
import Testing
@testable import UpliftAudio
import UpliftSynth

/// The A/B mixer on signals whose parameters are known by construction.
@Suite struct ABMixerTests {
    static let rate = 48_000.0

    static func sine(_ hz: Double, amplitude: Float, seconds: Double, phase: Double = 0, rate: Double = rate) -> [Float] {
        let frames = Int(seconds * rate)
        var out = [Float](repeating: 0, count: frames * 2)
        for i in 0..<frames {
            let v = amplitude * Float(sin(2 * Double.pi * hz * Double(i) / rate + phase))
            out[2 * i] = v; out[2 * i + 1] = v
        }
        return out
    }

    static func track(_ samples: [Float], name: String = "t", rate: Double = rate) throws -> ABTrack {
        try ABTrack(name: name, interleaved: samples, rate: rate, outputRate: Self.rate)
    }

    /// Renders `frames` in blocks of 256 (as a device would ask).
    static func render(_ mixer: ABMixer, frames: Int, block: Int = 256, before: ((Int) -> Void)? = nil) -> [Float] {
        var out = [Float](repeating: 0, count: frames * 2)
        var done = 0
        out.withUnsafeMutableBufferPointer { buffer in
            while done < frames {
                before?(done)
                let n = min(block, frames - done)
                mixer.render(buffer.baseAddress! + 2 * done, frameCount: n)
                done += n
            }
        }
        return out
    }

    static func maxStep(_ x: [Float], channel: Int = 0) -> Float {
        var best: Float = 0
        var i = 2 + channel
        while i < x.count { best = max(best, abs(x[i] - x[i - 2])); i += 2 }
        return best
    }

    @Test func resamplingKeepsPitchAndLength() throws {
        // 1 kHz at 44.1 kHz → 48 kHz: 1 s stays 1 s, and the zero crossings stay 1 ms apart.
        let t = try Self.track(Self.sine(1000, amplitude: 0.5, seconds: 1, rate: 44_100), rate: 44_100)
        #expect(t.frames == 48_000)
        #expect(t.sourceRate == 44_100)
        var crossings: [Int] = []
        for i in 1000..<47_000 where t.sample(2 * (i - 1)) < 0 && t.sample(2 * i) >= 0 { crossings.append(i) }
        let period = Double(crossings.last! - crossings.first!) / Double(crossings.count - 1)
        #expect(abs(period - 48) < 0.01, "period \(period) frames")
        // Amplitude kept within 0.1 dB in the passband.
        var peak: Float = 0
        for i in 1000..<47_000 { peak = max(peak, abs(t.sample(2 * i))) }
        #expect(abs(20 * log10(Double(peak) / 0.5)) < 0.1)
    }

    /// A file at the output rate goes straight into the slot (no resampling); at another rate, through soxr.
    /// Both read every frame of a file longer than the decoder's blocks, with the peak measured on the way.
    @Test func loadingAFileKeepsEveryFrameAndItsPeak() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("uplift-abtrack-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // 3.3 s (not a whole number of 8192-frame blocks): left a 441 Hz sine at 0.5, right a ramp to 0.25.
        let frames = 145_530
        var samples = [Float](repeating: 0, count: frames * 2)
        for i in 0..<frames {
            samples[2 * i] = 0.5 * Float(sin(2 * Double.pi * 441 * Double(i) / 44_100))
            samples[2 * i + 1] = 0.25 * Float(i) / Float(frames - 1)
        }
        let path = folder.appendingPathComponent("known.wav").path
        try AudioFileWriter.write(samples, channels: 2, sampleRate: 44_100, format: .wavFloat32, to: path)
        let same = try ABTrack.load(path: path, outputRate: 44_100)
        #expect(same.frames == frames)
        var worst: Float = 0
        for i in 0..<(frames * 2) { worst = max(worst, abs(same.sample(i) - samples[i])) }
        #expect(worst <= ABTrack.scale / 2 + 1e-7, "within half a 16-bit step: \(worst)")
        #expect(abs(same.samplePeak - 0.5) < ABTrack.scale, "peak \(same.samplePeak)")
        let resampled = try ABTrack.load(path: path, outputRate: 48_000)
        #expect(resampled.frames == Int((Double(frames) * 48_000 / 44_100).rounded()))
        // The peak is the stored frames' own (here with the resampler's ringing at the file's abrupt end).
        var stored: Float = 0
        for i in 0..<(resampled.frames * 2) { stored = max(stored, abs(resampled.sample(i))) }
        #expect(resampled.samplePeak == stored && stored > 0.49, "peak \(resampled.samplePeak) vs \(stored)")
        #expect(abs(resampled.sample(2 * (resampled.frames - 2000) + 1) - 0.25 * Float(frames - 2000 * 44_100 / 48_000) / Float(frames)) < 0.002)
    }

    /// At its end the sounding slot plays on from the top (not into silence with the clock running on).
    @Test func theSoundingSlotPlaysOnFromTheTopAtItsEnd() throws {
        let t = try Self.track(Self.sine(1000, amplitude: 0.5, seconds: 0.1))
        let mixer = ABMixer(sampleRate: Self.rate, crossfadeMS: 20)
        mixer.install(t, slot: 0)
        mixer.setPlaying(true)
        let out = Self.render(mixer, frames: 3 * t.frames)
        func rms(_ frames: Range<Int>) -> Float {
            (frames.reduce(Float(0)) { $0 + out[2 * $1] * out[2 * $1] } / Float(frames.count)).squareRoot()
        }
        let first = rms(t.frames / 2..<t.frames), third = rms(2 * t.frames + t.frames / 2..<3 * t.frames)
        #expect(first > 0.3 && abs(third - first) < 0.01, "first pass \(first), third \(third)")
        #expect(mixer.positionFrame < t.frames)
    }

    @Test func crossoverBandsSumFlatAndEachBandIsItsBand() {
        let n = 16_384
        var sum = [Double](repeating: 0, count: n)
        var bands: [[Double]] = []
        for band in ABBand.allCases {
            let channel = ABCrossoverChannel(sampleRate: Self.rate)
            defer { channel.free() }
            var h = [Double](repeating: 0, count: n)
            for i in 0..<n { h[i] = channel.process(i == 0 ? 1 : 0, band: band.rawValue) }
            for i in 0..<n { sum[i] += h[i] }
            bands.append(h)
        }
        func magnitudeDB(_ h: [Double], _ hz: Double) -> Double {
            let w = 2 * Double.pi * hz / Self.rate
            var re = 0.0, im = 0.0
            for i in 0..<h.count { re += h[i] * cos(w * Double(i)); im -= h[i] * sin(w * Double(i)) }
            return 10 * log10(re * re + im * im)
        }
        var worst = 0.0
        var hz = 20.0
        while hz < 20_000 {
            worst = max(worst, abs(magnitudeDB(sum, hz)))
            hz *= 1.07
        }
        #expect(worst < 0.1, "the five bands sum to within \(worst) dB of flat")
        // Each band passes its own middle and rejects the others' (LR4: −24 dB/octave).
        let centres = [30.0, 120, 700, 4000, 14_000]
        for (b, h) in bands.enumerated() {
            #expect(abs(magnitudeDB(h, centres[b])) < 1.5, "band \(b) at its centre: \(magnitudeDB(h, centres[b])) dB")
            for (c, f) in centres.enumerated() where abs(c - b) >= 2 {
                #expect(magnitudeDB(h, f) < -20, "band \(b) at \(f) Hz: \(magnitudeDB(h, f)) dB")
            }
        }
    }

    @Test func loudnessMatchedWithinATenthOfADecibel() throws {
        // Mix: 1 kHz at 0.25; refs: a louder 0.7 sine and a quieter pink-ish sum, one mono (dual mono).
        let mix = try Self.track(Self.sine(1000, amplitude: 0.25, seconds: 4))
        let loud = try Self.track(Self.sine(300, amplitude: 0.7, seconds: 4))
        var quietSamples = Self.sine(200, amplitude: 0.05, seconds: 4)
        let upper = Self.sine(3000, amplitude: 0.03, seconds: 4)
        for i in 0..<quietSamples.count { quietSamples[i] += upper[i] }
        let quiet = try Self.track(quietSamples)
        let tracks = [mix, loud, quiet]
        let readings = tracks.map { ABLoudness.measure($0) }
        let plan = ABLoudnessMatch(readings.enumerated().map { ABLoudnessMatch.Input(name: "\($0.offset)", loudnessLUFS: $0.element.loudnessLUFS, truePeakDBTP: $0.element.truePeakDBTP) })
        #expect(plan.note == nil)
        let mixer = ABMixer(sampleRate: Self.rate, crossfadeMS: 10)
        for (i, t) in tracks.enumerated() { mixer.install(t, slot: i); mixer.setGain(slot: i, dB: plan.gainsDB[i]) }
        mixer.setPlaying(true)
        var played: [Double] = []
        for slot in 0..<3 {
            mixer.switchTo(slot: slot, atFrame: 0)
            let out = Self.render(mixer, frames: 48_000 * 3)
            let rendered = try ABTrack(name: "out", interleaved: Array(out[(2 * 4800)...]), rate: Self.rate, outputRate: Self.rate)
            played.append(ABLoudness.measure(rendered).loudnessLUFS)
        }
        #expect(abs(played[1] - played[0]) < 0.1 && abs(played[2] - played[0]) < 0.1, "played \(played)")
        // The unmatched levels differ by far more, so the test sees a broken gain.
        #expect(abs(readings[1].loudnessLUFS - readings[0].loudnessLUFS) > 5)
    }

    @Test func matchingNeverPassesTheCeilingAndSaysWhoWasLowered() throws {
        // A quiet reference with loud peaks: raising it to the mix would clip; everything goes down instead.
        let mix = ABLoudnessMatch.Input(name: "mix", loudnessLUFS: -8, truePeakDBTP: -0.5)
        let ref = ABLoudnessMatch.Input(name: "spiky", loudnessLUFS: -16, truePeakDBTP: -3)
        let plan = ABLoudnessMatch([mix, ref])
        #expect(abs((plan.gainsDB[1] - plan.gainsDB[0]) - 8) < 1e-9, "still matched")
        #expect(abs(ref.truePeakDBTP + plan.gainsDB[1] - ABLoudnessMatch.ceilingDBTP) < 1e-9, "the reference peaks at the ceiling")
        #expect(abs(plan.gainsDB[0] - -6) < 1e-9, "the mix is lowered by the shortfall")
        #expect(plan.note?.contains("spiky") == true)
    }

    @Test func crossfadedSwitchHasNoStepLargerThanTheSignalsOwn() throws {
        // Worst case for a hard cut: the same tone in opposite phase (a cut steps by up to 2 × amplitude).
        let a = Self.sine(440, amplitude: 0.5, seconds: 2)
        let b = Self.sine(440, amplitude: 0.5, seconds: 2, phase: .pi)
        let c = Self.sine(660, amplitude: 0.5, seconds: 2, phase: 1)
        let tracks = try [a, b, c].map { try Self.track($0) }
        // The signals' own steps as the slots hold them (16-bit frames).
        let stored = tracks.map { t in (0..<(2 * t.frames)).map { t.sample($0) } }
        let own = stored.map { Self.maxStep($0) }.max()!
        let mixer = ABMixer(sampleRate: Self.rate, crossfadeMS: 20)
        for (slot, t) in tracks.enumerated() { mixer.install(t, slot: slot) }
        mixer.setPlaying(true)
        // Switch at frames 10,000 (0 → 1), 30,000 (1 → 2), 50,000 (2 → 0), same time.
        let switches = [10_000: 1, 30_000: 2, 50_000: 0]
        let out = Self.render(mixer, frames: 70_000, block: 1000) { frame in
            if let slot = switches[frame] { mixer.switchTo(slot: slot, atFrame: mixer.positionFrame, computedFrom: mixer.positionFrame) }
        }
        #expect(mixer.switchesApplied == 3)
        // Opposite phase (0 → 1, and 2 → 0 lands on slot 0's own tone): no step beyond the tones' own.
        let firstFade = Array(out[(2 * 9_000)..<(2 * 12_000)])
        #expect(Self.maxStep(firstFade) <= Self.maxStep(stored[0]) * 1.0001, "0 → 1: step \(Self.maxStep(firstFade)) vs \(Self.maxStep(stored[0]))")
        // Different tones (1 → 2): an equal-power fade sums two tones at cos and sin, whose steps add up to
        // √2 × the larger one at the fade's middle (the +3 dB of equal power); nothing beyond that.
        #expect(Self.maxStep(out) <= own * Float(2.0).squareRoot() * 1.0001, "step \(Self.maxStep(out)) vs the signals' own \(own)")
        // Sample-accurate: once the 960-frame crossfade is over, slot 1 plays at the same time as slot 0 would have.
        // (Slots hold 16-bit frames scaled to ±2: a step is 6.1e-5, so "the same" is within half of it.)
        for i in 11_000..<29_000 { #expect(abs(out[2 * i] - b[2 * i]) < 4e-5); if abs(out[2 * i] - b[2 * i]) >= 4e-5 { break } }
        // Equal power, frame by frame through the fade from 1 to 2 (different tones): cos out, sin in.
        var worst: Float = 0
        for k in 0..<960 {
            let n = 30_000 + k
            let angle = Double.pi / 2 * Double(k) / 960
            let expected = Float(cos(angle)) * b[2 * n] + Float(sin(angle)) * c[2 * n]
            worst = max(worst, abs(out[2 * n] - expected))
        }
        #expect(worst < 1e-4, "the crossfade departs from cos/sin by \(worst)")
    }

    @Test func aSwitchWithoutCrossfadeWouldStep() throws {
        // The same signals with a 1-frame "crossfade" step by far more: the test above can fail.
        let mixer = ABMixer(sampleRate: Self.rate, crossfadeMS: 0.001)
        let a = Self.sine(440, amplitude: 0.5, seconds: 1)
        mixer.install(try Self.track(a), slot: 0)
        mixer.install(try Self.track(Self.sine(440, amplitude: 0.5, seconds: 1, phase: .pi)), slot: 1)
        mixer.setPlaying(true)
        let out = Self.render(mixer, frames: 20_000, block: 1000) { frame in
            if frame == 10_000 { mixer.switchTo(slot: 1, atFrame: mixer.positionFrame) }
        }
        #expect(Self.maxStep(out) > 2 * Self.maxStep(a))
    }

    @Test func listeningToolsMonoSideLeftRight() throws {
        // L = 0.5 sine, R = 0.25 of the same sine: mono = 0.375, side = 0.125, left/right copy one side.
        var s = Self.sine(500, amplitude: 0.5, seconds: 0.5)
        for i in 0..<(s.count / 2) { s[2 * i + 1] *= 0.5 }
        let mixer = ABMixer(sampleRate: Self.rate)
        mixer.install(try Self.track(s), slot: 0)
        mixer.setPlaying(true)
        for (mode, l, r) in [(ABListenMode.mono, 0.375, 0.375), (.side, 0.125, 0.125), (.left, 0.5, 0.5), (.right, 0.25, 0.25), (.stereo, 0.5, 0.25)] {
            mixer.setListen(mode)
            let out = Self.render(mixer, frames: 4800)
            var peakL: Float = 0, peakR: Float = 0
            for i in 0..<4800 { peakL = max(peakL, abs(out[2 * i])); peakR = max(peakR, abs(out[2 * i + 1])) }
            #expect(abs(Double(peakL) - l) < 0.002 && abs(Double(peakR) - r) < 0.002, "\(mode): \(peakL) \(peakR)")
        }
    }

    @Test func bandSoloPassesOnlyItsBand() throws {
        // 100 Hz + 5 kHz: the bass solo keeps the 100 Hz, the high-mid solo the 5 kHz.
        var s = Self.sine(100, amplitude: 0.4, seconds: 1)
        let high = Self.sine(5000, amplitude: 0.4, seconds: 1)
        for i in 0..<s.count { s[i] += high[i] }
        let mixer = ABMixer(sampleRate: Self.rate)
        mixer.install(try Self.track(s), slot: 0)
        mixer.setPlaying(true)
        mixer.setBandSolo(.bass)
        var out = Self.render(mixer, frames: 24_000)
        func energyAt(_ x: [Float], _ hz: Double) -> Double {
            var re = 0.0, im = 0.0
            for i in 12_000..<24_000 { let w = 2 * Double.pi * hz * Double(i) / Self.rate; re += Double(x[2 * i]) * cos(w); im += Double(x[2 * i]) * sin(w) }
            return 2 * (re * re + im * im).squareRoot() / 12_000
        }
        #expect(energyAt(out, 100) > 0.3 && energyAt(out, 5000) < 0.01)
        mixer.setBandSolo(.highMid)
        out = Self.render(mixer, frames: 24_000)
        #expect(energyAt(out, 5000) > 0.3 && energyAt(out, 100) < 0.01)
    }

    // MARK: Position lock on synthesized arrangements with known sections

    static func timeline(_ t: RenderedTrack) -> ABTimeline {
        ABTimeline(durationS: t.durationS, sections: t.sections.map { .init(kind: $0.kind.rawValue, startS: $0.startS, endS: $0.endS) },
                   bpm: t.bpm, firstBeatS: t.beatTimesS.first ?? 0)
    }

    static let arrangementA = TranceRecipe(seed: 3, bpm: 138, sections: [
        TranceSection(kind: .intro, bars: 4, pattern: .intro), TranceSection(kind: .breakdown, bars: 4, pattern: .breakdown),
        TranceSection(kind: .drop, bars: 8, pattern: .drop), TranceSection(kind: .breakdown, bars: 4, pattern: .breakdown),
        TranceSection(kind: .drop, bars: 8, pattern: .drop),
    ]).render(sampleRate: 8000)
    static let arrangementB = TranceRecipe(seed: 4, bpm: 142, sections: [
        TranceSection(kind: .intro, bars: 8, pattern: .intro), TranceSection(kind: .breakdown, bars: 8, pattern: .breakdown),
        TranceSection(kind: .drop, bars: 4, pattern: .drop), TranceSection(kind: .breakdown, bars: 2, pattern: .breakdown),
        TranceSection(kind: .drop, bars: 16, pattern: .drop),
    ]).render(sampleRate: 8000)

    @Test func dropToDropLandsInTheMatchingDropWithinABeat() {
        let a = Self.arrangementA, b = Self.arrangementB
        let ta = Self.timeline(a), tb = Self.timeline(b)
        let dropsA = a.sections.filter { $0.kind == .drop }, dropsB = b.sections.filter { $0.kind == .drop }
        for (n, drop) in dropsA.enumerated() {
            // Two bars into A's n-th drop of 8 bars → a quarter into B's n-th drop.
            let t = drop.startS + 2 * 4 * 60 / 138
            let mapped = ABPositionLock.sectionAligned.map(t, from: ta, to: tb)
            let target = dropsB[n]
            let expectedBar = Double(target.startBar) + 0.25 * Double(target.endBar - target.startBar)
            let expectedS = b.beatTimesS[Int(expectedBar * 4)]
            let beat = 60.0 / 142
            #expect(!mapped.fellBack)
            #expect(abs((mapped.seconds ?? -1) - expectedS) < beat, "drop \(n): \(mapped.seconds ?? -1) s vs \(expectedS) s")
        }
        // Same time would not: the test above fails when the mapping ignores sections.
        let t = dropsA[1].startS + 1
        #expect(abs((ABPositionLock.sameTime.map(t, from: ta, to: tb).seconds ?? 0) - dropsB[1].startS) > 1)
    }

    @Test func beatAlignedLandsOnTheSameBarAndBeatWithinAMillisecond() {
        let a = Self.arrangementA, b = Self.arrangementB
        let ta = Self.timeline(a), tb = Self.timeline(b)
        for (bar, beat) in [(0, 0), (5, 2), (17, 3), (25, 1)] {
            let index = bar * 4 + beat
            let mapped = ABPositionLock.beatAligned.map(a.beatTimesS[index], from: ta, to: tb).seconds ?? -1
            #expect(abs(mapped - b.beatTimesS[index]) < 0.001, "bar \(bar) beat \(beat): \(mapped) vs \(b.beatTimesS[index])")
        }
        // A mix without sections falls back to same time, and says so.
        let bare = ABTimeline(durationS: 60)
        #expect(ABPositionLock.sectionAligned.map(10, from: ta, to: bare).fellBack)
        #expect(ABPositionLock.free.map(10, from: ta, to: tb).seconds == nil)
    }

    @Test func freeLockResumesEachSlotWhereItWas() throws {
        let mixer = ABMixer(sampleRate: Self.rate, crossfadeMS: 10)
        mixer.install(try Self.track(Self.sine(100, amplitude: 0.1, seconds: 2)), slot: 0)
        mixer.install(try Self.track(Self.sine(200, amplitude: 0.1, seconds: 2)), slot: 1)
        mixer.setPlaying(true)
        _ = Self.render(mixer, frames: 10_000)
        mixer.switchTo(slot: 1, atFrame: nil)  // slot 1 starts at its own 0
        _ = Self.render(mixer, frames: 5_000)
        #expect(mixer.soundingSlot == 1 && mixer.positionFrame == 5_000)
        mixer.switchTo(slot: 0, atFrame: nil)
        _ = Self.render(mixer, frames: 1_000)
        #expect(mixer.positionFrame == 11_000, "slot 0 resumed at 10,000")
    }
}
