import BurnwatchCore
import XCTest

final class DependencyFailureDetectorTests: XCTestCase {
    private func calls(ok: Double, timeout: Double, error: Double = 0, from: Double = 0) -> SyntheticSeries {
        var s = SyntheticSeries()
        let l = ["__name__": "log_dependency_calls_total", "service": "api", "dependency": "payments"]
        s.counter(l.merging(["outcome": "ok"]) { $1 }, to: 7200) { _ in ok }
        s.counter(l.merging(["outcome": "timeout"]) { $1 }, to: 7200) { $0 >= from ? timeout : 0 }
        s.counter(l.merging(["outcome": "error"]) { $1 }, to: 7200) { $0 >= from ? error : 0 }
        return s
    }

    func testTheWorstDependencyFailingPagesAndIsNamedInTheSummary() {
        var s = calls(ok: 62.4, timeout: 36, error: 21.6)
        s.counter(["__name__": "log_dependency_calls_total", "service": "api", "dependency": "cache", "outcome": "ok"], to: 7200) { _ in 10 }
        let o = s.observe(DependencyFailureDetector(), at: 3600)["api"]!
        XCTAssertEqual(o.severity, .page)
        XCTAssertEqual(o.summary, "payments fails 48% of 120 calls/s (timeouts 30%)")
        XCTAssertEqual(o.evidence.first { $0.name == "payments_error_ratio" }?.value ?? 0, 0.48, accuracy: 1e-9)
        XCTAssertEqual(o.evidence.first { $0.name == "cache_error_ratio" }?.value, 0)
    }

    func testBoundariesAroundWarnAndPage() {
        XCTAssertNil(calls(ok: 95.1, timeout: 4.9).observe(DependencyFailureDetector(), at: 3600)["api"]!.severity)
        XCTAssertEqual(calls(ok: 94.9, timeout: 5.1).observe(DependencyFailureDetector(), at: 3600)["api"]!.severity, .warning)
        XCTAssertEqual(calls(ok: 75.1, timeout: 24.9).observe(DependencyFailureDetector(), at: 3600)["api"]!.severity, .warning)
        XCTAssertEqual(calls(ok: 74.9, timeout: 25.1).observe(DependencyFailureDetector(), at: 3600)["api"]!.severity, .page)
    }

    func testFewCallsAreNotJudged() {
        let o = calls(ok: 0.01, timeout: 0.05).observe(DependencyFailureDetector(), at: 3600)["api"]!
        XCTAssertNil(o.severity)
        XCTAssertNotNil(o.evidence.first { $0.name == "payments_error_ratio" }?.value)
    }

    func testWaitsFiveMinutesBeforeFiring() {
        let s = calls(ok: 50, timeout: 50, from: 3600)
        let sev = s.severities(DependencyFailureDetector(), from: 3540, to: 4200)
        // The ratio crosses 25% within the first minute; the signal needs 5 more minutes.
        XCTAssertTrue(sev.prefix(20).allSatisfy { $0 == nil })
        XCTAssertEqual(sev.last!, .page)
    }

    func testHealthyAndClientCodeMetricsAndHAProxyBackends() {
        var s = calls(ok: 100, timeout: 0)
        s.counter(["__name__": "http_client_requests_total", "job": "web", "peer": "search", "code": "200"], to: 7200) { _ in 10 }
        s.counter(["__name__": "http_client_requests_total", "job": "web", "peer": "search", "code": "503"], to: 7200) { _ in 10 }
        s.counter(["__name__": "haproxy_backend_http_responses_total", "job": "lb", "proxy": "be_orders", "code": "2xx"], to: 7200) { _ in 10 }
        s.counter(["__name__": "haproxy_backend_http_responses_total", "job": "lb", "proxy": "be_orders", "code": "5xx"], to: 7200) { _ in 1 }
        s.gauge(["__name__": "haproxy_backend_status", "job": "lb", "proxy": "be_users", "state": "DOWN"], to: 7200) { _ in 1 }
        s.gauge(["__name__": "haproxy_backend_status", "job": "lb", "proxy": "be_users", "state": "UP"], to: 7200) { _ in 0 }
        let o = s.observe(DependencyFailureDetector(), at: 3600)
        XCTAssertNil(o["api"]!.severity)
        XCTAssertEqual(o["web"]!.severity, .page)
        XCTAssertTrue(o["web"]!.summary.hasPrefix("search fails 50%"), o["web"]!.summary)
        XCTAssertEqual(o["lb"]!.severity, .warning)
        XCTAssertEqual(o["lb"]!.evidence.first { $0.name == "be_users_down" }?.value, 1)
        XCTAssertEqual(o["lb"]!.evidence.first { $0.name == "be_orders_error_ratio" }?.value ?? 0, 1.0 / 11, accuracy: 1e-9)
        XCTAssertTrue(calls(ok: 100, timeout: 0).severities(DependencyFailureDetector(), from: 600, to: 7200).allSatisfy { $0 == nil })
    }
}
