import BurnwatchCore
import BurnwatchRecording
import BurnwatchRuntime
import BurnwatchTerminal
import BurnwatchUI

/// The checklist journal a console opens: where ticks and notes go, what it already holds, and
/// the warning to show when it could only be kept in memory.
struct ConsoleJournal {
    let journal: ChecklistJournal
    let marks: [String: ChecklistMark]
    let warning: String?
    /// Who ticks: `$USER`, else `$LOGNAME`, else "unknown".
    let user: String

    /// Opens `path` (or the default journal under the XDG state folder); never throws: a journal that
    /// cannot be opened or read becomes an in-memory one with a warning.
    static func open(path: String?, environment: [String: String]) -> ConsoleJournal {
        let (journal, openWarning) = JournalLocation.open(path: path ?? JournalLocation.defaultPath(environment: environment))
        var marks: [String: ChecklistMark] = [:]
        var warning = openWarning
        do { marks = try journal.loadMarks() } catch { warning = "journal: \(error) (ticks kept in memory only)" }
        return ConsoleJournal(journal: journal, marks: marks, warning: warning, user: user(environment))
    }

    /// The journal kept inside a recording (read-only recordings keep it in memory, with a warning).
    static func inside(_ recording: Recording, environment: [String: String]) -> ConsoleJournal {
        let file = JournalLocation.journal(of: recording)
        var warning = recording.readOnly ? "\(recording.path) is read-only: notes and ticks are kept in memory only" : nil
        var marks: [String: ChecklistMark] = [:]
        do { marks = try file.loadMarks() } catch { warning = "journal: \(error) (ticks kept in memory only)" }
        let journal: ChecklistJournal = recording.readOnly ? MemoryChecklistJournal() : file
        return ConsoleJournal(journal: journal, marks: marks, warning: warning, user: user(environment))
    }

    /// Who ticks: `$USER`, else `$LOGNAME`, else "unknown".
    static func user(_ environment: [String: String]) -> String {
        environment["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? environment["LOGNAME"] ?? "unknown"
    }
}

/// The terminal side of a console: the signal pipe and the ncurses backend, opened together and
/// given back together.
struct ConsoleTerminalSetup {
    let signals: SignalPipe
    let backend: NCursesBackend
    let terminal: NCursesConsoleTerminal

    /// Installs the signal handlers and opens the terminal; if the terminal cannot be opened the
    /// handlers are removed again before the error is thrown.
    ///
    /// - Throws: `BurnwatchError` when the terminal is unusable (e.g. `TERM=dumb`) or the pipe cannot be made.
    static func open(mouse: Bool, environment: [String: String]) throws -> ConsoleTerminalSetup {
        let signals = try SignalPipe()
        do {
            let backend = try NCursesBackend(options: .init(mouse: mouse, environment: environment))
            return ConsoleTerminalSetup(signals: signals, backend: backend, terminal: NCursesConsoleTerminal(backend: backend))
        } catch {
            signals.uninstall()
            throw error
        }
    }

    /// The terminal's size when it was opened.
    var size: TerminalSize { terminal.terminalSize }
    /// Unicode glyphs in a UTF-8 locale, ASCII otherwise.
    var glyphs: Glyphs { Glyphs.forLocale(utf8: backend.isUTF8) }
    /// The size left to a screen's body below the tab row and above the status line.
    var bodySize: TerminalSize { TerminalSize(width: size.width, height: max(0, size.height - 2)) }

    /// Carries out the effects every console shares: journal writes and mouse reporting.
    ///
    /// - Returns: whether the effect was one of them.
    func performShared(_ effect: Effect, journal: ChecklistJournal, loop: ConsoleRunLoop) -> Bool {
        if let write = RunbookJournalWrite(effect: effect) {
            do { try journal.record(write) } catch { loop.send(.external(RunbookJournalFailure(message: "\(error)"))) }
            return true
        }
        if case .setMouseReporting(let on) = effect {
            backend.setMouseReporting(on)
            return true
        }
        return false
    }

    /// Restores the terminal after the loop; when a signal ended it, runs `beforeDying` and ends the
    /// process by that same signal.
    func finish(_ exit: ConsoleExit, beforeDying: () -> Void = {}) {
        backend.end()
        if case .signal(let number) = exit {
            beforeDying()
            signals.uninstall()
            Platform.dieBySignal(number)
        }
    }
}

import ArgumentParser

/// The options every console command shares: where ticks and notes go, and opt-in mouse support.
struct ConsoleOptions: ParsableArguments {
    @Option(help: "The journal file for runbook ticks and notes (default: $XDG_STATE_HOME/burnwatch/journal.sqlite).")
    var journal: String?

    @Flag(help: "Report mouse wheel and clicks.")
    var mouse = false
}
