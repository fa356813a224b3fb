import Foundation

/// A device-agnostic move that would close (part of) a gap.
public enum FixAction: Codable, Sendable, Equatable {
    public enum EQShape: String, Codable, Sendable { case bell, lowShelf = "low_shelf", highShelf = "high_shelf" }

    case eq(shape: EQShape, frequencyHz: Double, gainDB: Double, q: Double)
    case utility(widthPercent: Double)
    case compressor(thresholdDB: Double, ratio: Double)
    case tempo(bpm: Double)
    /// A level change over every section of a kind (`breakdown`): automation, so applied by hand.
    case sectionGain(section: String, gainDB: Double)
    /// A level change of the whole track with headroom to spare: a Utility's Gain (the mixer volume once the bridge reaches it).
    case gain(gainDB: Double)
    /// The mix-bus Limiter: input Gain and Ceiling (true-peak mode), both dB.
    case limiter(gainDB: Double, ceilingDB: Double)
    /// Utility's Bass Mono on, below this frequency.
    case bassMono(frequencyHz: Double)
    /// A mix folded to mono: the Utility that folds it back to stereo (Mono off, Width 100 %).
    case restoreStereo
    /// Nothing to turn: what the producer could do by hand.
    case advice(String)

    /// Short readable form: `eq(bell, 120 Hz, -2.5 dB, Q 1.2)`.
    public var summary: String {
        switch self {
        case let .eq(shape, f, g, q):
            return "eq(\(shape.rawValue), \(FixAction.hz(f)), \(String(format: "%+.1f", g)) dB, Q \(String(format: "%.2g", q)))"
        case let .utility(w): return "utility(width \(String(format: "%.0f", w)) %)"
        case let .compressor(t, r): return "compressor(threshold \(String(format: "%.1f", t)) dB, ratio \(String(format: "%.1f", r)):1)"
        case let .tempo(bpm): return "tempo(\(String(format: "%.1f", bpm)) BPM)"
        case let .sectionGain(section, g): return "gain(\(section)s \(String(format: "%+.1f", g)) dB)"
        case let .gain(g): return "gain(\(String(format: "%+.1f", g)) dB)"
        case let .limiter(g, c): return "limiter(gain \(String(format: "%+.1f", g)) dB, ceiling \(String(format: "%.1f", c)) dBTP)"
        case let .bassMono(f): return "utility(bass mono below \(FixAction.hz(f)))"
        case .restoreStereo: return "utility(mono off, width 100 %)"
        case let .advice(text): return text
        }
    }

    public var stableKey: String {
        switch self {
        case let .eq(shape, _, _, _): return "eq:\(shape.rawValue)"
        case .utility: return "utility:width"
        case .compressor: return "compressor"
        case .tempo: return "tempo"
        case let .sectionGain(section, _): return "section_gain:\(section)"
        case .gain: return "gain"
        case .limiter: return "limiter"
        case .bassMono: return "utility:bass_mono"
        case .restoreStereo: return "utility:restore_stereo"
        // Without its numbers: advice sized from the gap keeps its id across `--amount`s.
        case let .advice(text): return "advice:" + String(text.filter { !$0.isNumber })
        }
    }

    static func hz(_ f: Double) -> String { f >= 1000 ? String(format: "%.2f kHz", f / 1000) : String(format: "%.0f Hz", f) }

    // Flat JSON: {"type": "eq", "shape": "bell", "frequency_hz": 120, "gain_db": -2.5, "q": 1.2}.
    enum CodingKeys: String, CodingKey {
        case type, shape, q, ratio, bpm, text, section
        case ceilingDB = "ceiling_db"
        case frequencyHz = "frequency_hz", gainDB = "gain_db", widthPercent = "width_percent", thresholdDB = "threshold_db"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case let .eq(shape, f, g, q):
            try c.encode("eq", forKey: .type); try c.encode(shape, forKey: .shape)
            try c.encode(f, forKey: .frequencyHz); try c.encode(g, forKey: .gainDB); try c.encode(q, forKey: .q)
        case let .utility(w): try c.encode("utility", forKey: .type); try c.encode(w, forKey: .widthPercent)
        case let .compressor(t, r):
            try c.encode("compressor", forKey: .type); try c.encode(t, forKey: .thresholdDB); try c.encode(r, forKey: .ratio)
        case let .tempo(bpm): try c.encode("tempo", forKey: .type); try c.encode(bpm, forKey: .bpm)
        case let .sectionGain(section, g):
            try c.encode("section_gain", forKey: .type); try c.encode(section, forKey: .section); try c.encode(g, forKey: .gainDB)
        case let .gain(g): try c.encode("gain", forKey: .type); try c.encode(g, forKey: .gainDB)
        case let .limiter(g, ceiling):
            try c.encode("limiter", forKey: .type); try c.encode(g, forKey: .gainDB); try c.encode(ceiling, forKey: .ceilingDB)
        case let .bassMono(f): try c.encode("bass_mono", forKey: .type); try c.encode(f, forKey: .frequencyHz)
        case .restoreStereo: try c.encode("restore_stereo", forKey: .type)
        case let .advice(text): try c.encode("advice", forKey: .type); try c.encode(text, forKey: .text)
        }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        switch try c.decode(String.self, forKey: .type) {
        case "eq":
            self = .eq(shape: try c.decode(EQShape.self, forKey: .shape), frequencyHz: try c.decode(Double.self, forKey: .frequencyHz),
                       gainDB: try c.decode(Double.self, forKey: .gainDB), q: try c.decode(Double.self, forKey: .q))
        case "utility": self = .utility(widthPercent: try c.decode(Double.self, forKey: .widthPercent))
        case "compressor":
            self = .compressor(thresholdDB: try c.decode(Double.self, forKey: .thresholdDB), ratio: try c.decode(Double.self, forKey: .ratio))
        case "tempo": self = .tempo(bpm: try c.decode(Double.self, forKey: .bpm))
        case "section_gain":
            self = .sectionGain(section: try c.decode(String.self, forKey: .section), gainDB: try c.decode(Double.self, forKey: .gainDB))
        case "gain": self = .gain(gainDB: try c.decode(Double.self, forKey: .gainDB))
        case "limiter": self = .limiter(gainDB: try c.decode(Double.self, forKey: .gainDB), ceilingDB: try c.decode(Double.self, forKey: .ceilingDB))
        case "bass_mono": self = .bassMono(frequencyHz: try c.decode(Double.self, forKey: .frequencyHz))
        case "restore_stereo": self = .restoreStereo
        case "advice": self = .advice(try c.decode(String.self, forKey: .text))
        case let other:
            throw DecodingError.dataCorruptedError(forKey: .type, in: c, debugDescription: "unknown fix type \(other)")
        }
    }
}

/// Where a fix acts before it is mapped onto a Live set.
public enum FixScope: Codable, Sendable, Equatable {
    /// The whole mix: the mix-bus track (AbletonOSC cannot reach the master).
    case mixBus
    /// One element (`kick`, `bass`, `lead`, `pad`, …): the track the roles table names.
    case role(String)
    /// The set itself (tempo).
    case song
    /// One track by name: the track whose stem (`uplift gaps --stems`) carries the gap.
    case track(String)

    public var label: String {
        switch self {
        case .mixBus: "mix bus"
        case let .role(r): r
        case .song: "song"
        case let .track(t): t
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .mixBus: try c.encode("mix_bus")
        case .song: try c.encode("song")
        case let .role(r): try c.encode("role:\(r)")
        case let .track(t): try c.encode("track:\(t)")
        }
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        switch text {
        case "mix_bus": self = .mixBus
        case "song": self = .song
        case _ where text.hasPrefix("track:"): self = .track(String(text.dropFirst(6)))
        default: self = .role(text.hasPrefix("role:") ? String(text.dropFirst(5)) : text)
        }
    }
}

/// A proposed fix: the action, where it acts, what it should do, and (once mapped) the exact
/// parameter changes on the Live set.
public struct Fix: Codable, Sendable, Equatable, Identifiable {
    /// Stable: hash of profile + feature + section + action kind (not its size, which depends on `--amount`).
    public var id: String
    public var gapID: String
    public var action: FixAction
    public var scope: FixScope
    /// What the move should do to the measured feature, in words and numbers.
    public var expectedEffect: String
    /// Predicted value of the gap's feature after the fix.
    public var expectedValue: Double?
    /// 0…1.
    public var confidence: Double
    public var adviceOnly: Bool
    /// The Live track and device (nil until mapped, or when nothing can take the move).
    public var track: String?
    public var device: String?
    public var parameters: [ParameterChange]
    /// Set when the set cannot take the fix as is: "add EQ Eight to Bass".
    public var needs: String?
    /// The mix's true peak after the fix (worst case), dBTP, when the fix can change it; never above −1.
    public var expectedTruePeakDBTP: Double?
    /// Gain reduction (dB, negative) that goes with a boost so the true peak stays at or below −1 dBTP.
    public var trimDB: Double?
    /// What rendering the fix and re-analysing the result measured (`uplift gaps --check-fixes`, the gap pane), when done.
    public var check: FixCheck?
    /// The sizing factor the producer's re-exports taught (`LearnedRanking`), when one scaled this move.
    public var learnedSizing: Double?

    public init(id: String, gapID: String, action: FixAction, scope: FixScope, expectedEffect: String,
                expectedValue: Double?, confidence: Double, adviceOnly: Bool, track: String? = nil, device: String? = nil,
                parameters: [ParameterChange] = [], needs: String? = nil, expectedTruePeakDBTP: Double? = nil, trimDB: Double? = nil) {
        self.id = id; self.gapID = gapID; self.action = action; self.scope = scope; self.expectedEffect = expectedEffect
        self.expectedValue = expectedValue; self.confidence = confidence; self.adviceOnly = adviceOnly; self.track = track
        self.device = device; self.parameters = parameters; self.needs = needs
        self.expectedTruePeakDBTP = expectedTruePeakDBTP; self.trimDB = trimDB
    }

    enum CodingKeys: String, CodingKey {
        case id, action, scope, confidence, track, device, parameters, needs
        case gapID = "gap_id", expectedEffect = "expected_effect", expectedValue = "expected_value", adviceOnly = "advice_only"
        case expectedTruePeakDBTP = "expected_true_peak_dbtp", trimDB = "trim_db", check, learnedSizing = "learned_sizing"
    }

    /// Whether the bridge can apply it as it stands.
    public var isApplicable: Bool { !adviceOnly && needs == nil && track != nil && device != nil && !parameters.isEmpty }
}

/// One parameter move on a Live device, in the units Live displays.
public struct ParameterChange: Codable, Sendable, Equatable {
    /// As Live names it: `3 Gain A`, `Stereo Width`, `Threshold`.
    public var name: String
    /// `Hz`, `dB`, `%`, `ms`, `ratio`, `BPM`, or empty for choices (`Bell`, `On`).
    public var unit: String
    /// The current value when known (nil when the device must be added first).
    public var old: Double?
    public var new: Double
    /// Display strings for choices and what Live shows (`Bell`, `On`, `120 Hz`).
    public var oldText: String?
    public var newText: String

    public init(name: String, unit: String, old: Double?, new: Double, oldText: String?, newText: String) {
        self.name = name; self.unit = unit; self.old = old; self.new = new; self.oldText = oldText; self.newText = newText
    }

    enum CodingKeys: String, CodingKey { case name, unit, old, new, oldText = "old_text", newText = "new_text" }

    /// `3 Gain A: 0.0 dB → -2.5 dB`.
    public var summary: String { "\(name): \(oldText ?? "–") → \(newText)" }
}

/// Side effects before approval: the fix rendered through Uplift's device models and the result
/// re-analysed. Closure is of the gap's departure from the references' median (what `--amount` sizes).
public struct FixCheck: Codable, Sendable, Equatable {
    public struct Change: Codable, Sendable, Equatable {
        public var gapID: String
        public var feature: String
        /// Readable name (`bass (60–250 Hz)`), with the section when there is one.
        public var label: String
        public var before: Double?
        public var after: Double
        public var profileP10: Double
        public var profileP90: Double
        /// Spreads beyond p10/p90, before and after (0 inside).
        public var severityBefore: Double
        public var severityAfter: Double
        public init(gapID: String, feature: String, label: String, before: Double?, after: Double, profileP10: Double, profileP90: Double,
                    severityBefore: Double, severityAfter: Double) {
            self.gapID = gapID; self.feature = feature; self.label = label; self.before = before; self.after = after
            self.profileP10 = profileP10; self.profileP90 = profileP90; self.severityBefore = severityBefore; self.severityAfter = severityAfter
        }
        enum CodingKeys: String, CodingKey {
            case feature, label, before, after
            case gapID = "gap_id", profileP10 = "profile_p10", profileP90 = "profile_p90"
            case severityBefore = "severity_before", severityAfter = "severity_after"
        }
    }

    public var fixID: String
    /// What was rendered: `Uplift's model of EQ Eight: …, on the mix`.
    public var rendered: String
    /// The gap's feature before and after, as measured.
    public var before: Double
    public var after: Double?
    /// Share of the departure from the references' median the rendering closed (1 = at the median; < 0 = wider).
    public var closedShare: Double?
    /// What the fix promised, on the same scale (the sizing amount, e.g. 0.7).
    public var promisedShare: Double?
    /// Other features the rendering pushed outside p10–p90 (they were inside).
    public var pushedOutside: [Change]
    /// Other gaps the rendering made wider.
    public var widened: [Change]
    /// The rendering widens other gaps (in spreads) by more than it closes its own.
    public var hurtsMoreThanHelps: Bool
    /// One line for the producer.
    public var summary: String

    public init(fixID: String, rendered: String, before: Double, after: Double?, closedShare: Double?, promisedShare: Double?,
                pushedOutside: [Change], widened: [Change], hurtsMoreThanHelps: Bool, summary: String) {
        self.fixID = fixID; self.rendered = rendered; self.before = before; self.after = after; self.closedShare = closedShare
        self.promisedShare = promisedShare; self.pushedOutside = pushedOutside; self.widened = widened
        self.hurtsMoreThanHelps = hurtsMoreThanHelps; self.summary = summary
    }

    enum CodingKeys: String, CodingKey {
        case rendered, before, after, widened, summary
        case fixID = "fix_id", closedShare = "closed_share", promisedShare = "promised_share", pushedOutside = "pushed_outside"
        case hurtsMoreThanHelps = "hurts_more_than_helps"
    }
}
