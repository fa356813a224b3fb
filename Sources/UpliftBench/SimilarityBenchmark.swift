import Foundation
import UpliftAnalysis
import UpliftDSP
import UpliftModel
import UpliftProfile
import UpliftSimilarity
import UpliftSynth

/// Issue 19's proof: the nearest-neighbour index (recall@10 and query time at 1k/10k/100k) and the
/// learned embedding on a labelled set of synthesized sub-styles (Precision@5, silhouette, NMI on
/// held-out tracks, beside the raw descriptor's figures and Key Finding 6's targets), invariance per
/// augmentation kind, training time, determinism.
public enum SimilarityBenchmark {
    // MARK: Index

    public struct IndexRow: Sendable {
        public var count: Int
        public var usesGraph: Bool
        public var buildS: Double
        public var exactQueryMs: Double
        public var indexQueryMs: Double
        /// CPU time of the querying thread per query (what a query costs on an idle core).
        public var indexQueryCPUMs: Double
        public var exactQueryCPUMs: Double
        public var ef: Int
        public var recallAt10: Double
    }

    /// Clustered unit vectors in 64 dimensions (an embedding's shape): 200 centres, spread 0.35.
    public static func index(sizes: [Int] = [1000, 10_000, 100_000], queries: Int = 200, dimension: Int = 64) throws -> [IndexRow] {
        var rows: [IndexRow] = []
        for n in sizes {
            var random = SeededRandom(seed: UInt64(n))
            let centres = (0..<200).map { _ in (0..<dimension).map { _ in Float(random.gaussian()) } }
            func point() -> [Float] { centres[random.below(200)].map { $0 + 0.35 * Float(random.gaussian()) } }
            let vectors = (0..<n).map { _ in point() }
            let qs = (0..<queries).map { _ in point() }
            let t0 = BenchClock.wall()
            let index = try VectorIndex(vectors: vectors)
            let buildS = BenchClock.wall() - t0
            var exact: [[VectorIndex.Hit]] = []
            let exactTime = BenchClock.measure { for q in qs { exact.append(index.exactNearest(to: q, k: 10)) } }
            var found = 0
            var hits: [[VectorIndex.Hit]] = []
            // Warm the graph's pages once, then time the queries.
            _ = index.nearest(to: qs[0], k: 10)
            let indexTime = BenchClock.measure { for q in qs { hits.append(index.nearest(to: q, k: 10)) } }
            for (h, e) in zip(hits, exact) { found += Set(h.map(\.index)).intersection(e.map(\.index)).count }
            let per = 1000 / Double(queries)
            rows.append(IndexRow(count: n, usesGraph: index.usesGraph, buildS: buildS, exactQueryMs: exactTime.wall * per,
                                 indexQueryMs: indexTime.wall * per, indexQueryCPUMs: indexTime.cpu * per,
                                 exactQueryCPUMs: exactTime.cpu * per, ef: index.efficiency(k: 10),
                                 recallAt10: Double(found) / Double(10 * queries)))
        }
        return rows
    }

    public static func indexReport(_ rows: [IndexRow]) -> String {
        var lines = ["index (cosine, 64-d clustered vectors, 200 queries, k 10; target < 1 ms at 100k, recall@10 ≥ 0.95)",
                     "  HNSW: M \(VectorIndex.graphM), efConstruction \(VectorIndex.graphEfConstruction); query times are the querying thread's CPU time (wall beside it)"]
        for r in rows {
            lines.append(String(format: "  %7d vectors: %@ build %.2f s, query CPU %.3f ms (wall %.3f)%@, exact CPU %.3f ms (wall %.3f), recall@10 %.3f",
                                r.count, r.usesGraph ? "HNSW " : "exact", r.buildS, r.indexQueryCPUMs, r.indexQueryMs,
                                r.usesGraph ? " at ef \(r.ef)" : "", r.exactQueryCPUMs, r.exactQueryMs, r.recallAt10))
        }
        return lines.joined(separator: "\n")
    }

    // MARK: Training time

    /// The embedding's share of a profile build for 215 tracks: the augmented copies measured on
    /// `tracks` WAV files (44.1 kHz, `seconds` long; the embedder's default excerpt and kinds, its
    /// threads) and projected to 215 — in wall time on this machine as it is, and in CPU seconds per
    /// stage (decode, Rubber Band, analysis) over the cores, which another builder's load does not
    /// inflate — plus training on 215 tracks × 4 views of the real dimension (timed, not projected).
    public static func trainingTime(tracks: Int = 6, seconds: Double = 60, options: LibraryEmbedder.Options = .init(),
                                    log: @escaping @Sendable (String) -> Void = { _ in }) throws -> String {
        let root = NSTemporaryDirectory() + "uplift-similarity-bench-\(getpid())"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        var inputs: [LibraryEmbedder.Track] = []
        for i in 0..<tracks {
            var recipe = Self.recipe(style: i % styles.count, variant: UInt64(i + 1), bars: 5)
            let bars = max(5, Int(seconds * recipe.bpm / 240))
            recipe.sections = TranceRecipe.standardArrangement(barsEach: max(1, bars / 5))
            let audio = recipe.render(sampleRate: 44_100).interleaved
            let path = root + "/t\(i).wav"
            let wav = try WAVFile(path: path, sampleRate: 44_100)
            try wav.write(audio)
            try wav.close()
            inputs.append(.init(analysis: try TrackAnalyzer().analyze(path: path), path: path))
        }
        log("wrote and analysed \(tracks) tracks of \(Int(seconds)) s")
        let embedder = LibraryEmbedder(options: options)
        let library = inputs
        let slots = ResultSlots<LibraryEmbedder.CopyCost>(count: tracks)
        let next = Counter()
        let t0 = BenchClock.wall(), cpu0 = BenchClock.processCPU()
        DispatchQueue.concurrentPerform(iterations: embedder.options.threads) { _ in
            while true {
                let i = next.add() - 1
                guard i < tracks else { return }
                slots.set(i, (try? embedder.costedCopies(of: library[i], index: i, seed: 19).cost) ?? .init())
            }
        }
        let copiesS = BenchClock.wall() - t0, processS = BenchClock.processCPU() - cpu0
        let cost = slots.all.compactMap { $0 }.reduce(LibraryEmbedder.CopyCost(), +)
        // 215 tracks of 4 views (an original and its 3 copies) at the descriptor's dimension.
        var random = SeededRandom(seed: 215)
        let base = inputs.compactMap { Descriptor.make($0.analysis) }
        var rows: [[Double]] = [], classes: [Int] = []
        for c in 0..<215 {
            let centre = base[c % base.count].map { $0 + 0.3 * random.gaussian() * max(0.1, abs($0)) }
            for _ in 0..<4 { rows.append(centre.map { $0 + 0.05 * random.gaussian() * max(0.1, abs($0)) }); classes.append(c) }
        }
        let trainOptions = options.trainer
        let train = try BenchClock.measure {
            _ = try SimilarityModel.train(rows: rows, classIDs: classes, instanceIDs: classes, scalerRows: rows, options: trainOptions)
        }
        let per = 215 / Double(tracks)
        let threads = Double(embedder.options.threads)
        let cpuProjected = cost.totalS * per / threads
        let kinds = embedder.options.copies.compactMap { ks in
            ks.first.map { String(format: "%@ %.2f", ks.map(\.rawValue).joined(separator: "+"), (cost.augmentS[$0] ?? 0) / Double(tracks)) }
        }
        return String(format: """
        embedding training for 215 tracks (target < 180 s on 2 cores, augmentation included)
          augmented copies: %d tracks × %d copies of a %.0f s excerpt, %d threads: wall %.1f s (process CPU %.1f s)
            CPU s per track: decode %.2f, render %@, analyse %.2f (%.2f per copy); total %.2f
            → 215 tracks: CPU %.0f s over %d cores = %.0f s; wall as measured here ≈ %.0f s
          training: 215 × 4 views, %d steps, batch %d, %d→%d→%d: CPU %.1f s (wall %.1f s)
          total ≈ %.0f s from CPU time over %d cores (wall as measured ≈ %.0f s)
        """, tracks, cost.copies / max(1, tracks), options.excerptSeconds, embedder.options.threads, copiesS, processS,
                      cost.decodeS / Double(tracks), kinds.joined(separator: ", "), cost.analyseS / Double(tracks),
                      cost.analyseS / Double(max(1, cost.copies)), cost.totalS / Double(tracks),
                      cost.totalS * per, embedder.options.threads, cpuProjected, copiesS * per,
                      trainOptions.steps, trainOptions.batchSize, Descriptor.dimension, trainOptions.hiddenSize, trainOptions.outputSize,
                      train.cpu, train.wall, cpuProjected + train.cpu, embedder.options.threads, copiesS * per + train.wall)
    }

    // MARK: Labelled sub-styles

    /// Six trance sub-styles as synthesizer recipes; `variant` varies tempo, key, levels and timbre within the style.
    public static let styles = ["uplifting", "acid", "psy", "progressive", "hard", "balearic"]

    public static func recipe(style: Int, variant: UInt64, bars: Int) -> TranceRecipe {
        var r = SeededRandom(seed: variant &* 1_000_003 &+ UInt64(style) &* 7919)
        func jitter(_ x: Double, _ spread: Double) -> Double { x + spread * (2 * r.unit() - 1) }
        let each = max(1, bars / 5)
        var recipe = TranceRecipe(seed: variant &+ UInt64(style) << 32, sections: TranceRecipe.standardArrangement(barsEach: each))
        recipe.key = MusicalKey(tonic: Int(r.next() % 12), mode: r.unit() < 0.75 ? .minor : .major)
        func pattern(_ change: (inout TrancePattern) -> Void) {
            recipe.sections = recipe.sections.map { s in var p = s.pattern; change(&p); return TranceSection(kind: s.kind, bars: s.bars, pattern: p) }
        }
        switch style {
        case 0: // uplifting: wide bright supersaws, moderate pumping, no acid
            recipe.bpm = jitter(138, 1.5)
            recipe.supersaw = SupersawSettings(voices: 7, detuneCents: jitter(28, 4), stereoSpreadPercent: jitter(90, 8), cutoffHz: jitter(7000, 1000), levelDB: jitter(-12, 1.5))
            recipe.sidechain = SidechainSettings(depthDB: jitter(7, 1.5))
            pattern { $0.acid = false }
        case 1: // acid: resonant 303 line, thin pads
            recipe.bpm = jitter(140, 2)
            recipe.acid = AcidSettings(resonance: jitter(0.88, 0.07), baseCutoffHz: jitter(350, 80), envelopeOctaves: jitter(3.5, 0.5), sweepOctaves: jitter(2, 0.4), levelDB: jitter(-9, 1.5))
            recipe.supersaw = SupersawSettings(voices: 3, detuneCents: jitter(10, 3), stereoSpreadPercent: jitter(40, 10), cutoffHz: jitter(2500, 400), levelDB: jitter(-20, 2))
            recipe.sidechain = SidechainSettings(depthDB: jitter(5, 1.5))
            pattern { $0.acid = $0.bass || $0.pads }
        case 2: // psy: fast, no pads, square acid, rolling bass everywhere, no pumping
            recipe.bpm = jitter(145, 2)
            recipe.acid = AcidSettings(waveform: .square, resonance: jitter(0.6, 0.1), baseCutoffHz: jitter(600, 100), levelDB: jitter(-11, 1.5))
            recipe.sidechain = SidechainSettings(depthDB: jitter(1, 1))
            pattern { $0.pads = false; $0.bass = true; $0.acid = $0.kick }
        case 3: // progressive: slow, dark pads, heavy pumping, no acid
            recipe.bpm = jitter(128, 2)
            recipe.supersaw = SupersawSettings(voices: 5, detuneCents: jitter(14, 3), stereoSpreadPercent: jitter(70, 10), cutoffHz: jitter(1800, 300), levelDB: jitter(-13, 1.5))
            recipe.sidechain = SidechainSettings(depthDB: jitter(12, 1.5), releaseMs: jitter(260, 40))
            pattern { $0.acid = false; $0.offbeatHats = $0.kick }
        case 4: // hard: fast, huge bright wide saws, loud claps
            recipe.bpm = jitter(150, 2)
            recipe.supersaw = SupersawSettings(voices: 9, detuneCents: jitter(42, 5), stereoSpreadPercent: jitter(100, 0), cutoffHz: jitter(11000, 1500), levelDB: jitter(-10, 1.5))
            recipe.sidechain = SidechainSettings(depthDB: jitter(6, 1.5))
            pattern { $0.acid = false }
        default: // balearic: slow, narrow soft pads, gentle square acid, little pumping
            recipe.bpm = jitter(122, 2)
            recipe.supersaw = SupersawSettings(voices: 3, detuneCents: jitter(7, 2), stereoSpreadPercent: jitter(25, 8), cutoffHz: jitter(1400, 250), levelDB: jitter(-14, 1.5))
            recipe.acid = AcidSettings(waveform: .square, resonance: jitter(0.3, 0.1), baseCutoffHz: jitter(500, 100), sweepOctaves: 0.5, levelDB: jitter(-18, 2))
            recipe.sidechain = SidechainSettings(depthDB: jitter(2.5, 1))
        }
        return recipe
    }

    /// Writes `perStyle` tracks of each style as 16-bit 44.1 kHz WAV into `directory/<style>/`; returns their paths.
    public static func writeLibrary(directory: String, perStyle: Int, bars: Int, firstVariant: Int = 1) throws -> [String] {
        var paths: [String] = []
        for (s, name) in styles.enumerated() {
            try FileManager.default.createDirectory(atPath: directory + "/" + name, withIntermediateDirectories: true)
            for v in firstVariant..<(firstVariant + perStyle) {
                let path = "\(directory)/\(name)/\(name)-\(v).wav"
                let wav = try WAVFile(path: path, sampleRate: 44_100)
                try wav.write(recipe(style: s, variant: UInt64(v), bars: bars).render(sampleRate: 44_100).interleaved)
                try wav.close()
                paths.append(path)
            }
        }
        return paths
    }

    public struct LabelledTrack: Codable, Sendable {
        public var style: Int
        public var variant: UInt64
        public var descriptor: [Double]
        /// Augmented copies of the whole track: kind, description, descriptor.
        public var copies: [Copy]
        public struct Copy: Codable, Sendable { public var kind: String; public var what: String; public var descriptor: [Double] }
    }

    /// Renders and analyses the set (`perStyle` tracks of each style, `bars` bars at `sampleRate`),
    /// with one copy per augmentation kind of each; cached as JSON at `cachePath` when given.
    public static func labelledSet(perStyle: Int, bars: Int, sampleRate: Double, threads: Int, cachePath: String?,
                                   log: @escaping @Sendable (String) -> Void = { _ in }) throws -> [LabelledTrack] {
        let version = "similarity-set/\(Descriptor.version)/\(TrackAnalyzer.version)/\(perStyle)/\(bars)/\(Int(sampleRate))"
        if let cachePath, let data = FileManager.default.contents(atPath: cachePath),
           let cached = try? JSONDecoder().decode([String: [LabelledTrack]].self, from: data), let set = cached[version] {
            return set
        }
        let jobs = (0..<styles.count).flatMap { s in (0..<perStyle).map { (s, UInt64($0 + 1)) } }
        let results = ResultSlots<LabelledTrack>(count: jobs.count)
        let next = Counter(), done = Counter()
        DispatchQueue.concurrentPerform(iterations: max(1, threads)) { _ in
            while true {
                let j = next.add() - 1
                guard j < jobs.count else { return }
                let (style, variant) = jobs[j]
                let audio = recipe(style: style, variant: variant, bars: bars).render(sampleRate: sampleRate).interleaved
                let analyzer = TrackAnalyzer()
                guard let a = try? analyzer.analyze(interleaved: audio, sampleRate: sampleRate, name: "\(styles[style])-\(variant)"),
                      let d = Descriptor.make(a) else { continue }
                var random = SeededRandom(seed: variant &* 31 &+ UInt64(style))
                var copies: [LabelledTrack.Copy] = []
                for kind in Augmentation.Kind.allCases {
                    let aug = Augmentation.random(kind, using: &random)
                    let copy = aug.apply(to: audio, sampleRate: sampleRate, seed: random.next())
                    if let ca = try? analyzer.analyze(interleaved: copy, sampleRate: sampleRate, name: "copy"), let cd = Descriptor.make(ca) {
                        copies.append(.init(kind: kind.rawValue, what: aug.description, descriptor: cd))
                    }
                }
                results.set(j, LabelledTrack(style: style, variant: variant, descriptor: d, copies: copies))
                let n = done.add()
                if n % 10 == 0 || n == jobs.count { log("rendered and analysed \(n)/\(jobs.count) tracks (+\(Augmentation.Kind.allCases.count) copies each)") }
            }
        }
        let set = results.all.compactMap { $0 }
        if let cachePath, let data = try? JSONEncoder().encode([version: set]) {
            try? FileManager.default.createDirectory(atPath: (cachePath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            FileManager.default.createFile(atPath: cachePath, contents: data)
        }
        return set
    }

    /// More copies of the training tracks (`variant ≤ trainPerStyle`): `perTrack` more of each of
    /// `kinds`, drawn with other seeds; the held-out tracks keep their one copy per kind. Cached
    /// beside the set. Shows whether a kind's invariance is short of examples.
    public static func extraCopies(_ set: [LabelledTrack], kinds: [Augmentation.Kind], perTrack: Int, trainPerStyle: Int,
                                   bars: Int, sampleRate: Double, threads: Int, cachePath: String?) throws -> [LabelledTrack] {
        let version = "similarity-extra/\(Descriptor.version)/\(TrackAnalyzer.version)/\(bars)/\(Int(sampleRate))/\(kinds.map(\.rawValue))/\(perTrack)/\(trainPerStyle)"
        typealias Extra = [String: [LabelledTrack.Copy]]
        func key(_ t: LabelledTrack) -> String { "\(t.style)-\(t.variant)" }
        var extra: Extra = [:]
        if let cachePath, let data = FileManager.default.contents(atPath: cachePath),
           let cached = try? JSONDecoder().decode([String: Extra].self, from: data), let e = cached[version] {
            extra = e
        } else {
            let train = set.filter { $0.variant <= UInt64(trainPerStyle) }
            let results = ResultSlots<[LabelledTrack.Copy]>(count: train.count)
            let next = Counter()
            DispatchQueue.concurrentPerform(iterations: max(1, threads)) { _ in
                while true {
                    let j = next.add() - 1
                    guard j < train.count else { return }
                    let t = train[j]
                    let audio = recipe(style: t.style, variant: t.variant, bars: bars).render(sampleRate: sampleRate).interleaved
                    var random = SeededRandom(seed: t.variant &* 131 &+ UInt64(t.style) &+ 0xE17A)
                    var copies: [LabelledTrack.Copy] = []
                    for _ in 0..<perTrack {
                        for kind in kinds {
                            let aug = Augmentation.random(kind, using: &random)
                            let copy = aug.apply(to: audio, sampleRate: sampleRate, seed: random.next())
                            if let a = try? TrackAnalyzer().analyze(interleaved: copy, sampleRate: sampleRate, name: "copy"), let d = Descriptor.make(a) {
                                copies.append(.init(kind: kind.rawValue, what: aug.description, descriptor: d))
                            }
                        }
                    }
                    results.set(j, copies)
                }
            }
            for (t, c) in zip(train, results.all) { extra[key(t)] = c ?? [] }
            if let cachePath, let data = try? JSONEncoder().encode([version: extra]) {
                FileManager.default.createFile(atPath: cachePath, contents: data)
            }
        }
        return set.map { t in var t = t; t.copies += extra[key(t)] ?? []; return t }
    }

    public struct Figures: Sendable {
        public var precisionAt5: Double
        public var silhouette: Double
        public var nmi: Double
    }

    public struct ProofResult: Sendable {
        public var trainTracks: Int
        public var heldOutTracks: Int
        public var trainingSamples: Int
        public var trainingS: Double
        public var learned: Figures
        public var raw: Figures
        /// Per augmentation kind: copies below the 5th percentile of between-track distances, and that percentile.
        public var invariance: [(kind: String, belowFraction: Double, medianDistance: Double, rawBelowFraction: Double)]
        public var fifthPercentile: Double
        public var deterministic: Bool
    }

    /// Trains on `trainPerStyle` tracks of each style (labels = styles, plus their augmented copies),
    /// measures on the rest.
    /// `recordingLevel`: a track and its copies are also views of one recording (the trainer's inner
    /// level); `false` trains on the style labels alone (issue 19's first version).
    public static func proof(_ set: [LabelledTrack], trainPerStyle: Int, options: TripletTrainer.Options,
                             recordingLevel: Bool = true) throws -> ProofResult {
        let train = set.filter { $0.variant <= UInt64(trainPerStyle) }
        let test = set.filter { $0.variant > UInt64(trainPerStyle) }
        var rows: [[Double]] = [], classes: [Int] = [], instances: [Int] = []
        for (i, t) in train.enumerated() {
            rows.append(t.descriptor); classes.append(t.style); instances.append(i)
            for c in t.copies { rows.append(c.descriptor); classes.append(t.style); instances.append(i) }
        }
        let views = recordingLevel ? instances : nil
        let t0 = BenchClock.wall()
        let model = try SimilarityModel.train(rows: rows, classIDs: classes, instanceIDs: views, scalerRows: train.map(\.descriptor), options: options)
        let trainingS = BenchClock.wall() - t0
        let again = try SimilarityModel.train(rows: rows, classIDs: classes, instanceIDs: views, scalerRows: train.map(\.descriptor), options: options)

        let labels = test.map(\.style)
        func figures(_ vectors: [[Float]]) -> Figures {
            let distance = { (i: Int, j: Int) in RetrievalMetrics.cosineDistance(vectors[i], vectors[j]) }
            let p5 = RetrievalMetrics.precisionAtK(5, labels: labels, distance: distance)
            let silhouette = RetrievalMetrics.silhouette(labels: labels, distance: distance)
            // NMI of k-means clusters (k = number of styles, on the unit vectors) against the styles.
            let points = vectors.map { v -> [Double] in
                let n = max(1e-12, v.reduce(0) { $0 + Double($1 * $1) }.squareRoot()); return v.map { Double($0) / n }
            }
            let clusters = KMeans.cluster(points, k: styles.count, seed: 19).labels
            return Figures(precisionAt5: p5, silhouette: silhouette, nmi: RetrievalMetrics.nmi(clusters, labels))
        }
        let learnedVectors = test.map { model.embed(descriptor: $0.descriptor) }
        let rawVectors = test.map { model.scaler.transform($0.descriptor) }

        // Invariance: distance track ↔ its copy against the 5th percentile of distances between different tracks.
        func between(_ v: [[Float]]) -> Double {
            var d: [Double] = []
            for i in v.indices { for j in (i + 1)..<max(i + 1, v.count) { d.append(RetrievalMetrics.cosineDistance(v[i], v[j])) } }
            d.sort()
            return d.isEmpty ? 0 : d[Int(Double(d.count - 1) * 0.05)]
        }
        let p5Learned = between(learnedVectors), p5Raw = between(rawVectors)
        var invariance: [(String, Double, Double, Double)] = []
        for kind in Augmentation.Kind.allCases {
            var distances: [Double] = [], rawBelow = 0, n = 0
            for (i, t) in test.enumerated() {
                for c in t.copies where c.kind == kind.rawValue {
                    distances.append(RetrievalMetrics.cosineDistance(learnedVectors[i], model.embed(descriptor: c.descriptor)))
                    if RetrievalMetrics.cosineDistance(rawVectors[i], model.scaler.transform(c.descriptor)) < p5Raw { rawBelow += 1 }
                    n += 1
                }
            }
            guard n > 0 else { continue }
            let below = Double(distances.filter { $0 < p5Learned }.count) / Double(n)
            invariance.append((kind.rawValue, below, distances.sorted()[n / 2], Double(rawBelow) / Double(n)))
        }
        return ProofResult(trainTracks: train.count, heldOutTracks: test.count, trainingSamples: rows.count, trainingS: trainingS,
                           learned: figures(learnedVectors), raw: figures(rawVectors), invariance: invariance,
                           fifthPercentile: p5Learned, deterministic: model.network.parameters == again.network.parameters)
    }

    public static func proofReport(_ r: ProofResult, perStyle: Int, bars: Int, sampleRate: Double) -> String {
        func f(_ x: Double) -> String { String(format: "%.3f", x) }
        var lines = [
            "embedding on synthesized sub-styles (\(styles.count) styles × \(perStyle) tracks of \(bars) bars at \(Int(sampleRate)) Hz: \(styles.joined(separator: ", ")))",
            "  trained on \(r.trainTracks) tracks + their augmented copies (\(r.trainingSamples) samples) in \(String(format: "%.1f", r.trainingS)) s; measured on \(r.heldOutTracks) held-out tracks",
            "                  learned   raw descriptor   target (Key Finding 6)",
            "  Precision@5     \(f(r.learned.precisionAt5))     \(f(r.raw.precisionAt5))            > 0.70",
            "  silhouette      \(f(r.learned.silhouette))     \(f(r.raw.silhouette))            > 0.50",
            "  NMI (k-means)   \(f(r.learned.nmi))     \(f(r.raw.nmi))            > 0.60",
            "  invariance: share of augmented copies nearer than the 5th percentile of between-track distances (\(f(r.fifthPercentile)))",
        ]
        for i in r.invariance {
            lines.append("    \(i.kind.padding(toLength: 8, withPad: " ", startingAt: 0)) learned \(f(i.belowFraction)) (median distance \(f(i.medianDistance)))   raw \(f(i.rawBelowFraction))")
        }
        lines.append("  determinism: same set and seed → same weights bit for bit: \(r.deterministic ? "yes" : "NO")")
        return lines.joined(separator: "\n")
    }
}

final class ResultSlots<T>: @unchecked Sendable {
    private var values: [T?]
    private let lock = NSLock()
    init(count: Int) { values = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ v: T) { lock.lock(); values[i] = v; lock.unlock() }
    var all: [T?] { lock.lock(); defer { lock.unlock() }; return values }
}

final class Counter: @unchecked Sendable {
    private var value = 0
    private let lock = NSLock()
    func add() -> Int { lock.lock(); defer { lock.unlock() }; value += 1; return value }
}
