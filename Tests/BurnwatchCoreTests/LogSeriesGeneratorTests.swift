import Testing
@testable import BurnwatchCore

/// An in-memory sink that also checks the sink contract: each series' samples in time order.
struct RecordingSink: SampleSink {
    var samples: [Labels: [(Timestamp, Double)]] = [:]
    var outOfOrder = 0
    mutating func append(_ labels: Labels, _ time: Timestamp, _ value: Double) {
        if let last = samples[labels]?.last, last.0 >= time { outOfOrder += 1 }
        samples[labels, default: []].append((time, value))
    }
    func last(_ pairs: KeyValuePairs<String, String>) -> Double? { samples[Labels(pairs)]?.last?.1 }
}

@Suite struct LogSeriesGeneratorTests {
    func request(_ t: Int64, status: Int, route: String = "/a", duration: Double? = nil, level: LogLevel = .info,
                 attempt: Int? = nil, retries: Int? = nil, service: String = "api") -> LogEvent {
        var e = LogEvent()
        e.time = Timestamp(milliseconds: t)
        e.status = status; e.route = route; e.duration = duration; e.level = level
        e.attempt = attempt; e.retries = retries; e.service = service
        if status >= 500 { e.errorKind = "timeout" }
        return e
    }

    @Test func countersHistogramAndAttempts() {
        var g = LogSeriesGenerator(step: Interval(milliseconds: 10_000))
        var sink = RecordingSink()
        let base: Int64 = 1_000_000
        let events = [
            request(base, status: 200, duration: 0.003, attempt: 1),
            request(base + 1000, status: 503, duration: 0.3, level: .error, attempt: 2),
            request(base + 2000, status: 200, duration: 12, retries: 2),
            request(base + 15_000, status: 200, duration: 0.003),
        ]
        for e in events { g.observe(e, source: "f", fallback: Timestamp(milliseconds: 0), into: &sink) }
        g.countUnparsed(source: "f")
        g.finish(into: &sink)
        #expect(sink.outOfOrder == 0)
        #expect(sink.last(["__name__": "log_events_total", "service": "api", "level": "info", "status_class": "2xx", "route": "/a"]) == 3)
        #expect(sink.last(["__name__": "log_events_total", "service": "api", "level": "error", "status_class": "5xx", "route": "/a", "error_kind": "timeout"]) == 1)
        #expect(sink.last(["__name__": "log_request_duration_seconds_count", "service": "api", "route": "/a"]) == 4)
        #expect(sink.last(["__name__": "log_request_duration_seconds_bucket", "service": "api", "route": "/a", "le": "0.005"]) == 2)
        #expect(sink.last(["__name__": "log_request_duration_seconds_bucket", "service": "api", "route": "/a", "le": "0.5"]) == 3)
        #expect(sink.last(["__name__": "log_request_duration_seconds_bucket", "service": "api", "route": "/a", "le": "10"]) == 3)
        #expect(sink.last(["__name__": "log_request_duration_seconds_bucket", "service": "api", "route": "/a", "le": "+Inf"]) == 4)
        // attempt 1, attempt 2 (a retry), and a line with retries=2 (3 attempts).
        #expect(sink.last(["__name__": "log_attempts_total", "service": "api"]) == 5)
        #expect(sink.last(["__name__": "log_retries_total", "service": "api"]) == 3)
        #expect(sink.last(["__name__": "log_lines_unparsed_total", "source": "f"]) == 1)
        #expect(sink.last(["__name__": "log_lines_total", "source": "f"]) == 4)
        // A 0 just before the first line (it falls on a step boundary), a write at the next
        // boundary, then one at the end.
        let lines = sink.samples[Labels(["__name__": "log_lines_total", "source": "f"])]!
        #expect(lines.map(\.0.milliseconds) == [base - 1, 1_010_000, base + 15_000])
        #expect(lines.first?.1 == 0)
    }

    @Test func aLogShorterThanOneStepStillHasARate() {
        var g = LogSeriesGenerator(step: Interval(milliseconds: 15_000))
        var sink = RecordingSink()
        for t in [2_000, 2_500, 3_000] as [Int64] {
            g.observe(request(t, status: 200), source: "f", fallback: Timestamp(milliseconds: 0), into: &sink)
        }
        g.finish(into: &sink)
        let lines = sink.samples[Labels(["__name__": "log_lines_total", "source": "f"])]!
        // 0 at the start of the first step, the count at the last line.
        #expect(lines.map(\.0.milliseconds) == [0, 3_000])
        #expect(lines.map(\.1) == [0, 3])
        #expect(sink.outOfOrder == 0)
    }

    @Test func newSeriesStartAtZeroSoTheFirstIncreaseCounts() {
        var g = LogSeriesGenerator(step: Interval(milliseconds: 1000))
        var sink = RecordingSink()
        g.observe(request(0, status: 200), source: "f", fallback: Timestamp(milliseconds: 0), into: &sink)
        g.observe(request(5000, status: 200), source: "f", fallback: Timestamp(milliseconds: 0), into: &sink)
        g.observe(request(6000, status: 500), source: "f", fallback: Timestamp(milliseconds: 0), into: &sink)
        g.finish(into: &sink)
        let errors = sink.samples[Labels(["__name__": "log_events_total", "service": "api", "level": "info", "status_class": "5xx", "route": "/a", "error_kind": "timeout"])]!
        #expect(errors.first!.1 == 0)
        #expect(errors.last!.1 == 1)
        #expect(sink.outOfOrder == 0)
    }

    @Test func cardinalityGuardFoldsIntoOther() {
        var g = LogSeriesGenerator(cardinality: CardinalityGuard(defaultLimit: 100, limits: ["route": 3]))
        var sink = RecordingSink()
        for i in 0..<10 { g.observe(request(Int64(i), status: 200, route: "/r\(i)"), source: "f", fallback: Timestamp(milliseconds: 0), into: &sink) }
        g.finish(into: &sink)
        let routes = Set(sink.samples.keys.filter { $0.metricName == "log_events_total" }.compactMap { $0["route"] })
        #expect(routes == ["/r0", "/r1", "/r2", "other"])
        #expect(sink.last(["__name__": "log_events_total", "service": "api", "level": "info", "status_class": "2xx", "route": "other"]) == 7)
        #expect(sink.last(["__name__": "log_label_values_folded_total", "label": "route"]) == 7)
    }

    @Test func timeMergerOrdersPerServiceWithinTheWindow() {
        var m = LogTimeMerger<String>(window: Interval(milliseconds: 100))
        m.push("b2", time: Timestamp(milliseconds: 20), service: "s", arrival: Timestamp(milliseconds: 1000))
        m.push("a1", time: Timestamp(milliseconds: 10), service: "s", arrival: Timestamp(milliseconds: 1050))
        #expect(m.drain(now: Timestamp(milliseconds: 1080)) == [])
        #expect(m.drain(now: Timestamp(milliseconds: 1160)) == ["a1", "b2"])
        m.push("late", time: Timestamp(milliseconds: 5), service: "s", arrival: Timestamp(milliseconds: 2000))
        #expect(m.drainAll() == ["late"])
        #expect(m.late == 1)
    }

    @Test func statsQuantiles() {
        var s = LogStats()
        for i in 1...1000 { var e = LogEvent(); e.duration = Double(i) / 1000; e.status = 200; s.add(e) }
        let p50 = s.durationQuantile(0.5)!, p99 = s.durationQuantile(0.99)!
        #expect(p50 > 0.45 && p50 < 0.6)
        #expect(p99 > 0.95 && p99 <= 1.0)
        #expect(s.statusClasses["2xx"] == 1000)
    }
}
