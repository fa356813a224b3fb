import Foundation

/// The deterministic mutation run: `cases` mutants of the seeds (fixed seed: the same inputs on
/// every machine), each through the target with a time bound. Used by `make test` (a few hundred
/// cases) and by `make fuzz` where libFuzzer is not available (for a set time, without coverage).
public struct MutationRunner: Sendable {
    public struct Case: Sendable {
        public var index: Int
        public var seedName: String
        public var kind: ByteMutator.Kind
        public var bytes: [UInt8]
    }

    public struct Result: Sendable {
        public var mutant: Case
        public var outcome: FuzzTarget.Outcome?
        public var seconds: Double
        /// Nil when it finished in time.
        public var timedOut: Bool { outcome == nil }
    }

    public let target: FuzzTarget
    public let seeds: [(name: String, bytes: [UInt8])]
    public let seed: UInt64

    public init(target: FuzzTarget, seeds: [(name: String, bytes: [UInt8])], seed: UInt64 = 20) {
        self.target = target
        self.seeds = seeds
        self.seed = seed
    }

    /// The `count` mutants, in order (kinds round-robin, seeds round-robin, positions from the seed).
    public func mutants(count: Int) -> [Case] {
        guard !seeds.isEmpty else { return [] }
        var mutator = ByteMutator(seed: seed)
        let kinds = ByteMutator.Kind.allCases
        return (0..<count).map { i in
            let source = seeds[i % seeds.count]
            let kind = kinds[(i / seeds.count) % kinds.count]
            let other = seeds[mutator.next(upTo: seeds.count)].bytes
            return Case(index: i, seedName: source.name, kind: kind, bytes: mutator.mutate(source.bytes, kind: kind, other: other))
        }
    }

    /// Runs one input on its own thread; gives up waiting after `timeLimitS` (the thread is left
    /// to finish: a stall is reported, not hidden).
    public static func run(_ target: FuzzTarget, _ bytes: [UInt8], timeLimitS: Double) -> (outcome: FuzzTarget.Outcome?, seconds: Double) {
        let box = OutcomeBox()
        let done = DispatchSemaphore(value: 0)
        let start = DispatchTime.now()
        let thread = Thread {
            box.value = target.run(bytes)
            done.signal()
        }
        thread.stackSize = 8 << 20
        thread.start()
        let finished = done.wait(timeout: .now() + timeLimitS) == .success
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        return (finished ? box.value : nil, seconds)
    }

    public func run(count: Int, timeLimitS: Double, onCase: ((Case) -> Void)? = nil) -> [Result] {
        mutants(count: count).map { mutant in
            onCase?(mutant)
            let (outcome, seconds) = Self.run(target, mutant.bytes, timeLimitS: timeLimitS)
            return Result(mutant: mutant, outcome: outcome, seconds: seconds)
        }
    }
}

private final class OutcomeBox: @unchecked Sendable {
    var value: FuzzTarget.Outcome?
}
