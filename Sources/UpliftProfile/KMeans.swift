import UpliftDSP

/// k-means (Lloyd) with k-means++ seeding, several seeded restarts keeping the lowest inertia,
/// and the silhouette to choose k. Points are rows of equal length (already standardized).
public enum KMeans {
    public struct Result: Sendable, Equatable {
        /// Cluster index per point, 0..<k.
        public var labels: [Int]
        public var centroids: [[Double]]
        /// Sum of squared distances of points to their centroid.
        public var inertia: Double
    }

    public static func squaredDistance(_ a: [Double], _ b: [Double]) -> Double {
        var d = 0.0
        for i in a.indices { let t = a[i] - b[i]; d += t * t }
        return d
    }

    public static func cluster(_ points: [[Double]], k: Int, seed: UInt64, restarts: Int = 10,
                               maxIterations: Int = 100) -> Result {
        precondition(k >= 1 && k <= points.count, "k must be in 1…number of points")
        var rng = SeededRandom(seed: seed)
        var best: Result?
        for _ in 0..<max(restarts, 1) {
            let result = lloyd(points, initial: plusPlusSeeds(points, k: k, rng: &rng), maxIterations: maxIterations)
            if best == nil || result.inertia < best!.inertia - 1e-12 { best = result }
        }
        return best!
    }

    /// k-means++: first centre uniform, each next one drawn with probability ∝ D(x)².
    static func plusPlusSeeds(_ points: [[Double]], k: Int, rng: inout SeededRandom) -> [[Double]] {
        var centres = [points[Int.random(in: 0..<points.count, using: &rng)]]
        var nearest = points.map { squaredDistance($0, centres[0]) }
        while centres.count < k {
            let total = nearest.reduce(0, +)
            var chosen: Int
            if total <= 0 {
                chosen = Int.random(in: 0..<points.count, using: &rng) // all points coincide with centres
            } else {
                var target = Double.random(in: 0..<total, using: &rng)
                chosen = points.count - 1
                for i in points.indices {
                    target -= nearest[i]
                    if target < 0 { chosen = i; break }
                }
            }
            centres.append(points[chosen])
            for i in points.indices { nearest[i] = min(nearest[i], squaredDistance(points[i], points[chosen])) }
        }
        return centres
    }

    static func lloyd(_ points: [[Double]], initial: [[Double]], maxIterations: Int) -> Result {
        var centroids = initial
        let k = centroids.count, dims = points[0].count
        var labels = [Int](repeating: -1, count: points.count)
        for _ in 0..<maxIterations {
            var changed = false
            for i in points.indices {
                var bestIndex = 0, bestDistance = Double.infinity
                for c in 0..<k {
                    let d = squaredDistance(points[i], centroids[c])
                    if d < bestDistance { bestDistance = d; bestIndex = c }
                }
                if labels[i] != bestIndex { labels[i] = bestIndex; changed = true }
            }
            if !changed { break }
            var sums = [[Double]](repeating: [Double](repeating: 0, count: dims), count: k)
            var counts = [Int](repeating: 0, count: k)
            for i in points.indices {
                counts[labels[i]] += 1
                for j in 0..<dims { sums[labels[i]][j] += points[i][j] }
            }
            for c in 0..<k {
                if counts[c] == 0 {
                    // An emptied cluster takes the point farthest from its centre, so k stays k.
                    let far = points.indices.max { squaredDistance(points[$0], centroids[labels[$0]]) < squaredDistance(points[$1], centroids[labels[$1]]) }!
                    centroids[c] = points[far]
                    labels[far] = c
                } else {
                    centroids[c] = sums[c].map { $0 / Double(counts[c]) }
                }
            }
        }
        let inertia = points.indices.reduce(0.0) { $0 + squaredDistance(points[$1], centroids[labels[$1]]) }
        return Result(labels: labels, centroids: centroids, inertia: inertia)
    }

    /// Silhouette per point: s = (b − a) / max(a, b), a = mean distance to its own cluster,
    /// b = lowest mean distance to another cluster; 0 for a point alone in its cluster (Rousseeuw 1987).
    public static func silhouettes(_ points: [[Double]], labels: [Int]) -> [Double] {
        let k = (labels.max() ?? 0) + 1
        var counts = [Int](repeating: 0, count: k)
        for l in labels { counts[l] += 1 }
        var distances = [[Double]](repeating: [Double](repeating: 0, count: points.count), count: points.count)
        for i in points.indices {
            for j in (i + 1)..<max(points.count, i + 1) {
                let d = squaredDistance(points[i], points[j]).squareRoot()
                distances[i][j] = d; distances[j][i] = d
            }
        }
        return points.indices.map { i in
            guard counts[labels[i]] > 1 else { return 0 }
            var sums = [Double](repeating: 0, count: k)
            for j in points.indices where j != i { sums[labels[j]] += distances[i][j] }
            let a = sums[labels[i]] / Double(counts[labels[i]] - 1)
            var b = Double.infinity
            for c in 0..<k where c != labels[i] && counts[c] > 0 { b = min(b, sums[c] / Double(counts[c])) }
            guard b.isFinite else { return 0 }
            let denominator = max(a, b)
            return denominator > 0 ? (b - a) / denominator : 0
        }
    }

    public static func meanSilhouette(_ points: [[Double]], labels: [Int]) -> Double {
        let s = silhouettes(points, labels: labels)
        return s.isEmpty ? 0 : s.reduce(0, +) / Double(s.count)
    }
}
