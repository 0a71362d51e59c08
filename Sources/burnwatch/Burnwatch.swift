import ArgumentParser
import BurnwatchRuntime
import BurnwatchTerminal

@main
struct Burnwatch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "burnwatch",
        abstract: "A terminal incident-response console for Go-style services.",
        subcommands: [CheckConfigCommand.self, DemoCommand.self, EvalCommand.self, LogsCommand.self, QueryCommand.self, RunbookCommand.self, RunbooksCommand.self, WatchCommand.self, KeysCommand.self, SignalsCommand.self, RecordCommand.self, ReplayCommand.self, ExportCommand.self, ImportCommand.self])
}
