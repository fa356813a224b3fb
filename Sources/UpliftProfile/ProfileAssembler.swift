import Foundation
import UpliftModel

/// Turns analysed tracks into a `Profile`: feature statistics, spectrum percentile curves,
/// histograms, section layout and sub-style clusters. Pure: same tracks and options, same profile.
public struct ProfileAssembler: Sendable {
    public struct Options: Sendable {
        public var name: String
        public var roots: [String]
        /// Fixed k (`--clusters K`); `nil` picks k in 2…6 by silhouette.
        public var clusterCount: Int?
        public var seed: UInt64 = 0x7570_6C69_6674 // "uplift"
        public var restarts = 10
        /// Reference loudness the spectra are shifted to (LUFS), when loudness is measured.
        public var referenceLUFS = -14.0
        public var now = Date()
        public init(name: String, roots: [String], clusterCount: Int? = nil) {
            self.name = name; self.roots = roots; self.clusterCount = clusterCount
        }
    }

    /// Features sub-styles are told apart by: the style-bearing ones, not their derived
    /// duplicates (trance components, acid parts, peaks). When fewer than two of them were
    /// measured, every measured feature but the duration is used instead.
    public static let clusterFeatureCandidates = [
        "tempo.bpm", "pumping.depth_db", "acid.score", "supersaw.width", "supersaw.detune_cents",
        "brightness.centroid_hz", "brightness.high_ratio", "rhythm.four_on_floor", "rhythm.offbeat_hihat",
        "loudness.integrated_lufs", "loudness.lra_lu", "spectrum.balance_db.sub", "spectrum.balance_db.bass",
        "spectrum.balance_db.low_mid", "spectrum.balance_db.high_mid", "spectrum.balance_db.air",
        "stereo.side_mid_ratio", "trance.score",
    ]
    /// Fewest tracks worth clustering.
    public static let minimumTracksToCluster = 4

    public let options: Options
    public init(options: Options) { self.options = options }

    public func assemble(tracks: [AnalysedTrack], skipped: [Profile.SkippedFile], analyzerVersion: Int) throws -> Profile {
        guard !tracks.isEmpty else {
            throw ProfileError(.noTracks, "no track could be analysed; point at folders holding WAV, AIFF, FLAC, OGG or MP3 files")
        }
        let featureMaps = tracks.map(\.analysis.finiteScalarFeatures)
        let features = Statistics.describe(features: featureMaps)
        var sources = tracks.indices.map { i in
            Profile.Source(path: tracks[i].path, contentHash: tracks[i].contentHash, durationS: tracks[i].analysis.durationS,
                           sizeBytes: tracks[i].sizeBytes, cluster: nil, camelot: tracks[i].analysis.key?.camelot,
                           features: featureMaps[i])
        }
        let (clusters, silhouette, clustering) = makeClusters(featureMaps: featureMaps, paths: tracks.map(\.path), overall: features)
        for cluster in clusters {
            let members = Set(cluster.members)
            for i in sources.indices where members.contains(sources[i].path) { sources[i].cluster = cluster.id }
        }
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return Profile(name: options.name, createdAt: formatter.string(from: options.now), analyzerVersion: analyzerVersion,
                       roots: options.roots, trackCount: tracks.count, features: features,
                       spectrum: spectrumCurves(tracks.map(\.analysis)), tempoHistogram: Self.tempoHistogram(tracks.map(\.analysis)),
                       keyHistogram: Self.keyHistogram(tracks.map(\.analysis)), sectionLayout: Self.sectionLayout(tracks.map(\.analysis)),
                       clusters: clusters, silhouette: silhouette, clustering: clustering, sources: sources, skipped: skipped)
    }

    // MARK: - Spectrum

    func spectrumCurves(_ analyses: [TrackAnalysis]) -> Profile.SpectrumCurves? {
        let withSpectrum = analyses.filter { ($0.spectrum?.bandsHz.isEmpty == false) }
        guard let reference = withSpectrum.max(by: { $0.spectrum!.bandsHz.count < $1.spectrum!.bandsHz.count })?.spectrum else {
            return nil
        }
        // Loudness matching when loudness was measured; otherwise equal total band power.
        let byLoudness = withSpectrum.contains { $0.loudness != nil }
        let method: Profile.SpectrumNormalization = byLoudness ? .integratedLoudness : .totalBandPower
        let level = byLoudness ? options.referenceLUFS : 0
        let bandKey = { (hz: Double) in Int((hz * 10).rounded()) }
        var columns = [[Double]](repeating: [], count: reference.bandsHz.count)
        var referenceIndex: [Int: Int] = [:]
        for (i, hz) in reference.bandsHz.enumerated() { referenceIndex[bandKey(hz)] = i }
        for analysis in withSpectrum {
            let spectrum = analysis.spectrum!
            guard spectrum.levelsDB.count == spectrum.bandsHz.count,
                  let shifted = Profile.SpectrumCurves.normalize(levelsDB: spectrum.levelsDB,
                                                                 integratedLUFS: analysis.loudness?.integratedLUFS,
                                                                 method: method, referenceLevel: level) else { continue }
            for (j, hz) in spectrum.bandsHz.enumerated() {
                guard let i = referenceIndex[bandKey(hz)], shifted[j].isFinite else { continue }
                columns[i].append(shifted[j])
            }
        }
        guard columns.contains(where: { !$0.isEmpty }) else { return nil }
        let sorted = columns.map { $0.sorted() }
        func curve(_ p: Double) -> [Double] { sorted.map { Statistics.percentile(sorted: $0, p) ?? -.infinity } }
        return Profile.SpectrumCurves(normalization: method, referenceLevel: level, bandsHz: reference.bandsHz,
                                      n: columns.map(\.count), p10DB: curve(0.10), p25DB: curve(0.25), p50DB: curve(0.5),
                                      p75DB: curve(0.75), p90DB: curve(0.90))
    }

    // MARK: - Histograms

    static func tempoHistogram(_ analyses: [TrackAnalysis]) -> [Profile.TempoBin] {
        var counts: [Int: Int] = [:]
        for a in analyses { if let bpm = a.tempo?.bpm, bpm.isFinite, bpm > 0 { counts[Int(bpm.rounded()), default: 0] += 1 } }
        return counts.keys.sorted().map { Profile.TempoBin(bpm: $0, count: counts[$0]!) }
    }

    /// Camelot order: 1A, 1B, 2A, … 12B.
    static func camelotOrder(_ code: String) -> Int {
        let number = Int(code.dropLast()) ?? 99
        return number * 2 + (code.hasSuffix("B") ? 1 : 0)
    }

    static func keyHistogram(_ analyses: [TrackAnalysis]) -> [Profile.KeyBin] {
        var counts: [String: (key: String, count: Int)] = [:]
        for a in analyses {
            guard let key = a.key, !key.camelot.isEmpty else { continue }
            counts[key.camelot, default: ("\(key.tonic) \(key.mode)", 0)].count += 1
        }
        return counts.keys.sorted { camelotOrder($0) < camelotOrder($1) }
            .map { Profile.KeyBin(camelot: $0, key: counts[$0]!.key, count: counts[$0]!.count) }
    }

    // MARK: - Sections

    static func sectionLayout(_ analyses: [TrackAnalysis]) -> Profile.SectionLayout? {
        let withSections = analyses.filter { $0.sections != nil }
        guard !withSections.isEmpty else { return nil }
        struct Column { var counts: [Double] = [], bars: [Double] = [], rms: [Double] = [], relative: [Double] = [],
                        centroid: [Double] = [], bass: [Double] = [], width: [Double] = [], tracksWith = 0 }
        var columns: [TrackAnalysis.SectionKind: Column] = [:]
        var contrast: [Double] = []
        for analysis in withSections {
            let sections = analysis.sections ?? []
            let curve = analysis.energy?.curve ?? []
            let loudestBar = curve.map(\.rmsDB).filter(\.isFinite).max()
            let secondsPerBar: Double = {
                if let bpm = analysis.tempo?.bpm, bpm.isFinite, bpm > 0 { return 240 / bpm }
                return 2 // 120 BPM when the tempo is unknown
            }()
            var sectionRMS: [TrackAnalysis.SectionKind: [Double]] = [:]
            for kind in TrackAnalysis.SectionKind.allCases {
                let ofKind = sections.filter { $0.kind == kind }
                columns[kind, default: Column()].counts.append(Double(ofKind.count))
                if !ofKind.isEmpty { columns[kind]!.tracksWith += 1 }
                for section in ofKind {
                    columns[kind]!.bars.append((section.endS - section.startS) / secondsPerBar)
                    let points = curve.filter { $0.tS >= section.startS && $0.tS < section.endS }
                    if let rms = Statistics.mean(points.map(\.rmsDB)) {
                        columns[kind]!.rms.append(rms)
                        sectionRMS[kind, default: []].append(rms)
                        if let loudestBar { columns[kind]!.relative.append(rms - loudestBar) }
                    }
                    if let c = Statistics.mean(points.map(\.centroidHz)) { columns[kind]!.centroid.append(c) }
                    if let b = Statistics.mean(points.map(\.bassRatio)) { columns[kind]!.bass.append(b) }
                    if let w = Statistics.mean(points.compactMap(\.sideMidRatio)) { columns[kind]!.width.append(w) }
                }
            }
            if let drop = sectionRMS[.drop].flatMap(Statistics.mean), let breakdown = sectionRMS[.breakdown].flatMap(Statistics.mean) {
                contrast.append(drop - breakdown)
            }
        }
        var kinds: [String: Profile.SectionStats] = [:]
        for (kind, column) in columns {
            guard let counts = Statistics.describe(column.counts) else { continue }
            let bars = Statistics.describe(column.bars) ?? Profile.FeatureStats(n: 0, mean: 0, std: 0, median: 0, p10: 0,
                                                                                p25: 0, p75: 0, p90: 0, min: 0, max: 0)
            kinds[kind.rawValue] = Profile.SectionStats(
                tracksWith: column.tracksWith, countPerTrack: counts, bars: bars, rmsDB: Statistics.describe(column.rms),
                relativeRMSDB: Statistics.describe(column.relative), centroidHz: Statistics.describe(column.centroid),
                bassRatio: Statistics.describe(column.bass), sideMidRatio: Statistics.describe(column.width))
        }
        return Profile.SectionLayout(trackCount: withSections.count, kinds: kinds,
                                     dropBreakdownContrastDB: Statistics.describe(contrast))
    }

    // MARK: - Clusters

    /// Features measured (finite) in at least 80 % of the tracks and not constant.
    static func clusterFeatures(featureMaps: [[String: Double]], overall: [String: Profile.FeatureStats]) -> [String] {
        let needed = Int((Double(featureMaps.count) * 0.8).rounded(.up))
        func usable(_ name: String) -> Bool {
            guard let stats = overall[name] else { return false }
            return stats.n >= needed && stats.std > 1e-12
        }
        let curated = clusterFeatureCandidates.filter(usable)
        if curated.count >= 2 { return curated }
        // Length is not a style: a set that has nothing else is not clustered.
        return overall.keys.sorted().filter { $0 != "duration_s" && usable($0) }
    }

    func makeClusters(featureMaps: [[String: Double]], paths: [String], overall: [String: Profile.FeatureStats])
        -> ([Profile.Cluster], Double?, Profile.Clustering?) {
        let names = Self.clusterFeatures(featureMaps: featureMaps, overall: overall)
        guard featureMaps.count >= Self.minimumTracksToCluster || options.clusterCount != nil, !names.isEmpty else {
            return ([], nil, nil)
        }
        let center = names.map { overall[$0]!.mean }
        let scale = names.map { overall[$0]!.std }
        let clustering0 = Profile.Clustering(method: "k-means++ (Lloyd), standardized features", features: names,
                                             center: center, scale: scale, k: 0, kFixed: options.clusterCount != nil,
                                             silhouetteByK: [:], seed: options.seed, restarts: options.restarts)
        let points = featureMaps.map { clustering0.standardize($0) }
        var result: KMeans.Result
        var silhouetteByK: [String: Double] = [:]
        if let fixed = options.clusterCount {
            let k = min(max(fixed, 1), points.count)
            result = KMeans.cluster(points, k: k, seed: options.seed, restarts: options.restarts)
        } else {
            var best: (KMeans.Result, Double)?
            for k in 2...min(6, points.count - 1) {
                let r = KMeans.cluster(points, k: k, seed: options.seed, restarts: options.restarts)
                let s = KMeans.meanSilhouette(points, labels: r.labels)
                silhouetteByK[String(k)] = s
                if best == nil || s > best!.1 + 1e-9 { best = (r, s) }
            }
            result = best!.0
        }
        let k = result.centroids.count
        let pointSilhouettes = k > 1 ? KMeans.silhouettes(points, labels: result.labels) : [Double](repeating: 0, count: points.count)
        // Largest cluster first; ties by first member, so ids are stable.
        let order = (0..<k).sorted { a, b in
            let sa = result.labels.filter { $0 == a }.count, sb = result.labels.filter { $0 == b }.count
            if sa != sb { return sa > sb }
            return result.labels.firstIndex(of: a)! < result.labels.firstIndex(of: b)!
        }
        var drafts: [(members: [Int], means: [String: Double], stats: [String: Profile.FeatureStats], traits: [Profile.Trait], c: Int)] = []
        for c in order {
            let members = result.labels.indices.filter { result.labels[$0] == c }
            let stats = Statistics.describe(features: members.map { featureMaps[$0] })
            let means = stats.mapValues(\.mean)
            let traits = ClusterNamer.traits(clusterMeans: means, overall: overall, features: names)
            drafts.append((members, means, stats, traits, c))
        }
        let clusterNames = ClusterNamer.names(for: drafts.map(\.traits))
        let clusters = drafts.enumerated().map { index, d in
            Profile.Cluster(id: index + 1, name: clusterNames[index], size: d.members.count, members: d.members.map { paths[$0] },
                            means: d.means, features: d.stats, centroid: result.centroids[d.c],
                            silhouette: d.members.map { pointSilhouettes[$0] }.reduce(0, +) / Double(d.members.count),
                            traits: d.traits)
        }
        var clustering = clustering0
        clustering.k = k
        clustering.silhouetteByK = silhouetteByK
        let silhouette = k > 1 ? pointSilhouettes.reduce(0, +) / Double(points.count) : nil
        return (clusters, silhouette, clustering)
    }
}
