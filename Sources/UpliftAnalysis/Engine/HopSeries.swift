import UpliftDSP

/// Per-hop values an extractor keeps for its summary, in storage allocated once at `init`.
///
/// Offline, the capacity comes from the track length and nothing is ever dropped; live, it is a
/// rolling window and the oldest hops make room for new ones. `append` never allocates.
public final class HopSeries {
    public let capacity: Int
    private let storage: UnsafeMutablePointer<Float>
    private var next = 0
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
    public var count: Int { min(appended, capacity) }
    /// Hop index of the oldest value held.
    public var firstHop: Int { appended - count }

    @inline(__always)
    public func append(_ value: Float) {
        storage[next] = value
        next += 1
        if next == capacity { next = 0 }
        appended += 1
    }

    /// The `i`-th oldest value held (0 = oldest).
    @inline(__always)
    public subscript(i: Int) -> Float {
        let start = appended > capacity ? next : 0
        var j = start + i
        if j >= capacity { j -= capacity }
        return storage[j]
    }

    /// The newest `i`-th value (0 = newest).
    @inline(__always)
    public func recent(_ i: Int) -> Float { self[count - 1 - i] }

    /// A copy, oldest first (for summaries; allocates).
    public func toArray() -> [Float] { (0..<count).map { self[$0] } }

    public func reset() { next = 0; appended = 0 }
}
