/// Adjusted Rand index (Hubert & Arabie 1985) between two labelings of the same items:
/// 1 for identical partitions (whatever the label names), about 0 for chance agreement.
///
/// ARI = (Σᵢⱼ C(nᵢⱼ,2) − [Σᵢ C(aᵢ,2) Σⱼ C(bⱼ,2)] / C(n,2)) / (½[Σᵢ C(aᵢ,2) + Σⱼ C(bⱼ,2)] − [Σᵢ C(aᵢ,2) Σⱼ C(bⱼ,2)] / C(n,2)),
/// with nᵢⱼ the contingency table and aᵢ, bⱼ its row and column sums.
public func adjustedRandIndex<A: Hashable, B: Hashable>(_ truth: [A], _ predicted: [B]) -> Double {
    precondition(truth.count == predicted.count, "labelings must cover the same items")
    func pairs(_ n: Int) -> Double { Double(n) * Double(n - 1) / 2 }
    var table: [A: [B: Int]] = [:]
    var rows: [A: Int] = [:], columns: [B: Int] = [:]
    for (a, b) in zip(truth, predicted) {
        table[a, default: [:]][b, default: 0] += 1
        rows[a, default: 0] += 1
        columns[b, default: 0] += 1
    }
    let index = table.values.flatMap(\.values).reduce(0.0) { $0 + pairs($1) }
    let rowPairs = rows.values.reduce(0.0) { $0 + pairs($1) }
    let columnPairs = columns.values.reduce(0.0) { $0 + pairs($1) }
    let total = pairs(truth.count)
    guard total > 0 else { return 1 }
    let expected = rowPairs * columnPairs / total
    let maximum = (rowPairs + columnPairs) / 2
    guard maximum != expected else { return 1 }
    return (index - expected) / (maximum - expected)
}
