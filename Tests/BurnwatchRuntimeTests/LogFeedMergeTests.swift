import BurnwatchCore
import BurnwatchParsing
import Testing
@testable import BurnwatchRuntime
@testable import BurnwatchUI

/// The log feed's merge by time per service: lines wait a bounded window for earlier lines of
/// other sources of their service; late lines go out at once and are counted.
@Suite struct LogFeedMergeTests {
    static let t0 = Timestamp(milliseconds: 1_795_557_600_000)

    /// A feed of named sources (never started: the test drives `dispatchOnce` with its own times).
    func feed(_ services: [String: String], window: Int = 250, capacity: Int = 32_768) -> LogFeed {
        let inputs = services.keys.sorted().map {
            LogFeedInput(.command(argv: ["/bin/true"], name: $0), preset: .slog, service: services[$0])
        }
        return LogFeed(inputs: inputs, mergeWindow: Interval(milliseconds: Int64(window)), mergeCapacity: capacity)
    }

    /// An slog line of `source` whose own time is `ms` after `t0`.
    func push(_ feed: LogFeed, _ source: String, at ms: Int, _ msg: String) {
        let time = RFC3339.format(Self.t0 + Interval(milliseconds: Int64(ms)))
        let line = #"{"time":"\#(time)","level":"INFO","msg":"\#(msg)"}"#
        feed.queue.push(.line(source: source, bytes: Array(line.utf8), truncated: false))
    }

    func dispatch(_ feed: LogFeed, at ms: Int) -> LogsBatch? {
        feed.dispatchOnce(arrival: Self.t0 + Interval(milliseconds: Int64(ms)))
    }

    func messages(_ batch: LogsBatch?) -> [String] { batch?.records.map { $0.event.message ?? "" } ?? [] }

    func late(_ batch: LogsBatch?, _ source: String) -> Int? { batch?.health.first { $0.name == source }?.late }

    @Test func twoSourcesOfOneServiceComeOutInTimeOrder() {
        let f = feed(["a": "api", "b": "api"])
        // a is read first with its later lines; b's earlier lines arrive 50 ms after.
        push(f, "a", at: 300, "a300"); push(f, "a", at: 400, "a400")
        #expect(messages(dispatch(f, at: 0)).isEmpty, "held for the window")
        push(f, "b", at: 100, "b100"); push(f, "b", at: 350, "b350")
        #expect(messages(dispatch(f, at: 50)).isEmpty)
        let batch = dispatch(f, at: 320)
        #expect(messages(batch) == ["b100", "a300", "b350", "a400"])
        #expect(batch?.records.allSatisfy { $0.event.service == "api" && $0.structured } == true)
        #expect(late(batch, "a") == 0 && late(batch, "b") == 0)
        #expect(batch?.health.first { $0.name == "b" }?.lines == 2)
    }

    @Test func linesOfDifferentServicesAreNotDelayedByEachOther() {
        let f = feed(["a": "api", "d": "db"])
        push(f, "a", at: 5_000, "api")
        _ = dispatch(f, at: 0)
        // db's clock is 5 s behind and its line arrives 100 ms later: it is not late for api.
        push(f, "d", at: 0, "db")
        _ = dispatch(f, at: 100)
        #expect(messages(dispatch(f, at: 260)) == ["api"], "api goes out when its own window has passed")
        let batch = dispatch(f, at: 360)
        #expect(messages(batch) == ["db"])
        #expect(late(batch, "a") == 0 && late(batch, "d") == 0)
    }

    @Test func aLateLineIsReleasedAtOnceAndCounted() {
        let f = feed(["a": "api", "b": "api"])
        push(f, "a", at: 500, "a500")
        _ = dispatch(f, at: 0)
        #expect(messages(dispatch(f, at: 300)) == ["a500"])
        // b's line is older than one already sent for api: waiting cannot place it, so it goes now.
        push(f, "b", at: 100, "b100")
        let batch = dispatch(f, at: 400)
        #expect(messages(batch) == ["b100"])
        #expect(late(batch, "b") == 1)
        #expect(late(batch, "a") == 0)
    }

    @Test func theMergeWindowIsBoundedAndOverflowGoesOutEarly() {
        let f = feed(["a": "api"], capacity: 4)
        for i in 0..<10 { push(f, "a", at: i, "a\(i)") }
        #expect(messages(dispatch(f, at: 0)) == (0..<6).map { "a\($0)" }, "beyond the capacity the oldest go out")
        #expect(messages(dispatch(f, at: 300)) == (6..<10).map { "a\($0)" })
    }
}
