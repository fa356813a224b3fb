import Foundation

/// A reference profile: what a producer's favourite tracks have in common, schema `uplift.profile/1`.
///
/// Written by `uplift profile build` as `NAME.uplift-profile` (JSON, snake_case keys, through
/// `UpliftJSON`). Feature names are the dotted JSON key paths of `uplift analyze`
/// (`loudness.integrated_lufs`, `tempo.bpm`, `trance.components.pumping`); see
/// `TrackAnalysis.scalarFeatures`. Everything a later comparison needs is here, so a profile
/// travels without its cache: per-track feature values are kept in `sources`.
public struct Profile: Codable, Sendable, Equatable {
    /// The schema family; the number after the slash is `schemaVersion`.
    public static let schemaPrefix = "uplift.profile/"
    /// Bumped when a reader of the previous version would misread a file of this one.
    /// 2: the learned similarity embedding (`embedding`); schema-1 files are still read (no embedding).
    public static let schemaVersion = 2
    public static let schema = "\(schemaPrefix)\(schemaVersion)"
    public static let fileExtension = "uplift-profile"

    public var schema: String = Profile.schema
    /// Display name (the file name without extension unless given).
    public var name: String
    /// ISO 8601, UTC.
    public var createdAt: String
    public var updatedAt: String?
    /// `TrackAnalyzer.version` of the analyses the statistics come from.
    public var analyzerVersion: Int
    /// Directories (or files) the profile was built from, as given, made absolute; `update` re-scans them.
    public var roots: [String]
    /// Tracks that were analysed and counted.
    public var trackCount: Int
    /// Per analyze key name (`loudness.integrated_lufs`): distribution over the tracks.
    public var features: [String: FeatureStats]
    /// Loudness-normalized 1/6-octave spectrum percentiles; `nil` when no track had a spectrum.
    public var spectrum: SpectrumCurves?
    /// Tempo histogram, 1-BPM bins, only bins with tracks.
    public var tempoHistogram: [TempoBin]
    /// Key histogram in Camelot order (1A, 1B, 2A, …), only keys with tracks.
    public var keyHistogram: [KeyBin]
    /// Typical arrangement: bars and energy per section kind; `nil` when no track had sections.
    public var sectionLayout: SectionLayout?
    /// Sub-style clusters (empty when there are too few tracks or features to cluster).
    public var clusters: [Cluster]
    /// Mean silhouette of the chosen clustering, -1…1 (higher = better separated); `nil` without clusters.
    public var silhouette: Double?
    /// How the clusters were made, so a mix can be placed in the nearest one.
    public var clustering: Clustering?
    /// The analysed tracks, in path order.
    public var sources: [Source]
    /// Files found but not analysed (unreadable, corrupt), with the reason.
    public var skipped: [SkippedFile]
    /// The learned similarity metric and each source's vector; `nil` when not built (`--no-embedding`, schema 1).
    public var embedding: Embedding?

    public init(name: String, createdAt: String, analyzerVersion: Int, roots: [String], trackCount: Int,
                features: [String: FeatureStats], spectrum: SpectrumCurves?, tempoHistogram: [TempoBin],
                keyHistogram: [KeyBin], sectionLayout: SectionLayout?, clusters: [Cluster], silhouette: Double?,
                clustering: Clustering?, sources: [Source], skipped: [SkippedFile]) {
        self.name = name; self.createdAt = createdAt; self.analyzerVersion = analyzerVersion; self.roots = roots
        self.trackCount = trackCount; self.features = features; self.spectrum = spectrum
        self.tempoHistogram = tempoHistogram; self.keyHistogram = keyHistogram; self.sectionLayout = sectionLayout
        self.clusters = clusters; self.silhouette = silhouette; self.clustering = clustering
        self.sources = sources; self.skipped = skipped
    }

    enum CodingKeys: String, CodingKey {
        case schema, name, roots, features, spectrum, clusters, silhouette, clustering, sources, skipped, embedding
        case createdAt = "created_at", updatedAt = "updated_at", analyzerVersion = "analyzer_version"
        case trackCount = "track_count", tempoHistogram = "tempo_histogram", keyHistogram = "key_histogram"
        case sectionLayout = "section_layout"
    }

    /// The version number of a schema string such as `uplift.profile/1`; `nil` when it is not one.
    public static func version(ofSchema schema: String) -> Int? {
        guard schema.hasPrefix(schemaPrefix) else { return nil }
        return Int(schema.dropFirst(schemaPrefix.count))
    }
}

extension Profile {
    /// Distribution of one scalar feature over the tracks that have it (non-finite values skipped).
    ///
    /// `std` is the sample standard deviation (n − 1; 0 for one value). Percentiles interpolate
    /// linearly between order statistics (Hyndman & Fan type 7, numpy's default):
    /// h = (n − 1)·p, value = x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]).
    public struct FeatureStats: Codable, Sendable, Equatable {
        public var n: Int
        public var mean: Double
        public var std: Double
        public var median: Double
        public var p10: Double
        public var p25: Double
        public var p75: Double
        public var p90: Double
        public var min: Double
        public var max: Double

        public init(n: Int, mean: Double, std: Double, median: Double, p10: Double, p25: Double, p75: Double,
                    p90: Double, min: Double, max: Double) {
            self.n = n; self.mean = mean; self.std = std; self.median = median; self.p10 = p10; self.p25 = p25
            self.p75 = p75; self.p90 = p90; self.min = min; self.max = max
        }

        /// Interquartile range, the robust spread (p75 − p25).
        public var iqr: Double { p75 - p25 }
    }

    /// How each track's band levels were shifted before the percentiles were taken.
    public enum SpectrumNormalization: String, Codable, Sendable {
        /// Shift so the track's integrated loudness equals `referenceLevel` LUFS.
        case integratedLoudness = "integrated_loudness"
        /// Shift so the total power of all bands equals `referenceLevel` dB (used when loudness is absent).
        case totalBandPower = "total_band_power"
    }

    /// The 1/6-octave spectrum of the references as percentile curves, after loudness matching,
    /// so curves compare shape, not level.
    public struct SpectrumCurves: Codable, Sendable, Equatable {
        public var normalization: SpectrumNormalization
        /// LUFS for `integratedLoudness`, dB for `totalBandPower`.
        public var referenceLevel: Double
        public var bandsHz: [Double]
        /// Tracks contributing to each band.
        public var n: [Int]
        public var p10DB: [Double]
        public var p25DB: [Double]
        public var p50DB: [Double]
        public var p75DB: [Double]
        public var p90DB: [Double]

        public init(normalization: SpectrumNormalization, referenceLevel: Double, bandsHz: [Double], n: [Int],
                    p10DB: [Double], p25DB: [Double], p50DB: [Double], p75DB: [Double], p90DB: [Double]) {
            self.normalization = normalization; self.referenceLevel = referenceLevel; self.bandsHz = bandsHz
            self.n = n; self.p10DB = p10DB; self.p25DB = p25DB; self.p50DB = p50DB; self.p75DB = p75DB; self.p90DB = p90DB
        }

        enum CodingKeys: String, CodingKey {
            case normalization, n
            case referenceLevel = "reference_level", bandsHz = "bands_hz", p10DB = "p10_db", p25DB = "p25_db"
            case p50DB = "p50_db", p75DB = "p75_db", p90DB = "p90_db"
        }

        /// A track's band levels shifted the way the references were, so they can be laid over
        /// these curves. `nil` when the track lacks what the method needs (no finite loudness).
        public func normalize(levelsDB: [Double], integratedLUFS: Double?) -> [Double]? {
            Self.normalize(levelsDB: levelsDB, integratedLUFS: integratedLUFS, method: normalization,
                           referenceLevel: referenceLevel)
        }

        public static func normalize(levelsDB: [Double], integratedLUFS: Double?, method: SpectrumNormalization,
                                     referenceLevel: Double) -> [Double]? {
            let shift: Double
            switch method {
            case .integratedLoudness:
                guard let lufs = integratedLUFS, lufs.isFinite else { return nil }
                shift = referenceLevel - lufs
            case .totalBandPower:
                var power = 0.0
                for level in levelsDB where level.isFinite { power += pow(10, level / 10) }
                guard power > 0 else { return nil }
                shift = referenceLevel - 10 * log10(power)
            }
            return levelsDB.map { $0 + shift }
        }
    }

    public struct TempoBin: Codable, Sendable, Equatable {
        /// Tracks whose tempo rounds to `bpm`.
        public var bpm: Int
        public var count: Int
        public init(bpm: Int, count: Int) { self.bpm = bpm; self.count = count }
    }

    public struct KeyBin: Codable, Sendable, Equatable {
        /// Camelot code (8A = A minor).
        public var camelot: String
        /// Readable key, e.g. `A minor`.
        public var key: String
        public var count: Int
        public init(camelot: String, key: String, count: Int) { self.camelot = camelot; self.key = key; self.count = count }
    }

    /// The typical arrangement of the references, per section kind.
    public struct SectionLayout: Codable, Sendable, Equatable {
        /// Tracks that had a section analysis.
        public var trackCount: Int
        /// Per kind (`intro`, `breakdown`, `buildup`, `drop`, `outro`).
        public var kinds: [String: SectionStats]
        /// Per track: mean bar RMS of its drops minus that of its breakdowns, in dB.
        public var dropBreakdownContrastDB: FeatureStats?

        public init(trackCount: Int, kinds: [String: SectionStats], dropBreakdownContrastDB: FeatureStats?) {
            self.trackCount = trackCount; self.kinds = kinds; self.dropBreakdownContrastDB = dropBreakdownContrastDB
        }

        enum CodingKeys: String, CodingKey {
            case kinds, trackCount = "track_count", dropBreakdownContrastDB = "drop_breakdown_contrast_db"
        }
    }

    public struct SectionStats: Codable, Sendable, Equatable {
        /// Tracks with at least one section of this kind.
        public var tracksWith: Int
        /// Sections of this kind per track (over tracks with a section analysis).
        public var countPerTrack: FeatureStats
        /// Length of each section in bars (4 beats at the track's tempo; seconds / 2 s without a tempo).
        public var bars: FeatureStats
        /// Mean bar RMS of each section, dB.
        public var rmsDB: FeatureStats?
        /// Mean bar RMS relative to the track's loudest bar, dB (≤ 0): energy independent of master level.
        public var relativeRMSDB: FeatureStats?
        public var centroidHz: FeatureStats?
        public var bassRatio: FeatureStats?
        /// Mean side/mid energy ratio of each section's bars (stereo width); absent in profiles
        /// built before it was measured.
        public var sideMidRatio: FeatureStats?

        public init(tracksWith: Int, countPerTrack: FeatureStats, bars: FeatureStats, rmsDB: FeatureStats?,
                    relativeRMSDB: FeatureStats?, centroidHz: FeatureStats?, bassRatio: FeatureStats?,
                    sideMidRatio: FeatureStats? = nil) {
            self.tracksWith = tracksWith; self.countPerTrack = countPerTrack; self.bars = bars; self.rmsDB = rmsDB
            self.relativeRMSDB = relativeRMSDB; self.centroidHz = centroidHz; self.bassRatio = bassRatio
            self.sideMidRatio = sideMidRatio
        }

        enum CodingKeys: String, CodingKey {
            case bars, tracksWith = "tracks_with", countPerTrack = "count_per_track", rmsDB = "rms_db"
            case relativeRMSDB = "relative_rms_db", centroidHz = "centroid_hz", bassRatio = "bass_ratio"
            case sideMidRatio = "side_mid_ratio"
        }
    }

    /// One sub-style: k-means cluster of the references on standardized features.
    public struct Cluster: Codable, Sendable, Equatable {
        /// 1-based.
        public var id: Int
        /// Generated from its most distinctive traits, e.g. `fast · acid · bright`.
        public var name: String
        public var size: Int
        /// Paths of the member tracks (as in `sources`).
        public var members: [String]
        /// Mean of each feature over the members.
        public var means: [String: Double]
        /// Full statistics of each feature over the members.
        public var features: [String: FeatureStats]
        /// Centre in the standardized space of `Clustering.features` (same order).
        public var centroid: [Double]
        /// Mean silhouette of the members.
        public var silhouette: Double
        /// The traits the name was made of, most distinctive first, with their z-score against all tracks.
        public var traits: [Trait]

        public init(id: Int, name: String, size: Int, members: [String], means: [String: Double],
                    features: [String: FeatureStats], centroid: [Double], silhouette: Double, traits: [Trait]) {
            self.id = id; self.name = name; self.size = size; self.members = members; self.means = means
            self.features = features; self.centroid = centroid; self.silhouette = silhouette; self.traits = traits
        }
    }

    public struct Trait: Codable, Sendable, Equatable {
        public var feature: String
        public var word: String
        /// (cluster mean − mean of all tracks) / std of all tracks.
        public var z: Double
        public init(feature: String, word: String, z: Double) { self.feature = feature; self.word = word; self.z = z }
    }

    /// What the clustering ran on, enough to standardize a new track the same way.
    public struct Clustering: Codable, Sendable, Equatable {
        public var method: String
        /// Features in the order of each `Cluster.centroid`.
        public var features: [String]
        /// Standardization: z = (value − center) / scale, per feature (mean and std of the references;
        /// a missing value is replaced by `center`, i.e. z = 0).
        public var center: [Double]
        public var scale: [Double]
        /// Chosen k, and whether it was fixed by `--clusters` or picked by silhouette.
        public var k: Int
        public var kFixed: Bool
        /// Silhouette of each k tried (k = 2…6), when it was picked by silhouette.
        public var silhouetteByK: [String: Double]
        public var seed: UInt64
        public var restarts: Int

        public init(method: String, features: [String], center: [Double], scale: [Double], k: Int, kFixed: Bool,
                    silhouetteByK: [String: Double], seed: UInt64, restarts: Int) {
            self.method = method; self.features = features; self.center = center; self.scale = scale; self.k = k
            self.kFixed = kFixed; self.silhouetteByK = silhouetteByK; self.seed = seed; self.restarts = restarts
        }

        enum CodingKeys: String, CodingKey {
            case method, features, center, scale, k, seed, restarts
            case kFixed = "k_fixed", silhouetteByK = "silhouette_by_k"
        }

        /// Standardized coordinates of one track's features (missing → 0).
        public func standardize(_ values: [String: Double]) -> [Double] {
            features.indices.map { i in
                guard let v = values[features[i]], v.isFinite, scale[i] > 0 else { return 0 }
                return (v - center[i]) / scale[i]
            }
        }

        /// Index into `clusters` of the centroid nearest to `values` (Euclidean, standardized).
        public func nearestCluster(to values: [String: Double], in clusters: [Cluster]) -> Int? {
            let z = standardize(values)
            var best: (index: Int, distance: Double)?
            for (index, cluster) in clusters.enumerated() where cluster.centroid.count == z.count {
                var d = 0.0
                for j in z.indices { d += (z[j] - cluster.centroid[j]) * (z[j] - cluster.centroid[j]) }
                if best == nil || d < best!.distance { best = (index, d) }
            }
            return best?.index
        }
    }

    /// One analysed reference track.
    public struct Source: Codable, Sendable, Equatable {
        /// Absolute path at build time.
        public var path: String
        /// Hash of the file's bytes: `xxh3-128:` and 32 hex digits; bare 64-digit hex (SHA-256) in profiles
        /// built before Uplift switched (still read; `profile update` re-hashes them).
        public var contentHash: String
        public var durationS: Double
        public var sizeBytes: Int
        /// `id` of its cluster.
        public var cluster: Int?
        /// Camelot code of its key, when measured.
        public var camelot: String?
        /// Its finite scalar features (`TrackAnalysis.scalarFeatures`).
        public var features: [String: Double]

        public init(path: String, contentHash: String, durationS: Double, sizeBytes: Int, cluster: Int?,
                    camelot: String?, features: [String: Double]) {
            self.path = path; self.contentHash = contentHash; self.durationS = durationS; self.sizeBytes = sizeBytes
            self.cluster = cluster; self.camelot = camelot; self.features = features
        }

        enum CodingKeys: String, CodingKey {
            case path, cluster, camelot, features
            case contentHash = "content_hash", durationS = "duration_s", sizeBytes = "size_bytes"
        }
    }

    public struct SkippedFile: Codable, Sendable, Equatable {
        public var path: String
        /// One line: why it was not analysed.
        public var reason: String
        public init(path: String, reason: String) { self.path = path; self.reason = reason }
    }
}
