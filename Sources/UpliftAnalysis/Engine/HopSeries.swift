import UpliftDSP

/// Per-hop values an extractor keeps for its summary, in storage allocated once at `init`.
///
/// Offline, the capacity comes from the track length and nothing is ever dropped; live, it is a
/// rolling window and the oldest hops make room for new ones. `append` never allocates.
public final class HopSeries {
    public let capacity: Int
    private let storage: UnsafeMutablePointer<Float>
    private var next = 0
    /// Values held (at most `capacity`).
    private var held = 0
    /// Hops appended since init/reset (including dropped ones).
    public private(set) var appended = 0

    /// Room for a whole track of `expectedFrames` frames, or `liveSeconds` of hops when nil.
    public convenience init(format: STFTFormat, expectedFrames: Int?, liveSeconds: Double = 90) {
        let hops: Int
        if let frames = expectedFrames, frames > 0 {
            hops = frames / format.hopSize + 4
        } else {
            hops = Int(liveSeconds / format.hopSeconds) + 1
        }
        self.init(capacity: hops)
    }

    public init(capacity: Int) {
        self.capacity = max(capacity, 1)
        storage = .allocate(capacity: self.capacity)
        storage.initialize(repeating: 0, count: self.capacity)
    }

    deinit { storage.deallocate() }

    /// Values held (at most `capacity`).
    public var count: Int { held }
    /// Hop index of the oldest value held.
    public var firstHop: Int { appended - count }

    @inline(__always)
    public func append(_ value: Float) {
        storage[next] = value
        next += 1
        if next == capacity { next = 0 }
        appended += 1
        if held < capacity { held += 1 }
    }

    /// The `i`-th oldest value held (0 = oldest).
    @inline(__always)
    public subscript(i: Int) -> Float {
        var j = next - held + i
        if j < 0 { j += capacity }
        return storage[j]
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
        let n = max(0, min(count, source.count, capacity))
        for i in 0..<n { storage[i] = source[source.count - n + i] }
        next = n == capacity ? 0 : n
        held = n
        appended = source.appended
    }
}
