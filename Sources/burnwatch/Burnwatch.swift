import ArgumentParser
import BurnwatchRuntime
import BurnwatchTerminal

@main
struct Burnwatch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "burnwatch",
        abstract: "A terminal incident-response console for Go-style services.",
        subcommands: [RunbookCommand.self, RunbooksCommand.self, DemoCommand.self, QueryCommand.self,
                      EvalCommand.self, CheckConfigCommand.self, WatchCommand.self, LogsCommand.self])
}
