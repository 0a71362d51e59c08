import BurnwatchCore
import BurnwatchUI

/// Where the runbook screen's ticks and notes are kept: the SQLite journal, or memory.
public protocol ChecklistJournal: AnyObject {
    /// Every item's current tick and its notes, by checklist item id.
    func loadMarks() throws -> [String: ChecklistMark]
    /// Records a tick, an untick or a note.
    ///
    /// - Throws: `BurnwatchError` (`.journal`) when it cannot be written; the caller keeps it in memory.
    func record(_ write: RunbookJournalWrite) throws
    /// Records a timeline entry about a signal (fired, resolved, acknowledged).
    ///
    /// - Throws: `BurnwatchError` (`.journal`) when it cannot be written.
    func recordSignal(_ text: String, by who: String, at time: Timestamp, runbookRef: String?) throws
    /// Records a timeline entry of another kind (`alert`, `ack`, `comment`).
    ///
    /// - Throws: `BurnwatchError` (`.journal`) when it cannot be written.
    func recordEntry(kind: String, text: String, by who: String, at time: Timestamp, runbookRef: String?) throws
}

extension ChecklistJournal {
    public func recordSignal(_ text: String, by who: String, at time: Timestamp, runbookRef: String?) throws {}
    public func recordEntry(kind: String, text: String, by who: String, at time: Timestamp, runbookRef: String?) throws {}
}

/// A journal in memory: for tests, and for a session whose journal file cannot be used.
public final class MemoryChecklistJournal: ChecklistJournal {
    /// Everything recorded, in order.
    public private(set) var writes: [RunbookJournalWrite] = []
    /// When set, every `record` fails with this message (to test the warning path).
    public var failure: String?

    public init(writes: [RunbookJournalWrite] = []) { self.writes = writes }

    public func loadMarks() throws -> [String: ChecklistMark] { Self.marks(from: writes) }

    public func record(_ write: RunbookJournalWrite) throws {
        if let failure { throw BurnwatchError(.journal, failure) }
        writes.append(write)
    }

    /// Folds writes (oldest first) into the marks they leave.
    public static func marks(from writes: [RunbookJournalWrite]) -> [String: ChecklistMark] {
        var marks: [String: ChecklistMark] = [:]
        for write in writes {
            switch write {
            case .tick(let id, let ticked, let by, let at):
                var mark = marks[id] ?? ChecklistMark()
                mark.tickedBy = ticked ? by : nil
                mark.tickedAt = ticked ? at : nil
                marks[id] = mark
            case .note(let id, let text, let by, let at):
                var mark = marks[id] ?? ChecklistMark()
                mark.notes.append(ChecklistNote(author: by, time: at, text: text))
                marks[id] = mark
            }
        }
        return marks
    }
}
