import Foundation
import Testing
import UpliftDSP
@testable import UpliftSimilarity

/// Triplet training, the index and the metrics on vectors whose structure is known by construction.
@Suite("Metric learning and index")
struct LearningTests {
    /// Classes differ in 4 informative dimensions by a small amount; 36 nuisance dimensions carry
    /// large per-sample noise (what an augmentation or a different mixdown changes). The raw
    /// distance is dominated by the nuisance; a learned metric must find the 4.
    static func planted(classes: Range<Int>, perClass: Int, seed: UInt64) -> (rows: [[Double]], labels: [Int]) {
        var random = SeededRandom(seed: seed)
        var rows: [[Double]] = [], labels: [Int] = []
        for c in classes {
            var centreRandom = SeededRandom(seed: UInt64(c) &* 7919 &+ 1)
            let centre = (0..<4).map { _ in 2 * centreRandom.gaussian() }
            for _ in 0..<perClass {
                rows.append(centre.map { $0 + 0.15 * random.gaussian() } + (0..<36).map { _ in 2.5 * random.gaussian() })
                labels.append(c)
            }
        }
        return (rows, labels)
    }

    static var options: TripletTrainer.Options {
        var o = TripletTrainer.Options()
        o.hiddenSize = 32; o.outputSize = 16; o.steps = 150; o.batchSize = 64; o.samplesPerClass = 4
        return o
    }

    @Test("backpropagation matches finite differences through L2, the second layer, GELU, LayerNorm and the first layer")
    func gradientMatchesFiniteDifferences() throws {
        var random = SeededRandom(seed: 4)
        let net = EmbeddingNetwork(inputSize: 6, hiddenSize: 5, outputSize: 3, seed: 8)
        let x = (0..<6).map { _ in Float(random.gaussian()) }
        let g = (0..<3).map { _ in Float(random.gaussian()) }
        func loss(_ n: EmbeddingNetwork) -> Double { zip(n.embed(x), g).reduce(0) { $0 + Double($1.0 * $1.1) } }
        var analytic = [Float](repeating: 0, count: net.parameters.count)
        analytic.withUnsafeMutableBufferPointer { net.backward(net.trace(x), outputGradient: g, into: $0.baseAddress!) }
        let p = net.parameters
        var worst = 0.0
        for i in stride(from: 0, to: p.count, by: 3) {
            var plus = p, minus = p
            plus[i] += 1e-2; minus[i] -= 1e-2
            let numeric = (loss(try EmbeddingNetwork(inputSize: 6, hiddenSize: 5, outputSize: 3, parameters: plus))
                - loss(try EmbeddingNetwork(inputSize: 6, hiddenSize: 5, outputSize: 3, parameters: minus))) / 2e-2
            worst = max(worst, abs(numeric - Double(analytic[i])) / max(0.05, abs(numeric)))
        }
        #expect(worst < 0.05, "largest relative gradient error \(worst)")
    }

    @Test("the same samples and seed give the same weights bit for bit; another seed does not")
    func deterministic() throws {
        let data = Self.planted(classes: 0..<8, perClass: 6, seed: 1)
        var o = Self.options
        o.steps = 20
        let a = try SimilarityModel.train(rows: data.rows, classIDs: data.labels, scalerRows: data.rows, options: o)
        let b = try SimilarityModel.train(rows: data.rows, classIDs: data.labels, scalerRows: data.rows, options: o)
        #expect(a.network.parameters == b.network.parameters)
        o.seed = 20
        let c = try SimilarityModel.train(rows: data.rows, classIDs: data.labels, scalerRows: data.rows, options: o)
        #expect(a.network.parameters != c.network.parameters)
    }

    @Test("the learned metric retrieves held-out classes far better than the raw descriptor")
    func learningHelpsOnHeldOutClasses() throws {
        // Enough classes that memorising them is harder than finding the 4 dimensions (16 × 6 is memorised: P@5 0.31).
        let train = Self.planted(classes: 0..<40, perClass: 10, seed: 2)
        let test = Self.planted(classes: 100..<108, perClass: 6, seed: 3)
        var losses: [Double] = []
        var o = Self.options
        o.steps = 600
        let model = try SimilarityModel.train(rows: train.rows, classIDs: train.labels, scalerRows: train.rows,
                                              options: o) { losses.append($0.loss) }
        let raw = test.rows.map { model.scaler.transform($0) }
        let learned = test.rows.map { model.embed(descriptor: $0) }
        let rawP5 = RetrievalMetrics.precisionAtK(5, labels: test.labels) { RetrievalMetrics.cosineDistance(raw[$0], raw[$1]) }
        let learnedP5 = RetrievalMetrics.precisionAtK(5, labels: test.labels) { RetrievalMetrics.cosineDistance(learned[$0], learned[$1]) }
        #expect(learnedP5 > 0.8, "P@5 learned \(learnedP5), raw \(rawP5)")
        #expect(learnedP5 > rawP5 + 0.3, "P@5 learned \(learnedP5), raw \(rawP5)")
        #expect(losses.count == o.steps)
        let late: Double = losses.suffix(50).reduce(0, +), early: Double = losses.prefix(50).reduce(0, +)
        #expect(late < early / 2, "the triplet loss falls")
        #expect(learned.allSatisfy { abs($0.reduce(0) { $0 + $1 * $1 } - 1) < 1e-4 }, "unit vectors")
    }

    /// Styles differ in 4 dimensions; each recording of a style has its own colour in 8 more (what
    /// tells two tracks of one style apart); 12 more carry a little noise. An augmented copy moves
    /// along one of 3 fixed directions across those 20 dimensions (what a pitch shift does to the
    /// spectral shape: a structured move through the very features that tell tracks apart).
    static func recordings(styles: Range<Int>, perStyle: Int, views: Int, seed: UInt64)
        -> (rows: [[Double]], styles: [Int], recordings: [Int]) {
        var random = SeededRandom(seed: seed)
        var directionRandom = SeededRandom(seed: 77)
        let directions = (0..<3).map { _ in (0..<20).map { _ in directionRandom.gaussian() / 20.0.squareRoot() } }
        var rows: [[Double]] = [], labels: [Int] = [], recordings: [Int] = []
        for c in styles {
            var centreRandom = SeededRandom(seed: UInt64(c) &* 7919 &+ 1)
            let centre = (0..<4).map { _ in 2 * centreRandom.gaussian() }
            for r in 0..<perStyle {
                let colour = (0..<8).map { _ in random.gaussian() }
                for v in 0..<views {
                    var rest = colour + (0..<12).map { _ in 0.2 * random.gaussian() }
                    if v > 0 {
                        // View 0 is the original; the others move along one direction.
                        let d = directions[(v - 1) % 3], amount = 2.5 * random.gaussian()
                        for i in 0..<20 { rest[i] += amount * d[i] }
                    }
                    rows.append(centre.map { $0 + 0.1 * random.gaussian() } + rest)
                    labels.append(c); recordings.append(c * 1000 + r)
                }
            }
        }
        return (rows, labels, recordings)
    }

    @Test("with a track and its copies as views of one recording, held-out copies land nearer their original than other tracks of the style do")
    func recordingLevelMakesCopiesNear() throws {
        let train = Self.recordings(styles: 0..<6, perStyle: 12, views: 5, seed: 11)
        let test = Self.recordings(styles: 10..<16, perStyle: 6, views: 5, seed: 12)
        var o = Self.options
        o.steps = 400; o.samplesPerClass = 8; o.batchSize = 48
        /// Share of held-out copies nearer their original than the 5th percentile of distances between originals.
        func invariance(_ model: SimilarityModel) -> Double {
            let v = test.rows.map { model.embed(descriptor: $0) }
            let originals = test.rows.indices.filter { $0 % 5 == 0 }
            var between: [Double] = []
            for (x, i) in originals.enumerated() { for j in originals[(x + 1)...] { between.append(RetrievalMetrics.cosineDistance(v[i], v[j])) } }
            between.sort()
            let p5 = between[Int(Double(between.count - 1) * 0.05)]
            let copies = test.rows.indices.filter { $0 % 5 != 0 }
            return Double(copies.filter { RetrievalMetrics.cosineDistance(v[$0], v[$0 - $0 % 5]) < p5 }.count) / Double(copies.count)
        }
        let styleOnly = try SimilarityModel.train(rows: train.rows, classIDs: train.styles, scalerRows: train.rows, options: o)
        let withViews = try SimilarityModel.train(rows: train.rows, classIDs: train.styles, instanceIDs: train.recordings,
                                                  scalerRows: train.rows, options: o)
        let before = invariance(styleOnly), after = invariance(withViews)
        // Measured: 0.73 with the recording level, 0.42 without.
        #expect(after > 0.6, "copies under the 5th percentile: \(after) with the recording level, \(before) without")
        #expect(after > before + 0.2, "copies under the 5th percentile: \(after) with the recording level, \(before) without")
        // The style level still holds: held-out originals retrieve their own style.
        let v = test.rows.indices.filter { $0 % 5 == 0 }.map { withViews.embed(descriptor: test.rows[$0]) }
        let labels = test.rows.indices.filter { $0 % 5 == 0 }.map { test.styles[$0] }
        let p5 = RetrievalMetrics.precisionAtK(5, labels: labels) { RetrievalMetrics.cosineDistance(v[$0], v[$1]) }
        #expect(p5 > 0.6, "P@5 of held-out styles \(p5) (chance 0.14)")
    }

    @Test("a class's K samples bring two recordings' views when it has two, and fill K from one recording when it has one")
    func batchesDrawRecordings() {
        var random = SeededRandom(seed: 3)
        let twoRecordings = [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9], [10, 11, 12, 13]]
        for _ in 0..<20 {
            // K 4, 4 views asked: 2 views of 2 recordings, never 4 of one.
            let drawn = TripletTrainer.draw(twoRecordings, k: 4, viewsPerInstance: 4, using: &random)
            #expect(drawn.count == 4 && Set(drawn).count == 4)
            let recordings = Set(drawn.map { i in twoRecordings.firstIndex { $0.contains(i) }! })
            #expect(recordings.count == 2, "\(drawn)")
            // K 8: 4 views each of 2 recordings.
            let eight = TripletTrainer.draw(twoRecordings, k: 8, viewsPerInstance: 4, using: &random)
            #expect(Set(eight.map { i in twoRecordings.firstIndex { $0.contains(i) }! }).count == 2 && Set(eight).count == 8)
        }
        // One recording of 5 views (a track with no label): K 4 is filled from it.
        let one = TripletTrainer.draw([[0, 1, 2, 3, 4]], k: 4, viewsPerInstance: 4, using: &random)
        #expect(one.count == 4 && Set(one).count == 4)
    }

    @Test("semi-hard mining picks the nearest negative beyond the positive within the margin, never the hardest")
    func semiHardMining() {
        let distances: [Float] = [0.05, 0.9, 0.45, 0.35]
        // Positive at 0.3, margin 0.2: 0.35 and 0.45 are semi-hard, 0.35 the nearest of them; 0.05 is the hardest.
        #expect(TripletTrainer.negative(anchorPositive: 0.3, candidates: [0, 1, 2, 3], distance: { distances[$0] }, margin: 0.2) == 3)
        // No semi-hard one (0.05 is hard, 0.9 beyond the margin): the farthest, never the hard one.
        #expect(TripletTrainer.negative(anchorPositive: 0.3, candidates: [0, 1], distance: { distances[$0] }, margin: 0.2) == 1)
        #expect(TripletTrainer.negative(anchorPositive: 0.3, candidates: [], distance: { distances[$0] }, margin: 0.2) == nil)
    }

    @Test("HNSW returns what exact search returns on a small set; exact search is exact")
    func indexMatchesExact() throws {
        var random = SeededRandom(seed: 5)
        let vectors = (0..<600).map { _ in (0..<24).map { _ in Float(random.gaussian()) } }
        let exact = try VectorIndex(vectors: vectors, exactLimit: 10_000)
        let graph = try VectorIndex(vectors: vectors, exactLimit: 100)
        #expect(!exact.usesGraph && graph.usesGraph)
        var agree = 0, total = 0
        for q in 0..<50 {
            let query = vectors[q * 7]
            let e = exact.nearest(to: query, k: 10)
            // Brute force in Double as the reference.
            let brute = vectors.indices.map { ($0, RetrievalMetrics.cosineDistance(query, vectors[$0])) }
                .sorted { $0.1 < $1.1 }.prefix(10).map(\.0)
            #expect(e.map(\.index) == Array(brute))
            #expect(e.first?.index == q * 7 && abs(e.first!.distance) < 1e-5)
            let g = graph.nearest(to: query, k: 10)
            agree += Set(g.map(\.index)).intersection(e.map(\.index)).count
            total += 10
        }
        #expect(Double(agree) / Double(total) >= 0.98, "HNSW recall@10 \(Double(agree) / Double(total))")
        #expect(exact.nearest(to: vectors[0], k: 3, excluding: [0]).allSatisfy { $0.index != 0 })
    }

    @Test("metrics: perfect labelings score 1, a relabelling keeps NMI and ARI, random scores near 0")
    func metrics() {
        let x = [0, 0, 1, 1, 2, 2, 2, 0]
        #expect(abs(RetrievalMetrics.nmi(x, x) - 1) < 1e-12)
        #expect(abs(RetrievalMetrics.ari(x, x.map { 5 - $0 }) - 1) < 1e-12)
        var random = SeededRandom(seed: 9)
        let a = (0..<2000).map { _ in Int(random.next() % 4) }, b = (0..<2000).map { _ in Int(random.next() % 4) }
        #expect(abs(RetrievalMetrics.ari(a, b)) < 0.02)
        #expect(RetrievalMetrics.nmi(a, b) < 0.02)
        let points: [Double] = [0, 0.1, 0.2, 10, 10.1, 10.2]
        let labels = [0, 0, 0, 1, 1, 1]
        #expect(RetrievalMetrics.silhouette(labels: labels) { abs(points[$0] - points[$1]) } > 0.95)
        #expect(RetrievalMetrics.precisionAtK(2, labels: labels) { abs(points[$0] - points[$1]) } == 1)
    }
}
