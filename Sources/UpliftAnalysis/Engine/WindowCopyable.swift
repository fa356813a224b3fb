/// An extractor whose state over the last hops can be handed to a twin of the same type, so the
/// twin's ordinary `summarize` describes only that window (the live rolling summary).
///
/// Two kinds of state, two mechanisms, both copy-only (no allocation, on the analysis thread):
/// - per-hop series (`HopSeries`, acid's hop records) are copied for the last `hops` hops;
/// - running sums (histograms, powers, counters) cannot be cut at a hop, so the extractor writes
///   them into a checkpoint every few hops and the window's sums are "now minus the checkpoint
///   at the window's start" — exact for sums, which is all these are.
public protocol WindowCopyable: HopExtractor {
    /// How many doubles `writeCheckpoint` writes (0: nothing summed, only series).
    var checkpointSize: Int { get }
    /// The running sums so far, `checkpointSize` doubles. Never allocates.
    func writeCheckpoint(into sums: UnsafeMutablePointer<Double>)
    /// Makes `twin` (same type, created for a window, fed no hops) hold the state of the last
    /// `hops` hops; `checkpoint` holds what `writeCheckpoint` wrote at the window's first hop.
    /// Never allocates.
    func copyWindow(into twin: any HopExtractor, hops: Int, checkpoint: UnsafePointer<Double>)
}

/// Keeps every checkpoint of a set of extractors for a bounded stretch of hops: slot `i` holds the
/// sums of every extractor as they were at hop `hopIndex(i)`. Storage allocated once.
final class CheckpointRing {
    let capacity: Int
    let stride: Int
    private let sums: UnsafeMutablePointer<Double>
    private let hops: UnsafeMutablePointer<Int>
    private(set) var written = 0

    init(capacity: Int, stride: Int) {
        self.capacity = max(2, capacity)
        self.stride = max(1, stride)
        sums = .allocate(capacity: self.capacity * self.stride)
        sums.initialize(repeating: 0, count: self.capacity * self.stride)
        hops = .allocate(capacity: self.capacity)
        hops.initialize(repeating: 0, count: self.capacity)
    }

    deinit { sums.deallocate(); hops.deallocate() }

    /// The next slot to fill, for the checkpoint taken at `hop`.
    func beginWrite(hop: Int) -> UnsafeMutablePointer<Double> {
        let slot = written % capacity
        hops[slot] = hop
        return sums + slot * stride
    }

    func endWrite() { written += 1 }

    func reset() { written = 0 }

    /// The oldest checkpoint still held at or after `hop` (the window's start), or nil.
    func oldest(atOrAfter hop: Int) -> (hop: Int, sums: UnsafePointer<Double>)? {
        let held = min(written, capacity)
        for i in 0..<held {
            let slot = (written - held + i) % capacity
            if hops[slot] >= hop { return (hops[slot], UnsafePointer(sums + slot * stride)) }
        }
        return nil
    }
}
