import BurnwatchCore
import BurnwatchRuntime
import BurnwatchTestSupport
import Foundation
import XCTest

/// The signal series from the HAProxy fixture, read through the real parser and loader.
final class LogSignalSeriesFixtureTests: XCTestCase {
    private struct Sink: SampleSink {
        var last: [Labels: Double] = [:]
        mutating func append(_ labels: Labels, _ time: Timestamp, _ value: Double) { last[labels] = value }
        func value(_ pairs: [String: String]) -> Double? { last[Labels(pairs)] }
    }

    func testHAProxyRetriesBecomeRetrySeries() throws {
        var path = TestPaths.sharedFixtures.appendingPathComponent("logs/haproxy.jsonl").path
        if !FileManager.default.fileExists(atPath: path) { path = "/work/shared/fixtures/logs/haproxy.jsonl" }
        try XCTSkipUnless(FileManager.default.fileExists(atPath: path), "the shared fixtures are not present")
        var sink = Sink()
        let report = try LogSourceSeriesLoader.load(path, into: &sink)
        XCTAssertEqual(report.lines, 362)
        // HAProxy writes `"retries":"+1"`: 301 lines are retries; 60 of them ended 503 with `SC--`.
        XCTAssertEqual(sink.value(["__name__": "log_request_lines_total", "service": "fe"]), 362)
        XCTAssertEqual(sink.value(["__name__": "log_retry_outcomes_total", "service": "fe", "outcome": "success"]), 241)
        XCTAssertEqual(sink.value(["__name__": "log_retry_outcomes_total", "service": "fe", "outcome": "failure"]), 60)
        // 240 request ids plus two lines whose `request_id` is `-` (keyed by their distinct `unique_id`);
        // the 60 /hello ids come back three times.
        XCTAssertEqual(sink.value(["__name__": "log_unique_requests_total", "service": "fe"]), 242)
        XCTAssertEqual(sink.value(["__name__": "log_repeat_attempts_total", "service": "fe"]), 120)
        XCTAssertEqual(sink.value(["__name__": "log_requests_uncorrelated_total", "service": "fe"]), 0)
        XCTAssertEqual(sink.value(["__name__": "log_retry_delay_seconds_count", "service": "fe", "attempt": "2"]), 60)
        XCTAssertEqual(sink.value(["__name__": "log_retry_delay_seconds_count", "service": "fe", "attempt": "3"]), 60)
        // One layer (HAProxy itself) retried them: no multi-layer retries.
        XCTAssertEqual(sink.value(["__name__": "log_multi_layer_retries_total", "service": "fe"]), 0)
        XCTAssertEqual(sink.value(["__name__": "log_dependency_calls_total", "service": "fe", "dependency": "be", "outcome": "error"]), 60)
        XCTAssertEqual(sink.value(["__name__": "log_dependency_calls_total", "service": "fe", "dependency": "be", "outcome": "ok"]), 302)
    }
}
