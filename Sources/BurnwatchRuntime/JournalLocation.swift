import BurnwatchCore
import Foundation

/// Where the checklist journal lives and how it is opened.
public enum JournalLocation {
    /// `$XDG_STATE_HOME/burnwatch/journal.sqlite`, or `~/.local/state/burnwatch/journal.sqlite`.
    public static func defaultPath(environment: [String: String]) -> String {
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
            return state + "/burnwatch/journal.sqlite"
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + "/.local/state/burnwatch/journal.sqlite"
    }

    /// Opens the journal at `path`; when it cannot be used, a journal in memory and a warning.
    ///
    /// The old file is never changed when it cannot be opened (locked, read-only, corrupt).
    public static func open(path: String) -> (ChecklistJournal, String?) {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        return openStore(path: path)
    }
}
