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
        /// Excerpts per track (spread evenly through it); each gets one copy per kind.
        public var excerptsPerTrack = 1
        public var kinds = Augmentation.Kind.allCases
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

    /// The augmented copies' descriptors of one track (deterministic from `seed` and `index`).
    public func copies(of track: Track, index: Int, seed: UInt64) throws -> [(Augmentation, [Double])] {
        guard let path = track.path else { return [] }
        var random = SeededRandom(seed: seed ^ (UInt64(index) &* 0x9E37_79B9_7F4A_7C15))
        var out: [(Augmentation, [Double])] = []
        for e in 0..<options.excerptsPerTrack {
            let (samples, rate) = try Self.excerpt(path: path, index: e, count: options.excerptsPerTrack, seconds: options.excerptSeconds)
            guard samples.count > 2 * Int(rate) else { continue }
            for kind in options.kinds {
                let augmentation = Augmentation.random(kind, using: &random)
                let copy = augmentation.apply(to: samples, sampleRate: rate, seed: random.next())
                let analysis = try TrackAnalyzer().analyze(interleaved: copy, sampleRate: rate, name: "\(path) [\(augmentation)]")
                if let d = Descriptor.make(analysis) { out.append((augmentation, d)) }
            }
        }
        return out
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
        var rows: [[Double]] = [], classes: [Int] = [], warnings: [String] = []
        var copyCount = 0
        for i in usable {
            let classID = tracks[i].label.flatMap { labelIDs[$0] } ?? i
            rows.append(originals[i]!); classes.append(classID)
            switch slots.get(i) {
            case .success(let list)?:
                for (_, d) in list { rows.append(d); classes.append(classID); copyCount += 1 }
            case .failure(let error)?:
                warnings.append("no augmented copies of \(tracks[i].path ?? tracks[i].analysis.file): \(error)")
            case nil: break
            }
        }
        let model = try SimilarityModel.train(rows: rows, classIDs: classes, scalerRows: usable.map { originals[$0]! },
                                              options: options.trainer) { progress(.training($0)) }
        let vectors = originals.map { $0.map { model.embed(descriptor: $0) } }
        return Result(model: model, vectors: vectors, augmentedCopies: copyCount, warnings: warnings)
    }
}

/// One result slot per track, written from worker threads.
final class CopySlots: @unchecked Sendable {
    private var values: [Swift.Result<[(Augmentation, [Double])], any Error>?]
    private let lock = NSLock()
    init(count: Int) { values = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ v: Swift.Result<[(Augmentation, [Double])], any Error>) { lock.lock(); values[i] = v; lock.unlock() }
    func get(_ i: Int) -> Swift.Result<[(Augmentation, [Double])], any Error>? { lock.lock(); defer { lock.unlock() }; return values[i] }
}

final class AtomicCounter: @unchecked Sendable {
    private var value = 0
    private let lock = NSLock()
    func increment() -> Int { lock.lock(); defer { lock.unlock() }; value += 1; return value }
}
