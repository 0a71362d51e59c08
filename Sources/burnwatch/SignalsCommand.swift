import ArgumentParser
import BurnwatchCore
import BurnwatchRunbooks

/// `burnwatch signals`: every signal kind with its default thresholds and the runbook sections it links.
struct SignalsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "signals",
        abstract: "Print every signal kind, its default thresholds (the table of docs/signals.md) and its runbook sections.")

    @Option(name: .customLong("runbooks"), help: "A team runbook folder to overlay; repeatable.")
    var runbookDirectories: [String] = []

    @Flag(help: "Print only the defaults table (as docs/signals.md embeds it).")
    var table = false

    func run() throws {
        CommandOutput.report(SignalCatalog.markdown(), terminator: "")
        if table { return }
        let library = RunbookLoader.library(teamDirectories: runbookDirectories).library
        CommandOutput.report("\n| kind | runbook sections |\n|---|---|")
        for kind in SignalKind.allCases {
            let sections = library.sections(for: kind).map { "`\($0.description)`" }
            CommandOutput.report("| `\(kind.rawValue)` | \(sections.isEmpty ? "none" : sections.joined(separator: ", ")) |")
        }
    }
}
