import UpliftDSP

/// A history an extractor keeps across hops, by the bytes it holds (memory tests add them up).
public protocol RetainedHistory: AnyObject {
    var retainedBytes: Int { get }
}

/// Per-hop values an extractor keeps for its summary.
///
/// Live, it is a rolling window allocated once at `init`: the oldest hops make room for new ones
/// and `append` never allocates. Offline (`growable`), nothing is ever dropped: the values go into a
/// `PagedBuffer`, whose blocks past the first `Paging.residentBlocks` (about 12 minutes of hops at
/// 44.1 kHz) page out to a temporary file, so a 2-hour mix holds in memory what a 12-minute one
/// does, and nothing is sized from a header.
public final class HopSeries: RetainedHistory {
    /// The live ring's length (offline: the hops held so far).
    public var capacity: Int { paged?.count ?? ringCapacity }
    public let growable: Bool
    private let ringCapacity: Int
    /// The live ring (nil offline).
    private let storage: UnsafeMutablePointer<Float>?
    /// Offline: every hop, paged.
    private let paged: PagedBuffer<Float>?
    private var next = 0
    /// Values held (at most `capacity` live).
    private var held = 0
    /// Hops appended since init/reset (including dropped ones).
    public private(set) var appended = 0

    /// Hops that extractors with their own records size up front at most, whatever the expected
    /// length (about 25 minutes at 44.1 kHz): a lying header cannot size them.
    public static let maxInitialHops = 1 << 17

    /// A whole track's hops, growing as they decode (offline, `expectedFrames` given), or a rolling
    /// `liveSeconds` of hops when nil (live).
    public convenience init(format: STFTFormat, expectedFrames: Int?, liveSeconds: Double = 90) {
        if let frames = expectedFrames {
            self.init(growableReserving: Self.initialHops(format: format, expectedFrames: frames))
        } else {
            self.init(capacity: Int(liveSeconds / format.hopSeconds) + 1)
        }
    }

    /// The hops to allocate for `expectedFrames` offline: the expected length, never more than `maxInitialHops`.
    public static func initialHops(format: STFTFormat, expectedFrames: Int) -> Int {
        min(max(expectedFrames, 0) / format.hopSize + 4, maxInitialHops)
    }

    /// A live ring of `capacity` hops, or (`growable`) an offline series that pages (`capacity` ignored).
    public init(capacity: Int, growable: Bool = false) {
        self.growable = growable
        if growable {
            ringCapacity = 0
            storage = nil
            paged = PagedBuffer(repeating: 0)
        } else {
            ringCapacity = max(capacity, 1)
            let ring = UnsafeMutablePointer<Float>.allocate(capacity: ringCapacity)
            ring.initialize(repeating: 0, count: ringCapacity)
            storage = ring
            paged = nil
        }
    }

    /// Offline, with memory for the first `hops` (the expected length, capped like `initialHops`) made
    /// at once: a rolling window's twin, refilled at each bar line, then never allocates.
    public convenience init(growableReserving hops: Int) {
        self.init(capacity: 0, growable: true)
        paged?.reserve(min(max(0, hops), Self.maxInitialHops))
    }

    deinit { storage?.deallocate() }

    /// Values held (at most `capacity` live).
    public var count: Int { held }
    /// Bytes in memory for the values (the live ring, or the resident blocks offline).
    public var retainedBytes: Int { paged?.residentBytes ?? ringCapacity * MemoryLayout<Float>.stride }
    /// Hop index of the oldest value held.
    public var firstHop: Int { appended - count }
    /// Offline: blocks paged out to the temporary file so far (tests).
    public var blocksPagedOut: Int { paged?.blocksWritten ?? 0 }

    @inline(__always)
    public func append(_ value: Float) {
        if let paged {
            paged.append(value)
            held += 1
        } else {
            storage![next] = value
            next += 1
            if next == ringCapacity { next = 0 }
            if held < ringCapacity { held += 1 }
        }
        appended += 1
    }

    /// The `i`-th oldest value held (0 = oldest).
    @inline(__always)
    public subscript(i: Int) -> Float {
        if let paged { return paged[i] }
        // Oldest held value: `held` back from `next`, wrapping in the live ring (a twin filled by
        // `copyRecent` holds fewer than it has seen).
        var j = next - held + i
        if j < 0 { j += ringCapacity }
        return storage![j]
    }

    /// The newest `i`-th value (0 = newest).
    @inline(__always)
    public func recent(_ i: Int) -> Float { self[count - 1 - i] }

    /// A copy, oldest first (for summaries; allocates).
    public func toArray() -> [Float] { (0..<count).map { self[$0] } }

    public func reset() {
        paged?.removeAll()
        next = 0; held = 0; appended = 0
    }

    /// Makes this series hold the newest `count` values of `source` (fewer if it holds fewer or this
    /// live ring has less room), at the same hop indices, as if it had seen only those hops. Copies
    /// into memory allocated (or reserved) at `init`: never allocates (the rolling summary's copy).
    public func copyRecent(_ count: Int, from source: HopSeries) {
        guard let storage else {
            // A growable twin (a rolling window's, with its memory reserved): refilled from its start.
            let n = max(0, min(count, source.count))
            paged!.removeAll()
            for i in 0..<n { paged!.append(source[source.count - n + i]) }
            held = n
            appended = source.appended
            return
        }
        let n = max(0, min(count, source.count, ringCapacity))
        for i in 0..<n { storage[i] = source[source.count - n + i] }
        next = n == ringCapacity ? 0 : n
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
    public var retainedBytes: Int { blocks.retainedBytes }

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

/// Values an extractor records by a running index: live, a ring allocated at `init` (index modulo
/// `capacity`, never allocating); offline, every value in a `PagedBuffer` (`capacity` is `Int.max`,
/// so an index modulo it is itself, and nothing is sized from a header).
public final class RecordBuffer<Element: BitwiseCopyable>: RetainedHistory {
    /// Values a live ring holds; `Int.max` offline.
    public let capacity: Int
    private let ring: UnsafeMutableBufferPointer<Element>?
    private let paged: PagedBuffer<Element>?

    /// A live ring of `liveCapacity` values of `zero`, or offline (nil) a growing paged record with
    /// memory for its first `reserving` values made at once (a rolling twin's window then never allocates).
    public init(liveCapacity: Int?, zero: Element, reserving: Int = 0) {
        if let liveCapacity {
            capacity = max(1, liveCapacity)
            let ring = UnsafeMutableBufferPointer<Element>.allocate(capacity: capacity)
            ring.initialize(repeating: zero)
            self.ring = ring
            paged = nil
        } else {
            capacity = .max
            ring = nil
            paged = PagedBuffer(repeating: zero)
            paged?.reserve(min(max(0, reserving), HopSeries.maxInitialHops))
        }
    }

    deinit { ring?.deallocate() }

    /// Bytes in memory for the values (the ring, or the resident blocks offline).
    public var retainedBytes: Int { paged?.residentBytes ?? capacity * MemoryLayout<Element>.stride }

    /// Offline, writing one past the last value records a new one (indices are written in order).
    @inline(__always)
    public subscript(i: Int) -> Element {
        get { paged.map { $0[i] } ?? ring![i] }
        set {
            if let paged {
                if i == paged.count { paged.append(newValue) } else { paged[i] = newValue }
            } else {
                ring![i] = newValue
            }
        }
    }

    /// Forgets every value (offline; a live ring is overwritten in place).
    public func reset() { paged?.removeAll() }
}
