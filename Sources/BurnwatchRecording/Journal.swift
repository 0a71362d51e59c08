import BurnwatchCore
import GRDB

/// The incident journal: ticks and notes on checklist items and free-form entries, in SQLite.
///
/// A journal lives in a file (`open(path:)`) or, when the file cannot be used, in memory for the
/// session. A file that is locked, read-only or not a burnwatch journal is never changed.
public final class Journal: Sendable {
    /// Where the journal keeps its entries.
    public enum Location: Hashable, Sendable {
        case file(String)
        case memory
    }

    public let location: Location
    private let database: DatabaseQueue

    /// A journal over an open database whose schema has the journal's tables (a recording's).
    init(location: Location, database: DatabaseQueue) {
        self.location = location; self.database = database
    }

    // MARK: Opening

    /// `$XDG_STATE_HOME/burnwatch/journal.sqlite`, or `~/.local/state/burnwatch/journal.sqlite`.
    /// - Parameters:
    ///   - environment: the process environment (`XDG_STATE_HOME`, `HOME`).
    public static func defaultPath(environment: [String: String]? = nil) -> String {
        let environment = environment ?? JournalFileSystem.environment
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
            return "\(state)/burnwatch/journal.sqlite"
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? JournalFileSystem.homeDirectory
        return "\(home)/.local/state/burnwatch/journal.sqlite"
    }

    /// Opens the journal file, or falls back to an in-memory journal when the file cannot be used.
    /// - Parameter path: the journal file; nil for `defaultPath()`.
    /// - Returns: the journal, and a warning (code `.journal`, position = the path) when it fell back
    ///   to memory. The file is left exactly as it was.
    public static func open(path: String? = nil) -> (journal: Journal, warning: BurnwatchError?) {
        let path = path ?? defaultPath()
        do {
            return (try openFile(path), nil)
        } catch {
            var warning = error
            warning.message += "; ticks and notes are kept in memory for this session only"
            return (inMemory(), warning)
        }
    }

    /// Opens (creating when missing) the journal file and brings its schema up to date.
    /// - Throws: `BurnwatchError` with code `.journal` and the path as position when the file is
    ///   locked, read-only, not a SQLite database, damaged, or not a burnwatch journal. Nothing is
    ///   written to the file in any of those cases.
    public static func openFile(_ path: String) throws(BurnwatchError) -> Journal {
        let position = SourcePosition(source: path)
        func fail(_ message: String) -> BurnwatchError { BurnwatchError(.journal, message, at: position) }

        let folder = JournalFileSystem.parent(of: path)
        switch JournalFileSystem.entry(at: path) {
        case .directory, .other:
            throw fail("journal path is not a regular file")
        case .regularFile:
            guard JournalFileSystem.isReadable(path) else { throw fail("journal file cannot be read (permission denied)") }
            guard JournalFileSystem.isWritable(path) else { throw fail("journal file is read-only") }
            guard JournalFileSystem.isWritable(folder) else {
                throw fail("journal folder \(folder) is read-only (SQLite needs to write its lock journal there)")
            }
        case .missing:
            do { try JournalFileSystem.createDirectory(folder) } catch {
                throw fail("cannot create journal folder \(folder): \(error.localizedDescription)")
            }
            guard JournalFileSystem.isWritable(folder) else { throw fail("journal folder \(folder) is read-only") }
        }

        var configuration = Configuration()
        // Wait briefly for another burnwatch that is writing; then report the lock.
        configuration.busyMode = .timeout(0.25)
        configuration.label = "burnwatch.journal"
        let database: DatabaseQueue
        do {
            database = try DatabaseQueue(path: path, configuration: configuration)
        } catch {
            throw describe(error, position: position)
        }
        do {
            try database.writeWithoutTransaction { db in
                try checkIntegrity(db, fail: fail)
            }
            try migrator.migrate(database)
        } catch let error as BurnwatchError {
            throw error
        } catch {
            throw describe(error, position: position)
        }
        return Journal(location: .file(path), database: database)
    }

    /// A journal that lives in memory only (the fallback, and for tests).
    public static func inMemory() -> Journal {
        // An in-memory database cannot fail to open or migrate short of running out of memory.
        let database = try! DatabaseQueue(configuration: Configuration())
        try! migrator.migrate(database)
        return Journal(location: .memory, database: database)
    }

    /// Refuses damaged files, other applications' databases and journals of a newer burnwatch,
    /// before any write.
    private static func checkIntegrity(_ db: Database, fail: (String) -> BurnwatchError) throws {
        let check = try String.fetchAll(db, sql: "PRAGMA quick_check")
        guard check == ["ok"] else {
            throw fail("journal file is damaged (SQLite quick_check: \(check.prefix(3).joined(separator: "; ")))")
        }
        let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        if !tables.isEmpty && !(tables.contains("grdb_migrations") && tables.contains(JournalSchema.entryTable)) {
            throw fail("file is a SQLite database but not a burnwatch journal (tables: \(tables.sorted().prefix(5).joined(separator: ", ")))")
        }
        if try migrator.hasBeenSuperseded(db) {
            throw fail("journal was written by a newer burnwatch; not changing it")
        }
    }

    private static func describe(_ error: any Error, position: SourcePosition) -> BurnwatchError {
        guard let error = error as? DatabaseError else {
            return BurnwatchError(.journal, "cannot open journal: \(error)", at: position)
        }
        let detail = error.message ?? "\(error.resultCode)"
        switch error.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return BurnwatchError(.journal, "journal file is locked by another process (\(detail))", at: position)
        case .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_AUTH:
            return BurnwatchError(.journal, "journal file is read-only (\(detail))", at: position)
        case .SQLITE_NOTADB:
            return BurnwatchError(.journal, "journal file is not a SQLite database: corrupt or some other file (\(detail))", at: position)
        case .SQLITE_CORRUPT:
            return BurnwatchError(.journal, "journal file is damaged (\(detail))", at: position)
        case .SQLITE_CANTOPEN:
            return BurnwatchError(.journal, "cannot open journal file (\(detail))", at: position)
        case .SQLITE_FULL:
            return BurnwatchError(.journal, "disk full while writing the journal (\(detail))", at: position)
        default:
            return BurnwatchError(.journal, "journal error: \(detail)", at: position)
        }
    }

    private var position: SourcePosition {
        switch location {
        case .file(let path): SourcePosition(source: path)
        case .memory: SourcePosition(source: "in-memory journal")
        }
    }

    private func write(_ body: (Database) throws -> Void) throws(BurnwatchError) {
        do { try database.write(body) } catch { throw Self.describe(error, position: position) }
    }

    private func read<T>(_ body: (Database) throws -> T) throws(BurnwatchError) -> T {
        do { return try database.read(body) } catch { throw Self.describe(error, position: position) }
    }

    // MARK: Writing

    /// Records that `who` ticked (or, with `ticked: false`, unticked) a checklist item at `time`.
    /// - Throws: `BurnwatchError` (`.journal`) when the file cannot be written.
    public func setTicked(_ ticked: Bool, itemID: String, who: String, at time: Timestamp,
                          runbookRef: String? = nil) throws(BurnwatchError) {
        try append(kind: ticked ? .tick : .untick, text: "", who: who, at: time, itemID: itemID, runbookRef: runbookRef)
    }

    /// Adds a note by `who` on a checklist item.
    /// - Throws: `BurnwatchError` (`.journal`) when the file cannot be written.
    public func addNote(_ text: String, itemID: String, who: String, at time: Timestamp,
                        runbookRef: String? = nil) throws(BurnwatchError) {
        try append(kind: .note, text: text, who: who, at: time, itemID: itemID, runbookRef: runbookRef)
    }

    /// Adds a free-form entry for the timeline.
    /// - Throws: `BurnwatchError` (`.journal`) when the file cannot be written.
    public func addEntry(_ kind: JournalEntry.Kind, text: String, who: String, at time: Timestamp,
                         runbookRef: String? = nil) throws(BurnwatchError) {
        try append(kind: kind, text: text, who: who, at: time, itemID: nil, runbookRef: runbookRef)
    }

    private func append(kind: JournalEntry.Kind, text: String, who: String, at time: Timestamp,
                        itemID: String?, runbookRef: String?) throws(BurnwatchError) {
        try write { db in
            try db.execute(sql: """
                INSERT INTO \(JournalSchema.entryTable) (at_ms, kind, who, text, item_id, runbook_ref)
                VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [time.milliseconds, kind.rawValue, who, text, itemID, runbookRef])
        }
    }

    // MARK: Reading

    /// Every entry in time order (ties in the order written).
    /// - Complexity: O(n) in the number of entries.
    public func entries() throws(BurnwatchError) -> [JournalEntry] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM \(JournalSchema.entryTable) ORDER BY at_ms, id").map(Self.entry)
        }
    }

    /// The state of each item (untouched items included), keyed by item id.
    /// - Parameter itemIDs: the checklist item ids, e.g. every item of a document.
    /// - Complexity: O(n) in the number of item entries in the journal.
    public func states(of itemIDs: [String]) throws(BurnwatchError) -> [String: ChecklistItemState] {
        var states = Dictionary(uniqueKeysWithValues: Set(itemIDs).map { ($0, ChecklistItemState.untouched($0)) })
        try fold(into: &states, addingUnknown: false)
        return states
    }

    /// The state of every item the journal has an entry for, keyed by item id.
    /// - Complexity: O(n) in the number of item entries in the journal.
    public func allStates() throws(BurnwatchError) -> [String: ChecklistItemState] {
        var states: [String: ChecklistItemState] = [:]
        try fold(into: &states, addingUnknown: true)
        return states
    }

    /// Applies the item entries, oldest first, to `states`.
    private func fold(into states: inout [String: ChecklistItemState], addingUnknown: Bool) throws(BurnwatchError) {
        let rows: [JournalEntry] = try read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM \(JournalSchema.entryTable) WHERE item_id IS NOT NULL ORDER BY at_ms, id
                """).map(Self.entry)
        }
        for entry in rows {
            guard let id = entry.itemID else { continue }
            if states[id] == nil {
                guard addingUnknown else { continue }
                states[id] = .untouched(id)
            }
            switch entry.kind {
            case .tick, .untick:
                states[id]?.ticked = entry.kind == .tick
                states[id]?.changedBy = entry.who
                states[id]?.changedAt = entry.time
            case .note:
                states[id]?.notes.append(JournalNote(text: entry.text, who: entry.who, time: entry.time))
            default:
                break
            }
        }
    }

    /// How many of the items are ticked now.
    public func progress(of itemIDs: [String]) throws(BurnwatchError) -> ChecklistProgress {
        let states = try states(of: itemIDs)
        return ChecklistProgress(done: Set(itemIDs).filter { states[$0]?.ticked == true }.count, total: Set(itemIDs).count)
    }

    private static func entry(_ row: Row) -> JournalEntry {
        JournalEntry(id: row["id"], time: Timestamp(milliseconds: row["at_ms"]), kind: JournalEntry.Kind(row["kind"] as String),
                     who: row["who"], text: row["text"], itemID: row["item_id"], runbookRef: row["runbook_ref"])
    }

    // MARK: Schema

    private static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()
        migrator.registerMigration(JournalSchema.firstMigration) { db in try JournalSchema.create(db) }
        return migrator
    }()
}

enum JournalSchema {
    static let entryTable = "journal_entry"
    static let firstMigration = "v1: journal entries"

    /// Creates the journal's table and indexes (a journal file's first migration; a recording's too).
    static func create(_ db: Database) throws {
        try db.create(table: JournalSchema.entryTable) { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("at_ms", .integer).notNull()
            t.column("kind", .text).notNull()
            t.column("who", .text).notNull()
            t.column("text", .text).notNull().defaults(to: "")
            t.column("item_id", .text)
            t.column("runbook_ref", .text)
        }
        try db.create(index: "journal_entry_by_item", on: JournalSchema.entryTable, columns: ["item_id", "at_ms"])
        try db.create(index: "journal_entry_by_time", on: JournalSchema.entryTable, columns: ["at_ms"])
    }
}
