/// Readers–writer admission for the bridge's operations. An actor is re-entrant: at every `await`
/// another call may run, so an apply, a reconnect, a re-discovery and an undo could interleave
/// and journal stale old values. Every operation that writes to Live, the journal or the cached
/// set takes the gate exclusively; reads share it. First come, first served: a read that
/// arrives after a waiting write waits for it.
///
/// Not thread-safe on its own: it lives inside the bridge actor and is only touched there.
struct OperationGate {
    private var writer = false
    private var readers = 0
    private var queue: [(exclusive: Bool, resume: CheckedContinuation<Void, Never>)] = []

    /// True when granted at once; otherwise the caller enqueues and waits.
    mutating func tryEnter(exclusive: Bool) -> Bool {
        guard queue.isEmpty else { return false }
        if exclusive {
            guard !writer && readers == 0 else { return false }
            writer = true
        } else {
            guard !writer else { return false }
            readers += 1
        }
        return true
    }

    mutating func enqueue(exclusive: Bool, _ resume: CheckedContinuation<Void, Never>) {
        queue.append((exclusive, resume))
    }

    /// Leaves, and returns the waiters now admitted (to resume outside).
    mutating func leave(exclusive: Bool) -> [CheckedContinuation<Void, Never>] {
        if exclusive { writer = false } else { readers -= 1 }
        var admitted: [CheckedContinuation<Void, Never>] = []
        while let first = queue.first {
            if first.exclusive {
                guard !writer && readers == 0 else { break }
                writer = true
                admitted.append(first.resume)
                queue.removeFirst()
                break
            }
            guard !writer else { break }
            readers += 1
            admitted.append(first.resume)
            queue.removeFirst()
        }
        return admitted
    }
}

extension AbletonBridge {
    /// Runs `body` alone: no other operation of this bridge runs until it returns.
    func exclusive<T>(_ body: () async throws(AbletonError) -> T) async throws(AbletonError) -> T {
        await enter(exclusive: true)
        defer { leave(exclusive: true) }
        return try await body()
    }

    /// Runs `body` alongside other reads, never alongside a write.
    func shared<T>(_ body: () async throws(AbletonError) -> T) async throws(AbletonError) -> T {
        await enter(exclusive: false)
        defer { leave(exclusive: false) }
        return try await body()
    }

    private func enter(exclusive: Bool) async {
        if gate.tryEnter(exclusive: exclusive) { return }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            gate.enqueue(exclusive: exclusive, continuation)
        }
    }

    private func leave(exclusive: Bool) {
        for continuation in gate.leave(exclusive: exclusive) { continuation.resume() }
    }
}
