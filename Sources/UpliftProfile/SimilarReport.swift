import Foundation
import UpliftAnalysis
import UpliftModel

/// `uplift similar TRACK --profile P`: the references nearest the track in the profile's learned
/// embedding, each with the three features that differ most. Text for people, JSON for scripts:
/// `{"query": PATH, "neighbours": [{"path", "distance", "cluster", "differences": [{"feature", "value", "reference_value"}]}]}`.
public struct SimilarReport: Sendable, Equatable {
    public var query: String
    public var profileName: String
    public var neighbours: [ProfileSimilarity.Neighbour]
    public var clusterNames: [Int: String]

    /// Analyses `path` (a file inside or outside the library; inside, the track itself is left out)
    /// and finds its `k` nearest references.
    public static func make(trackPath path: String, profile: Profile, k: Int) throws -> SimilarReport {
        guard FileManager.default.fileExists(atPath: path) else {
            throw ProfileError(.notFound, "\(path): no such file; give an audio file (WAV, AIFF, FLAC, OGG, MP3)")
        }
        let absolute = AudioFileScanner.absolute(path)
        let analysis: TrackAnalysis
        do { analysis = try TrackAnalyzer().analyze(path: absolute) } catch { throw SimilarityFailure(message: "\(error)") }
        do {
            let neighbours = try ProfileSimilarity.nearest(analysis, in: profile, k: k, excludingPath: absolute)
            return SimilarReport(query: path, profileName: profile.name, neighbours: neighbours,
                                 clusterNames: Dictionary(profile.clusters.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a }))
        } catch {
            throw SimilarityFailure(message: "\(error)")
        }
    }

    public var json: String {
        let object: [String: Any] = [
            "query": query,
            "neighbours": neighbours.map { n -> [String: Any] in
                [
                    "path": n.path, "distance": (n.distance * 10_000).rounded() / 10_000,
                    "cluster": n.cluster.map { $0 as Any } ?? NSNull(),
                    "differences": n.differences.map { ["feature": $0.feature, "value": $0.value, "reference_value": $0.referenceValue] },
                ]
            },
        ]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// One block per reference: rank, distance, name (cluster), then its three differences.
    public func text(width: Int = 80) -> String {
        var lines = [Self.clip("\((query as NSString).lastPathComponent) — nearest in \(profileName) (cosine distance: 0 same, 1 unrelated)", width)]
        if neighbours.isEmpty { lines.append("  no reference has an embedding vector") }
        for (rank, n) in neighbours.enumerated() {
            let name = (n.path as NSString).lastPathComponent
            let cluster = n.cluster.map { c in clusterNames[c].map { " · \($0)" } ?? " · cluster \(c)" } ?? ""
            lines.append(String(format: "%2d. %.3f  ", rank + 1, n.distance) + Self.clip(name + cluster, width - 11))
            for d in n.differences {
                let text = "\(d.feature): \(NumberFormat.auto(d.value)) here, \(NumberFormat.auto(d.referenceValue)) there"
                lines.append("           " + Self.clip(text, width - 11))
            }
        }
        return lines.joined(separator: "\n")
    }

    static func clip(_ s: String, _ width: Int) -> String { s.count <= width ? s : String(s.prefix(max(1, width - 1))) + "…" }
}

public struct SimilarityFailure: Error, CustomStringConvertible, Sendable {
    public let message: String
    public var description: String { message }
}
