import ArgumentParser
import UpliftModel

/// `uplift bench` only points to where the benchmarks went: `uplift-bench`, a separate executable, so the
/// shipped `uplift` links no benchmark code and no test fake. Hidden from help.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Benchmarks moved to `uplift-bench` (`make bench`).", shouldDisplay: false)

    @Argument(parsing: .allUnrecognized) var ignored: [String] = []

    func run() throws {
        StandardError.line("the benchmarks are in `uplift-bench`: run `make bench` (a release build of it and of uplift)")
        throw ExitCode(2)
    }
}
