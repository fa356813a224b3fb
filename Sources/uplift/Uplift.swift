import ArgumentParser

@main
struct Uplift: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "uplift",
        abstract: "A terminal studio assistant for trance producers (no arguments: the demo).",
        subcommands: [DemoCommand.self, AnalyzeCommand.self, ProfileCommand.self, GapsCommand.self, AbletonCommand.self,
                      DevicesCommand.self, WatchCommand.self, LiveCommand.self, ABCommand.self, BenchCommand.self,
                      RenderSamplesCommand.self, TUIPreviewCommand.self, SimilarCommand.self],
        defaultSubcommand: DemoCommand.self)
}
