import Synchronization

/// The one path from any audio source to the analysis engine: a lock-free single-producer,
/// single-consumer ring of interleaved stereo frames.
///
/// Capacity is a power of two so indices wrap with a mask; the read and write counters run
/// freely (never wrapped), so full and empty are told apart without a spare slot. Writes
/// never block: what does not fit is dropped and counted as an overrun. Neither side allocates,
/// locks or does I/O.
public final class SPSCRingBuffer: @unchecked Sendable {
    /// Interleaved stereo (the literal 2 below: the real-time methods are `@_noLocks`, which rules
    /// out touching type metadata for `Self.channels`).
    public static let channels = 2
    public let capacityFrames: Int
    private let mask: Int
    private let storage: UnsafeMutablePointer<Float>
    private let written = Atomic<Int>(0)
    private let read = Atomic<Int>(0)
    private let overrunFrames = Atomic<Int>(0)
    private let underrunCount = Atomic<Int>(0)

    public init(capacityFrames: Int) throws(AudioError) {
        guard capacityFrames > 0, capacityFrames & (capacityFrames - 1) == 0 else {
            throw AudioError(.invalidArgument, "ring buffer capacity \(capacityFrames) must be a power of two")
        }
        self.capacityFrames = capacityFrames
        mask = capacityFrames - 1
        storage = .allocate(capacity: capacityFrames * Self.channels)
        storage.initialize(repeating: 0, count: capacityFrames * Self.channels)
    }

    deinit { storage.deallocate() }

    /// Frames ready for the consumer.
    public var availableFrames: Int {
        @_noLocks get {
        written.load(ordering: .acquiring) - read.load(ordering: .relaxed)
        }
    }

    /// Frames dropped because the consumer fell behind.
    public var overruns: Int { overrunFrames.load(ordering: .relaxed) }
    /// Reads that asked for more frames than were there.
    public var underruns: Int { underrunCount.load(ordering: .relaxed) }

    /// Producer side. Writes up to `frameCount` interleaved stereo frames; returns how many fit.
    @discardableResult @_noLocks
    public func write(_ frames: UnsafePointer<Float>, frameCount: Int) -> Int {
        let w = written.load(ordering: .relaxed)
        let r = read.load(ordering: .acquiring)
        let free = capacityFrames - (w - r)
        let count = min(free, frameCount)
        if count < frameCount { overrunFrames.add(frameCount - count, ordering: .relaxed) }
        // At most two contiguous regions: up to the end of storage, then from its start.
        let start = w & mask
        let first = min(count, capacityFrames - start)
        if first > 0 { copyStereoFrames(from: frames, to: storage + start * 2, first) }
        if count > first { copyStereoFrames(from: frames + first * 2, to: storage, count - first) }
        written.store(w + count, ordering: .releasing)
        return count
    }

    /// Consumer side. Reads exactly `frameCount` frames into `destination`, or nothing (counted as an underrun).
    @_noLocks
    public func read(into destination: UnsafeMutablePointer<Float>, frameCount: Int) -> Bool {
        let r = read.load(ordering: .relaxed)
        let w = written.load(ordering: .acquiring)
        guard w - r >= frameCount else {
            underrunCount.add(1, ordering: .relaxed)
            return false
        }
        let start = r & mask
        let first = min(frameCount, capacityFrames - start)
        if first > 0 { copyStereoFrames(from: storage + start * 2, to: destination, first) }
        if frameCount > first { copyStereoFrames(from: storage, to: destination + first * 2, frameCount - first) }
        read.store(r + frameCount, ordering: .releasing)
        return true
    }

    /// Consumer side: drops whatever is queued (a seek, a source change).
    @_noLocks
    public func discardAll() {
        read.store(written.load(ordering: .acquiring), ordering: .releasing)
    }
}

/// memcpy of stereo frames (raw, so no generic element assignment on the real-time path; a free
/// function because `@_noLocks` code may not touch class metadata through `Self`).
@_noLocks @inline(__always)
private func copyStereoFrames(from source: UnsafePointer<Float>, to target: UnsafeMutablePointer<Float>, _ frames: Int) {
    UnsafeMutableRawPointer(target).copyMemory(from: UnsafeRawPointer(source), byteCount: frames * 8)
}
