import ArgumentParser
import BurnwatchCore
import Foundation

/// `burnwatch runbook [FILE#anchor]`: browse and walk the runbooks in the console.
struct RunbookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runbook",
        abstract: "Browse and walk runbooks: links, search, checklists with ticks and notes in a journal.",
        discussion: """
            Opens the runbook console on FILE#anchor (e.g. reliability.md#retry-storms), or on the main \
            page (README.md) without an argument. Ticks and notes are saved with $USER and the time in \
            the journal (default: $XDG_STATE_HOME/burnwatch/journal.sqlite).
            """)

    @Argument(help: "A runbook and optional section: FILE[#anchor].")
    var target: String?

    @Option(name: .customLong("runbooks"), help: "A team runbook folder overlaying the bundled ones (repeatable).")
    var runbookDirectories: [String] = []

    @OptionGroup var console: ConsoleOptions

    func run() throws {
        try runConsole {
            try RunbookConsole.run(.init(target: target, runbookDirectories: runbookDirectories, journalPath: console.journal, mouse: console.mouse))
        }
    }
}

/// Runs `body`, turning a burnwatch error into `burnwatch: MESSAGE` on stderr and exit status 2.
func runConsole(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as BurnwatchError {
        CommandOutput.error("burnwatch: \(error)")
        throw ExitCode(2)
    }
}
