import BurnwatchCore
import BurnwatchUI

extension JournalLocation {
    /// Opens the SQLite journal (`BurnwatchRecording`); stand-in until it exists: memory and a warning.
    static func openStore(path: String) -> (ChecklistJournal, String?) {
        (MemoryChecklistJournal(), "journal not available yet: ticks are kept in memory only")
    }
}
