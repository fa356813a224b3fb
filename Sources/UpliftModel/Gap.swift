/// One place where a mix departs from the producer's profile, with the fixes proposed for it.
///
/// Written by `uplift gaps --json` inside a `GapReport`. `feature` is the analyze key name
/// (`stereo.side_mid_ratio`), `spectrum.band` for a merged run of 1/6-octave bands, or a
/// section feature (`section.relative_rms_db`, `arrangement.bars`) with `section` naming the kind.
public struct Gap: Codable, Sendable, Equatable, Identifiable {
    public enum Kind: String, Codable, Sendable { case feature, spectrum, section, arrangement }
    /// Which side of the profile's range the mix lies on.
    public enum Direction: String, Codable, Sendable { case high, low }

    /// Stable across runs: hash of profile name + feature + section (+ band centre for spectrum gaps).
    public var id: String
    public var kind: Kind
    public var feature: String
    /// `drop`, `breakdown`, … or `nil` for the whole track.
    public var section: String?
    public var value: Double
    public var unit: String
    public var profileP10: Double
    public var profileP50: Double
    public var profileP90: Double
    /// Robust z: (value − median) / (IQR / 1.349); signed.
    public var z: Double
    /// Share of references below the value, 0…100.
    public var percentile: Double
    public var direction: Direction
    /// How far outside p10–p90, in robust spreads (≥ 0).
    public var severity: Double
    /// 0…1: how much the feature matters (trance-score weight or the mix table).
    public var importance: Double
    /// 0…1: whether a device parameter can move it (0.15 for advice only).
    public var fixability: Double
    /// severity × importance × fixability.
    public var priority: Double
    /// One line: why it ranks where it does.
    public var reason: String
    /// For spectrum gaps: the merged run of bands.
    public var band: SpectrumBandGap?
    public var fixes: [Fix]
    /// No parameter can close it: the fixes are advice.
    public var adviceOnly: Bool
    /// Rejected earlier for this profile (kept in the report, dimmed, not proposed again).
    public var rejected: Bool
    /// Readable name of the feature (`stereo width (side/mid)`); absent in reports of older versions.
    public var label: String?
    /// Where the element part of the gap was measured when not on the mix: `stem:Bass` (the stem
    /// of the track named Bass, `uplift gaps --stems`); absent when measured on the mix.
    public var measuredOn: String?
    /// Producer's words: what a listener would hear, with the references' range; the statistics stay in `reason`.
    public var headline: String?
    /// Larger than a listener can hear (`Audibility`) and moved by a fix of audible size; `false` gaps are
    /// listed only on request (`--all`), marked "inaudible".
    public var audible: Bool?
    /// Above the documented worth-acting-on line (`GapJudgement.actionLine`), audible, not a symptom.
    public var actionable: Bool?
    /// Where the gap sits in the order of work (`WorkOrder`): `safety`, `loudness`, `tonal`, `dynamics`, `stereo`, `arrangement`.
    public var tier: String?
    /// Id of the gap that causes this one (one cause, one gap): shown under its cause, never ranked on its own.
    public var causedBy: String?

    public init(id: String, kind: Kind, feature: String, section: String?, value: Double, unit: String,
                profileP10: Double, profileP50: Double, profileP90: Double, z: Double, percentile: Double,
                direction: Direction, severity: Double, importance: Double, fixability: Double, priority: Double,
                reason: String, band: SpectrumBandGap? = nil, fixes: [Fix] = [], adviceOnly: Bool = false,
                rejected: Bool = false, label: String? = nil, measuredOn: String? = nil) {
        self.id = id; self.kind = kind; self.feature = feature; self.section = section; self.value = value
        self.unit = unit; self.profileP10 = profileP10; self.profileP50 = profileP50; self.profileP90 = profileP90
        self.z = z; self.percentile = percentile; self.direction = direction; self.severity = severity
        self.importance = importance; self.fixability = fixability; self.priority = priority; self.reason = reason
        self.band = band; self.fixes = fixes; self.adviceOnly = adviceOnly; self.rejected = rejected; self.label = label
        self.measuredOn = measuredOn
    }

    enum CodingKeys: String, CodingKey {
        case id, kind, feature, section, value, unit, z, percentile, direction, severity, importance, fixability
        case priority, reason, band, fixes, rejected, label, measuredOn = "measured_on", headline, audible, actionable, tier
        case causedBy = "caused_by"
        case profileP10 = "profile_p10", profileP50 = "profile_p50", profileP90 = "profile_p90", adviceOnly = "advice_only"
    }

    /// Signed distance to the nearest edge of p10–p90 (positive above p90, negative below p10, 0 inside).
    public var outsideAmount: Double {
        if value > profileP90 { return value - profileP90 }
        if value < profileP10 { return value - profileP10 }
        return 0
    }
}

/// A run of neighbouring 1/6-octave bands outside the profile's p10–p90 in the same direction.
public struct SpectrumBandGap: Codable, Sendable, Equatable {
    /// Geometric centre of the run, Hz.
    public var centreHz: Double
    public var lowHz: Double
    public var highHz: Double
    /// Width of the run in octaves.
    public var widthOctaves: Double
    /// Centre of the band that departs most.
    public var peakHz: Double
    /// Largest departure from the profile median over the run, dB (signed).
    public var sizeDB: Double
    /// Largest distance beyond p10/p90 over the run, dB (signed).
    public var outsideDB: Double
    public var bandCount: Int

    public init(centreHz: Double, lowHz: Double, highHz: Double, widthOctaves: Double, peakHz: Double, sizeDB: Double,
                outsideDB: Double, bandCount: Int) {
        self.centreHz = centreHz; self.lowHz = lowHz; self.highHz = highHz; self.widthOctaves = widthOctaves; self.peakHz = peakHz
        self.sizeDB = sizeDB; self.outsideDB = outsideDB; self.bandCount = bandCount
    }

    enum CodingKeys: String, CodingKey {
        case centreHz = "centre_hz", lowHz = "low_hz", highHz = "high_hz", widthOctaves = "width_octaves", peakHz = "peak_hz"
        case sizeDB = "size_db", outsideDB = "outside_db", bandCount = "band_count"
    }
}

/// `uplift gaps --json`: schema `uplift.gaps/1`.
public struct GapReport: Codable, Sendable, Equatable {
    public static let schema = "uplift.gaps/1"
    public var schema: String = GapReport.schema
    public var mix: String
    public var profile: String
    /// The cluster compared against (`nil` = the whole profile).
    public var cluster: ClusterChoice?
    /// Fraction of each gap a fix closes (0…1).
    public var amount: Double
    /// Ranked, highest priority first.
    public var gaps: [Gap]
    /// What the mix measured, kept so a later report can say what changed (`measured, not assumed`).
    public var measured: [String: Double]
    public var warnings: [String]
    /// The references nearest the mix in the profile's learned embedding, nearest first (`name (distance)`);
    /// `nil` when the profile has no embedding. Also what `--nearest K` compared with.
    public var nearestReferences: [String]?

    enum CodingKeys: String, CodingKey {
        case schema, mix, profile, cluster, amount, gaps, measured, warnings
        case nearestReferences = "nearest_references"
    }

    public init(mix: String, profile: String, cluster: ClusterChoice?, amount: Double, gaps: [Gap],
                measured: [String: Double], warnings: [String] = []) {
        self.mix = mix; self.profile = profile; self.cluster = cluster; self.amount = amount; self.gaps = gaps
        self.measured = measured; self.warnings = warnings
    }

    public struct ClusterChoice: Codable, Sendable, Equatable {
        public var id: Int
        public var name: String
        /// `nearest` (chosen automatically) or `named` (`--cluster`).
        public var how: String
        /// Standardized distance to its centroid.
        public var distance: Double?
        /// How many references the cluster holds (absent in reports of older versions).
        public var size: Int?
        public init(id: Int, name: String, how: String, distance: Double?, size: Int? = nil) {
            self.id = id; self.name = name; self.how = how; self.distance = distance; self.size = size
        }
    }
}
