import BurnwatchCore
import BurnwatchTestSupport
import Foundation
import Testing
@testable import BurnwatchRuntime
@testable import BurnwatchUI

/// The log feed: decoding into batches, source health, bounds and drop counts, series for the store.
@Suite(.serialized) struct LogFeedTests {
    /// A sink that keeps what it is sent, refusing while `full`.
    final class Collector: LogFeedSink, @unchecked Sendable {
        private let lock = NSLock()
        private var events: [AppEvent] = []
        var full = false
        var pendingCount = 0

        func send(_ event: AppEvent) -> Bool {
            lock.lock(); defer { lock.unlock() }
            if full { return false }
            events.append(event)
            return true
        }

        var pending: Int { lock.lock(); defer { lock.unlock() }; return pendingCount }

        var batches: [LogsBatch] {
            lock.lock(); defer { lock.unlock() }
            return events.compactMap { if case .external(let e) = $0 { return e as? LogsBatch } else { return nil } }
        }

        var records: [LogsRecord] { batches.flatMap(\.records) }
        var lastHealth: [LogsSourceHealth] { batches.last(where: { !$0.health.isEmpty })?.health ?? [] }

        /// Waits up to `timeout` seconds for `condition`.
        func wait(_ timeout: TimeInterval = 10, _ condition: (Collector) -> Bool) -> Bool {
            let deadline = Date().addingTimeInterval(timeout)
            while Date() < deadline {
                if condition(self) { return true }
                usleep(20_000)
            }
            return condition(self)
        }
    }

    static let caddyLines = [
        #"{"level":"info","ts":1795557591.58,"logger":"http.log.access.log0","msg":"handled request","request":{"method":"GET","uri":"/"},"duration":0.00002,"status":200,"request_id":"r1"}"#,
        #"{"level":"error","ts":1795557592.60,"logger":"http.log.access.log0","msg":"handled request","request":{"method":"GET","uri":"/boom"},"duration":0.00002,"status":500,"request_id":"r2"}"#,
    ]

    @Test func followsAFileAndSendsDecodedBatchesWithHealth() throws {
        let dir = try TestPaths.makeTemporaryDirectory("logfeed")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("access.log").path
        try (Self.caddyLines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let feed = LogFeed(inputs: [LogFeedInput(.file(pattern: path, fromStart: true), service: "edge"),
                                    LogFeedInput(.file(pattern: dir.appendingPathComponent("missing-*.log").path, fromStart: true))])
        let sink = Collector()
        let samples = LiveSampleQueue()
        feed.attach(samples: samples)
        feed.start(sink: sink)
        defer { feed.stop() }
        #expect(sink.wait { $0.records.count == 2 })
        let records = sink.records
        #expect(records.map(\.event.status) == [200, 500])
        #expect(records.map(\.event.level) == [.info, .error])
        #expect(records.map(\.event.path) == ["/", "/boom"])
        #expect(records.allSatisfy { $0.event.service == "edge" && $0.source == path && $0.structured })
        #expect(records[1].raw == Self.caddyLines[1])
        #expect(sink.wait { c in c.lastHealth.contains { $0.name == path && $0.lines == 2 && $0.preset == "caddy" } })
        let missing = sink.lastHealth.first { $0.name.hasSuffix("missing-*.log") }
        #expect(missing?.state == .waiting)
        #expect(missing?.lastError?.contains("no file matches") == true)
        #expect(feed.health.healthy == false, "a waiting source shows in the header")
        // Appended lines follow, including a hostile one kept as data.
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data("plain \u{1B}[31mred\n".utf8))
        try handle.close()
        #expect(sink.wait { $0.records.count == 3 })
        #expect(sink.records.last?.raw == "plain \u{1B}[31mred")
        #expect(sink.records.last?.structured == false)
        // Log-derived series reached the sample queue.
        #expect(samples.drain().contains { $0.labels.metricName == "log_events_total" && $0.labels["service"] == "edge" })
    }

    @Test func aCommandThatExitsIsShownAsExited() throws {
        let feed = LogFeed(sources: [.command(argv: ["/bin/sh", "-c", "echo '{\"level\":\"warn\",\"msg\":\"once\"}'; echo oops >&2; exit 3"], name: "once")])
        let sink = Collector()
        feed.start(sink: sink)
        defer { feed.stop() }
        #expect(sink.wait { c in c.lastHealth.contains { $0.name == "once" && $0.state == .exited } })
        let h = sink.lastHealth.first { $0.name == "once" }
        #expect(h?.lastError?.contains("exited with status 3") == true || h?.lastError?.contains("restarting") == true)
        #expect(sink.wait { $0.records.first?.event.level == .warn }, "the held line is decoded once the source goes quiet")
    }

    @Test func aSlowConsoleMakesTheBoundDropAndCountLines() {
        let feed = LogFeed(sources: [], queueCapacity: 10, maxBatchLines: 4, maxPendingBatches: 1,
                           mergeWindow: Interval(milliseconds: 0))
        let sink = Collector()
        sink.pendingCount = 5   // the console is behind: the feed holds back
        feed.start(sink: sink)
        feed.stop()             // the dispatcher is driven by hand below
        for i in 0..<25 { feed.queue.push(.line(source: "stdin", bytes: Array("line \(i)".utf8), truncated: false)) }
        #expect(feed.dispatchOnce() == nil, "held back while the console is behind")
        #expect(feed.queue.count == 10)
        #expect(feed.queue.dropped["stdin"] == 15)
        sink.pendingCount = 0
        for _ in 0..<6 { feed.dispatchOnce() }
        #expect(sink.records.map(\.raw) == (0..<10).map { "line \($0)" }, "lines beyond the bound were dropped")
        #expect(sink.lastHealth.first { $0.name == "stdin" }?.dropped == 15)
        // A full channel refuses a batch: its lines are counted as dropped too.
        sink.full = true
        for i in 0..<3 { feed.queue.push(.line(source: "stdin", bytes: Array("late \(i)".utf8), truncated: false)) }
        feed.dispatchOnce()
        sink.full = false
        feed.dispatchOnce(now: Platform.monotonicMilliseconds() + 1000)
        #expect(sink.records.count == 10)
        #expect(sink.lastHealth.first { $0.name == "stdin" }?.dropped == 18)
    }

    @Test func globsMatchTheirFiles() {
        #expect(LogFeed.glob("/var/log/*.log", matches: "/var/log/app.log"))
        #expect(!LogFeed.glob("/var/log/*.log", matches: "/var/log/app.txt"))
        #expect(LogFeed.glob("/l/a?.log", matches: "/l/ab.log"))
        #expect(!LogFeed.glob("/l/app.log", matches: "/l/app.log"), "a plain path is its own source")
    }

    @Test func watchInputsFromConfigAndFlags() throws {
        let feed = try #require(try LogFeed.forWatch(
            config: [.init(service: "api", kind: .files(["/a/*.log"]), preset: "slog"),
                     .init(service: "pay", kind: .command(["kubectl", "logs", "-f", "deploy/pay"]))],
            files: ["/tmp/x.log"]))
        #expect(feed.inputs.count == 3)
        #expect(feed.inputs[0].preset == .slog)
        #expect(feed.inputs[0].service == "api")
        #expect(feed.input(for: "/a/b.log")?.service == "api")
        #expect(feed.inputs[2].source == .file(pattern: "/tmp/x.log", fromStart: false))
        #expect(try LogFeed.forWatch(config: [], files: []) == nil)
        #expect(throws: BurnwatchError.self) {
            try LogFeed.forWatch(config: [.init(service: "x", kind: .stdin, preset: "nope")], files: [])
        }
    }
}
