import BurnwatchCore
import XCTest

final class MissingCorrelationDetectorTests: XCTestCase {
    private func lines(_ uncorrelated: Double, from: Double = 0) -> SyntheticSeries {
        var s = SyntheticSeries()
        s.counter(["__name__": "log_request_lines_total", "service": "api"], to: 3600) { _ in 10 }
        s.counter(["__name__": "log_requests_uncorrelated_total", "service": "api"], to: 3600) { $0 >= from ? uncorrelated : 0 }
        return s
    }

    func testReportsTheShareAsInfo() {
        let o = lines(3.8).observe(MissingCorrelationDetector(), at: 1800)["api"]!
        XCTAssertEqual(o.severity, .info)
        XCTAssertEqual(o.summary, "38% of request log lines carry neither request_id nor trace_id")
    }

    func testBoundaryAndHealthy() {
        XCTAssertNil(lines(0.09).observe(MissingCorrelationDetector(), at: 1800)["api"]!.severity)
        XCTAssertEqual(lines(0.11).observe(MissingCorrelationDetector(), at: 1800)["api"]!.severity, .info)
        let healthy = lines(0).observe(MissingCorrelationDetector(), at: 1800)["api"]!
        XCTAssertNil(healthy.severity)
        XCTAssertEqual(healthy.evidence.first?.value, 0)
        XCTAssertTrue(SyntheticSeries().observe(MissingCorrelationDetector(), at: 1800).isEmpty, "no lines, no observation")
    }

    func testWaitsFiveMinutes() {
        let sev = lines(5, from: 1800).severities(MissingCorrelationDetector(), from: 1785, to: 2400)
        XCTAssertTrue(sev.prefix(20).allSatisfy { $0 == nil })
        XCTAssertEqual(sev.last!, .info)
    }
}
