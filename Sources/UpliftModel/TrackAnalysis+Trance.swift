/// The trance sections of `uplift.analysis/2` (Key Finding 3 of the research synthesis).
/// Each carries a confidence where the measurement can fail (no beat, no acid line); a value that
/// could not be measured is written as JSON `null`, never 0 and never left out.
extension TrackAnalysis {
    public struct Tempo: Codable, Sendable, Equatable {
        public var bpm: Double
        /// 0…1: how clearly one periodicity stands out. Near 0 for beatless material.
        public var confidence: Double
        /// 0…1: 1 = a rock-steady grid, falling as the local tempo wanders.
        public var stability: Double
        /// Time of the first beat of the grid in seconds (the phase).
        public var firstBeatS: Double
        /// The other octave when the reading is octave-ambiguous ("140 or 70 BPM"; the confidence is
        /// then below 0.5), `null` when the beat settles it (backbeat, a kick on every beat).
        public var alternativeBPM: Double?
        public init(bpm: Double, confidence: Double, stability: Double, firstBeatS: Double) {
            self.init(bpm: bpm, confidence: confidence, stability: stability, firstBeatS: firstBeatS, alternativeBPM: nil)
        }
        public init(bpm: Double, confidence: Double, stability: Double, firstBeatS: Double, alternativeBPM: Double?) {
            self.bpm = bpm; self.confidence = confidence; self.stability = stability; self.firstBeatS = firstBeatS
            self.alternativeBPM = alternativeBPM
        }
        enum CodingKeys: String, CodingKey { case bpm, confidence, stability, firstBeatS = "first_beat_s", alternativeBPM = "alternative_bpm" }
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(bpm, forKey: .bpm); try c.encode(confidence, forKey: .confidence)
            try c.encode(stability, forKey: .stability); try c.encode(firstBeatS, forKey: .firstBeatS)
            try c.encode(alternativeBPM, forKey: .alternativeBPM)
        }
    }

    public struct Rhythm: Codable, Sendable, Equatable {
        /// 0…1: how regularly low-band onsets land on every beat.
        public var fourOnFloor: Double
        /// 0…1: high-band onset energy on the off-beat eighths against elsewhere.
        public var offbeatHihat: Double
        public init(fourOnFloor: Double, offbeatHihat: Double) {
            self.fourOnFloor = fourOnFloor; self.offbeatHihat = offbeatHihat
        }
        enum CodingKeys: String, CodingKey { case fourOnFloor = "four_on_floor", offbeatHihat = "offbeat_hihat" }
    }

    public enum PumpingClass: String, Codable, Sendable { case none, moderate, heavy }

    public struct Pumping: Codable, Sendable, Equatable {
        public var depthDB: Double
        public var depthLinear: Double
        /// Coefficient of variation of the per-beat depth (lower = more regular).
        public var regularity: Double
        public var `class`: PumpingClass
        public init(depthDB: Double, depthLinear: Double, regularity: Double, class: PumpingClass) {
            self.depthDB = depthDB; self.depthLinear = depthLinear; self.regularity = regularity; self.class = `class`
        }
        enum CodingKeys: String, CodingKey {
            case depthDB = "depth_db", depthLinear = "depth_linear", regularity, `class`
        }
    }

    public struct Acid: Codable, Sendable, Equatable {
        /// 0…1 composite: sweep 30 %, resonance 25 %, glide 25 %, accent 20 %. 0 when no 303-like
        /// line was found (a measured "no acid").
        public var score: Double
        public var sweep: Double
        public var resonance: Double
        public var glide: Double
        public var accent: Double
        /// 0…1: how clearly a 16th-note 303-like line was found (the share of bars holding one,
        /// ramped 5 → 20 %). At 0 the parts describe no line: they are written as `null`.
        public var confidence: Double
        /// Whether a line was found, so the parts mean something.
        public var measured: Bool { confidence > 0 }
        /// A measured line (confidence 1).
        public init(score: Double, sweep: Double, resonance: Double, glide: Double, accent: Double) {
            self.init(score: score, sweep: sweep, resonance: resonance, glide: glide, accent: accent, confidence: 1)
        }
        public init(score: Double, sweep: Double, resonance: Double, glide: Double, accent: Double, confidence: Double) {
            self.score = score; self.sweep = sweep; self.resonance = resonance; self.glide = glide; self.accent = accent
            self.confidence = confidence
        }
        enum CodingKeys: String, CodingKey { case score, sweep, resonance, glide, accent, confidence }
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(score, forKey: .score)
            try c.encode(confidence, forKey: .confidence)
            for (key, value) in [(CodingKeys.sweep, sweep), (.resonance, resonance), (.glide, glide), (.accent, accent)] {
                if measured { try c.encode(value, forKey: key) } else { try c.encodeNil(forKey: key) }
            }
        }
        /// Reads `uplift.analysis/1` too (no confidence: a non-zero score counts as measured).
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            score = try c.decode(Double.self, forKey: .score)
            sweep = try c.decodeIfPresent(Double.self, forKey: .sweep) ?? 0
            resonance = try c.decodeIfPresent(Double.self, forKey: .resonance) ?? 0
            glide = try c.decodeIfPresent(Double.self, forKey: .glide) ?? 0
            accent = try c.decodeIfPresent(Double.self, forKey: .accent) ?? 0
            confidence = try c.decodeIfPresent(Double.self, forKey: .confidence) ?? (score > 0 ? 1 : 0)
        }
    }

    public struct Supersaw: Codable, Sendable, Equatable {
        /// Side/mid width ratio in the pad/lead band.
        public var width: Double
        public var correlation: Double
        /// The outer voices' offset from the note; `nil` when no detuned tonal cluster was found (no
        /// pads or leads, drums only): "not measured", never a fake 0.
        public var detuneCents: Double?
        public init(width: Double, correlation: Double, detuneCents: Double?) {
            self.width = width; self.correlation = correlation; self.detuneCents = detuneCents
        }
        enum CodingKeys: String, CodingKey { case width, correlation, detuneCents = "detune_cents" }
        /// `detune_cents` is `null` when not measured (it was left out before `uplift.analysis/2`).
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(width, forKey: .width)
            try c.encode(correlation, forKey: .correlation)
            try c.encode(detuneCents, forKey: .detuneCents)
        }
    }

    public struct Brightness: Codable, Sendable, Equatable {
        public var centroidHz: Double
        /// Energy above 4 kHz over total energy.
        public var highRatio: Double
        public init(centroidHz: Double, highRatio: Double) { self.centroidHz = centroidHz; self.highRatio = highRatio }
        enum CodingKeys: String, CodingKey { case centroidHz = "centroid_hz", highRatio = "high_ratio" }
    }

    public struct Key: Codable, Sendable, Equatable {
        /// `C`, `C#`, … `B`.
        public var tonic: String
        /// `major` or `minor`.
        public var mode: String
        /// Camelot wheel code: 8A = A minor, 8B = C major.
        public var camelot: String
        /// Correlation with the best key profile, -1…1.
        public var strength: Double
        public init(tonic: String, mode: String, camelot: String, strength: Double) {
            self.tonic = tonic; self.mode = mode; self.camelot = camelot; self.strength = strength
        }
    }

    public struct EnergyPoint: Codable, Sendable, Equatable {
        public var tS: Double
        public var rmsDB: Double
        public var centroidHz: Double
        public var bassRatio: Double
        /// Side energy over mid energy over the point (mid = (L+R)/2, side = (L−R)/2): 0 mono,
        /// 1 equal. Absent in analyses made before it was measured (analyzer version 1).
        public var sideMidRatio: Double?
        public init(tS: Double, rmsDB: Double, centroidHz: Double, bassRatio: Double, sideMidRatio: Double?) {
            self.tS = tS; self.rmsDB = rmsDB; self.centroidHz = centroidHz; self.bassRatio = bassRatio
            self.sideMidRatio = sideMidRatio
        }
        /// Without width (analyses and fixtures that do not measure it).
        public init(tS: Double, rmsDB: Double, centroidHz: Double, bassRatio: Double) {
            self.init(tS: tS, rmsDB: rmsDB, centroidHz: centroidHz, bassRatio: bassRatio, sideMidRatio: nil)
        }
        enum CodingKeys: String, CodingKey {
            case tS = "t_s", rmsDB = "rms_db", centroidHz = "centroid_hz", bassRatio = "bass_ratio", sideMidRatio = "side_mid_ratio"
        }
    }

    public struct Energy: Codable, Sendable, Equatable {
        /// One point per bar.
        public var curve: [EnergyPoint]
        public init(curve: [EnergyPoint]) { self.curve = curve }
    }

    public enum SectionKind: String, Codable, Sendable, CaseIterable { case intro, breakdown, buildup, drop, outro }

    /// A stretch of digital silence, in seconds from the start of the file.
    public struct SilenceSpan: Codable, Sendable, Equatable {
        public var startS: Double
        public var endS: Double
        public init(startS: Double, endS: Double) { self.startS = startS; self.endS = endS }
        enum CodingKeys: String, CodingKey { case startS = "start_s", endS = "end_s" }
    }

    public struct Section: Codable, Sendable, Equatable {
        public var kind: SectionKind
        public var startS: Double
        public var endS: Double
        public init(kind: SectionKind, startS: Double, endS: Double) { self.kind = kind; self.startS = startS; self.endS = endS }
        enum CodingKeys: String, CodingKey { case kind, startS = "start_s", endS = "end_s" }
    }

    /// The trance score: 0–100 and the components it was built from.
    public struct Trance: Codable, Sendable, Equatable {
        public var score: Double
        public var components: [TranceComponent]
        public init(score: Double, components: [TranceComponent]) { self.score = score; self.components = components }
    }

    public struct TranceComponent: Codable, Sendable, Equatable {
        /// `tempo`, `pumping`, `energy_progression`, `four_on_floor`, `supersaw`, `acid_303`,
        /// `offbeat_hihat`, `brightness`, `tempo_stability`.
        public var name: String
        /// 0…1 after the component's curve.
        public var value: Double
        public var weight: Double
        /// One line: why it scored as it did.
        public var reason: String
        /// `false` when the feature behind it could not be measured (no tempo, silence), so the 0 is
        /// "unknown", not "absent"; `nil` (and no JSON key) when it was measured.
        public var measured: Bool?
        public init(name: String, value: Double, weight: Double, reason: String, measured: Bool = true) {
            self.name = name; self.value = value; self.weight = weight; self.reason = reason
            self.measured = measured ? nil : false
        }
        public var isMeasured: Bool { measured != false }
    }
}
