import BurnwatchCore
import BurnwatchRecording
import BurnwatchTestSupport
import Foundation
import GRDB
import Testing

@Suite("Recording file")
struct RecordingFileTests {
    static let t0: Int64 = 1_764_000_000_000

    static func sampleEvents(count: Int = 30) -> [RecordedEvent] {
        var out: [RecordedEvent] = []
        for i in 0..<count {
            let at = t0 + Int64(i) * 1000
            let body = Array("# TYPE http_requests_total counter\nhttp_requests_total{code=\"200\"} \(i * 10)\nup_thing \(i)\n".utf8)
            out.append(.scrape(RecordedScrape(at: at, url: "http://127.0.0.1:9100/metrics", job: "api", time: at - 20,
                                              durationSeconds: 0.0125, status: 200, contentType: "text/plain; version=0.0.4",
                                              failure: nil, body: body)))
            out.append(.logs(RecordedLogDispatch(at: at + 10, arrival: at + 5, items: [
                .init(kind: .line, source: "/var/log/app.log", payload: Array("{\"level\":\"error\",\"i\":\(i)}".utf8)),
                .init(kind: .truncatedLine, source: "/var/log/app.log", payload: Array(repeating: 0x41, count: 40)),
                .init(kind: .notice, source: "/var/log/app.log", payload: Array("file rotated".utf8)),
            ])))
            if i % 5 == 0 {
                out.append(.scrape(RecordedScrape(at: at + 20, url: "http://127.0.0.1:9200/metrics", job: "db", time: at,
                                                  durationSeconds: 2, status: 0, contentType: nil, failure: "scrape failed: timeout", body: [])))
            }
            out.append(.round(RecordedRound(at: at + 30, signals: i % 5 == 0)))
        }
        return out
    }

    func temp() throws -> (URL, String) {
        let dir = try TestPaths.makeTemporaryDirectory("bw-recording")
        return (dir, dir.appendingPathComponent("r.burnwatch").path)
    }

    @Test func codecRoundTripsEveryKindOfEvent() throws {
        let events = Self.sampleEvents()
        let bytes = RecordedEventCodec.encode(events)
        #expect(try RecordedEventCodec.decode(bytes) == events)
        // negative times, empty strings, large varints
        let odd: [RecordedEvent] = [.scrape(RecordedScrape(at: -5, url: "", job: "", time: Int64.min / 2, durationSeconds: -0.0,
                                                           status: 599, contentType: "", failure: "", body: []))]
        #expect(try RecordedEventCodec.decode(RecordedEventCodec.encode(odd)) == odd)
    }

    @Test func codecRejectsEveryTruncationWithAnOffset() {
        let bytes = RecordedEventCodec.encode(Array(Self.sampleEvents(count: 2)))
        for cut in 1..<bytes.count {
            do {
                let events = try RecordedEventCodec.decode(Array(bytes.prefix(cut)))
                // a cut between two events decodes to the events before it
                #expect(RecordedEventCodec.encode(events) == Array(bytes.prefix(cut)), "cut at \(cut)")
            } catch {
                #expect(error.offset <= cut, "cut at \(cut): \(error)")
            }
        }
    }

    @Test func writtenBatchesReadBackInOrderAndCompress() throws {
        let (dir, path) = try temp()
        defer { try? FileManager.default.removeItem(at: dir) }
        let events = Self.sampleEvents()
        let recording = try Recording.create(path: path, info: .init(createdMs: Self.t0, writer: "test", config: "services: []\n",
                                                                     configFile: "burnwatch.yaml", extra: ["log_files": "a.log\nb.log"]))
        let writer = RecordingWriter(recording: recording, flushInterval: 60)
        for (i, e) in events.enumerated() {
            writer.append(e)
            if i % 7 == 6 { writer.flush() }
        }
        writer.close()
        let reopened = try Recording.open(path: path)
        let info = try reopened.info()
        #expect(info.config == "services: []\n")
        #expect(info.extra["log_files"] == "a.log\nb.log")
        let contents = reopened.readEvents()
        #expect(contents.damage == nil)
        #expect(contents.events == events)
        #expect(contents.batchesRead == (events.count + 6) / 7)
        let batches = try reopened.batches()
        let raw = batches.reduce(0) { $0 + $1.rawBytes }, stored = batches.reduce(0) { $0 + $1.storedBytes }
        #expect(stored < raw, "stored \(stored) of \(raw)")
        #expect(reopened.readEvents(untilMs: Self.t0 + 5_000).events == events.filter { $0.at <= Self.t0 + 5_000 })
        // finished: one self-contained file, no write-ahead log beside it
        let walSize = (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0
        #expect(walSize == 0)
    }

    @Test func aDamagedBatchStopsReadingAndSaysHowMuchWasLost() throws {
        let (dir, path) = try temp()
        defer { try? FileManager.default.removeItem(at: dir) }
        let recording = try Recording.create(path: path, info: .init(createdMs: Self.t0, writer: "test", config: "", configFile: ""))
        let writer = RecordingWriter(recording: recording, flushInterval: 60)
        let events = Self.sampleEvents(count: 9)
        for (i, e) in events.enumerated() {
            writer.append(e)
            if i % 4 == 3 { writer.flush() }
        }
        writer.close()
        // scribble over the third batch's compressed bytes
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: "UPDATE batch SET data = x'00112233445566' WHERE id = (SELECT id FROM batch ORDER BY id LIMIT 1 OFFSET 2)")
        }
        try queue.close()
        let contents = try Recording.open(path: path).readEvents()
        let total = try Recording.open(path: path).batches().count
        #expect(contents.batchesRead == 2)
        #expect(contents.events == Array(events.prefix(8)))
        let damage = try #require(contents.damage)
        #expect(damage.batchesLost == total - 2)
        #expect(damage.description.contains("does not decompress"), "\(damage)")
    }

    @Test func aTruncatedFileOpensUpToItsLastReadableBatch() throws {
        let (dir, path) = try temp()
        defer { try? FileManager.default.removeItem(at: dir) }
        let recording = try Recording.create(path: path, info: .init(createdMs: Self.t0, writer: "test", config: "", configFile: ""))
        let writer = RecordingWriter(recording: recording, flushInterval: 60)
        // big incompressible-ish bodies so the file spans many pages
        var rng = SeededRandom(seed: 7)
        var events: [RecordedEvent] = []
        for i in 0..<40 {
            let body = (0..<6000).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            let e = RecordedEvent.scrape(RecordedScrape(at: Self.t0 + Int64(i) * 1000, url: "u", job: "j", time: Self.t0, durationSeconds: 0,
                                                        status: 200, contentType: nil, failure: nil, body: body))
            events.append(e)
            writer.append(e)
            writer.flush()
        }
        writer.close()
        let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: UInt64(size * 2 / 3))
        try handle.close()
        do {
            let contents = try Recording.open(path: path).readEvents()
            #expect(contents.events.count < events.count)
            #expect(contents.events == Array(events.prefix(contents.events.count)))
            #expect(contents.damage != nil)
        } catch {
            // SQLite may refuse the file outright; then the error must say the file is damaged
            #expect("\(error)".contains("damaged") || "\(error)".contains("recording"), "\(error)")
        }
    }

    @Test func otherFilesAreNamedNotOpened() throws {
        let (dir, _) = try temp()
        defer { try? FileManager.default.removeItem(at: dir) }
        func check(_ name: String, _ contents: [UInt8], _ expected: String) throws {
            let path = dir.appendingPathComponent(name).path
            _ = FileManager.default.createFile(atPath: path, contents: Data(contents))
            #expect(throws: BurnwatchError.self) { try Recording.open(path: path) }
            do { _ = try Recording.open(path: path) } catch {
                #expect("\(error)".contains(expected), "\(name): \(error)")
            }
        }
        try check("empty", [], "empty")
        try check("log.jsonl", Array("{\"level\":\"info\"}\n".utf8), "JSON lines")
        try check("m.prom", Array("# HELP x y\n# TYPE x counter\nx 1\n".utf8), "metrics exposition")
        try check("m.gz", [0x1f, 0x8b, 8, 0], "gzip")
        try check("b.bin", [0, 1, 2, 3, 250], "binary data")
        let journal = dir.appendingPathComponent("journal.sqlite").path
        _ = try Journal.openFile(journal)
        #expect(throws: BurnwatchError.self) { try Recording.open(path: journal) }
        do { _ = try Recording.open(path: journal) } catch { #expect("\(error)".contains("journal, not a recording"), "\(error)") }
        #expect(throws: BurnwatchError.self) { try Recording.open(path: dir.path) }
    }

    @Test func aRecordingOfANewerSchemaSaysSo() throws {
        let (dir, path) = try temp()
        defer { try? FileManager.default.removeItem(at: dir) }
        let recording = try Recording.create(path: path, info: .init(createdMs: Self.t0, writer: "test", config: "", configFile: ""))
        RecordingWriter(recording: recording).close()
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v9: from the future')") }
        try queue.close()
        do { _ = try Recording.open(path: path); Issue.record("opened a newer recording") } catch {
            #expect("\(error)".contains("newer burnwatch"), "\(error)")
            #expect("\(error)".contains("v9: from the future"), "\(error)")
        }
    }

    @Test func aSizeBoundDropsTheOldestBatchesAndSaysFromWhen() throws {
        let (dir, path) = try temp()
        defer { try? FileManager.default.removeItem(at: dir) }
        let recording = try Recording.create(path: path, info: .init(createdMs: Self.t0, writer: "test", config: "", configFile: ""))
        let bound: Int64 = 1 << 20
        let writer = RecordingWriter(recording: recording, flushInterval: 60, maxSize: bound)
        var rng = SeededRandom(seed: 3)
        for i in 0..<200 {
            let body = (0..<20_000).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            writer.append(.scrape(RecordedScrape(at: Self.t0 + Int64(i) * 1000, url: "u", job: "j", time: Self.t0, durationSeconds: 0,
                                                 status: 200, contentType: nil, failure: nil, body: body)))
            writer.flush()
        }
        writer.close()
        let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        #expect(Int64(size) <= bound + bound / 4, "file \(size) bytes over a bound of \(bound)")
        let reopened = try Recording.open(path: path)
        let info = try reopened.info()
        let events = reopened.readEvents().events
        #expect(info.trimmedBatches > 0)
        #expect(info.trimmedBatches + events.count == 200)
        let before = try #require(info.trimmedBeforeMs)
        #expect(events.first.map { $0.at >= before } == true)
        #expect(events.last?.at == Self.t0 + 199_000)
    }
}
