import BurnwatchCore
import BurnwatchRecording

/// Where the checklist journal lives and how it is opened.
public enum JournalLocation {
    /// `$XDG_STATE_HOME/burnwatch/journal.sqlite`, or `~/.local/state/burnwatch/journal.sqlite`.
    public static func defaultPath(environment: [String: String]) -> String {
        Journal.defaultPath(environment: environment)
    }

    /// Opens the journal at `path`; when it cannot be used, a journal in memory and a warning.
    ///
    /// The old file is never changed when it cannot be opened (locked, read-only, corrupt).
    public static func open(path: String) -> (ChecklistJournal, String?) {
        openStore(path: path)
    }
}
