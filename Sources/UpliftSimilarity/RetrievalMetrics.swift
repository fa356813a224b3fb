import Foundation

/// Key Finding 6's figures of an embedding against known labels: Precision@k, silhouette (cosine
/// distance), NMI and ARI of two labelings.
public enum RetrievalMetrics {
    /// Mean over queries of the share of its k nearest others (by `distance`) that carry its label.
    public static func precisionAtK(_ k: Int, labels: [Int], distance: (Int, Int) -> Double) -> Double {
        let n = labels.count
        guard n > 1 else { return 0 }
        var total = 0.0
        for q in 0..<n {
            var others: [(index: Int, distance: Double)] = []
            for j in 0..<n where j != q { others.append((j, distance(q, j))) }
            others.sort { a, b in a.distance < b.distance || (a.distance == b.distance && a.index < b.index) }
            let top = others.prefix(k)
            var same = 0
            for hit in top where labels[hit.index] == labels[q] { same += 1 }
            total += Double(same) / Double(top.count)
        }
        return total / Double(n)
    }

    /// Mean silhouette: (b − a) / max(a, b) per point, a its mean distance to its own cluster, b to the nearest other.
    public static func silhouette(labels: [Int], distance: (Int, Int) -> Double) -> Double {
        let n = labels.count
        let groups = Set(labels)
        guard groups.count > 1 else { return 0 }
        var total = 0.0
        for i in 0..<n {
            var sums: [Int: (Double, Int)] = [:]
            for j in 0..<n where j != i {
                let s = sums[labels[j]] ?? (0, 0)
                sums[labels[j]] = (s.0 + distance(i, j), s.1 + 1)
            }
            guard let own = sums[labels[i]], own.1 > 0 else { continue }
            let a = own.0 / Double(own.1)
            let b = sums.filter { $0.key != labels[i] && $0.value.1 > 0 }.map { $0.value.0 / Double($0.value.1) }.min() ?? 0
            let m = max(a, b)
            total += m > 0 ? (b - a) / m : 0
        }
        return total / Double(n)
    }

    /// Normalised mutual information, arithmetic mean of the entropies (scikit-learn's default).
    public static func nmi(_ x: [Int], _ y: [Int]) -> Double {
        let n = Double(x.count)
        guard x.count == y.count, !x.isEmpty else { return 0 }
        var joint: [[Int]: Double] = [:], px: [Int: Double] = [:], py: [Int: Double] = [:]
        for (a, b) in zip(x, y) { joint[[a, b], default: 0] += 1; px[a, default: 0] += 1; py[b, default: 0] += 1 }
        var mi = 0.0
        for (key, c) in joint { mi += c / n * log(c * n / (px[key[0]]! * py[key[1]]!)) }
        func entropy(_ p: [Int: Double]) -> Double { -p.values.reduce(0) { $0 + $1 / n * log($1 / n) } }
        let h = (entropy(px) + entropy(py)) / 2
        return h > 0 ? mi / h : 1
    }

    /// Adjusted Rand index of two labelings (1 identical, ≈ 0 chance).
    public static func ari(_ x: [Int], _ y: [Int]) -> Double {
        guard x.count == y.count, x.count > 1 else { return 0 }
        func c2(_ v: Double) -> Double { v * (v - 1) / 2 }
        var joint: [[Int]: Double] = [:], px: [Int: Double] = [:], py: [Int: Double] = [:]
        for (a, b) in zip(x, y) { joint[[a, b], default: 0] += 1; px[a, default: 0] += 1; py[b, default: 0] += 1 }
        let index = joint.values.reduce(0) { $0 + c2($1) }
        let a = px.values.reduce(0) { $0 + c2($1) }, b = py.values.reduce(0) { $0 + c2($1) }
        let expected = a * b / c2(Double(x.count)), maximum = (a + b) / 2
        return maximum == expected ? 1 : (index - expected) / (maximum - expected)
    }

    /// Cosine distance of two vectors.
    public static func cosineDistance(_ a: [Float], _ b: [Float]) -> Double {
        var d: Double = 0, na: Double = 0, nb: Double = 0
        for i in 0..<min(a.count, b.count) { d += Double(a[i] * b[i]); na += Double(a[i] * a[i]); nb += Double(b[i] * b[i]) }
        return na > 0 && nb > 0 ? 1 - d / (na * nb).squareRoot() : 1
    }
}
