import Foundation
import UpliftModel
import UpliftSimilarity

/// The profile's learned similarity (`Profile.embedding`): training it on the library, finding a
/// track's nearest references with the features that differ most, and a profile narrowed to those
/// references (`uplift gaps --nearest K`). `UpliftProfile` owns the embedding; `UpliftSimilarity` the maths.
public enum ProfileSimilarity {
    public struct Difference: Sendable, Equatable, Codable {
        public var feature: String
        public var value: Double
        public var referenceValue: Double
        enum CodingKeys: String, CodingKey { case feature, value, referenceValue = "reference_value" }
    }

    public struct Neighbour: Sendable, Equatable {
        public var path: String
        /// Cosine distance in the embedding: 0 the same, 1 unrelated, 2 opposite.
        public var distance: Double
        public var cluster: Int?
        /// The three features that differ most, in the profile's spreads (|Δ| / IQR).
        public var differences: [Difference]
    }

    /// The label of a track: its first folder below the root it was found under, when it is in one.
    public static func label(path: String, roots: [String]) -> String? {
        for root in roots where path.hasPrefix(root.hasSuffix("/") ? root : root + "/") {
            let rest = path.dropFirst(root.hasSuffix("/") ? root.count : root.count + 1).split(separator: "/")
            return rest.count > 1 ? String(rest[0]) : nil
        }
        return nil
    }

    /// Trains the embedding on the profile's tracks and stores it, with the clusters recomputed in it.
    public static func attach(to profile: inout Profile, tracks: [AnalysedTrack], options: LibraryEmbedder.Options = LibraryEmbedder.Options(),
                              progress: @escaping @Sendable (LibraryEmbedder.Stage) -> Void = { _ in }) throws -> [String] {
        let byPath = Dictionary(tracks.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
        let ordered = profile.sources.compactMap { byPath[$0.path] }
        guard ordered.count == profile.sources.count else { throw SimilarityError("the profile's sources and the analysed tracks differ") }
        let inputs = ordered.map {
            LibraryEmbedder.Track(analysis: $0.analysis, path: $0.path, label: label(path: $0.path, roots: profile.roots))
        }
        let result = try LibraryEmbedder(options: options).build(inputs, progress: progress)
        let model = result.model
        var embedding = Profile.Embedding(
            descriptorVersion: model.descriptorVersion, seed: model.seed, inputSize: model.network.inputSize,
            hiddenSize: model.network.hiddenSize, outputSize: model.network.outputSize,
            median: model.scaler.median, scale: model.scaler.scale,
            weights: Profile.Embedding.encode(model.network.parameters),
            vectors: result.vectors.map { $0.map(Profile.Embedding.encode) },
            augmentedCopies: result.augmentedCopies, steps: options.trainer.steps)
        recluster(&embedding, profile: profile, vectors: result.vectors)
        profile.embedding = embedding
        return result.warnings
    }

    /// Clusters in the embedding with the profile's k (k-means on the unit vectors, whose squared
    /// distance is twice the cosine distance), their silhouette there and their ARI with the
    /// descriptor-space clusters.
    static func recluster(_ embedding: inout Profile.Embedding, profile: Profile, vectors: [[Float]?]) {
        let k = profile.clusters.count
        let present = vectors.indices.filter { vectors[$0] != nil }
        guard k >= 2, present.count > k else { return }
        let points = present.map { vectors[$0]!.map(Double.init) }
        let result = KMeans.cluster(points, k: k, seed: embedding.seed)
        var clusterOf = [Int?](repeating: nil, count: vectors.count)
        for (n, i) in present.enumerated() { clusterOf[i] = result.labels[n] }
        embedding.clusterOf = clusterOf
        embedding.silhouette = RetrievalMetrics.silhouette(labels: result.labels) {
            RetrievalMetrics.cosineDistance(vectors[present[$0]]!, vectors[present[$1]]!)
        }
        let old = present.map { profile.sources[$0].cluster ?? -1 }
        embedding.agreementARI = RetrievalMetrics.ari(old, result.labels)
    }

    /// The stored model, ready to embed; `nil` when the profile has none.
    public static func model(of profile: Profile) throws -> SimilarityModel? {
        guard let e = profile.embedding else { return nil }
        guard e.descriptorVersion == Descriptor.version, e.inputSize == Descriptor.dimension else {
            throw SimilarityError("the profile's embedding was made by another Uplift (descriptor \(e.descriptorVersion)); rebuild it with `uplift profile build`")
        }
        guard let weights = Profile.Embedding.decode(e.weights) else { throw SimilarityError("the profile's embedding weights are garbled; rebuild it") }
        let network = try EmbeddingNetwork(inputSize: e.inputSize, hiddenSize: e.hiddenSize, outputSize: e.outputSize, parameters: weights)
        return SimilarityModel(descriptorVersion: e.descriptorVersion, scaler: RobustScaler(median: e.median, scale: e.scale),
                               network: network, seed: e.seed)
    }

    /// The `k` references nearest to `analysis`, nearest first. A reference with the same content
    /// hash as `excludingHash` (the query itself, when it is in the library) is left out.
    public static func nearest(_ analysis: TrackAnalysis, in profile: Profile, k: Int, excludingPath: String? = nil) throws -> [Neighbour] {
        guard let model = try model(of: profile), let embedding = profile.embedding else {
            throw SimilarityError("profile \(profile.name) has no embedding; rebuild it with `uplift profile build` (without --no-embedding)")
        }
        guard let query = model.embed(analysis) else {
            throw SimilarityError("\(analysis.file): the analysis has no timbre section (silence, or made by an older Uplift)")
        }
        var rows: [[Float]] = [], sourceOf: [Int] = []
        for (i, text) in embedding.vectors.enumerated() {
            if let text, let v = Profile.Embedding.decode(text), v.count == embedding.outputSize { rows.append(v); sourceOf.append(i) }
        }
        guard !rows.isEmpty else { return [] }
        let index = try VectorIndex(vectors: rows)
        let excluded = Set(sourceOf.indices.filter { profile.sources[sourceOf[$0]].path == excludingPath })
        let features = analysis.finiteScalarFeatures
        return index.nearest(to: query, k: k, excluding: excluded).map { hit in
            let source = profile.sources[sourceOf[hit.index]]
            return Neighbour(path: source.path, distance: Double(hit.distance),
                             // The profile's named cluster (`profile tracks --cluster`); the embedding's own
                             // clustering is reported by the build (silhouette, ARI), not renamed here.
                             cluster: source.cluster,
                             differences: differences(features, source.features, profile: profile))
        }
    }

    /// `name (0.123)` per neighbour, for a report's or a pane's one line.
    public static func shortNames(_ neighbours: [Neighbour]) -> [String] {
        neighbours.map { "\(($0.path as NSString).lastPathComponent) (\(String(format: "%.3f", $0.distance)))" }
    }

    /// The three features where `value` and `reference` differ most, measured in the profile's IQR.
    static func differences(_ value: [String: Double], _ reference: [String: Double], profile: Profile) -> [Difference] {
        var scored: [(Double, Difference)] = []
        for (name, v) in value {
            guard let r = reference[name], let stats = profile.features[name], stats.iqr > 0,
                  // A difference the printed figures would not show (1.00 against 1.00) explains nothing.
                  NumberFormat.auto(v) != NumberFormat.auto(r) else { continue }
            // An IQR of almost nothing (every reference mono in the sub) would blow a rounding error up.
            let spread = max(stats.iqr, 0.02 * abs(stats.median))
            scored.append((abs(v - r) / spread, Difference(feature: name, value: v, referenceValue: r)))
        }
        return scored.sorted { $0.0 > $1.0 || ($0.0 == $1.0 && $0.1.feature < $1.1.feature) }.prefix(3).map(\.1)
    }

    /// The profile narrowed to the `k` references nearest the mix: its feature statistics recomputed
    /// over them alone, no clusters (they are the cluster). For `uplift gaps --nearest K`.
    public static func narrowed(_ profile: Profile, toNearest k: Int, of analysis: TrackAnalysis) throws -> (Profile, [Neighbour]) {
        let neighbours = try nearest(analysis, in: profile, k: k)
        let paths = Set(neighbours.map(\.path))
        var narrowed = profile
        let sources = profile.sources.filter { paths.contains($0.path) }
        narrowed.features = Statistics.describe(features: sources.map(\.features))
        narrowed.sources = sources
        narrowed.trackCount = sources.count
        narrowed.clusters = []
        narrowed.clustering = nil
        narrowed.silhouette = nil
        narrowed.name = profile.name
        return (narrowed, neighbours)
    }
}
