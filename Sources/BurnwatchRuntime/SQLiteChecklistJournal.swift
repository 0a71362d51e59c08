import BurnwatchCore
import BurnwatchRecording
import BurnwatchUI

/// The runbook screen's journal on the SQLite journal of `BurnwatchRecording`.
final class SQLiteChecklistJournal: ChecklistJournal {
    let journal: Journal

    init(journal: Journal) { self.journal = journal }

    func loadMarks() throws -> [String: ChecklistMark] {
        let entries = try journal.entries()
        var writes: [RunbookJournalWrite] = []
        for entry in entries {
            guard let id = entry.itemID else { continue }
            switch entry.kind {
            case .tick: writes.append(.tick(itemID: id, ticked: true, by: entry.who, at: entry.time))
            case .untick: writes.append(.tick(itemID: id, ticked: false, by: entry.who, at: entry.time))
            case .note: writes.append(.note(itemID: id, text: entry.text, by: entry.who, at: entry.time))
            default: break
            }
        }
        return MemoryChecklistJournal.marks(from: writes)
    }

    func record(_ write: RunbookJournalWrite) throws {
        switch write {
        case .tick(let id, let ticked, let by, let at):
            try journal.setTicked(ticked, itemID: id, who: by, at: at, runbookRef: String(id.split(separator: "/").first ?? ""))
        case .note(let id, let text, let by, let at):
            try journal.addNote(text, itemID: id, who: by, at: at, runbookRef: String(id.split(separator: "/").first ?? ""))
        }
    }

    func recordSignal(_ text: String, by who: String, at time: Timestamp, runbookRef: String?) throws {
        try journal.addEntry(.signal, text: text, who: who, at: time, runbookRef: runbookRef)
    }

    func recordEntry(kind: String, text: String, by who: String, at time: Timestamp, runbookRef: String?) throws {
        try journal.addEntry(JournalEntry.Kind(kind), text: text, who: who, at: time, runbookRef: runbookRef)
    }
}

extension JournalLocation {
    /// The checklist journal kept inside a recording (ticks, notes and the timeline go there).
    public static func journal(of recording: Recording) -> ChecklistJournal {
        SQLiteChecklistJournal(journal: recording.journal)
    }

    /// Opens the SQLite journal; when the file cannot be used (locked, read-only, corrupt) the old
    /// file is left untouched and the session keeps ticks in memory, with a warning.
    static func openStore(path: String) -> (ChecklistJournal, String?) {
        let (journal, warning) = Journal.open(path: path)
        return (SQLiteChecklistJournal(journal: journal), warning.map { "journal: \($0)" })
    }
}
