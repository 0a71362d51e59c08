import BurnwatchConfig
import BurnwatchCore
@testable import BurnwatchRuntime
import BurnwatchTestSupport
import BurnwatchUI
import Foundation
import Testing

/// `watch --stats-file`: the counters a soak checks the console against.
@Suite struct WatchStatsFileTests {
    @Test func aLineSeparatesQueueDropsFromRefusedLinesAndListsEachScrapeOnce() throws {
        let feed = LogFeed(sources: [], queueCapacity: 10, maxBatchLines: 100, mergeWindow: Interval(milliseconds: 0))
        let sink = LogFeedTests.Collector()
        feed.start(sink: sink)
        feed.stop()             // the dispatcher is driven by hand below
        // Lines wait in the time merger until the next dispatch: each step is a second later.
        let now = Platform.monotonicMilliseconds(), arrival = Platform.now()
        func dispatch(_ k: Int64) { feed.dispatchOnce(now: now + k * 1000, arrival: arrival + Interval(milliseconds: k * 1000)) }
        for i in 0..<25 { feed.queue.push(.line(source: "stdin", bytes: Array("line \(i)".utf8), truncated: false)) }
        dispatch(0)             // 10 read, 15 dropped by the queue
        dispatch(1)             // the 10 go to the console
        for i in 0..<3 { feed.queue.push(.line(source: "stdin", bytes: Array("late \(i)".utf8), truncated: false)) }
        sink.full = true
        dispatch(2)             // 3 read
        dispatch(3)             // and refused by the full channel
        sink.full = false
        dispatch(4)
        #expect(sink.records.count == 10)

        let session = try WatchSession(config: BurnwatchConfiguration(file: ""), slos: [])
        let url = "http://127.0.0.1:9/metrics"
        session.condition.lock()
        session.targetHealth[url] = TargetHealth(job: "api", instance: "127.0.0.1:9", url: url, up: true,
                                                 lastScrape: Timestamp(milliseconds: 1_000), durationSeconds: 0.25)
        session.condition.unlock()
        let channel = try EventChannel<AppEvent>(capacity: 4)
        let stats = WatchStatsFile(path: "/dev/null", session: session, logs: feed, channel: channel)

        let first = try #require(JSONSerialization.jsonObject(with: Data(stats.line(at: Timestamp(milliseconds: 5_000)).utf8)) as? [String: Any])
        #expect(first["at_ms"] as? Int == 5_000)
        let row = try #require((first["logs"] as? [[String: Any]])?.first { $0["source"] as? String == "stdin" })
        #expect(row["lines"] as? Int == 13)
        #expect(row["dropped"] as? Int == 18)
        #expect(row["queue_dropped"] as? Int == 15)
        let targets = try #require(first["targets"] as? [[String: Any]])
        #expect(targets.count == 1)
        #expect(targets.first?["duration_ms"] as? Double == 250)
        #expect(targets.first?["start_ms"] as? Int == 1_000)

        let second = try #require(JSONSerialization.jsonObject(with: Data(stats.line(at: Timestamp(milliseconds: 10_000)).utf8)) as? [String: Any])
        #expect((second["targets"] as? [[String: Any]])?.isEmpty == true, "a scrape already written is not written again")
    }
}
