import Testing
import BurnwatchCore
@testable import BurnwatchRuntime

@Suite struct LogSourcePipelineTests {
    struct Sink: SampleSink {
        var last: [Labels: Double] = [:]
        mutating func append(_ labels: Labels, _ time: Timestamp, _ value: Double) { last[labels] = value }
    }

    func line(_ source: String, _ second: Int, _ msg: String, service: String = "api") -> LogSourceItem {
        .line(source: source, bytes: Array(#"{"time":"2026-11-24T21:11:\#(String(format: "%02d", second))Z","level":"INFO","msg":"\#(msg)","service":"\#(service)"}"#.utf8), truncated: false)
    }

    @Test func sourcesAreMergedByTimePerServiceAndCounted() {
        var p = LogSourcePipeline(window: Interval(milliseconds: 100))
        var sink = Sink()
        let t0 = Timestamp(milliseconds: 1_000_000)
        // Source a is read first with its later lines; b's earlier lines arrive 50 ms later.
        _ = p.ingest([line("a", 2, "a2"), line("a", 4, "a4")], arrival: t0, into: &sink)
        let messages = p.ingest([line("b", 1, "b1"), line("b", 3, "b3"), .error(source: "b", message: "oops")], arrival: t0 + Interval(milliseconds: 50), into: &sink)
        #expect(messages == [.error(source: "b", message: "oops")])
        // Detection is still waiting for more lines: nothing yet.
        #expect(p.drain(now: t0 + Interval(milliseconds: 500), into: &sink).isEmpty)
        let out = p.drain(now: t0 + Interval(milliseconds: 1200), into: &sink)
        #expect(out.map { $0.event.message } == ["b1", "a2", "b3", "a4"])
        #expect(p.decoder("a")?.preset == .slog)
        _ = p.finish(into: &sink)
        #expect(sink.last[Labels(["__name__": "log_lines_total", "source": "a"])] == 2)
        #expect(sink.last[Labels(["__name__": "log_events_total", "service": "api", "level": "info"])] == 4)
    }
}
