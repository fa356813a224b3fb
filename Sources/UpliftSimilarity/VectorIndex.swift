internal import CHnsw

/// Nearest neighbours by cosine distance (1 − cos) among unit vectors: exact SIMD dot products up
/// to `exactLimit` vectors, an HNSW graph (hnswlib, M 16, efConstruction 200) above it. Built once,
/// queried from one thread at a time.
public final class VectorIndex {
    public struct Hit: Sendable, Equatable {
        public var index: Int
        public var distance: Float
    }

    public static let defaultExactLimit = 5000
    /// hnswlib's graph degree and construction breadth.
    public static let graphM = 16
    public static let graphEfConstruction = 200
    public let dimension: Int
    public let count: Int
    public let usesGraph: Bool
    private let vectors: [Float]
    private let graph: OpaquePointer?
    /// HNSW search breadth: at least this, and at least 2k.
    public var searchBreadth = 64

    /// `vectors` are normalised here (a zero vector stays zero and is never near anything).
    public init(vectors rows: [[Float]], exactLimit: Int = VectorIndex.defaultExactLimit, seed: Int = 19) throws {
        let d = rows.first?.count ?? 0
        guard rows.allSatisfy({ $0.count == d }) else { throw SimilarityError("vectors of different lengths cannot share an index") }
        dimension = d
        count = rows.count
        var flat = [Float]()
        flat.reserveCapacity(d * rows.count)
        for row in rows { flat += Self.normalised(row) }
        vectors = flat
        usesGraph = rows.count > exactLimit && d > 0
        if usesGraph {
            guard let g = chnsw_new(Int32(d), rows.count, Self.graphM, Self.graphEfConstruction, seed) else { throw SimilarityError("the HNSW index could not be made (out of memory?)") }
            graph = g
            try flat.withUnsafeBufferPointer { p in
                for i in 0..<rows.count where chnsw_add(g, p.baseAddress! + i * d, i) != 0 {
                    chnsw_free(g)
                    throw SimilarityError("the HNSW index refused vector \(i)")
                }
            }
        } else {
            graph = nil
        }
    }

    deinit { if let graph { chnsw_free(graph) } }

    static func normalised(_ v: [Float]) -> [Float] {
        var s: Float = 0
        for x in v { s += x * x }
        let n = s.squareRoot()
        return n > 0 ? v.map { $0 / n } : v
    }

    /// The HNSW search breadth for `k` results: `searchBreadth`, at least 2k.
    public func efficiency(k: Int) -> Int { max(searchBreadth, 2 * k) }

    /// The `k` nearest, nearest first (ties by index), excluding `excluding`.
    public func nearest(to query: [Float], k: Int, excluding: Set<Int> = []) -> [Hit] {
        guard k > 0, count > 0, query.count == dimension else { return [] }
        let q = Self.normalised(query)
        if let graph {
            let want = min(count, k + excluding.count)
            chnsw_set_ef(graph, efficiency(k: want))
            var labels = [Int](repeating: 0, count: want), distances = [Float](repeating: 0, count: want)
            let found = q.withUnsafeBufferPointer { qp in
                labels.withUnsafeMutableBufferPointer { lp in
                    distances.withUnsafeMutableBufferPointer { dp in
                        Int(chnsw_search(graph, qp.baseAddress!, want, lp.baseAddress!, dp.baseAddress!))
                    }
                }
            }
            guard found > 0 else { return [] }
            return (0..<found).map { Hit(index: labels[$0], distance: distances[$0]) }
                .filter { !excluding.contains($0.index) }.prefix(k).map { $0 }
        }
        return exactNearest(to: q, k: k, excluding: excluding)
    }

    /// Exact search whatever the size (the benchmark's ground truth).
    public func exactNearest(to query: [Float], k: Int, excluding: Set<Int> = []) -> [Hit] {
        guard k > 0, query.count == dimension else { return [] }
        let q = Self.normalised(query)
        var best: [Hit] = []
        best.reserveCapacity(k + 1)
        vectors.withUnsafeBufferPointer { v in
            q.withUnsafeBufferPointer { qp in
                for i in 0..<count where !excluding.contains(i) {
                    let distance = 1 - dot(v.baseAddress! + i * dimension, qp.baseAddress!, dimension)
                    guard best.count < k || distance < best[best.count - 1].distance else { continue }
                    var at = best.count
                    while at > 0, best[at - 1].distance > distance { at -= 1 }
                    best.insert(Hit(index: i, distance: distance), at: at)
                    if best.count > k { best.removeLast() }
                }
            }
        }
        return best
    }
}
