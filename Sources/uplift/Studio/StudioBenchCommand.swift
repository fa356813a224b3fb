import ArgumentParser

/// `uplift studio-bench`: the live studio's benchmark figures alone (hidden; `uplift bench` prints them too).
struct StudioBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "studio-bench",
        abstract: "Frame time, steady-state CPU and ring-to-frame latency of the live studio.",
        shouldDisplay: false)

    @Option(help: "Seconds of steady live mode to measure CPU over.")
    var seconds: Double = 10

    func run() throws {
        for line in StudioBenchmarks.run(steadyS: seconds) { print(line) }
    }
}
