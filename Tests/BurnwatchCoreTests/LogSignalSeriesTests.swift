@testable import BurnwatchCore
import XCTest

final class LogSignalSeriesTests: XCTestCase {
    private let base: Int64 = 1_800_000_000_000

    private func event(_ t: Int64, service: String = "api", status: Int? = 200, requestID: String? = nil,
                       traceID: String? = nil, attempt: Int? = nil, retries: Int? = nil, level: LogLevel = .info,
                       fields: [(String, String)] = []) -> LogEvent {
        var e = LogEvent()
        e.time = Timestamp(milliseconds: base + t)
        e.service = service; e.status = status; e.requestID = requestID; e.traceID = traceID
        e.attempt = attempt; e.retries = retries ?? attempt.map { max(0, $0 - 1) }; e.level = level
        e.fields = fields
        return e
    }

    private func run(_ events: [(LogEvent, String)], signals: LogSignalSeries = LogSignalSeries()) -> RecordingSink {
        var g = LogSeriesGenerator(step: Interval(milliseconds: 15_000), signals: signals)
        var sink = RecordingSink()
        for (e, source) in events { g.observe(e, source: source, fallback: Timestamp(milliseconds: 0), into: &sink) }
        g.finish(into: &sink)
        XCTAssertEqual(sink.outOfOrder, 0)
        return sink
    }

    private func run(_ events: [LogEvent]) -> RecordingSink { run(events.map { ($0, "app") }) }

    /// The last value of a series, 0 when it was never written.
    private func value(_ sink: RecordingSink, _ name: String, _ labels: [String: String] = ["service": "api"]) -> Double {
        sink.samples[Labels(labels.merging(["__name__": name]) { a, _ in a })]?.last?.1 ?? 0
    }

    /// The coefficient of variation of the delays before attempt `level`, as a detector computes it in PromQL.
    private func delayCV(_ sink: RecordingSink, _ level: String) -> Double {
        let l = ["service": "api", "attempt": level]
        let n = value(sink, "log_retry_delay_seconds_count", l), sum = value(sink, "log_retry_delay_seconds_sum", l)
        let squares = value(sink, "log_retry_delay_seconds_sum_squares", l)
        let mean = sum / n
        return (max(0, squares / n - mean * mean)).squareRoot() / mean
    }

    func testAHealthyStreamRaisesNoSignalCounter() {
        var events: [LogEvent] = []
        for i in 0..<50 {
            var e = event(Int64(i) * 1000, requestID: "r\(i)", traceID: "t\(i)", attempt: 1,
                          fields: [("version", "1.4.0"), ("lag", "3"), ("backoff", "0")])
            e.tenant = "acme"; e.dependency = "db"; e.method = "GET"; e.idempotencyKey = "k\(i)"
            events.append(e)
        }
        let s = run(events)
        XCTAssertEqual(value(s, "log_request_lines_total"), 50)
        XCTAssertEqual(value(s, "log_unique_requests_total"), 50)
        for name in ["log_requests_uncorrelated_total", "log_repeat_attempts_total", "log_requests_many_attempts_total",
                     "log_multi_layer_retries_total", "log_duplicate_side_effects_total", "log_successful_writes_total",
                     "log_version_changes_total", "log_redelivered_messages_total", "log_dead_letters_total"] {
            XCTAssertEqual(value(s, name), 0, name)
        }
        XCTAssertEqual(value(s, "log_retry_outcomes_total", ["service": "api", "outcome": "failure"]), 0)
        XCTAssertEqual(value(s, "log_tenant_requests_total", ["service": "api", "tenant": "acme"]), 50)
        XCTAssertEqual(value(s, "log_tenant_errors_total", ["service": "api", "tenant": "acme"]), 0)
        XCTAssertEqual(value(s, "log_dependency_calls_total", ["service": "api", "dependency": "db", "outcome": "ok"]), 50)
        XCTAssertEqual(value(s, "log_dependency_calls_total", ["service": "api", "dependency": "db", "outcome": "error"]), 0)
        XCTAssertEqual(value(s, "log_version_info", ["service": "api", "version": "1.4.0"]), 1)
        XCTAssertEqual(value(s, "log_consumer_lag"), 3)
        XCTAssertFalse(s.samples.keys.contains { $0.metricName?.hasPrefix("log_retry_delay_seconds") == true })
        XCTAssertFalse(s.samples.keys.contains { $0.metricName == "log_signal_keys_evicted_total" })
        XCTAssertFalse(s.samples.keys.contains { $0.metricName == "log_fields_wrong_type_total" })
        // Every counter starts with a 0 sample, as the generator's own series do.
        XCTAssertEqual(s.samples[Labels(["__name__": "log_request_lines_total", "service": "api"])]?.first?.1, 0)
    }

    func testCorrelationRepeatsAndManyAttemptsCountedOncePerKey() {
        var events = [event(0), event(10, status: nil, level: .error)]   // the second is not a request line
        for i in 0..<6 { events.append(event(1000 + Int64(i) * 100, requestID: "same")) }
        events.append(event(5000, traceID: "t1", attempt: 4))            // no key: counts on its own attempt number
        events.append(event(6000, requestID: "other", attempt: 2))       // attempt 2 of a key not seen before
        let s = run(events)
        XCTAssertEqual(value(s, "log_request_lines_total"), 9)
        XCTAssertEqual(value(s, "log_requests_uncorrelated_total"), 1)
        XCTAssertEqual(value(s, "log_unique_requests_total"), 4)        // no-key line, "same", keyless attempt 4, "other"
        XCTAssertEqual(value(s, "log_repeat_attempts_total"), 7)        // 5 repeats of "same", attempt 4, attempt 2
        XCTAssertEqual(value(s, "log_requests_many_attempts_total"), 2)
        XCTAssertEqual(value(s, "log_retry_outcomes_total", ["service": "api", "outcome": "success"]), 2)
    }

    /// 200 requests each retried with 100/200/400 ms backoff; `jitter` draws each delay uniformly in [0, backoff].
    private func backoffStream(jitter: Bool) -> [LogEvent] {
        var random = SeededRandom(seed: 7)
        var events: [LogEvent] = []
        for r in 0..<200 {
            var t = Int64(r) * 3000
            for attempt in 1...4 {
                if attempt > 1 {
                    let backoff = Int64(100 << (attempt - 2))
                    t += jitter ? Int64.random(in: 0...backoff, using: &random) : backoff
                }
                var e = event(t, status: attempt < 4 ? 503 : 200, requestID: "r\(r)", attempt: attempt,
                              level: attempt < 4 ? .error : .info)
                e.duration = 0.02
                t += 20   // the line is written when the attempt ends: its start is the time minus its duration
                e.time = Timestamp(milliseconds: base + t)
                events.append(e)
            }
        }
        return events
    }

    func testRetryDelaysWithoutJitterHaveNoVariationAndWithJitterDo() {
        let steady = run(backoffStream(jitter: false))
        for (level, mean) in [("2", 0.1), ("3", 0.2), ("4", 0.4)] {
            let l = ["service": "api", "attempt": level]
            XCTAssertEqual(value(steady, "log_retry_delay_seconds_count", l), 200)
            XCTAssertEqual(value(steady, "log_retry_delay_seconds_sum", l) / 200, mean, accuracy: 1e-9)
            XCTAssertLessThan(delayCV(steady, level), 0.01, level)
        }
        XCTAssertEqual(value(steady, "log_retry_outcomes_total", ["service": "api", "outcome": "success"]), 200)
        XCTAssertEqual(value(steady, "log_retry_outcomes_total", ["service": "api", "outcome": "failure"]), 400)
        XCTAssertEqual(value(steady, "log_requests_many_attempts_total"), 200)
        let jittered = run(backoffStream(jitter: true))
        for level in ["2", "3", "4"] { XCTAssertGreaterThan(delayCV(jittered, level), 0.3, level) }
    }

    func testExplicitDelayFieldsWinAndTheFirstAttemptHasNone() {
        let s = run([
            event(0, requestID: "a", attempt: 1, fields: [("backoff", "0")]),
            event(5000, requestID: "a", attempt: 2, fields: [("backoff", "200ms")]),
            event(9000, requestID: "a", attempt: 3, fields: [("retry_delay_ms", "400")]),
            event(12000, requestID: "a", attempt: 4, fields: [("wait_seconds", "0.8")]),
            event(13000, requestID: "a", attempt: 7, fields: [("sleep", "1m1.5s")]),
            event(14000, requestID: "b", attempt: 2, fields: [("delay", "soon")]),   // wrong type: inferred? no previous line
        ])
        XCTAssertEqual(value(s, "log_retry_delay_seconds_sum", ["service": "api", "attempt": "2"]), 0.2, accuracy: 1e-9)
        XCTAssertEqual(value(s, "log_retry_delay_seconds_sum", ["service": "api", "attempt": "3"]), 0.4, accuracy: 1e-9)
        XCTAssertEqual(value(s, "log_retry_delay_seconds_sum", ["service": "api", "attempt": "4"]), 0.8, accuracy: 1e-9)
        XCTAssertEqual(value(s, "log_retry_delay_seconds_sum", ["service": "api", "attempt": "5+"]), 61.5, accuracy: 1e-9)
        XCTAssertEqual(value(s, "log_retry_delay_seconds_count", ["service": "api", "attempt": "2"]), 1)
        XCTAssertEqual(value(s, "log_fields_wrong_type_total", ["field": "delay"]), 1)
    }

    func testMultiLayerRetriesCountOncePerRequest() {
        let s = run([
            (event(0, service: "gateway", requestID: "R", attempt: 1), "gw"),
            (event(100, service: "gateway", requestID: "R", attempt: 2), "gw"),
            (event(200, service: "gateway", requestID: "R", attempt: 3), "gw"),        // same layer: not a second one
            (event(300, service: "api", status: 503, requestID: "R", retries: 1), "app"), // second layer: counted
            (event(400, service: "api", requestID: "R", retries: 2), "app2"),            // a third layer: still once
            (event(500, service: "api", requestID: "S", retries: 1), "app"),
            (event(600, service: "api", requestID: "S", retries: 1), "app"),             // one layer only
        ])
        XCTAssertEqual(value(s, "log_multi_layer_retries_total"), 1)
        XCTAssertEqual(value(s, "log_multi_layer_retries_total", ["service": "gateway"]), 0)
    }

    func testDuplicateSideEffectsOfIdempotentWrites() {
        func write(_ t: Int64, _ key: String, method: String? = "POST", status: Int = 201) -> LogEvent {
            var e = event(t, status: status); e.idempotencyKey = key; e.method = method
            return e
        }
        let s = run([write(0, "k1"), write(100, "k1"), write(200, "k1", method: nil), write(300, "k2"),
                     write(400, "k3", method: "GET"), write(500, "k3", method: "GET"), write(600, "k4", status: 500),
                     write(700, "k4")])
        XCTAssertEqual(value(s, "log_successful_writes_total"), 5)
        XCTAssertEqual(value(s, "log_duplicate_side_effects_total"), 2)
    }

    func testTenantsDependenciesAndVersionChanges() {
        func line(_ t: Int64, tenant: String, status: Int, dependency: String, kind: String? = nil, msg: String? = nil,
                  version: String) -> LogEvent {
            var e = event(t, status: status, level: status >= 500 ? .error : .info, fields: [("version", version)])
            e.tenant = tenant; e.dependency = dependency; e.errorKind = kind; e.message = msg
            return e
        }
        let s = run([
            line(0, tenant: "a", status: 200, dependency: "db", version: "1.9.0"),
            line(100, tenant: "b", status: 503, dependency: "db", kind: "DeadlineExceeded", version: "1.9.0"),
            line(200, tenant: "b", status: 502, dependency: "cache", version: "1.10.0"),
            line(300, tenant: "b", status: 200, dependency: "cache", msg: "upstream timeout, served stale", version: "1.9.0"),
            line(400, tenant: "a", status: 200, dependency: "db", version: "1.10.0"),
        ])
        XCTAssertEqual(value(s, "log_tenant_requests_total", ["service": "api", "tenant": "b"]), 3)
        XCTAssertEqual(value(s, "log_tenant_errors_total", ["service": "api", "tenant": "b"]), 2)
        XCTAssertEqual(value(s, "log_tenant_errors_total", ["service": "api", "tenant": "a"]), 0)
        let dep = { (d: String, o: String) in self.value(s, "log_dependency_calls_total", ["service": "api", "dependency": d, "outcome": o]) }
        XCTAssertEqual([dep("db", "ok"), dep("db", "timeout"), dep("cache", "error"), dep("cache", "timeout")], [2, 1, 1, 1])
        // 1.9.0 lines still written during the rollout do not flip the version back.
        XCTAssertEqual(value(s, "log_version_changes_total"), 1)
        XCTAssertEqual(value(s, "log_version_info", ["service": "api", "version": "1.10.0"]), 1)
        XCTAssertEqual(value(s, "log_version_info", ["service": "api", "version": "1.9.0"]), 0)
    }

    func testPoisonMessagesDeadLettersLagAndWrongTypes() {
        func msg(_ t: Int64, _ fields: [(String, String)], text: String? = nil) -> LogEvent {
            var e = event(t, service: "worker", status: nil, fields: fields); e.message = text
            return e
        }
        let s = run([
            msg(0, [("message_id", "m1")]), msg(100, [("message_id", "m1")]), msg(200, [("message_id", "m1")]),
            msg(300, [("message_id", "m1")]),                              // a 4th delivery: still one message
            msg(400, [("partition", "3"), ("offset", "17"), ("delivery_count", "3")]),
            msg(500, [("delivery_count", "5")]),                           // no key: counted on its count
            msg(600, [("redelivered", "true"), ("message_id", "m2")]),     // a second delivery only
            msg(700, [("dlq", "true")]), msg(800, [], text: "moved to Dead-Letter queue"), msg(900, [("dead_letter", "false")]),
            msg(1000, [("consumer_lag", "120")]), msg(1100, [("lag", "lots"), ("dlq", "maybe"), ("delivery_count", "x")]),
        ])
        let w = ["service": "worker"]
        XCTAssertEqual(value(s, "log_redelivered_messages_total", w), 3)
        XCTAssertEqual(value(s, "log_dead_letters_total", w), 2)
        XCTAssertEqual(value(s, "log_consumer_lag", w), 120)
        for field in ["lag", "dlq", "delivery_count"] { XCTAssertEqual(value(s, "log_fields_wrong_type_total", ["field": field]), 1) }
    }

    func testTheKeyTablesStayWithinTheirBound() {
        // 1,000 keys within a minute and room for 100 per table: the oldest are evicted and counted.
        let full = run((0..<1000).map { event(Int64($0) * 50, requestID: "r\($0)") }.map { ($0, "app") },
                       signals: LogSignalSeries(keyCapacity: 100))
        XCTAssertEqual(value(full, "log_signal_keys_evicted_total", [:]), 1800)   // request and layer tables
        var g = LogSeriesGenerator(signals: LogSignalSeries(window: Interval(milliseconds: 60_000), keyCapacity: 100))
        var sink = RecordingSink()
        for i in 0..<1000 {
            g.observe(event(Int64(i) * 50, requestID: "r\(i % 300)"), source: "app", fallback: Timestamp(milliseconds: 0), into: &sink)
            XCTAssertLessThanOrEqual(g.signals.trackedKeys, 200)
        }
        // Keys older than the window go quietly: 1 line a second for 20 minutes keeps about 10 minutes of keys.
        var slow = LogSeriesGenerator()
        var slowSink = RecordingSink()
        for i in 0..<1200 {
            slow.observe(event(Int64(i) * 1000, requestID: "r\(i)"), source: "app", fallback: Timestamp(milliseconds: 0), into: &slowSink)
        }
        slow.finish(into: &slowSink)
        XCTAssertLessThanOrEqual(slow.signals.trackedKeys, 2 * 602)
        XCTAssertFalse(slowSink.samples.keys.contains { $0.metricName == "log_signal_keys_evicted_total" })
    }

    func testKeyTableEvictsTheLeastRecentlySeenKey() {
        var table = LogKeyTable<String, Int>(window: 600_000, capacity: 2)
        table.update("a", at: 0, initial: 0) { v, _ in v += 1 }
        table.update("b", at: 1, initial: 0) { v, _ in v += 1 }
        table.update("a", at: 2, initial: 0) { v, _ in v += 1 }
        table.update("c", at: 3, initial: 0) { v, _ in v += 1 }
        XCTAssertEqual(table.peek("a"), 2)
        XCTAssertNil(table.peek("b"))
        XCTAssertEqual(table.evicted, 1)
        table.update("d", at: 700_000, initial: 0) { v, _ in v += 1 }   // a and c are older than the window
        XCTAssertEqual(table.count, 1)
        XCTAssertEqual(table.evicted, 1)
    }

    func testFieldValueParsing() {
        XCTAssertEqual(LogFieldValue.goDuration("200ms")!, 0.2, accuracy: 1e-12)
        XCTAssertEqual(LogFieldValue.goDuration("1m30.5s")!, 90.5, accuracy: 1e-12)
        XCTAssertEqual(LogFieldValue.goDuration("750us")!, 0.00075, accuracy: 1e-12)
        XCTAssertNil(LogFieldValue.goDuration("soon"))
        XCTAssertNil(LogFieldValue.goDuration("5 ms"))
        XCTAssertEqual(LogFieldValue.number("+1"), 1)
        XCTAssertNil(LogFieldValue.number("inf"))
        XCTAssertNil(LogFieldValue.integer("2.5"))
        XCTAssertEqual(LogSignalSeries.delayScale("retry_after_ms"), 0.001)
        XCTAssertEqual(LogSignalSeries.delayScale("backoff_s"), 1)
        XCTAssertNil(LogSignalSeries.delayScale("delays"))
        XCTAssertTrue(LogSignalSeries.isOlder("1.9.2", than: "v1.10.0"))
        XCTAssertFalse(LogSignalSeries.isOlder("abc123", than: "def456"))
    }
}
