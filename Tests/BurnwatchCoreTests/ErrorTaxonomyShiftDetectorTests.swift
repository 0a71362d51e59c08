import BurnwatchCore
import XCTest

final class ErrorTaxonomyShiftDetectorTests: XCTestCase {
    /// Log events per second by (status class, error kind), before and after `change` seconds.
    private func events(before: [(String, String, Double)], after: [(String, String, Double)], change: Double = 3600,
                        from: Double = 0) -> SyntheticSeries {
        var s = SyntheticSeries()
        var keys: [String: (Double, Double)] = [:]
        for (c, k, r) in before { keys["\(c)|\(k)", default: (0, 0)].0 = r }
        for (c, k, r) in after { keys["\(c)|\(k)", default: (0, 0)].1 = r }
        for (key, rates) in keys {
            let parts = key.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            s.counter(["__name__": "log_events_total", "service": "api", "level": "info", "route": "/", "status_class": parts[0],
                       "error_kind": parts[1]], from: from, to: 7200) { $0 < change ? rates.0 : rates.1 }
        }
        return s
    }

    let steady: [(String, String, Double)] = [("2xx", "", 10), ("4xx", "", 1), ("5xx", "", 1)]

    func testANewErrorKindWarns() {
        let s = events(before: steady, after: steady + [("5xx", "timeout", 0.5)])
        let o = s.observe(ErrorTaxonomyShiftDetector(), at: 3900)["api"]!
        XCTAssertEqual(o.severity, .warning)
        XCTAssertTrue(o.summary.contains("new error kind timeout"), o.summary)
    }

    func testAShareMovingMoreThanTwentyPointsWarnsAndLessDoesNot() {
        // 4xx share 50% → 25% (25 points).
        let moved = events(before: steady, after: [("2xx", "", 10), ("4xx", "", 1), ("5xx", "", 3)])
        XCTAssertEqual(moved.observe(ErrorTaxonomyShiftDetector(), at: 3900)["api"]!.severity, .warning)
        // 50% → 40% (10 points).
        let small = events(before: steady, after: [("2xx", "", 10), ("4xx", "", 1), ("5xx", "", 1.5)])
        let o = small.observe(ErrorTaxonomyShiftDetector(), at: 3900)["api"]!
        XCTAssertNil(o.severity)
        XCTAssertEqual(o.evidence.first { $0.name == "logs_largest_share_move" }?.value ?? 0, 0.1, accuracy: 0.01)
    }

    func testEverythingIsA500WarnsEvenWithoutAPreviousHour() {
        let s = events(before: [("2xx", "", 10), ("5xx", "", 1)], after: [("2xx", "", 10), ("5xx", "", 1)], from: 3150)
        let o = s.observe(ErrorTaxonomyShiftDetector(), at: 3400)["api"]!
        XCTAssertEqual(o.severity, .warning)
        XCTAssertTrue(o.summary.contains("every error is a 5xx: no 4xx taxonomy"), o.summary)
        XCTAssertNil(o.evidence.first { $0.name == "logs_new_categories" }?.value, "no previous hour, no shift judged")
    }

    func testNoBaselineMeansNoShiftAndFewErrorsAreNotJudged() {
        let fresh = events(before: steady, after: steady, from: 3500)
        XCTAssertNil(fresh.observe(ErrorTaxonomyShiftDetector(), at: 3700)["api"]!.severity)
        let few = events(before: [("2xx", "", 10)], after: [("2xx", "", 10), ("5xx", "", 0.01)])
        XCTAssertNil(few.observe(ErrorTaxonomyShiftDetector(), at: 3900)["api"]!.severity)
    }

    func testStatusCodeMetricsWaitFiveMinutesAndHealthyIsQuiet() {
        var s = SyntheticSeries()
        s.counter(["__name__": "http_requests_total", "job": "web", "code": "200"], to: 7200) { _ in 10 }
        s.counter(["__name__": "http_requests_total", "job": "web", "code": "404"], to: 7200) { _ in 1 }
        s.counter(["__name__": "http_requests_total", "job": "web", "code": "500"], to: 7200) { $0 < 3600 ? 0.2 : 3 }
        let sev = s.severities(ErrorTaxonomyShiftDetector(), from: 3600, to: 4200)
        XCTAssertNil(sev[4])
        XCTAssertEqual(sev.last!, .warning)
        XCTAssertTrue(events(before: steady, after: steady).severities(ErrorTaxonomyShiftDetector(), from: 600, to: 7200).allSatisfy { $0 == nil })
    }
}
