import BurnwatchCore
import BurnwatchRunbooks
import BurnwatchRuntime
import BurnwatchTerminal
import BurnwatchUI
import Foundation

/// Opens the runbook console: loads the runbooks and the journal, opens the terminal, runs the loop,
/// and restores the terminal however it ends.
enum RunbookConsole {
    struct Options {
        var target: String?
        var runbookDirectories: [String]
        var journalPath: String?
        var mouse: Bool
    }

    /// Runs the console; returns when the user quits. A terminating signal ends the process by
    /// that signal after the terminal was restored.
    static func run(_ options: Options) throws {
        let environment = Platform.environment
        var directories = options.runbookDirectories
        var place = RunbookPlace(fileName: "README.md")
        if let target = options.target, !target.isEmpty {
            let parts = RunbookSectionRef.split(target)
            var file = parts.fileName.isEmpty ? "README.md" : parts.fileName
            if file.contains("/"), FileManager.default.fileExists(atPath: file) {
                // A runbook outside the library: its folder joins as a team folder.
                let url = URL(fileURLWithPath: file)
                directories.append(url.deletingLastPathComponent().path)
                file = url.lastPathComponent
            } else if !file.hasSuffix(".md") {
                file += ".md"
            }
            place = RunbookPlace(fileName: file, anchor: parts.anchor.flatMap { $0.isEmpty ? nil : $0 })
        }
        let loaded = RunbookLoader.library(teamDirectories: directories)
        if loaded.library.documents.isEmpty {
            throw BurnwatchError(.runbook, "no runbooks found (bundled runbooks missing and no --runbooks DIR given)")
        }

        let journal = ConsoleJournal.open(path: options.journalPath, environment: environment)
        var warning = journal.warning
        if warning == nil, let finding = loaded.findings.first {
            warning = "\(loaded.findings.count) runbook problem(s), first: \(finding)"
        }
        let console = try ConsoleTerminalSetup.open(mouse: options.mouse, environment: environment)
        defer { console.backend.end() }
        let screenState = RunbookScreenState(library: loaded.library, place: place, marks: journal.marks, user: journal.user,
                                             glyphs: console.glyphs, size: console.bodySize, warning: warning)
        let app = AppState(screens: [RunbookScreen(state: screenState)], size: console.size, glyphs: console.glyphs,
                           mouseEnabled: options.mouse)
        let loop = try ConsoleRunLoop(state: app, terminal: console.terminal, signals: console.signals) { effect, loop in
            _ = console.performShared(effect, journal: journal.journal, loop: loop)
        }
        console.finish(loop.run())
    }
}
