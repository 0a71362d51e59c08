import BurnwatchCore
import Foundation
import GRDB

/// One stored batch: the events one second of a session produced, compressed together.
public struct RecordingBatch: Hashable, Sendable {
    public var id: Int64
    /// The first and last event times in the batch (wall clock, ms).
    public var firstMs: Int64
    public var lastMs: Int64
    public var events: Int
    /// The raw input bytes (bodies and lines) the events carry, and the stored (compressed) size.
    public var rawBytes: Int
    public var storedBytes: Int
}

/// What reading a recording found: the events of every good batch, and what was lost after the
/// first damaged one.
public struct RecordingContents: Sendable {
    public var events: [RecordedEvent]
    /// Batches read, and the batches (and their time span) that could not be read.
    public var batchesRead: Int
    public var damage: RecordingDamage?
}

/// The part of a recording that could not be read.
public struct RecordingDamage: Hashable, Sendable, CustomStringConvertible {
    /// The first damaged batch, why, and how many batches (from it on) were left out.
    public var batchID: Int64?
    public var reason: String
    public var batchesLost: Int
    /// From when events are missing (the last good event's time), if known.
    public var fromMs: Int64?

    public var description: String {
        let from = fromMs.map { " after \(RFC3339.format(Timestamp(milliseconds: $0)))" } ?? ""
        let batch = batchID.map { "batch \($0)" } ?? "the batch index"
        return "\(batch) is damaged (\(reason)); \(batchesLost) batch(es)\(from) left out"
    }
}

extension Recording {
    /// The stored batches in order, as far as the index can be read.
    ///
    /// - Throws: `BurnwatchError` (`.recording`) when not even the first batch can be listed.
    public func batches() throws(BurnwatchError) -> [RecordingBatch] {
        do {
            return try database.read { db in
                try Row.fetchAll(db, sql: "SELECT id, first_ms, last_ms, events, raw_bytes, length(data) AS stored FROM batch ORDER BY id")
                    .map { RecordingBatch(id: $0["id"], firstMs: $0["first_ms"], lastMs: $0["last_ms"], events: $0["events"],
                                          rawBytes: $0["raw_bytes"], storedBytes: $0["stored"]) }
            }
        } catch {
            throw Self.describe(error, path: path)
        }
    }

    /// The events of one batch.
    ///
    /// - Throws: `BurnwatchError` (`.recording`) when the batch is missing, does not decompress, or
    ///   does not decode.
    public func events(of batchID: Int64) throws(BurnwatchError) -> [RecordedEvent] {
        let position = SourcePosition(source: path)
        let row: Row?
        do {
            row = try database.read { db in try Row.fetchOne(db, sql: "SELECT codec, raw_size, data FROM batch WHERE id = ?", arguments: [batchID]) }
        } catch {
            throw Self.describe(error, path: path)
        }
        guard let row else { throw BurnwatchError(.recording, "batch \(batchID) is missing", at: position) }
        let codec: String = row["codec"]
        let rawSize: Int = row["raw_size"]
        let data = [UInt8]((row["data"] as Data?) ?? Data())
        let raw: [UInt8]
        switch codec {
        case "zstd":
            guard let inflated = Zstd.decompress(data, rawSize: rawSize) else {
                throw BurnwatchError(.recording, "batch \(batchID) does not decompress", at: position)
            }
            raw = inflated
        case "zlib":
            guard let inflated = Deflate.decompress(data, rawSize: rawSize) else {
                throw BurnwatchError(.recording, "batch \(batchID) does not decompress", at: position)
            }
            raw = inflated
        case "none":
            raw = data
        default:
            throw BurnwatchError(.recording, "batch \(batchID) uses codec \(codec), which this burnwatch does not know", at: position)
        }
        do {
            return try RecordedEventCodec.decode(raw)
        } catch {
            throw BurnwatchError(.recording, "batch \(batchID): \(error)", at: position)
        }
    }

    /// Every event of every readable batch, in order, up to `untilMs` (inclusive) when given;
    /// reading stops at the first damaged batch and says how much was left out.
    ///
    /// - Complexity: O(stored bytes) to decompress, O(events) to decode.
    public func readEvents(untilMs: Int64? = nil) -> RecordingContents {
        var contents = RecordingContents(events: [], batchesRead: 0, damage: nil)
        let list: [RecordingBatch]
        do { list = try batches() } catch {
            contents.damage = RecordingDamage(batchID: nil, reason: error.message, batchesLost: 0, fromMs: nil)
            return contents
        }
        for (k, batch) in list.enumerated() {
            if let untilMs, batch.firstMs > untilMs { break }
            do {
                let events = try events(of: batch.id)
                if let untilMs { contents.events += events.lazy.filter { $0.at <= untilMs } } else { contents.events += events }
                contents.batchesRead += 1
            } catch {
                contents.damage = RecordingDamage(batchID: batch.id, reason: error.message, batchesLost: list.count - k,
                                                  fromMs: contents.events.last?.at)
                break
            }
        }
        return contents
    }
}
