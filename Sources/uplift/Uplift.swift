import ArgumentParser

@main
struct Uplift: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "uplift",
        abstract: "A terminal studio assistant for trance producers.",
        subcommands: [ProfileCommand.self, AnalyzeCommand.self, BenchCommand.self, RenderSamplesCommand.self, AbletonCommand.self,
                      GapsCommand.self])
}
