import Synchronization

/// Hands values from one writer thread to readers without ever blocking the writer: a triple
/// buffer with an atomic "latest" index (latest wins; values nobody read are skipped).
///
/// The writer fills the back slot in place (`withBackSlot`) and `publish()` swaps it with the
/// middle slot. A reader swaps the middle slot into the front when a newer one is there and
/// copies it out. Readers serialize among themselves with a lock the writer never takes.
/// Slots are reused, so a writer that updates arrays element by element does not allocate once
/// readers have dropped their copies.
public final class SnapshotPublisher<Value: Sendable>: @unchecked Sendable {
    private let slots: UnsafeMutablePointer<Value>
    /// Middle slot index in bits 0–1, bit 2 set when it holds a value no reader has taken.
    private let middle = Atomic<Int>(1)
    private static var freshBit: Int { 4 }
    private var back = 2  // writer only
    private let front = Mutex<Int>(0)
    private let published = Atomic<Int>(0)

    public init(initial: Value) {
        slots = .allocate(capacity: 3)
        slots.initialize(repeating: initial, count: 3)
    }

    deinit {
        slots.deinitialize(count: 3)
        slots.deallocate()
    }

    /// Writer: which slot (0…2) `withBackSlot` edits now; lets the writer track per-slot state.
    public var backSlotIndex: Int { back }

    /// Writer: edits the slot that is published next.
    public func withBackSlot<Result>(_ body: (inout Value) -> Result) -> Result {
        body(&slots[back])
    }

    /// Writer: makes the back slot the latest value.
    public func publish() {
        let previous = middle.exchange(back | Self.freshBit, ordering: .acquiringAndReleasing)
        back = previous & 3
        published.add(1, ordering: .relaxed)
    }

    /// Reader: the latest published value (the initial value before the first publish).
    public func latest() -> Value {
        front.withLock { front in
            if middle.load(ordering: .acquiring) & Self.freshBit != 0 {
                front = middle.exchange(front, ordering: .acquiringAndReleasing) & 3
            }
            return slots[front]
        }
    }

    /// Values published so far.
    public var publishCount: Int { published.load(ordering: .relaxed) }
}
