/// What gap analysis knows about each scalar feature: its unit, how much it matters, the
/// smallest spread worth believing, and what kind of move can change it.
///
/// Importance (0…1) of the trance features is the research synthesis's trance-score weight
/// divided by the largest (tempo, 0.20): tempo 1.00, pumping 0.75, energy progression 0.75,
/// four-on-the-floor 0.60, supersaw 0.50, acid 0.40, off-beat hats 0.40, brightness 0.35,
/// tempo stability 0.25. Mix features have no published weight; this table is ours:
///
/// | feature | importance | why |
/// |---|---|---|
/// | 1/6-octave spectrum runs | 0.80 | tonal balance is the most audible mix difference |
/// | integrated loudness | 0.70 | level decides how a track stands beside the references |
/// | stereo side/mid ratio | 0.60 | width defines the trance wall of sound |
/// | true peak | 0.70 | a safety rule: only above −1 dBTP, whatever the references do |
/// | broad-band balance | 0.50 | the spectrum runs say it more precisely |
/// | PLR (crest) | 0.45 | over- or under-compression |
/// | per-band stereo | 0.35 | secondary to overall width (sub and bass: 0.45, a wide low end is a mono-compatibility fault) |
/// | correlation | 0.30 | follows from width |
/// | loudness range | 0.30 | arrangement mostly sets it |
/// | section energy / contrast | 0.70 | the breakdown–drop arc is the trance form |
/// | section balance (centroid, bass ratio) | 0.40 | |
/// | section width (side/mid per section kind) | 0.50 | a narrow drop loses the wall of sound; below the overall width's 0.60 |
/// | bars per section | 0.30 | arrangement taste, not a fault |
///
/// Derived duplicates (trance score and its components, acid sub-scores, linear pumping depth,
/// sample peak, short-term/momentary maxima, duration, tempo confidence, key strength) are not
/// compared: their source feature already is.
public enum FeatureCatalog {
    public enum Remedy: Sendable, Equatable {
        /// An EQ move on the mix bus; the feature is a broad band (`spectrum.balance_db.*`).
        case balanceEQ
        case width
        case pumpingCompressor
        case tempo
        case sectionLevel
        /// The mix-bus Limiter's gain or a Utility gain, sized with its true-peak consequence (`MixRules`).
        case loudness
        /// Never a preference: only a true peak above −1 dBTP is a gap (`MixRules`).
        case truePeak
        /// Peak-to-loudness ratio: the mix-bus compressor/limiter, with threshold and ratio named.
        case dynamics
        /// Low-end width: Utility Bass Mono when too wide; never widened (`MixRules`).
        case bassWidth
        case advice(String)
    }

    public struct Entry: Sendable {
        public var unit: String
        public var importance: Double
        /// Smallest believable spread (robust σ), in the feature's unit.
        public var spreadFloor: Double
        public var remedy: Remedy
        /// Readable name for reasons.
        public var label: String
    }

    /// Trance-score weights of the research synthesis (Key Finding 3).
    public static let tranceWeights: [String: Double] = [
        "tempo": 0.20, "pumping": 0.15, "energy_progression": 0.15, "four_on_floor": 0.12, "supersaw": 0.10,
        "acid_303": 0.08, "offbeat_hihat": 0.08, "brightness": 0.07, "tempo_stability": 0.05,
    ]
    static func trance(_ component: String) -> Double { (tranceWeights[component] ?? 0) / 0.20 }

    public static let spectrumImportance = 0.80
    public static let spectrumSpreadFloorDB = 0.75
    public static let sectionEnergyImportance = 0.70
    public static let sectionBalanceImportance = 0.40
    public static let sectionWidthImportance = 0.50
    public static let arrangementBarsImportance = 0.30

    public static func entry(_ feature: String) -> Entry? {
        if let e = table[feature] { return e }
        if feature.hasPrefix("stereo.bands."), feature.hasSuffix(".side_mid_ratio") {
            let band = feature.split(separator: ".")[2]
            if band == "sub" || band == "bass" {
                return Entry(unit: "ratio", importance: 0.45, spreadFloor: 0.02, remedy: .bassWidth, label: "\(band) side/mid")
            }
            return Entry(unit: "ratio", importance: 0.35, spreadFloor: 0.02,
                         remedy: .advice("adjust the width of the \(band) elements (pads, leads, reverbs) on their tracks"), label: "\(band) side/mid")
        }
        if feature.hasPrefix("spectrum.balance_db.") {
            return Entry(unit: "dB", importance: 0.50, spreadFloor: 0.5, remedy: .balanceEQ,
                         label: "\(feature.split(separator: ".").last!) balance")
        }
        return nil
    }

    static let table: [String: Entry] = [
        "loudness.integrated_lufs": Entry(unit: "LUFS", importance: 0.70, spreadFloor: 0.5, remedy: .loudness, label: "integrated loudness"),
        "loudness.true_peak_dbtp": Entry(unit: "dBTP", importance: 0.70, spreadFloor: 0.3, remedy: .truePeak, label: "true peak"),
        "loudness.plr_db": Entry(unit: "dB", importance: 0.45, spreadFloor: 0.5, remedy: .dynamics, label: "peak-to-loudness ratio"),
        "loudness.lra_lu": Entry(unit: "LU", importance: 0.30, spreadFloor: 0.5,
            remedy: .advice("loudness range comes from the arrangement: compare section levels"), label: "loudness range"),
        "stereo.side_mid_ratio": Entry(unit: "ratio", importance: 0.60, spreadFloor: 0.01, remedy: .width, label: "stereo width (side/mid)"),
        "stereo.correlation": Entry(unit: "", importance: 0.30, spreadFloor: 0.02,
            remedy: .advice("correlation follows width: see the width gap"), label: "L/R correlation"),
        "tempo.bpm": Entry(unit: "BPM", importance: trance("tempo"), spreadFloor: 0.5, remedy: .tempo, label: "tempo"),
        "tempo.stability": Entry(unit: "", importance: trance("tempo_stability"), spreadFloor: 0.02,
            remedy: .advice("tighten the grid: warp or quantize drifting material"), label: "tempo stability"),
        "pumping.depth_db": Entry(unit: "dB", importance: trance("pumping"), spreadFloor: 0.5, remedy: .pumpingCompressor,
                                  label: "sidechain pumping depth"),
        "pumping.regularity": Entry(unit: "", importance: trance("pumping") * 0.5, spreadFloor: 0.02,
            remedy: .advice("make the sidechain trigger regular (a ghost kick on every beat)"), label: "pumping regularity"),
        "rhythm.four_on_floor": Entry(unit: "", importance: trance("four_on_floor"), spreadFloor: 0.03,
            remedy: .advice("the kick pattern departs from four-on-the-floor"), label: "four-on-the-floor"),
        "rhythm.offbeat_hihat": Entry(unit: "", importance: trance("offbeat_hihat"), spreadFloor: 0.03,
            remedy: .advice("the off-beat open hats differ from the references"), label: "off-beat hats"),
        "acid.score": Entry(unit: "", importance: trance("acid_303"), spreadFloor: 0.03,
            remedy: .advice("acid character differs: a 303-style line with filter sweeps and glides"), label: "303 acid"),
        "supersaw.width": Entry(unit: "ratio", importance: trance("supersaw") * 0.6, spreadFloor: 0.02,
            remedy: .advice("supersaw spread differs: change the voices' stereo spread on the lead/pad synth"), label: "supersaw width"),
        "supersaw.detune_cents": Entry(unit: "cents", importance: trance("supersaw") * 0.6, spreadFloor: 1,
            remedy: .advice("supersaw detune differs: change the synth's detune"), label: "supersaw detune"),
        "supersaw.correlation": Entry(unit: "", importance: trance("supersaw") * 0.4, spreadFloor: 0.02,
            remedy: .advice("supersaw spread differs (correlation)"), label: "supersaw correlation"),
        "brightness.centroid_hz": Entry(unit: "Hz", importance: trance("brightness"), spreadFloor: 50,
            remedy: .advice("brightness follows the spectrum: see the spectrum gaps above 2 kHz"), label: "spectral centroid"),
        "brightness.high_ratio": Entry(unit: "ratio", importance: trance("brightness"), spreadFloor: 0.005,
            remedy: .advice("brightness follows the spectrum: see the spectrum gaps above 4 kHz"), label: "energy above 4 kHz"),
    ]
}
