import BurnwatchCore
import XCTest

final class DuplicateSideEffectDetectorTests: XCTestCase {
    /// `count` duplicates written in the 15 s after `at`.
    private func duplicates(_ count: Double, at: Double = 1800) -> SyntheticSeries {
        var s = SyntheticSeries()
        s.counter(["__name__": "log_successful_writes_total", "service": "api"], to: 3600) { _ in 5 }
        s.counter(["__name__": "log_duplicate_side_effects_total", "service": "api"], to: 3600) { $0 == at ? count / 15 : 0 }
        return s
    }

    func testOneDuplicateWarnsTenPage() {
        XCTAssertEqual(duplicates(1).observe(DuplicateSideEffectDetector(), at: 1900)["api"]!.severity, .warning)
        XCTAssertEqual(duplicates(9).observe(DuplicateSideEffectDetector(), at: 1900)["api"]!.severity, .warning)
        let o = duplicates(10).observe(DuplicateSideEffectDetector(), at: 1900)["api"]!
        XCTAssertEqual(o.severity, .page)
        XCTAssertTrue(o.summary.hasPrefix("10 successful writes repeated an idempotency key in 10m"), o.summary)
    }

    func testFiresAtOnceAndClearsAfterTheWindow() {
        let sev = duplicates(2).severities(DuplicateSideEffectDetector(), from: 1785, to: 2700)
        XCTAssertNil(sev[0])
        XCTAssertEqual(sev[2], .warning, "no `for` wait")
        XCTAssertNil(sev.last!, "10 minutes later it has left the window")
    }

    func testHealthyWritesRaiseNothing() {
        let o = duplicates(0).observe(DuplicateSideEffectDetector(), at: 1900)["api"]!
        XCTAssertNil(o.severity)
        XCTAssertEqual(o.evidence.first { $0.name == "duplicate_writes" }?.value, 0)
    }
}
