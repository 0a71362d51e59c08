import ArgumentParser

/// `burnwatch demo`: the first thing a new user runs. Until the bundled incident recording exists,
/// it opens the runbook console on the main page.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Open the demo (for now: the runbook console on the main page).")

    @OptionGroup var console: ConsoleOptions

    func run() throws {
        try runConsole {
            try RunbookConsole.run(.init(target: nil, runbookDirectories: [], journalPath: console.journal, mouse: console.mouse))
        }
    }
}
