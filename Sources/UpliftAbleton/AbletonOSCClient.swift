import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One item of an exchange with AbletonOSC: a read (a getter that replies on the same address,
/// echoing the first `echoCount` arguments) or a write (a setter, which never replies).
public enum OSCRequest: Sendable, Equatable {
    case read(OSCMessage, echoCount: Int)
    case write(OSCMessage)

    public static func read(_ address: String, _ arguments: [OSCValue] = [], echo: Int? = nil) -> OSCRequest {
        .read(OSCMessage(address, arguments), echoCount: echo ?? arguments.count)
    }

    public static func write(_ address: String, _ arguments: [OSCValue]) -> OSCRequest {
        .write(OSCMessage(address, arguments))
    }

    var message: OSCMessage {
        switch self {
        case .read(let m, _), .write(let m): m
        }
    }
}

/// The AbletonOSC client: requests matched to replies by address and echoed indices (the
/// protocol has no request ids), a timeout per read, reads retried once, writes never retried,
/// `/live/error` attributed to the request that most likely caused it.
///
/// Attribution rests on one fact of AbletonOSC: it handles datagrams in order, one at a time. So
/// a reply to request *n* proves every request sent before *n* was handled, and an error belongs
/// to the earliest request not yet proven handled.
public final class AbletonOSCClient: Sendable {
    public let endpoint: AbletonEndpoint
    public let requestTimeout: Duration
    private let socket: UDPSocket
    private let liveAddress: sockaddr_in
    private let state = Mutex(State())
    private let receiver: ReceiverControl

    private struct Pending {
        var sequence: Int
        var firstSequence: Int
        var message: OSCMessage
        var echoCount: Int
        var deadline: ContinuousClock.Instant
        var retriesLeft: Int
        var bundleID: Int?
        /// Datagrams that asked for this reply (1, or 2 after a retry): the ones not answered are owed.
        var sends = 1
        var completion: @Sendable (Result<[OSCValue], AbletonError>) -> Void
    }

    private struct Outstanding {
        var sequence: Int
        var message: OSCMessage
        var isRead: Bool
        var bundleID: Int?
        var sentAt: ContinuousClock.Instant
    }

    private struct Subscriber {
        var addresses: Set<String>
        var continuation: AsyncStream<OSCMessage>.Continuation
    }

    private struct State {
        var nextSequence = 1
        var nextBundleID = 1
        /// Reads waiting for their reply, by sequence number (send order).
        var pending: [Int: Pending] = [:]
        /// Reads by address + echoed arguments, oldest first: replies find their read in O(1).
        var pendingByKey: [String: [Int]] = [:]
        var echoCounts: [String: Set<Int>] = [:]
        /// Writes not yet proven handled (a reply to a later request proves it).
        var writes: [Outstanding] = []
        var writeErrors: [Int: AbletonError] = [:]
        var unattributedErrors: [String] = []
        var unsolicited: [OSCMessage] = []
        /// Keys with an exchange in flight: a second read of the same key waits (AbletonOSC has no
        /// request ids, so two reads of one key in flight could swap replies).
        var busyKeys: Set<String> = []
        var keyWaiters: [(id: Int, keys: Set<String>, resume: CheckedContinuation<Void, Never>)] = []
        var nextWaiterID = 1
        /// Replies a key still owes after a timeout or a retry (with when to stop waiting for
        /// them): the next such reply is late and is dropped, never handed to a newer read.
        var owed: [String: [(sequence: Int, until: ContinuousClock.Instant)]] = [:]
        var lateRepliesDropped = 0
        var subscribers: [Int: Subscriber] = [:]
        var nextSubscriberID = 1

        static func key(_ address: String, _ arguments: ArraySlice<OSCValue>) -> String {
            ([address] + arguments.map { $0.doubleValue.map { "\($0)" } ?? $0.description }).joined(separator: "|")
        }

        mutating func register(_ p: Pending) {
            pending[p.sequence] = p
            pendingByKey[State.key(p.message.address, p.message.arguments.prefix(p.echoCount)), default: []].append(p.sequence)
            echoCounts[p.message.address, default: []].insert(p.echoCount)
        }

        mutating func remove(_ sequence: Int) -> Pending? {
            guard let p = pending.removeValue(forKey: sequence) else { return nil }
            let key = State.key(p.message.address, p.message.arguments.prefix(p.echoCount))
            pendingByKey[key]?.removeAll { $0 == sequence }
            if pendingByKey[key]?.isEmpty == true { pendingByKey.removeValue(forKey: key) }
            return p
        }

        /// The oldest read this reply answers.
        mutating func takeMatch(_ message: OSCMessage) -> Pending? {
            var best: Int? = nil
            for count in echoCounts[message.address] ?? [] where message.arguments.count >= count {
                if let first = pendingByKey[State.key(message.address, message.arguments.prefix(count))]?.first {
                    best = min(best ?? first, first)
                }
            }
            return best.flatMap { remove($0) }
        }

        /// True when this message is a late reply a key still owes (then consumed).
        mutating func consumeOwed(_ message: OSCMessage, now: ContinuousClock.Instant) -> Bool {
            for count in echoCounts[message.address] ?? [] where message.arguments.count >= count {
                let key = State.key(message.address, message.arguments.prefix(count))
                guard var due = owed[key] else { continue }
                due.removeAll { $0.until <= now }
                if due.isEmpty { owed.removeValue(forKey: key); continue }
                due.removeFirst()
                owed[key] = due.isEmpty ? nil : due
                lateRepliesDropped += 1
                return true
            }
            return false
        }

        mutating func addOwed(_ p: Pending, count: Int, until: ContinuousClock.Instant) {
            guard count > 0 else { return }
            owed[State.key(p.message.address, p.message.arguments.prefix(p.echoCount)), default: []]
                += Array(repeating: (p.sequence, until), count: count)
        }

        /// AbletonOSC answers in order: a reply to request `sequence` proves that every reply
        /// owed by a datagram sent before it has arrived already, or never will.
        mutating func clearOwed(before sequence: Int) {
            guard !owed.isEmpty else { return }
            for key in Array(owed.keys) {
                owed[key]?.removeAll { $0.sequence < sequence }
                if owed[key]?.isEmpty == true { owed.removeValue(forKey: key) }
            }
        }

        func isSubscribed(_ address: String) -> Bool {
            subscribers.values.contains { $0.addresses.contains(address) }
        }
    }

    /// Binds the reply socket (throws `.portInUse` when another client has it) and starts the
    /// receiving thread.
    public init(endpoint: AbletonEndpoint = .standard, requestTimeout: Duration = .seconds(1)) throws(AbletonError) {
        self.endpoint = endpoint
        self.requestTimeout = requestTimeout
        self.liveAddress = try UDPSocket.makeAddress(host: endpoint.liveHost, port: endpoint.sendPort)
        let socket = try UDPSocket(bindHost: endpoint.listenHost, port: endpoint.listenPort)
        self.socket = socket
        let receiver = ReceiverControl()
        self.receiver = receiver
        // The thread holds the client weakly: a client nobody holds is freed (and its port
        // released) even if nobody called close().
        let weakClient = WeakClient()
        let thread = Thread { AbletonOSCClient.receiveLoop(socket: socket, control: receiver, client: weakClient) }
        thread.name = "uplift.osc"
        weakClient.value = self
        thread.start()
    }

    deinit {
        // Possibly on the receive thread itself (it held the last reference for one slice): no waiting.
        receiver.stopped.store(true, ordering: .releasing)
        failOrphans()
    }

    /// Stops the receive thread and waits until it has closed the socket (the port is free again).
    public func close() {
        guard !receiver.stopped.exchange(true, ordering: .acquiringAndReleasing) else { return }
        for _ in 0..<500 where !receiver.finished.load(ordering: .acquiring) { usleep(2_000) }
        failOrphans()
    }

    private func failOrphans() {
        let (orphans, waiters, subscribers) = state.withLock { state in
            let all = Array(state.pending.values)
            state.pending.removeAll()
            state.pendingByKey.removeAll()
            let waiters = state.keyWaiters.map(\.resume)
            state.keyWaiters.removeAll()
            let subscribers = state.subscribers.values.map(\.continuation)
            state.subscribers.removeAll()
            return (all, waiters, subscribers)
        }
        for p in orphans { p.completion(.failure(AbletonError(.socket, "the OSC client was closed"))) }
        for w in waiters { w.resume() }
        for s in subscribers { s.finish() }
    }

    /// Late replies dropped so far (a reply that came after its read timed out or was retried).
    public var lateRepliesDropped: Int { state.withLock { $0.lateRepliesDropped } }

    // MARK: - Listener pushes

    /// Messages on `addresses` as they arrive, for AbletonOSC's listeners (`start_listen/…`),
    /// which push on the same address as the getter's reply. A message on a subscribed address
    /// goes to every subscriber, and also answers the oldest read of it still waiting (a push
    /// carries the current value, as the reply would); it is never dropped as a late reply.
    /// The stream ends when the client closes or the consumer stops iterating.
    public func subscribe(to addresses: Set<String>) -> AsyncStream<OSCMessage> {
        let (stream, continuation) = AsyncStream<OSCMessage>.makeStream(bufferingPolicy: .bufferingNewest(1024))
        let id = state.withLock { state -> Int in
            let id = state.nextSubscriberID
            state.nextSubscriberID += 1
            state.subscribers[id] = Subscriber(addresses: addresses, continuation: continuation)
            return id
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.subscribers.removeValue(forKey: id) }
        }
        return stream
    }

    /// Tempo and beat pushes (`/live/song/start_listen/tempo` and `…/beat`): subscribes, then
    /// starts both listeners. AbletonOSC pushes the tempo at once and on each change, and the
    /// beat number on each new whole beat while the transport plays.
    public func transportPushes() throws(AbletonError) -> AsyncStream<TransportPush> {
        let raw = subscribe(to: ["/live/song/get/tempo", "/live/song/get/beat"])
        try write("/live/song/start_listen/tempo", [])
        try write("/live/song/start_listen/beat", [])
        return AsyncStream { continuation in
            let task = Task {
                for await message in raw {
                    if message.address == "/live/song/get/tempo", let bpm = message.arguments.first?.doubleValue {
                        continuation.yield(.tempo(bpm))
                    } else if message.address == "/live/song/get/beat", let beat = message.arguments.first?.intValue {
                        continuation.yield(.beat(beat))
                    }
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// Stops both transport listeners in Live.
    public func stopTransportPushes() {
        try? write("/live/song/stop_listen/tempo", [])
        try? write("/live/song/stop_listen/beat", [])
    }

    // MARK: - Public requests

    /// One read: resolves with the reply's arguments after the echoed ones.
    public func read(_ address: String, _ arguments: [OSCValue] = [], echo: Int? = nil, retry: Bool = true) async throws(AbletonError) -> [OSCValue] {
        let results = await exchange([.read(address, arguments, echo: echo)], retry: retry)
        return try results[0].get()
    }

    /// Sends a write on its own; it is never retried. Errors show up through a later exchange.
    public func write(_ address: String, _ arguments: [OSCValue]) throws(AbletonError) {
        _ = try sendNow([.write(OSCMessage(address, arguments))], completions: [nil])
    }

    /// Sends the requests as one datagram (a bundle when more than one), handled by AbletonOSC in
    /// one tick and in order. Returns one result per request: a read's reply, or for a write
    /// `.success([])` unless an error was attributed to it by the time the later reads resolved.
    public func exchange(_ requests: [OSCRequest], retry: Bool = true) async -> [Result<[OSCValue], AbletonError>] {
        guard !requests.isEmpty else { return [] }
        let keys = Set(requests.compactMap { request -> String? in
            guard case .read(let m, let echo) = request else { return nil }
            return State.key(m.address, m.arguments.prefix(echo))
        })
        await acquire(keys)
        defer { release(keys) }
        let collector = ResultCollector(count: requests.count)
        let readIndices = requests.indices.filter { if case .read = requests[$0] { true } else { false } }
        var sequences: [Int] = []
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            collector.onComplete = { continuation.resume() }
            var completions: [(@Sendable (Result<[OSCValue], AbletonError>) -> Void)?] = []
            for (index, request) in requests.enumerated() {
                if case .read = request {
                    completions.append({ result in collector.set(index, result) })
                } else {
                    completions.append(nil)
                }
            }
            collector.expect(readIndices.count)
            do throws(AbletonError) {
                sequences = try sendNow(requests, completions: completions, retries: retry ? 1 : 0)
            } catch {
                for index in readIndices { collector.set(index, .failure(error)) }
            }
        }
        var results = collector.results
        // Writes: any error attributed to them has arrived before the later reads' replies.
        state.withLock { state in
            for (index, request) in requests.enumerated() {
                guard case .write = request else { continue }
                guard index < sequences.count else { results[index] = .failure(AbletonError(.socket, "not sent")); continue }
                if let error = state.writeErrors.removeValue(forKey: sequences[index]) {
                    results[index] = .failure(error)
                } else {
                    results[index] = .success([])
                }
            }
        }
        return results
    }

    /// Waits until no other exchange has a read of any of these keys in flight, then takes them.
    private func acquire(_ keys: Set<String>) async {
        guard !keys.isEmpty else { return }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = state.withLock { state -> Bool in
                if receiver.stopped.load(ordering: .acquiring) { return true }
                if state.busyKeys.isDisjoint(with: keys) {
                    state.busyKeys.formUnion(keys)
                    return true
                }
                state.keyWaiters.append((state.nextWaiterID, keys, continuation))
                state.nextWaiterID += 1
                return false
            }
            if ready { continuation.resume() }
        }
    }

    private func release(_ keys: Set<String>) {
        guard !keys.isEmpty else { return }
        let toResume = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.busyKeys.subtract(keys)
            var resumed: [CheckedContinuation<Void, Never>] = []
            var index = 0
            while index < state.keyWaiters.count {
                let waiter = state.keyWaiters[index]
                if state.busyKeys.isDisjoint(with: waiter.keys) {
                    state.busyKeys.formUnion(waiter.keys)
                    resumed.append(waiter.resume)
                    state.keyWaiters.remove(at: index)
                } else {
                    index += 1
                }
            }
            return resumed
        }
        for continuation in toResume { continuation.resume() }
    }

    /// Many reads, sent in bundles of `bundleSize` with at most `window` reads in flight, so
    /// discovery takes a few ticks instead of one round trip per parameter.
    public func readMany(_ requests: [OSCRequest], bundleSize: Int = 48, window: Int = 768) async -> [Result<[OSCValue], AbletonError>] {
        let chunks = stride(from: 0, to: requests.count, by: bundleSize).map { Array(requests[$0..<min($0 + bundleSize, requests.count)]) }
        var results = [Result<[OSCValue], AbletonError>](repeating: .failure(AbletonError(.timeout, "not sent")), count: requests.count)
        let maxBundles = max(1, window / bundleSize)
        await withTaskGroup(of: (Int, [Result<[OSCValue], AbletonError>]).self) { group in
            var next = 0
            func addNext() {
                guard next < chunks.count else { return }
                let chunkIndex = next
                let chunk = chunks[chunkIndex]
                next += 1
                group.addTask { (chunkIndex, await self.exchange(chunk)) }
            }
            for _ in 0..<maxBundles { addNext() }
            while let (chunkIndex, chunkResults) = await group.next() {
                for (offset, result) in chunkResults.enumerated() { results[chunkIndex * bundleSize + offset] = result }
                addNext()
            }
        }
        return results
    }

    /// `/live/error` messages that matched no request still waiting, oldest first (then cleared).
    public func takeUnattributedErrors() -> [String] {
        state.withLock { state in
            defer { state.unattributedErrors.removeAll() }
            return state.unattributedErrors
        }
    }

    /// Messages that answered nothing we asked (`/live/startup`, listener pushes), then cleared.
    public func takeUnsolicited() -> [OSCMessage] {
        state.withLock { state in
            defer { state.unsolicited.removeAll() }
            return state.unsolicited
        }
    }

    // MARK: - Sending

    private func sendNow(_ requests: [OSCRequest],
                         completions: [(@Sendable (Result<[OSCValue], AbletonError>) -> Void)?], retries: Int = 1) throws(AbletonError) -> [Int] {
        if receiver.stopped.load(ordering: .acquiring) { throw AbletonError(.socket, "the OSC client was closed") }
        let messages = requests.map(\.message)
        let bytes = requests.count == 1 ? try OSCCodec.encode(messages[0]) : try OSCCodec.encodeBundle(messages)
        // Register before sending so a fast reply finds its request.
        let sequences = state.withLock { state -> [Int] in
            let bundleID: Int? = requests.count > 1 ? state.nextBundleID : nil
            if requests.count > 1 { state.nextBundleID += 1 }
            let now = ContinuousClock.now
            var sequences: [Int] = []
            for (index, request) in requests.enumerated() {
                let sequence = state.nextSequence
                state.nextSequence += 1
                sequences.append(sequence)
                switch request {
                case .read(let message, let echoCount):
                    state.register(Pending(sequence: sequence, firstSequence: sequence, message: message, echoCount: echoCount,
                                           deadline: now + requestTimeout, retriesLeft: retries, bundleID: bundleID,
                                           completion: completions[index] ?? { _ in }))
                case .write(let message):
                    state.writes.append(Outstanding(sequence: sequence, message: message, isRead: false, bundleID: bundleID, sentAt: now))
                }
            }
            return sequences
        }
        if trace { FileHandle.standardError.write(Data("send \(messages.count) msgs \(bytes.count) bytes: \(messages.first?.address ?? "")\n".utf8)) }
        do {
            try socket.send(bytes, to: liveAddress)
        } catch {
            // The caller reports the failure to its reads.
            state.withLock { state in
                state.writes.removeAll { sequences.contains($0.sequence) }
                for sequence in sequences { _ = state.remove(sequence) }
            }
            throw error
        }
        return sequences
    }

    // MARK: - Receiving

    /// The receive thread: holds the socket and a weak way to the client, closes the socket on the way out.
    private static func receiveLoop(socket: UDPSocket, control: ReceiverControl, client weakClient: WeakClient) {
        var nextExpiry = ContinuousClock.now
        while !control.stopped.load(ordering: .acquiring) {
            let packet = socket.receive(timeoutMS: 5)
            guard let client = weakClient.value else { break }
            if let (bytes, from) = packet { client.receive(bytes, from: from) }
            if ContinuousClock.now >= nextExpiry {
                client.expireDeadlines()
                nextExpiry = ContinuousClock.now + .milliseconds(5)
            }
        }
        socket.close()
        control.finished.store(true, ordering: .releasing)
    }

    private func receive(_ bytes: [UInt8], from: sockaddr_in) {
        if trace { FileHandle.standardError.write(Data("recv \(bytes.count) bytes\n".utf8)) }
        // Only AbletonOSC's own socket (Live's host, its listening port) is believed.
        guard from.sin_addr.s_addr == liveAddress.sin_addr.s_addr, from.sin_port == liveAddress.sin_port,
              let messages = try? OSCCodec.decode(bytes) else { return }
        if trace { FileHandle.standardError.write(Data("  \(messages.map { $0.address + " " + $0.arguments.prefix(3).map(\.description).joined(separator: " ") })\n".utf8)) }
        for message in messages { handle(message) }
    }

    private func handle(_ message: OSCMessage) {
        var toComplete: [(Pending, Result<[OSCValue], AbletonError>)] = []
        var pushTo: [AsyncStream<OSCMessage>.Continuation] = []
        let now = ContinuousClock.now
        let until = now + requestTimeout * 3
        state.withLock { state in
            if message.address == "/live/error" {
                attributeError(message, state: &state, toComplete: &toComplete)
                return
            }
            let subscribed = state.isSubscribed(message.address)
            if subscribed {
                pushTo = state.subscribers.values.filter { $0.addresses.contains(message.address) }.map(\.continuation)
            } else if state.consumeOwed(message, now: now) {
                return
            }
            guard let p = state.takeMatch(message) else {
                if !subscribed, state.unsolicited.count < 256 { state.unsolicited.append(message) }
                return
            }
            state.clearOwed(before: p.sequence)
            // A retried read answered: the other datagram's reply may still be on its way.
            if !subscribed { state.addOwed(p, count: p.sends - 1, until: until) }
            // Everything sent before this request has been handled.
            state.writes.removeAll { $0.sequence < p.sequence }
            toComplete.append((p, .success(Array(message.arguments.dropFirst(p.echoCount)))))
        }
        for continuation in pushTo { continuation.yield(message) }
        for (p, result) in toComplete { p.completion(result) }
    }

    private func attributeError(_ message: OSCMessage, state: inout State,
                                toComplete: inout [(Pending, Result<[OSCValue], AbletonError>)]) {
        let text = message.arguments.compactMap(\.stringValue).joined(separator: " ")
        // Candidates: every read still waiting and every write not proven handled, in send order.
        var candidates = state.pending.values.map {
            Outstanding(sequence: $0.sequence, message: $0.message, isRead: true, bundleID: $0.bundleID, sentAt: .now)
        } + state.writes
        candidates.sort { $0.sequence < $1.sequence }
        var culprit: Outstanding? = nil
        if let range = text.range(of: "Unknown OSC address: ") {
            let address = text[range.upperBound...].trimmingCharacters(in: .whitespaces)
            culprit = candidates.first { $0.message.address == address }
        }
        if culprit == nil { culprit = candidates.first }
        guard let culprit else {
            if state.unattributedErrors.count < 256 { state.unattributedErrors.append(text) }
            return
        }
        let error = AbletonError(.liveError, Self.cleanLiveError(text), cause: "after \(culprit.message)")
        settle(culprit, with: error, state: &state, toComplete: &toComplete)
        // Writes sent before the culprit were handled (in-order processing).
        state.writes.removeAll { $0.sequence < culprit.sequence }
        // AbletonOSC drops the rest of a bundle after a failing message.
        if let bundleID = culprit.bundleID {
            for record in candidates where record.bundleID == bundleID && record.sequence > culprit.sequence {
                let droppedError = AbletonError(.droppedAfterBundleError,
                    "AbletonOSC skipped \(record.message.address) because \(culprit.message.address) failed before it in the same bundle",
                    cause: error.message)
                settle(record, with: droppedError, state: &state, toComplete: &toComplete)
            }
        }
    }

    private func settle(_ record: Outstanding, with error: AbletonError, state: inout State,
                        toComplete: inout [(Pending, Result<[OSCValue], AbletonError>)]) {
        if record.isRead {
            if let p = state.remove(record.sequence) {
                // Errors name no request: if this one was not ours, the read's reply is still coming.
                if !state.isSubscribed(p.message.address) { state.addOwed(p, count: p.sends, until: .now + requestTimeout * 3) }
                toComplete.append((p, .failure(error)))
            }
        } else {
            state.writes.removeAll { $0.sequence == record.sequence }
            state.writeErrors[record.sequence] = error
            if state.writeErrors.count > 4096, let oldest = state.writeErrors.keys.min() { state.writeErrors.removeValue(forKey: oldest) }
        }
    }

    /// "Error handling OSC message: Invalid value…" → "Invalid value…".
    static func cleanLiveError(_ text: String) -> String {
        let prefix = "Error handling OSC message: "
        return text.hasPrefix(prefix) ? String(text.dropFirst(prefix.count)) : text
    }

    fileprivate func expireDeadlines() {
        let now = ContinuousClock.now
        var toComplete: [(Pending, Result<[OSCValue], AbletonError>)] = []
        var toResend: [OSCMessage] = []
        state.withLock { state in
            // Writes not proven handled after a long while are forgotten (their errors can no longer be told apart).
            state.writes.removeAll { now - $0.sentAt > requestTimeout * 5 }
            for (sequence, p) in state.pending where p.deadline <= now {
                _ = state.remove(sequence)
                if p.retriesLeft > 0 {
                    // Reads are retried once, alone (a bundle may have been the problem).
                    var retry = p
                    retry.sequence = state.nextSequence
                    state.nextSequence += 1
                    retry.retriesLeft -= 1
                    retry.deadline = now + requestTimeout
                    retry.bundleID = nil
                    retry.sends += 1
                    state.register(retry)
                    toResend.append(p.message)
                } else {
                    // Every datagram of this read may still be answered, late: drop those replies.
                    state.addOwed(p, count: p.sends, until: now + requestTimeout * 3)
                    toComplete.append((p, .failure(AbletonError(.timeout,
                        "no reply from AbletonOSC to \(p.message) within \(requestTimeout)\(p.sequence == p.firstSequence ? "" : " (asked twice)")"))))
                }
            }
        }
        for message in toResend {
            if let bytes = try? OSCCodec.encode(message) { try? socket.send(bytes, to: liveAddress) }
        }
        for (p, result) in toComplete { p.completion(result) }
    }
}

private let trace = ProcessInfo.processInfo.environment["UPLIFT_OSC_TRACE"] != nil

private final class WeakClient: @unchecked Sendable {
    // Set once before the thread starts; a weak load is atomic.
    weak var value: AbletonOSCClient?
}

/// Shared by the client and its receive thread, which outlives neither.
private final class ReceiverControl: Sendable {
    let stopped = Atomic<Bool>(false)
    let finished = Atomic<Bool>(false)
}

/// A push of AbletonOSC's transport listeners.
public enum TransportPush: Sendable, Equatable {
    case tempo(Double)
    case beat(Int)
}

/// Gathers the results of one exchange's reads and fires once all have arrived.
private final class ResultCollector: @unchecked Sendable {
    // Guarded by `lock`; `onComplete` is set before any read is sent.
    private let lock = NSLock()
    private(set) var results: [Result<[OSCValue], AbletonError>]
    private var remaining = 0
    private var expected = false
    var onComplete: (() -> Void)?

    init(count: Int) {
        results = Array(repeating: .success([]), count: count)
    }

    func expect(_ count: Int) {
        lock.lock()
        remaining += count
        expected = true
        let done = remaining == 0
        lock.unlock()
        if done { fire() }
    }

    func set(_ index: Int, _ result: Result<[OSCValue], AbletonError>) {
        lock.lock()
        results[index] = result
        remaining -= 1
        let done = expected && remaining == 0
        lock.unlock()
        if done { fire() }
    }

    private func fire() {
        lock.lock()
        let callback = onComplete
        onComplete = nil
        lock.unlock()
        callback?()
    }
}
