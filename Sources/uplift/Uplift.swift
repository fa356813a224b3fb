import ArgumentParser

@main
struct Uplift: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "uplift",
        abstract: "A terminal studio assistant for trance producers.",
        subcommands: [DevicesCommand.self, WatchCommand.self, LiveCommand.self, TUIPreviewCommand.self, DemoCommand.self,
                      StudioBenchCommand.self],
        defaultSubcommand: DemoCommand.self)
}
