@testable import BurnwatchCore
import XCTest

final class LatencyDetectorTests: XCTestCase {
    /// A request-duration histogram at `rate` requests/s whose requests all take `slow(t) ? 0.4 : 0.08` s.
    private func histogram(rate: Double = 10, to: Double = 4500, slow: @escaping (Double) -> Bool) -> SyntheticSeries {
        var s = SyntheticSeries()
        for le in ["0.05", "0.1", "0.25", "0.5", "1", "+Inf"] {
            let bound = Double(le) ?? .infinity
            s.counter(["__name__": "http_request_duration_seconds_bucket", "job": "api", "le": le], to: to) { t in
                (slow(t) ? 0.4 : 0.08) <= bound ? rate : 0
            }
        }
        s.counter(["__name__": "http_request_duration_seconds_count", "job": "api"], to: to) { _ in rate }
        return s
    }

    private func engine(wait: Double = 0) -> SignalEngine {
        SignalEngine(detectors: [LatencyDetector()], services: ["api"],
                     configs: [ServiceSignalConfig(service: "api", overrides: [.latency: SignalSettingsOverride(for: Interval(seconds: wait))])])
    }

    func testP99FarAboveThePreviousHourPages() throws {
        let s = histogram { $0 >= 4000 }
        var e = engine()
        let r = s.run(&e, from: 4500, to: 4500)[0]
        let signal = try XCTUnwrap(r.active.first)
        XCTAssertEqual(signal.severity, .page)
        let ratio = try XCTUnwrap(signal.evidence("ratio")?.value)
        XCTAssertGreaterThan(ratio, 3)
        XCTAssertTrue(signal.summary.hasPrefix("p99 "), signal.summary)
        XCTAssertTrue(signal.summary.contains("the previous hour"), signal.summary)
    }

    func testSteadyLatencyAndLowTrafficRaiseNothing() {
        var e = engine()
        XCTAssertTrue(histogram { _ in false }.run(&e, from: 4500, to: 4500)[0].active.isEmpty)
        var e2 = engine()
        let quiet = histogram(rate: 0.1) { $0 >= 4000 }.run(&e2, from: 4500, to: 4500)[0]
        XCTAssertTrue(quiet.active.isEmpty, "0.1 requests/s is below min_requests")
    }

    func testWithoutABaselineThereIsNoRatio() {
        // Only 20 minutes of data: the hour before the last 5 minutes is partly there; with data
        // starting at 1200 s and evaluated at 1300 s the baseline window holds only slow requests.
        var e = engine()
        let r = histogram(to: 1300) { _ in true }.run(&e, from: 1300, to: 1300)[0]
        XCTAssertTrue(r.active.isEmpty)
    }

    func testTheDefaultWaitIsTwoMinutes() {
        var e = SignalEngine(detectors: [LatencyDetector()], services: ["api"])
        let rounds = histogram { $0 >= 4000 }.run(&e, from: 4300, to: 4500, every: 30)
        let sev = SyntheticSeries.severities(rounds, .latency)
        XCTAssertNil(sev[0])
        XCTAssertNotNil(sev.last!, "\(sev)")
    }

    func testTheBaselineKeptAcrossRoundsEqualsOneComputedFresh() {
        // One engine keeps the baseline for each 5-minute bucket; a fresh engine per time computes it.
        // Rounds every 15 s across two bucket boundaries (4200 s and 4500 s) must agree exactly.
        let s = histogram(to: 4800) { $0 >= 3900 }
        var kept = engine()
        let rounds = s.run(&kept, from: 4140, to: 4800, every: 15)
        XCTAssertFalse(rounds.allSatisfy { $0.active.isEmpty }, "the scenario should fire somewhere")
        for (k, round) in rounds.enumerated() {
            let t = 4140 + Double(k) * 15
            var fresh = engine()
            let alone = s.run(&fresh, from: t, to: t)[0]
            XCTAssertEqual(round.active.map(\.evidence), alone.active.map(\.evidence), "at \(t) s")
            XCTAssertEqual(round.active.map(\.severity), alone.active.map(\.severity), "at \(t) s")
        }
    }
    func testTheBaselineEqualsTheEngineSubqueryInBothRangeModes() {
        // Three services slowing at different times; every 25 s, aligned instants (4300 s, 4600 s:
        // multiples of 5 minutes) included, where the left-open and left-closed ranges differ.
        var s = histogram(to: 4800) { $0 >= 3900 }
        for le in ["0.05", "0.1", "0.25", "0.5", "1", "+Inf"] {
            let bound = Double(le) ?? .infinity
            s.counter(["__name__": "http_request_duration_seconds_bucket", "job": "web", "le": le], to: 4800) { t in
                (t >= 3000 && t < 4000 ? 0.9 : 0.03) <= bound ? 4 : 0
            }
        }
        // Fast until 1550 s: at 4300 s the left-closed range holds 4 fast steps of 13 (its lower
        // quartile is fast), the left-open one 3 of 12 (between fast and slow).
        for le in ["0.05", "0.1", "0.25", "0.5", "1", "+Inf"] {
            let bound = Double(le) ?? .infinity
            s.counter(["__name__": "http_request_duration_seconds_bucket", "job": "batch", "le": le], to: 4800) { t in
                (t < 1550 ? 0.03 : 0.9) <= bound ? 4 : 0
            }
        }
        let family = "http_request_duration_seconds"
        for compat in [2, 3] {
            let engine = PromQLEngine(store: s.store, options: PromQLOptions(compat: compat))
            let memo = SignalQueryMemo()
            for t in stride(from: 4200.0, through: 4800, by: 25) {
                let kept = LatencyDetector.baselineByService(family, SignalContext(time: s.time(t), querier: engine, memo: memo))
                let subquery = SignalContext(time: s.time(t), querier: engine).maxByService(LatencyDetector.baseline(family))
                XCTAssertEqual(kept, subquery, "compat \(compat) at \(t) s")
                XCTAssertEqual(kept.count, 3, "compat \(compat) at \(t) s: \(kept)")
            }
        }
    }
}
