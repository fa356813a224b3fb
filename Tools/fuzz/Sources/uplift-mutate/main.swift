import Foundation
import UpliftFuzzing

// uplift-mutate TARGET CORPUS_DIR SECONDS [TIME_LIMIT_S [WORK_DIR]]: mutants of the corpus through one
// parser, for a set time, without coverage (where libFuzzer is not available). Each input is
// written to WORK_DIR/crash-candidate-TARGET before it runs, so a crash leaves it behind; stalls
// are kept as WORK_DIR/stall-TARGET-N.
let arguments = CommandLine.arguments
guard arguments.count >= 4, let target = FuzzTarget(rawValue: arguments[1]), let seconds = Double(arguments[3]) else {
    let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: "|")
    FileHandle.standardError.write(Data("usage: uplift-mutate \(names) CORPUS_DIR SECONDS [TIME_LIMIT_S [WORK_DIR]]\n".utf8))
    exit(2)
}
let corpus = URL(fileURLWithPath: arguments[2])
let timeLimit = arguments.count > 4 ? Double(arguments[4]) ?? 10 : 10
let work = URL(fileURLWithPath: arguments.count > 5 ? arguments[5] : ".")
let seeds = ((try? FileManager.default.contentsOfDirectory(atPath: corpus.path)) ?? []).sorted().compactMap { name in
    (try? Data(contentsOf: corpus.appendingPathComponent(name))).map { (name: name, bytes: [UInt8]($0)) }
}
guard !seeds.isEmpty else {
    FileHandle.standardError.write(Data("uplift-mutate: no seeds in \(corpus.path)\n".utf8))
    exit(2)
}
let candidate = work.appendingPathComponent("crash-candidate-\(target.rawValue)")
let start = Date()
var executed = 0, refused = 0, stalls = 0, slowest = 0.0
var round: UInt64 = 0
while Date().timeIntervalSince(start) < seconds {
    // Rounds of 100 with fresh seeds: the same sequence on every machine for the same run length.
    let runner = MutationRunner(target: target, seeds: seeds, seed: 20 + round)
    for mutant in runner.mutants(count: 100) where Date().timeIntervalSince(start) < seconds {
        try? Data(mutant.bytes).write(to: candidate)
        let (outcome, time) = MutationRunner.run(target, mutant.bytes, timeLimitS: timeLimit)
        executed += 1
        slowest = max(slowest, time)
        if outcome == nil {
            stalls += 1
            let kept = work.appendingPathComponent("stall-\(target.rawValue)-\(executed)")
            try? Data(mutant.bytes).write(to: kept)
            print("STALL: \(mutant.kind) of \(mutant.seedName) ran past \(timeLimit) s; kept as \(kept.path)")
        } else if outcome!.isRefused {
            refused += 1
        }
    }
    round += 1
}
try? FileManager.default.removeItem(at: candidate)
let elapsed = Date().timeIntervalSince(start)
print(String(format: "uplift-mutate %@: %d executions in %.0f s (%.1f exec/s), %d refused, %d stalls, 0 crashes, slowest %.2f s",
             target.rawValue, executed, elapsed, Double(executed) / elapsed, refused, stalls, slowest))
exit(stalls > 0 ? 1 : 0)
