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
            let parts = target.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            var file = parts[0].isEmpty ? "README.md" : parts[0]
            if file.contains("/"), FileManager.default.fileExists(atPath: file) {
                // A runbook outside the library: its folder joins as a team folder.
                let url = URL(fileURLWithPath: file)
                directories.append(url.deletingLastPathComponent().path)
                file = url.lastPathComponent
            } else if !file.hasSuffix(".md") {
                file += ".md"
            }
            place = RunbookPlace(fileName: file, anchor: parts.count > 1 && !parts[1].isEmpty ? parts[1] : nil)
        }
        let loaded = RunbookLoader.library(teamDirectories: directories)
        if loaded.library.documents.isEmpty {
            throw BurnwatchError(.runbook, "no runbooks found (bundled runbooks missing and no --runbooks DIR given)")
        }

        let journalPath = options.journalPath ?? JournalLocation.defaultPath(environment: environment)
        let (journal, journalWarning) = JournalLocation.open(path: journalPath)
        var marks: [String: ChecklistMark] = [:]
        var warning = journalWarning
        do { marks = try journal.loadMarks() } catch { warning = "journal: \(error) (ticks kept in memory only)" }
        if warning == nil, let finding = loaded.findings.first {
            warning = "\(loaded.findings.count) runbook problem(s), first: \(finding)"
        }
        let user = environment["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? environment["LOGNAME"] ?? "unknown"

        let signals = try SignalPipe()
        let backend: NCursesBackend
        do {
            backend = try NCursesBackend(options: .init(mouse: options.mouse, environment: environment))
        } catch {
            signals.uninstall()
            throw error
        }
        let terminal = NCursesConsoleTerminal(backend: backend)
        defer { backend.end() }
        let size = terminal.terminalSize
        let glyphs = Glyphs.forLocale(utf8: backend.isUTF8)
        let screenState = RunbookScreenState(library: loaded.library, place: place, marks: marks, user: user, glyphs: glyphs,
                                             size: TerminalSize(width: size.width, height: max(0, size.height - 2)),
                                             warning: warning)
        let app = AppState(screens: [RunbookScreen(state: screenState)], size: size, glyphs: glyphs,
                           mouseEnabled: options.mouse)
        let loop = try ConsoleRunLoop(state: app, terminal: terminal, signals: signals) { effect, loop in
            if let write = RunbookJournalWrite(effect: effect) {
                do {
                    try journal.record(write)
                } catch {
                    loop.send(.external(RunbookJournalFailure(message: "\(error)")))
                }
            } else if case .setMouseReporting(let on) = effect {
                backend.setMouseReporting(on)
            }
        }
        let exit = loop.run()
        backend.end()
        if case .signal(let number) = exit {
            signals.uninstall()
            Platform.dieBySignal(number)
        }
    }
}
