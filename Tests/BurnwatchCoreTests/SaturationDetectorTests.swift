import BurnwatchCore
import XCTest

final class SaturationDetectorTests: XCTestCase {
    private func engine(_ resources: [ResourceConfig] = [], wait: Double? = nil) -> SignalEngine {
        var overrides: [SignalKind: SignalSettingsOverride] = [:]
        if let wait { overrides[.saturation] = SignalSettingsOverride(for: Interval(seconds: wait)) }
        return SignalEngine(detectors: [SaturationDetector()], services: ["api"],
                            configs: [ServiceSignalConfig(service: "api", resources: resources, overrides: overrides)])
    }

    private func pool(busy: @escaping (Double) -> Double, to: Double = 900) -> SyntheticSeries {
        var s = SyntheticSeries()
        s.gauge(["__name__": "app_worker_pool_workers", "job": "api", "instance": "a"], to: to) { _ in 10 }
        s.gauge(["__name__": "app_worker_pool_busy_workers", "job": "api", "instance": "a"], to: to) { busy($0) }
        return s
    }

    func testConfiguredUtilizationBoundariesWarnAt80AndPageAt90() {
        let workers = ResourceConfig(name: "workers", used: "sum(app_worker_pool_busy_workers)", limit: "sum(app_worker_pool_workers)")
        for (busy, expected) in [(7.9, nil), (8.0, Severity.warning), (8.9, .warning), (9.0, .page)] as [(Double, Severity?)] {
            var e = engine([workers], wait: 0)
            let rounds = pool(busy: { _ in busy }).run(&e, from: 600, to: 600)
            XCTAssertEqual(SyntheticSeries.severities(rounds, .saturation).last!, expected, "busy \(busy) of 10")
            if expected != nil {
                XCTAssertEqual(rounds.last!.active[0].evidence("workers_utilization")?.value ?? 0, busy / 10, accuracy: 1e-9)
                XCTAssertTrue(rounds.last!.active[0].summary.contains("workers at"), rounds.last!.active[0].summary)
            }
        }
    }

    func testBuiltInWorkerPoolNeedsNoConfigAndHoldsForItsWait() {
        // Saturated from 300 s: with the 1m default wait it fires at 360 s, not before.
        var e = engine()
        let rounds = pool(busy: { $0 >= 300 ? 10 : 3 }).run(&e, from: 240, to: 420)
        let sev = SyntheticSeries.severities(rounds, .saturation)
        XCTAssertEqual(sev, [nil, nil, nil, nil, nil, nil, nil, nil, .page, .page, .page, .page, .page], "saturated at 300 s (round 4), fired at 360 s (round 8)")
        XCTAssertNotNil(rounds.last!.active[0].evidence("worker_pool_utilization"))
    }

    func testAQueueGrowingForFiveMinutesWarnsAndAFullOnePages() {
        let queue = ResourceConfig(name: "work-queue", queue: "sum(app_queue_depth)", capacity: "sum(app_queue_capacity)")
        var s = SyntheticSeries()
        s.gauge(["__name__": "app_queue_capacity", "job": "api"], to: 1200) { _ in 100 }
        // Grows from 300 s by 1 item every 15 s; full (100) only after 1800 s.
        s.gauge(["__name__": "app_queue_depth", "job": "api"], to: 1200) { t in t < 300 ? 0 : (t - 285) / 15 }
        var e = engine([queue], wait: 0)
        let rounds = s.run(&e, from: 540, to: 660, every: 60)
        // At 540 s the queue has held items only since 300 s (4 min): not yet; at 600 s: 5 min.
        XCTAssertEqual(SyntheticSeries.severities(rounds, .saturation), [nil, .warning, .warning])
        XCTAssertTrue(rounds[1].active[0].summary.contains("work-queue holds"), rounds[1].active[0].summary)

        var full = SyntheticSeries()
        full.gauge(["__name__": "app_queue_capacity", "job": "api"], to: 600) { _ in 100 }
        full.gauge(["__name__": "app_queue_depth", "job": "api"], to: 600) { _ in 100 }
        var e2 = engine([queue], wait: 0)
        XCTAssertEqual(SyntheticSeries.severities(full.run(&e2, from: 600, to: 600), .saturation), [.page])
    }

    func testHealthyProcessAndGoRuntimeRaiseNothingAndBusyOnesDo() {
        var s = SyntheticSeries()
        s.gauge(["__name__": "process_open_fds", "job": "api", "instance": "a"], to: 600) { _ in 40 }
        s.gauge(["__name__": "process_max_fds", "job": "api", "instance": "a"], to: 600) { _ in 1024 }
        s.gauge(["__name__": "go_goroutines", "job": "api", "instance": "a"], to: 600) { _ in 120 }
        var e = engine(wait: 0)
        let quiet = s.run(&e, from: 600, to: 600)
        XCTAssertTrue(quiet[0].active.isEmpty)

        var busy = SyntheticSeries()
        busy.gauge(["__name__": "process_open_fds", "job": "api", "instance": "a"], to: 600) { _ in 1000 }
        busy.gauge(["__name__": "process_max_fds", "job": "api", "instance": "a"], to: 600) { _ in 1024 }
        busy.gauge(["__name__": "go_goroutines", "job": "api", "instance": "a"], to: 600) { t in 100 + t * 20 }
        var e2 = engine(wait: 0)
        let r = busy.run(&e2, from: 600, to: 600)[0]
        XCTAssertEqual(r.active.first?.severity, .page, "fds at 98%")
        XCTAssertNotNil(r.active.first?.evidence("goroutines_growth_per_second")?.value)
        XCTAssertTrue(r.active.first!.summary.contains("fds at"), r.active.first!.summary)
    }

    func testHostResourcesWarnAtMost() {
        var s = SyntheticSeries()
        s.gauge(["__name__": "node_memory_MemAvailable_bytes", "job": "api", "instance": "a"], to: 600) { _ in 2 }
        s.gauge(["__name__": "node_memory_MemTotal_bytes", "job": "api", "instance": "a"], to: 600) { _ in 100 }
        var e = engine(wait: 0)
        XCTAssertEqual(SyntheticSeries.severities(s.run(&e, from: 600, to: 600), .saturation), [.warning])
    }

    func testAConfigQueryWithNoDataIsNoDataNotZero() {
        let missing = ResourceConfig(name: "ghost", used: "sum(nothing_here)", limit: "sum(nor_here)")
        var s = pool(busy: { _ in 2 })
        var e = engine([missing], wait: 0)
        let r = s.run(&e, from: 600, to: 600)
        XCTAssertTrue(r[0].active.isEmpty)
        s = SyntheticSeries()
        _ = s
    }
    func testRisingP99IsReadForSaturatedServicesOnlyAndNamesThem() {
        // Three services whose p99 rises tenfold at 1000 s: "a.b" saturated (by its job label),
        // "axb" (which an unescaped "a.b" would match) and "c" (by its service label) not.
        var s = SyntheticSeries()
        for (labels, saturated) in [(["job": "a.b"], true), (["job": "axb"], false), (["job": "x", "service": "c"], false)] {
            s.gauge(["__name__": "app_worker_pool_workers", "instance": "i"].merging(labels) { $1 }, to: 1300) { _ in 10 }
            s.gauge(["__name__": "app_worker_pool_busy_workers", "instance": "i"].merging(labels) { $1 }, to: 1300) { _ in saturated ? 10 : 2 }
            // 10 requests/s; before 1000 s all under 0.1 s, after it all between 0.5 and 1 s.
            for (le, fast, slow) in [("0.1", 10.0, 0.0), ("1", 10.0, 10.0), ("+Inf", 10.0, 10.0)] {
                s.counter(["__name__": "http_request_duration_seconds_bucket", "le": le].merging(labels) { $1 }, to: 1300) { $0 < 1000 ? fast : slow }
            }
        }
        var e = SignalEngine(detectors: [SaturationDetector()], services: [], configs: [])
        let last = s.run(&e, from: 1140, to: 1260).last!
        let saturated = last.active.filter { $0.kind == .saturation }
        XCTAssertEqual(saturated.map(\.service), ["a.b"])
        guard saturated.count == 1 else { return }
        XCTAssertTrue(saturated[0].summary.contains("p99 rising with it"), saturated[0].summary)
        XCTAssertEqual(saturated[0].evidence("p99_seconds")?.value ?? 0, 0.99, accuracy: 0.01)
        XCTAssertTrue(saturated[0].evidence("p99_seconds")?.source.contains(#"service=~"a\\.b""#) ?? false,
                      saturated[0].evidence("p99_seconds")?.source ?? "no evidence")
    }
}
