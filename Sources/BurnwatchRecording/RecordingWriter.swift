import BurnwatchCore
import Foundation
import GRDB

/// Writes events into a recording in batches: whatever arrived in the last half second is
/// compressed and committed as one batch, so a `kill -9` loses less than a second.
///
/// Thread-safe: any thread may `append`; one thread of its own commits. A size bound drops the
/// oldest batches (and the file says from when it holds events).
public final class RecordingWriter: @unchecked Sendable {
    public let recording: Recording
    /// How often pending events are committed.
    public let flushInterval: Double
    /// The bound on the file's size, or nil for none.
    public let maxSize: Int64?

    private let lock = NSCondition()
    private var pending: [RecordedEvent] = []
    private var stopped = false
    private var thread: Thread?
    private var stats = Stats()
    private var failure: BurnwatchError?

    /// What has been written so far.
    public struct Stats: Hashable, Sendable {
        public var batches = 0
        public var events = 0
        /// Raw input bytes written, and their stored (compressed) size.
        public var rawBytes = 0
        public var storedBytes = 0
        /// Batches dropped by the size bound.
        public var trimmedBatches = 0
    }

    /// Starts the committing thread.
    ///
    /// - Parameters:
    ///   - recording: a recording opened for writing.
    ///   - flushInterval: seconds between commits (a crash loses what arrived since the last one).
    ///   - maxSize: bytes the file may take; beyond it the oldest batches are dropped.
    public init(recording: Recording, flushInterval: Double = 0.5, maxSize: Int64? = nil) {
        self.recording = recording
        self.flushInterval = flushInterval
        self.maxSize = maxSize
        let thread = Thread { [self] in run() }
        thread.name = "burnwatch-recorder"
        self.thread = thread
        thread.start()
    }

    /// Adds an event; it is committed within `flushInterval`. Ignored after `close()`.
    public func append(_ event: RecordedEvent) {
        lock.lock()
        if !stopped { pending.append(event) }
        lock.unlock()
    }

    /// Commits what is pending now (tests and `close` call it).
    public func flush() {
        lock.lock()
        let events = pending
        pending.removeAll(keepingCapacity: true)
        lock.unlock()
        commit(events)
    }

    /// Commits the rest, stops the thread, and leaves the file self-contained.
    public func close() {
        lock.lock()
        let already = stopped
        stopped = true
        lock.broadcast()
        while thread != nil { lock.wait() }
        lock.unlock()
        guard !already else { return }
        flush()
        recording.finish()
    }

    /// Totals so far.
    public var written: Stats { lock.lock(); defer { lock.unlock() }; return stats }

    /// The last write error (disk full, file removed), if writing failed; what was committed
    /// before it stays readable.
    public var lastError: BurnwatchError? { lock.lock(); defer { lock.unlock() }; return failure }

    private func run() {
        while true {
            lock.lock()
            let deadline = Date(timeIntervalSinceNow: flushInterval)
            while !stopped, lock.wait(until: deadline) {}
            let stop = stopped
            lock.unlock()
            if stop { break }
            flush()
        }
        lock.lock()
        thread = nil
        lock.broadcast()
        lock.unlock()
    }

    private func commit(_ events: [RecordedEvent]) {
        guard !events.isEmpty else { return }
        let raw = RecordedEventCodec.encode(events)
        let data = Zstd.compress(raw)
        let rawBytes = events.reduce(0) { $0 + $1.rawBytes }
        let first = events.map(\.at).min() ?? 0, last = events.map(\.at).max() ?? 0
        var trimmed = 0
        do {
            try recording.database.write { db in
                try db.execute(sql: """
                    INSERT INTO batch (first_ms, last_ms, events, raw_bytes, raw_size, codec, data) VALUES (?, ?, ?, ?, ?, 'zstd', ?)
                    """, arguments: [first, last, events.count, rawBytes, raw.count, Data(data)])
                if let maxSize { trimmed = try Self.trim(db, maxSize: maxSize) }
            }
            if trimmed > 0 { try? recording.database.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA incremental_vacuum") } }
            lock.lock()
            stats.batches += 1
            stats.events += events.count
            stats.rawBytes += rawBytes
            stats.storedBytes += data.count
            stats.trimmedBatches += trimmed
            failure = nil
            lock.unlock()
        } catch {
            lock.lock()
            failure = Recording.describe(error, path: recording.path)
            lock.unlock()
        }
    }

    /// Drops the oldest batches until the live pages fit in 90% of `maxSize`; records from when the file holds events.
    private static func trim(_ db: Database, maxSize: Int64) throws -> Int {
        func used() throws -> Int64 {
            let pages = try Int64.fetchOne(db, sql: "PRAGMA page_count") ?? 0
            let free = try Int64.fetchOne(db, sql: "PRAGMA freelist_count") ?? 0
            let size = try Int64.fetchOne(db, sql: "PRAGMA page_size") ?? 4096
            return (pages - free) * size
        }
        var dropped = 0
        while try used() > maxSize * 9 / 10 {
            guard let oldest = try Row.fetchOne(db, sql: "SELECT id, last_ms FROM batch ORDER BY id LIMIT 1"),
                  try Int.fetchOne(db, sql: "SELECT count(*) FROM batch") ?? 0 > 1 else { break }
            let id: Int64 = oldest["id"], lastMs: Int64 = oldest["last_ms"]
            try db.execute(sql: "DELETE FROM batch WHERE id = ?", arguments: [id])
            try db.execute(sql: "INSERT OR REPLACE INTO meta (key, value) VALUES ('trimmed_before_ms', ?)", arguments: [String(lastMs + 1)])
            dropped += 1
        }
        if dropped > 0 {
            let before = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'trimmed_batches'").flatMap { Int($0) } ?? 0
            try db.execute(sql: "INSERT OR REPLACE INTO meta (key, value) VALUES ('trimmed_batches', ?)", arguments: [String(before + dropped)])
        }
        return dropped
    }
}
