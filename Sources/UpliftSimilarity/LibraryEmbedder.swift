import Foundation
import UpliftAnalysis
import UpliftAudio
import UpliftDSP
import UpliftModel

/// Learns the embedding of a producer's library: each track's descriptor (from its analysis, no
/// second decode), plus augmented copies of excerpts of it (pitch, stretch, noise, gain; decoded
/// and rendered in memory, never written), trained with the triplet loss so a track and its
/// copies — and tracks sharing a label (a sub-folder) — end up close. Deterministic from `seed`:
/// the augmentation of track i draws from `seed` and i alone, results land by index whatever the
/// thread order, training is single-threaded.
public struct LibraryEmbedder: Sendable {
    public struct Options: Sendable {
        public var excerptSeconds = 20.0
        /// Excerpts per track (spread evenly through it); each gets one copy per entry of `copies`.
        public var excerptsPerTrack = 1
        /// The copies of each excerpt, each a composition of random augmentations of these kinds.
        /// Pitch and stretch share one copy (one Rubber Band pass, SimCLR's composition: the pass is
        /// ~90 % of a copy's cost, two passes made 215 tracks ≈ 207 s of 2 cores, one ≈ 120 s); the
        /// gain copy is also the excerpt itself at another level, the same length as the others.
        public var copies: [[Augmentation.Kind]] = [[.pitch, .stretch], [.noise], [.gain]]
        public var trainer = TripletTrainer.Options()
        /// Threads that decode and analyse the copies.
        public var threads = max(1, min(2, ProcessInfo.processInfo.activeProcessorCount))
        public init() {}
    }

    public struct Track: Sendable {
        public var analysis: TrackAnalysis
        /// Where its audio is read from for the augmented copies; `nil` = no copies of this one.
        public var path: String?
        /// The producer's label (a sub-folder), when there is one.
        public var label: String?
        public init(analysis: TrackAnalysis, path: String?, label: String? = nil) {
            self.analysis = analysis; self.path = path; self.label = label
        }
    }

    public enum Stage: Sendable { case augmenting(done: Int, of: Int), training(TripletTrainer.Progress) }

    public struct Result: Sendable {
        public var model: SimilarityModel
        /// One per input track, in order; `nil` for a track without a timbre section.
        public var vectors: [[Float]?]
        public var augmentedCopies: Int
        public var warnings: [String]
    }

    public let options: Options
    public init(options: Options = Options()) { self.options = options }

    /// Excerpt `index` of `count` of interleaved audio from a file: `seconds` long, centred in its slice of the track.
    public static func excerpt(path: String, index: Int, count: Int, seconds: Double) throws -> (samples: [Float], sampleRate: Double) {
        let reader = try AudioFileReader(path: path)
        let length = min(reader.frameCount, Int(seconds * reader.sampleRate))
        let slice = reader.frameCount / max(1, count)
        let start = max(0, min(reader.frameCount - length, slice * index + (slice - length) / 2))
        try reader.seek(toFrame: start)
        var out = [Float](repeating: 0, count: 2 * length)
        var got = 0
        try out.withUnsafeMutableBufferPointer { p throws(AudioError) in
            while got < length {
                let n = try reader.read(into: p.baseAddress! + 2 * got, maxFrames: min(4096, length - got))
                if n == 0 { break }
                got += n
            }
        }
        return (Array(out[0..<(2 * got)]), reader.sampleRate)
    }

    /// What the copies of one track cost, in CPU seconds of the thread that made them.
    public struct CopyCost: Sendable {
        public var decodeS = 0.0
        /// Rendering the augmentation (Rubber Band for pitch and stretch), per copy's first kind.
        public var augmentS: [Augmentation.Kind: Double] = [:]
        /// Analysing the copies (the full offline analyzer, as a library track is analysed).
        public var analyseS = 0.0
        public var copies = 0
        public var totalS: Double { decodeS + augmentS.values.reduce(0, +) + analyseS }
        public init() {}
        public static func + (a: CopyCost, b: CopyCost) -> CopyCost {
            var c = a
            c.decodeS += b.decodeS; c.analyseS += b.analyseS; c.copies += b.copies
            for (k, v) in b.augmentS { c.augmentS[k, default: 0] += v }
            return c
        }
    }

    /// The augmented copies' descriptors of one track (deterministic from `seed` and `index`).
    public func copies(of track: Track, index: Int, seed: UInt64) throws -> [([Augmentation], [Double])] {
        try costedCopies(of: track, index: index, seed: seed).copies
    }

    /// `copies(of:index:seed:)` and what each stage cost.
    public func costedCopies(of track: Track, index: Int, seed: UInt64) throws -> (copies: [([Augmentation], [Double])], cost: CopyCost) {
        var cost = CopyCost()
        guard let path = track.path else { return ([], cost) }
        var random = SeededRandom(seed: seed ^ (UInt64(index) &* 0x9E37_79B9_7F4A_7C15))
        var out: [([Augmentation], [Double])] = []
        for e in 0..<options.excerptsPerTrack {
            var t = ThreadClock.now()
            // One decode per excerpt, shared by every kind.
            let (samples, rate) = try Self.excerpt(path: path, index: e, count: options.excerptsPerTrack, seconds: options.excerptSeconds)
            cost.decodeS += ThreadClock.lap(&t)
            guard samples.count > 2 * Int(rate) else { continue }
            for kinds in options.copies where !kinds.isEmpty {
                let augmentations = kinds.map { Augmentation.random($0, using: &random) }
                let copy = Augmentation.apply(augmentations, to: samples, sampleRate: rate, seed: random.next())
                cost.augmentS[kinds[0], default: 0] += ThreadClock.lap(&t)
                let what = augmentations.map(\.description).joined(separator: ", ")
                let analysis = try TrackAnalyzer().analyze(interleaved: copy, sampleRate: rate, name: "\(path) [\(what)]")
                if let d = Descriptor.make(analysis) { out.append((augmentations, d)); cost.copies += 1 }
                cost.analyseS += ThreadClock.lap(&t)
            }
        }
        return (out, cost)
    }

    public func build(_ tracks: [Track], progress: @escaping @Sendable (Stage) -> Void = { _ in }) throws -> Result {
        let originals = tracks.map { Descriptor.make($0.analysis) }
        let usable = originals.indices.filter { originals[$0] != nil }
        guard usable.count >= 2 else {
            throw SimilarityError("an embedding needs at least two tracks analysed by this Uplift (with the timbre section); found \(usable.count)")
        }
        // Copies, in parallel, each into its own slot.
        let slots = CopySlots(count: tracks.count)
        let next = AtomicCounter(), done = AtomicCounter()
        let seed = options.trainer.seed
        DispatchQueue.concurrentPerform(iterations: options.threads) { _ in
            while true {
                let k = next.increment() - 1
                guard k < usable.count else { return }
                let i = usable[k]
                do { slots.set(i, .success(try copies(of: tracks[i], index: i, seed: seed))) } catch { slots.set(i, .failure(error)) }
                progress(.augmenting(done: done.increment(), of: usable.count))
            }
        }
        // Classes: a label shared by two or more tracks; otherwise the track itself (with its copies).
        var labelCounts: [String: Int] = [:]
        for i in usable { if let l = tracks[i].label { labelCounts[l, default: 0] += 1 } }
        let labelIDs = Dictionary(uniqueKeysWithValues: labelCounts.keys.filter { labelCounts[$0]! >= 2 }.sorted().enumerated().map { ($1, tracks.count + $0) })
        var rows: [[Double]] = [], classes: [Int] = [], instances: [Int] = [], warnings: [String] = []
        var copyCount = 0
        for i in usable {
            let classID = tracks[i].label.flatMap { labelIDs[$0] } ?? i
            rows.append(originals[i]!); classes.append(classID); instances.append(i)
            switch slots.get(i) {
            case .success(let list)?:
                for (_, d) in list { rows.append(d); classes.append(classID); instances.append(i); copyCount += 1 }
            case .failure(let error)?:
                warnings.append("no augmented copies of \(tracks[i].path ?? tracks[i].analysis.file): \(error)")
            case nil: break
            }
        }
        let model = try SimilarityModel.train(rows: rows, classIDs: classes, instanceIDs: instances, scalerRows: usable.map { originals[$0]! },
                                              options: options.trainer) { progress(.training($0)) }
        let vectors = originals.map { $0.map { model.embed(descriptor: $0) } }
        return Result(model: model, vectors: vectors, augmentedCopies: copyCount, warnings: warnings)
    }
}

/// One result slot per track, written from worker threads.
final class CopySlots: @unchecked Sendable {
    private var values: [Swift.Result<[([Augmentation], [Double])], any Error>?]
    private let lock = NSLock()
    init(count: Int) { values = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ v: Swift.Result<[([Augmentation], [Double])], any Error>) { lock.lock(); values[i] = v; lock.unlock() }
    func get(_ i: Int) -> Swift.Result<[([Augmentation], [Double])], any Error>? { lock.lock(); defer { lock.unlock() }; return values[i] }
}

/// CPU seconds of the calling thread (what a stage costs whatever else the machine runs).
enum ThreadClock {
    static func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }

    /// Seconds since `t`; `t` becomes now.
    static func lap(_ t: inout Double) -> Double { let n = now(); defer { t = n }; return n - t }
}

final class AtomicCounter: @unchecked Sendable {
    private var value = 0
    private let lock = NSLock()
    func increment() -> Int { lock.lock(); defer { lock.unlock() }; value += 1; return value }
}
