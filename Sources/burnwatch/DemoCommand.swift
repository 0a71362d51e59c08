import ArgumentParser

/// `burnwatch demo`: the first thing a new user runs. Until the bundled incident recording exists,
/// it opens the runbook console on the main page.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Open the demo (for now: the runbook console on the main page).")

    @Option(help: "The journal file for ticks and notes.")
    var journal: String?

    @Flag(help: "Report mouse wheel and clicks.")
    var mouse = false

    func run() throws {
        try runConsole {
            try RunbookConsole.run(.init(target: nil, runbookDirectories: [], journalPath: journal, mouse: mouse))
        }
    }
}
