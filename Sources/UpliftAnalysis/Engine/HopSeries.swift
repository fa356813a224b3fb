import UpliftDSP

/// A history an extractor keeps across hops, by the bytes it holds (memory tests add them up).
public protocol RetainedHistory: AnyObject {
    var retainedBytes: Int { get }
}

/// Per-hop values an extractor keeps for its summary.
///
/// Live, it is a rolling window allocated once at `init`: the oldest hops make room for new ones
/// and `append` never allocates. Offline (`growable`), nothing is ever dropped: the first block is
/// the expected length, capped so a lying header cannot size it, and further fixed-size blocks are
/// added as hops are actually decoded (no copy, at most one block unused: a 2-hour mix costs what
/// its hops hold).
public final class HopSeries: RetainedHistory {
    public private(set) var capacity: Int
    public let growable: Bool
    /// The live ring, or the first block offline.
    private let storage: UnsafeMutablePointer<Float>
    private let firstBlock: Int
    /// Offline, past `firstBlock`: blocks of `1 << blockShift` hops.
    private var blocks: [UnsafeMutablePointer<Float>] = []
    private static let blockShift = 15
    private static let blockMask = (1 << blockShift) - 1
    private var next = 0
    /// Values held (at most `capacity`).
    private var held = 0
    /// Hops appended since init/reset (including dropped ones).
    public private(set) var appended = 0

    /// Hops allocated up front at most, whatever the expected length (about 25 minutes at 44.1 kHz).
    public static let maxInitialHops = 1 << 17

    /// Room for a whole track of `expectedFrames` frames, growing past it (offline), or a rolling
    /// `liveSeconds` of hops when nil (live).
    public convenience init(format: STFTFormat, expectedFrames: Int?, liveSeconds: Double = 90) {
        if let frames = expectedFrames {
            self.init(capacity: Self.initialHops(format: format, expectedFrames: frames), growable: true)
        } else {
            self.init(capacity: Int(liveSeconds / format.hopSeconds) + 1)
        }
    }

    /// The hops to allocate for `expectedFrames` offline: the expected length, never more than `maxInitialHops`.
    public static func initialHops(format: STFTFormat, expectedFrames: Int) -> Int {
        min(max(expectedFrames, 0) / format.hopSize + 4, maxInitialHops)
    }

    public init(capacity: Int, growable: Bool = false) {
        self.growable = growable
        self.capacity = max(capacity, 1)
        firstBlock = self.capacity
        storage = .allocate(capacity: self.capacity)
        storage.initialize(repeating: 0, count: self.capacity)
    }

    deinit {
        storage.deallocate()
        for block in blocks { block.deallocate() }
    }

    /// Values held (at most `capacity`).
    public var count: Int { held }
    /// Bytes allocated for the values (the live ring, or every offline block so far).
    public var retainedBytes: Int { capacity * MemoryLayout<Float>.stride }
    /// Hop index of the oldest value held.
    public var firstHop: Int { appended - count }

    @inline(__always)
    public func append(_ value: Float) {
        if next < firstBlock {
            storage[next] = value
        } else {
            // Offline only (a live ring wraps before it gets here).
            if next == capacity { addBlock() }
            let j = next - firstBlock
            blocks[j >> Self.blockShift][j & Self.blockMask] = value
        }
        next += 1
        if next == capacity, !growable { next = 0 }
        appended += 1
        if held < capacity { held += 1 }
    }

    /// Offline only: room for `1 << blockShift` more hops, nothing copied.
    private func addBlock() {
        let block = UnsafeMutablePointer<Float>.allocate(capacity: 1 << Self.blockShift)
        block.initialize(repeating: 0, count: 1 << Self.blockShift)
        blocks.append(block)
        capacity += 1 << Self.blockShift
    }

    /// The `i`-th oldest value held (0 = oldest).
    @inline(__always)
    public subscript(i: Int) -> Float {
        // Oldest held value: `held` back from `next`, wrapping in the live ring (a growable series never wraps,
        // and a twin filled by `copyRecent` holds fewer than it has seen).
        var j = next - held + i
        if j < 0 { j += capacity }
        if j < firstBlock { return storage[j] }
        let k = j - firstBlock
        return blocks[k >> Self.blockShift][k & Self.blockMask]
    }

    /// The newest `i`-th value (0 = newest).
    @inline(__always)
    public func recent(_ i: Int) -> Float { self[count - 1 - i] }

    /// A copy, oldest first (for summaries; allocates).
    public func toArray() -> [Float] { (0..<count).map { self[$0] } }

    public func reset() { next = 0; held = 0; appended = 0 }

    /// Makes this series hold the newest `count` values of `source` (fewer if it holds fewer or
    /// this one has less room), at the same hop indices, as if it had seen only those hops.
    /// Copies into storage allocated at `init`: never allocates (the rolling summary's copy).
    public func copyRecent(_ count: Int, from source: HopSeries) {
        // Into the first block only: twins are live rings, whose first block is all they have.
        let n = max(0, min(count, source.count, firstBlock))
        for i in 0..<n { storage[i] = source[source.count - n + i] }
        next = n == capacity ? 0 : n
        held = n
        appended = source.appended
    }
}

/// Offline per-hop values kept as sums over blocks of `hopsPerBlock` hops, for summaries that only
/// ever add a value up over spans of many hops (a beat, a bar): a 2-hour mix keeps one value per
/// block instead of one per hop. A sum over a hop range is exact over the whole blocks inside it
/// and spreads the two boundary blocks evenly over their hops (a boundary block's share of the
/// range is its share of the hops). Never wraps; grows in `HopSeries` blocks as hops decode.
public final class HopBlockSums: RetainedHistory {
    public let hopsPerBlock: Int
    private let blocks: HopSeries
    private var partial = 0.0
    private var inBlock = 0
    /// Hops appended since init/reset.
    public private(set) var hopCount = 0

    /// Room for `expectedFrames` of hops (capped like `HopSeries`), growing past it.
    public init(format: STFTFormat, expectedFrames: Int, hopsPerBlock: Int) {
        self.hopsPerBlock = max(1, hopsPerBlock)
        blocks = HopSeries(capacity: HopSeries.initialHops(format: format, expectedFrames: expectedFrames) / self.hopsPerBlock + 2,
                           growable: true)
    }

    @inline(__always)
    public func append(_ value: Float) {
        partial += Double(value)
        inBlock += 1
        hopCount += 1
        if inBlock == hopsPerBlock {
            blocks.append(Float(partial))
            partial = 0
            inBlock = 0
        }
    }

    public func reset() { blocks.reset(); partial = 0; inBlock = 0; hopCount = 0 }

    /// Bytes held for the history (the block store's capacity).
    public var retainedBytes: Int { blocks.capacity * MemoryLayout<Float>.stride }

    /// Sum of the values of hops `a..<b` (clamped to the hops seen).
    public func sum(_ a: Int, _ b: Int) -> Double {
        let lo = max(0, a), hi = min(b, hopCount)
        guard hi > lo else { return 0 }
        let k = hopsPerBlock
        let first = lo / k, last = (hi - 1) / k
        if first == last { return share(first, hops: hi - lo) }
        var s = share(first, hops: (first + 1) * k - lo)
        var block = first + 1
        while block < last { s += Double(blocks[block]); block += 1 }
        return s + share(last, hops: hi - last * k)
    }

    /// The part of block `block`'s sum that `hops` of its hops carry.
    @inline(__always)
    private func share(_ block: Int, hops: Int) -> Double {
        if block < blocks.count { return Double(blocks[block]) * Double(hops) / Double(hopsPerBlock) }
        return inBlock > 0 ? partial * Double(hops) / Double(inBlock) : 0  // the block still filling
    }
}
