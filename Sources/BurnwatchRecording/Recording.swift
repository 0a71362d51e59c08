import BurnwatchCore
import GRDB

/// A recording file (`.burnwatch`): the raw events a session saw, in compressed batches, the
/// configuration it ran with (secrets removed), and its journal. SQLite through GRDB; the schema
/// is versioned by migrations and described in `docs/recording.md`.
public final class Recording: @unchecked Sendable {
    public let path: String
    /// Whether the file was opened for reading only (its journal can be read, not written).
    public let readOnly: Bool
    let database: DatabaseQueue
    /// The journal kept in the same file: alerts and signals, acknowledgements, ticks, notes.
    public let journal: Journal

    private init(path: String, readOnly: Bool, database: DatabaseQueue, journal: Journal) {
        self.path = path; self.readOnly = readOnly; self.database = database; self.journal = journal
    }

    /// What the file says about itself.
    public struct Info: Hashable, Sendable {
        /// When recording began (wall clock, ms).
        public var createdMs: Int64
        /// The burnwatch that wrote it.
        public var writer: String
        /// The configuration text, every secret replaced by `<redacted>`.
        public var config: String
        /// The configuration's file name when it was recorded.
        public var configFile: String
        /// Events before this time were dropped to keep the file under its size bound, if any were.
        public var trimmedBeforeMs: Int64?
        /// How many batches the size bound dropped.
        public var trimmedBatches: Int
        /// The size bound the recorder kept (bytes), if any.
        public var maxSize: Int64?
        /// More of the session's setup, by name: the SLO files' texts (`slo_file:PATH`), the
        /// followed `--logs` patterns (`log_files`, one per line).
        public var extra: [String: String]

        public init(createdMs: Int64, writer: String, config: String, configFile: String,
                    trimmedBeforeMs: Int64? = nil, trimmedBatches: Int = 0, maxSize: Int64? = nil, extra: [String: String] = [:]) {
            self.createdMs = createdMs; self.writer = writer; self.config = config; self.configFile = configFile
            self.trimmedBeforeMs = trimmedBeforeMs; self.trimmedBatches = trimmedBatches; self.maxSize = maxSize
            self.extra = extra
        }
    }

    /// The recording's format name in its `meta` table.
    public static let formatName = "burnwatch-recording"

    // MARK: Creating and opening

    /// Creates a new recording at `path` (WAL mode while it is written).
    ///
    /// - Throws: `BurnwatchError` (`.recording`, position = the path) when the file exists and is
    ///   not empty, or cannot be created.
    public static func create(path: String, info: Info) throws(BurnwatchError) -> Recording {
        let position = SourcePosition(source: path)
        if let size = JournalFileSystem.size(path), size > 0 {
            throw BurnwatchError(.recording, "\(path) already exists; record to a new file", at: position)
        }
        let folder = JournalFileSystem.parent(of: path)
        if JournalFileSystem.entry(at: folder) == .missing {
            do { try JournalFileSystem.createDirectory(folder) } catch {
                throw BurnwatchError(.recording, "cannot create folder \(folder): \(error.localizedDescription)", at: position)
            }
        }
        do {
            let database = try DatabaseQueue(path: path, configuration: configuration(readOnly: false))
            try database.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA auto_vacuum = INCREMENTAL")
                _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
            }
            try migrator.migrate(database)
            try database.write { db in
                let rows: [(String, String?)] = [
                    ("format", formatName), ("created_ms", String(info.createdMs)), ("writer", info.writer),
                    ("config", info.config), ("config_file", info.configFile), ("trimmed_batches", "0"),
                    ("max_size", info.maxSize.map(String.init)),
                ]
                for (key, value) in rows + info.extra.sorted(by: { $0.key < $1.key }).map({ ("x:" + $0.key, Optional($0.value)) }) {
                    try db.execute(sql: "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", arguments: [key, value])
                }
            }
            return Recording(path: path, readOnly: false, database: database,
                             journal: Journal(location: .file(path), database: database))
        } catch {
            throw describe(error, path: path)
        }
    }

    /// Opens an existing recording.
    ///
    /// - Parameter writable: open for writing too (notes and ticks of a replay go into its journal);
    ///   when the file cannot be written it is opened read-only and `readOnly` says so.
    /// - Throws: `BurnwatchError` (`.recording`) saying what the file is when it is not a recording,
    ///   when it is missing, or when a newer burnwatch wrote it.
    public static func open(path: String, writable: Bool = false) throws(BurnwatchError) -> Recording {
        let position = SourcePosition(source: path)
        switch JournalFileSystem.entry(at: path) {
        case .missing: throw BurnwatchError(.recording, "no such file", at: position)
        case .directory: throw BurnwatchError(.recording, "is a folder, not a recording", at: position)
        case .other: throw BurnwatchError(.recording, "is not a regular file", at: position)
        case .regularFile: break
        }
        let head = JournalFileSystem.head(path, count: 512)
        guard head.starts(with: Array("SQLite format 3\u{0}".utf8)) else {
            throw BurnwatchError(.recording, "not a burnwatch recording: \(RecordingSniffer.describe(head))", at: position)
        }
        let canWrite = writable && JournalFileSystem.isWritable(path) && JournalFileSystem.isWritable(JournalFileSystem.parent(of: path))
        do {
            let database = try DatabaseQueue(path: path, configuration: configuration(readOnly: !canWrite))
            try database.read { db in try check(db, path: path) }
            if canWrite { try migrator.migrate(database) }
            // read-only, the journal still reads the file; writing to it fails with a journal error
            return Recording(path: path, readOnly: !canWrite, database: database, journal: Journal(location: .file(path), database: database))
        } catch let error as BurnwatchError {
            throw error
        } catch {
            throw describe(error, path: path)
        }
    }

    /// What the file says about itself.
    ///
    /// - Throws: `BurnwatchError` (`.recording`) when the meta table cannot be read.
    public func info() throws(BurnwatchError) -> Info {
        do {
            return try database.read { db in
                var meta: [String: String] = [:]
                for row in try Row.fetchAll(db, sql: "SELECT key, value FROM meta") {
                    if let value: String = row["value"] { meta[row["key"]] = value }
                }
                return Info(createdMs: meta["created_ms"].flatMap { Int64($0) } ?? 0, writer: meta["writer"] ?? "",
                            config: meta["config"] ?? "", configFile: meta["config_file"] ?? "",
                            trimmedBeforeMs: meta["trimmed_before_ms"].flatMap { Int64($0) },
                            trimmedBatches: meta["trimmed_batches"].flatMap { Int($0) } ?? 0,
                            maxSize: meta["max_size"].flatMap { Int64($0) },
                            extra: Dictionary(uniqueKeysWithValues: meta.filter { $0.key.hasPrefix("x:") }.map { (String($0.key.dropFirst(2)), $0.value) }))
            }
        } catch {
            throw Self.describe(error, path: path)
        }
    }

    /// Ends writing: checkpoints the write-ahead log into the file and leaves WAL mode, so that the
    /// finished recording is one self-contained file.
    public func finish() {
        guard !readOnly else { return }
        try? database.writeWithoutTransaction { db in
            _ = try? Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)")
            _ = try? String.fetchOne(db, sql: "PRAGMA journal_mode = DELETE")
        }
    }

    // MARK: Schema

    static func configuration(readOnly: Bool) -> Configuration {
        var configuration = Configuration()
        configuration.readonly = readOnly
        configuration.busyMode = .timeout(2)
        configuration.label = "burnwatch.recording"
        return configuration
    }

    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()
        migrator.registerMigration(JournalSchema.firstMigration) { db in try JournalSchema.create(db) }
        migrator.registerMigration("v1: recording batches") { db in
            try db.create(table: "meta") { t in
                t.primaryKey("key", .text)
                t.column("value", .text)
            }
            try db.create(table: "batch") { t in
                t.primaryKey("id", .integer)
                t.column("first_ms", .integer).notNull()
                t.column("last_ms", .integer).notNull()
                t.column("events", .integer).notNull()
                t.column("raw_bytes", .integer).notNull()
                t.column("raw_size", .integer).notNull()
                t.column("codec", .text).notNull()
                t.column("data", .blob).notNull()
            }
            try db.create(index: "batch_by_time", on: "batch", columns: ["first_ms"])
        }
        return migrator
    }()

    /// Refuses other SQLite files and recordings of a newer schema, saying what the file is.
    static func check(_ db: Database, path: String) throws {
        let position = SourcePosition(source: path)
        let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        if !tables.contains("batch") || !tables.contains("meta") {
            if tables.contains(JournalSchema.entryTable) {
                throw BurnwatchError(.recording, "a burnwatch journal, not a recording (export it with `burnwatch export`)", at: position)
            }
            let list = tables.isEmpty ? "no tables" : "tables: " + tables.sorted().prefix(5).joined(separator: ", ")
            throw BurnwatchError(.recording, "a SQLite database but not a burnwatch recording (\(list))", at: position)
        }
        if try migrator.hasBeenSuperseded(db) {
            let applied = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")
            let known = Set(migrator.migrations)
            let newer = applied.filter { !known.contains($0) }
            throw BurnwatchError(.recording, "written by a newer burnwatch (schema \(newer.joined(separator: ", "))); upgrade burnwatch to read it",
                                 at: position)
        }
    }

    static func describe(_ error: any Error, path: String) -> BurnwatchError {
        let position = SourcePosition(source: path)
        if let error = error as? BurnwatchError { return error }
        guard let error = error as? DatabaseError else {
            return BurnwatchError(.recording, "\(error)", at: position)
        }
        let detail = error.message ?? "\(error.resultCode)"
        switch error.resultCode {
        case .SQLITE_FULL: return BurnwatchError(.recording, "disk full: the recording keeps what was written before (\(detail))", at: position)
        case .SQLITE_IOERR:
            return BurnwatchError(.recording, "cannot write (disk full, file too large, or an I/O error): the recording keeps what was written before (\(detail))",
                                  at: position)
        case .SQLITE_CORRUPT, .SQLITE_NOTADB: return BurnwatchError(.recording, "the recording is damaged (\(detail))", at: position)
        case .SQLITE_READONLY, .SQLITE_PERM: return BurnwatchError(.recording, "the recording cannot be written (\(detail))", at: position)
        case .SQLITE_BUSY, .SQLITE_LOCKED: return BurnwatchError(.recording, "the recording is locked by another process (\(detail))", at: position)
        default: return BurnwatchError(.recording, "recording error: \(detail)", at: position)
        }
    }
}

/// Says what a file that is not a recording looks like, from its first bytes.
public enum RecordingSniffer {
    /// A short description: empty, gzip, JSON lines, a metrics exposition, text, or binary data.
    public static func describe(_ head: [UInt8]) -> String {
        if head.isEmpty { return "the file is empty" }
        if head.starts(with: [0x1f, 0x8b]) { return "a gzip file (a compressed metrics or log file? try `replay --metrics F` or `--logs F`)" }
        let text = String(decoding: head.prefix(200), as: UTF8.self)
        let trimmed = text.drop { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }
        if trimmed.hasPrefix("{") { return "JSON lines (a log file? try `replay --logs F`)" }
        if trimmed.hasPrefix("# HELP") || trimmed.hasPrefix("# TYPE") || trimmed.hasPrefix("# EOF") {
            return "a metrics exposition (try `replay --metrics F`)"
        }
        if trimmed.hasPrefix("services:") || trimmed.hasPrefix("slos:") || trimmed.hasPrefix("---") {
            return "YAML text (a configuration? give it with --config)"
        }
        let printable = head.prefix(200).allSatisfy { $0 == 9 || $0 == 10 || $0 == 13 || ($0 >= 32 && $0 != 127) }
        return printable ? "a text file" : "binary data (first bytes \(head.prefix(4).map(hex).joined(separator: " ")))"
    }

    static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 15)]])
    }
}
