/// Everything a rendered trance fixture is made of. Every field is ground truth: the renderer
/// draws only from these values and from `seed` (noise, oscillator phases, default acid notes).
public struct TranceRecipe: Sendable, Equatable {
    public var seed: UInt64
    /// Tempo at the first beat.
    public var bpm: Double
    public var tempoChange: TempoChange
    public var key: MusicalKey
    /// The arrangement, in order; bar-exact.
    public var sections: [TranceSection]
    public var sidechain: SidechainSettings
    public var supersaw: SupersawSettings
    public var acid: AcidSettings
    /// Chord roots as scale degrees (0 = tonic), one chord per bar, cycled.
    public var chordDegrees: [Int]
    /// The whole mix is scaled so its sample peak lands here (nil: no normalization).
    public var peakDBFS: Double?

    public init(seed: UInt64 = 1, bpm: Double = 138, tempoChange: TempoChange = .none,
                key: MusicalKey = MusicalKey(tonic: 9, mode: .minor),
                sections: [TranceSection] = TranceRecipe.standardArrangement(),
                sidechain: SidechainSettings = SidechainSettings(),
                supersaw: SupersawSettings = SupersawSettings(),
                acid: AcidSettings = AcidSettings(),
                chordDegrees: [Int]? = nil, peakDBFS: Double? = -1) {
        self.seed = seed; self.bpm = bpm; self.tempoChange = tempoChange; self.key = key
        self.sections = sections; self.sidechain = sidechain; self.supersaw = supersaw; self.acid = acid
        // i–VI–VII–i and I–IV–V–I both start and end on the tonic, so the key is unambiguous.
        self.chordDegrees = chordDegrees ?? (key.mode == .minor ? [0, 5, 6, 0] : [0, 3, 4, 0])
        self.peakDBFS = peakDBFS
    }

    public var totalBars: Int { sections.reduce(0) { $0 + $1.bars } }

    /// A loop of one pattern for `bars` bars (a single section of kind `kind`).
    public static func loop(_ pattern: TrancePattern, bars: Int, kind: TranceSectionKind = .drop) -> [TranceSection] {
        [TranceSection(kind: kind, bars: bars, pattern: pattern)]
    }

    /// Intro (beat, bass) → breakdown (pads alone) → buildup (riser, filter opening, snare roll)
    /// → drop (everything) → outro (beat, bass). `barsEach` bars per section.
    public static func standardArrangement(barsEach: Int = 8) -> [TranceSection] {
        [
            TranceSection(kind: .intro, bars: barsEach, pattern: .intro),
            TranceSection(kind: .breakdown, bars: barsEach, pattern: .breakdown),
            TranceSection(kind: .buildup, bars: barsEach, pattern: .buildup),
            TranceSection(kind: .drop, bars: barsEach, pattern: .drop),
            TranceSection(kind: .outro, bars: barsEach, pattern: .outro),
        ]
    }
}

public enum TempoChange: Sendable, Equatable {
    case none
    /// Tempo moves linearly, beat by beat, from the recipe's `bpm` to `toBPM` at the last beat.
    case linearDrift(toBPM: Double)
    /// Tempo jumps to `toBPM` at the start of bar `atBar` (0-based).
    case step(atBar: Int, toBPM: Double)
}

public struct MusicalKey: Sendable, Equatable, Hashable {
    public enum Mode: String, Sendable, CaseIterable { case major, minor }
    /// Pitch class of the tonic: 0 = C, 1 = C#, … 11 = B.
    public var tonic: Int
    public var mode: Mode
    public init(tonic: Int, mode: Mode) { self.tonic = ((tonic % 12) + 12) % 12; self.mode = mode }

    public static let pitchClassNames = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"]
    public var tonicName: String { Self.pitchClassNames[tonic] }
    /// Semitones of the seven scale degrees above the tonic (natural minor for minor).
    public var scaleSemitones: [Int] { mode == .major ? [0, 2, 4, 5, 7, 9, 11] : [0, 2, 3, 5, 7, 8, 10] }
    /// Semitones above the tonic of scale degree `degree` (any integer; wraps by octaves).
    public func semitones(ofDegree degree: Int) -> Int {
        let octave = degree >= 0 ? degree / 7 : -((6 - degree) / 7)
        return scaleSemitones[degree - octave * 7] + 12 * octave
    }
    public static var all24: [MusicalKey] { Mode.allCases.flatMap { m in (0..<12).map { MusicalKey(tonic: $0, mode: m) } } }
}

public enum TranceSectionKind: String, Sendable, CaseIterable { case intro, breakdown, buildup, drop, outro }

public struct TranceSection: Sendable, Equatable {
    public var kind: TranceSectionKind
    public var bars: Int
    public var pattern: TrancePattern
    public init(kind: TranceSectionKind, bars: Int, pattern: TrancePattern) {
        self.kind = kind; self.bars = bars; self.pattern = pattern
    }
}

/// Which parts play in a section. The sidechain ducks bass, pads and acid only while the kick plays.
public struct TrancePattern: Sendable, Equatable {
    public var kick: Bool
    public var offbeatHats: Bool
    public var claps: Bool
    /// Rolling bass on the three sixteenths after each beat, following the chord roots.
    public var bass: Bool
    public var pads: Bool
    public var acid: Bool
    /// Noise sweep rising in pitch and level over the section.
    public var riser: Bool
    /// Snare hits doubling in density: quarters, eighths, sixteenths, thirty-seconds per quarter of the section.
    public var snareRoll: Bool
    /// Pad low-pass opens from 250 Hz to its normal cutoff over the section.
    public var filterOpening: Bool

    public init(kick: Bool = false, offbeatHats: Bool = false, claps: Bool = false, bass: Bool = false,
                pads: Bool = false, acid: Bool = false, riser: Bool = false, snareRoll: Bool = false,
                filterOpening: Bool = false) {
        self.kick = kick; self.offbeatHats = offbeatHats; self.claps = claps; self.bass = bass
        self.pads = pads; self.acid = acid; self.riser = riser; self.snareRoll = snareRoll
        self.filterOpening = filterOpening
    }

    public static let intro = TrancePattern(kick: true, offbeatHats: true, claps: true, bass: true)
    public static let breakdown = TrancePattern(pads: true)
    public static let buildup = TrancePattern(pads: true, riser: true, snareRoll: true, filterOpening: true)
    public static let drop = TrancePattern(kick: true, offbeatHats: true, claps: true, bass: true, pads: true, acid: true)
    public static let outro = TrancePattern(kick: true, offbeatHats: true, claps: true, bass: true)
    /// Kick and sidechained pads, nothing else: the cleanest pumping fixture.
    public static let kickAndPads = TrancePattern(kick: true, pads: true)
}

/// Ducking of bass, pads and acid, triggered by each kick.
public struct SidechainSettings: Sendable, Equatable {
    /// Maximum gain reduction in dB (0 = no ducking).
    public var depthDB: Double
    /// Time to reach full depth after the kick.
    public var attackMs: Double
    /// Time held at full depth before releasing.
    public var holdMs: Double
    /// Time to climb back to unity gain (linear in dB, like a compressor's release).
    public var releaseMs: Double
    public init(depthDB: Double = 8, attackMs: Double = 5, holdMs: Double = 40, releaseMs: Double = 160) {
        self.depthDB = depthDB; self.attackMs = attackMs; self.holdMs = holdMs; self.releaseMs = releaseMs
    }
}

public struct SupersawSettings: Sendable, Equatable {
    /// Saw voices per chord note, 1…9.
    public var voices: Int
    /// The outermost voices sit at ±`detuneCents` from the note; the others evenly between.
    public var detuneCents: Double
    /// 0…100 %: voices panned across ±`stereoSpreadPercent` of full left/right (0 = mono).
    public var stereoSpreadPercent: Double
    /// Low-pass cutoff of the pad when fully open.
    public var cutoffHz: Double
    public var levelDB: Double
    public init(voices: Int = 7, detuneCents: Double = 20, stereoSpreadPercent: Double = 80,
                cutoffHz: Double = 5000, levelDB: Double = -14) {
        self.voices = min(max(voices, 1), 9); self.detuneCents = detuneCents
        self.stereoSpreadPercent = min(max(stereoSpreadPercent, 0), 100); self.cutoffHz = cutoffHz; self.levelDB = levelDB
    }
}

/// A 303-style line: 16 sixteenth steps per bar through a resonant 4-pole low-pass.
public struct AcidSettings: Sendable, Equatable {
    public enum Waveform: String, Sendable { case saw, square }
    public var waveform: Waveform
    /// 0…1; 1 is the edge of self-oscillation.
    public var resonance: Double
    /// Cutoff with the envelope closed.
    public var baseCutoffHz: Double
    /// How far the per-note envelope opens the cutoff, in octaves (accents open 1.5× further).
    public var envelopeOctaves: Double
    /// Depth of the slow cutoff sweep (a triangle over `sweepBars`), in octaves.
    public var sweepOctaves: Double
    public var sweepBars: Int
    /// Scale degrees above the tonic (acid register) per step; nil = rest. nil array = seeded pattern.
    public var notes: [Int?]?
    /// Steps (0…15) that glide into the next step without retriggering.
    public var slideSteps: Set<Int>
    /// Steps (0…15) played louder with a wider filter envelope.
    public var accentSteps: Set<Int>
    public var levelDB: Double

    public init(waveform: Waveform = .saw, resonance: Double = 0.7, baseCutoffHz: Double = 300,
                envelopeOctaves: Double = 3, sweepOctaves: Double = 1.5, sweepBars: Int = 8,
                notes: [Int?]? = nil, slideSteps: Set<Int> = [3, 7, 10, 14], accentSteps: Set<Int> = [0, 6, 12],
                levelDB: Double = -12) {
        self.waveform = waveform; self.resonance = min(max(resonance, 0), 1); self.baseCutoffHz = baseCutoffHz
        self.envelopeOctaves = envelopeOctaves; self.sweepOctaves = sweepOctaves; self.sweepBars = max(1, sweepBars)
        self.notes = notes; self.slideSteps = slideSteps; self.accentSteps = accentSteps; self.levelDB = levelDB
    }
}
