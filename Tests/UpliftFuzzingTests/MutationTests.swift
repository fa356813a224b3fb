import Foundation
import Testing
import UpliftFuzzing

/// The deterministic mutation run of `make test`: a fixed seed, mutants of the committed seed
/// corpora (Tools/fuzz/Corpus) through every parser's public bytes-in entry, each within a time
/// bound. A crash ends the test process (and names no case): rerun the target with
/// `Tools/fuzz/run.sh --mutate TARGET` to find it. Cases are cheap except audio (each one decoded
/// and fully analysed).
@Suite("Mutated inputs")
struct MutationTests {
    /// Per case; a debug build on a loaded 2-core machine. Typical cases take milliseconds.
    static let timeLimitS = 15.0

    static let cases: [(FuzzTarget, Int)] = [
        (.analysis, 250), (.audio, 100), (.profile, 60), (.cache, 60), (.theme, 60), (.config, 60), (.journal, 60), (.osc, 120), (.pcm, 40),
    ]

    @Test("mutants are read or refused with a clear message, in time", arguments: cases.map(\.0))
    func mutants(target: FuzzTarget) throws {
        let count = try #require(Self.cases.first { $0.0 == target }?.1)
        let seeds = try HostileFiles.corpus(target.corpusName)
        #expect(!seeds.isEmpty)
        let results = MutationRunner(target: target, seeds: seeds, seed: 20).run(count: count, timeLimitS: Self.timeLimitS)
        #expect(results.count == count)
        for result in results {
            let label = "\(target) case \(result.mutant.index) (\(result.mutant.kind) of \(result.mutant.seedName))"
            guard let outcome = result.outcome else {
                Issue.record("\(label) stalled past \(Self.timeLimitS) s")
                continue
            }
            if case .refused(let message) = outcome {
                // A clear error: something to read, not an empty string or a dump.
                #expect(!message.isEmpty && message.count < 2000, "\(label): \(message)")
            }
        }
        // The run exercises the refusals, and (where mutants can stay valid) the reading too.
        let refused = results.filter { $0.outcome?.isRefused == true }.count
        switch target {
        case .cache:
            // A damaged cache is never refused: it is set aside and a new one started, with a notice.
            let rebuilt = results.filter { if case .accepted(let text)? = $0.outcome { text.contains("was damaged") } else { false } }
            #expect(!rebuilt.isEmpty && refused == 0, "\(target): \(rebuilt.count) rebuilt, \(refused) refused")
        case .journal, .pcm:
            #expect(refused < count, "\(target): everything was refused (the seeds are broken?)")
        case .profile:
            #expect(refused > 0, "\(target): nothing was refused")
        default:
            #expect(refused > 0 && refused < count, "\(target): \(refused) of \(count) refused")
        }
    }

    @Test("the seeds themselves are read")
    func seedsAreRead() throws {
        for target in FuzzTarget.allCases {
            for seed in try HostileFiles.corpus(target.corpusName) {
                let outcome = target.run(seed.bytes)
                // The torn journal seed is read with a warning; it still has entries.
                #expect(!outcome.isRefused, "\(target) seed \(seed.name): \(outcome)")
            }
        }
    }

    @Test("the mutator is deterministic: the same seed gives the same mutants")
    func deterministic() throws {
        let seeds = try HostileFiles.corpus("osc")
        let a = MutationRunner(target: .osc, seeds: seeds, seed: 7).mutants(count: 50).map(\.bytes)
        let b = MutationRunner(target: .osc, seeds: seeds, seed: 7).mutants(count: 50).map(\.bytes)
        let c = MutationRunner(target: .osc, seeds: seeds, seed: 8).mutants(count: 50).map(\.bytes)
        #expect(a == b)
        #expect(a != c)
        #expect(Set(a.map(\.count)).count > 5)
    }
}
