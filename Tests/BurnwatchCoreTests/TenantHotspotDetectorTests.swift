import BurnwatchCore
import XCTest

final class TenantHotspotDetectorTests: XCTestCase {
    private func tenants(_ rates: [String: Double], errors: [String: Double] = [:], before: [String: Double]? = nil) -> SyntheticSeries {
        var s = SyntheticSeries()
        for (t, r) in rates {
            s.counter(["__name__": "log_tenant_requests_total", "service": "api", "tenant": t], to: 7200) { x in x < 3600 ? (before?[t] ?? r) : r }
            s.counter(["__name__": "log_tenant_errors_total", "service": "api", "tenant": t], to: 7200) { _ in errors[t] ?? 0 }
        }
        return s
    }

    func testOneTenantWithMostRequestsIsInfo() {
        let o = tenants(["acme": 6, "b": 2, "c": 2]).observe(TenantHotspotDetector(), at: 7000)["api"]!
        XCTAssertEqual(o.severity, .info)
        XCTAssertEqual(o.summary, "tenant acme sends 60% of 10 requests/s")
        XCTAssertNil(tenants(["acme": 4.9, "b": 2.55, "c": 2.55]).observe(TenantHotspotDetector(), at: 7000)["api"]!.severity)
        XCTAssertNil(tenants(["acme": 6, "b": 4]).observe(TenantHotspotDetector(), at: 7000)["api"]!.severity, "two tenants are not a hotspot")
        XCTAssertNil(tenants(["acme": 0.3, "b": 0.05, "c": 0.05]).observe(TenantHotspotDetector(), at: 7000)["api"]!.severity, "too few requests")
    }

    func testOneTenantWithMostErrorsWarnsWhenErrorsMatter() {
        let o = tenants(["acme": 3, "b": 3, "c": 3], errors: ["b": 0.9, "c": 0.1]).observe(TenantHotspotDetector(), at: 7000)["api"]!
        XCTAssertEqual(o.severity, .warning)
        XCTAssertTrue(o.summary.hasPrefix("tenant b has 90% of the errors"), o.summary)
        // Error ratio 0.5% is below 1%: no warning.
        XCTAssertNil(tenants(["acme": 10, "b": 10], errors: ["b": 0.1]).observe(TenantHotspotDetector(), at: 7000)["api"]!.severity)
    }

    func testATenantFarAboveItsOwnPreviousHourWarnsAfterFiveMinutes() {
        let s = tenants(["acme": 20, "b": 20, "c": 20], before: ["acme": 1, "b": 20, "c": 20])
        XCTAssertEqual(s.observe(TenantHotspotDetector(), at: 3900)["api"]!.severity, .warning)
        XCTAssertNil(tenants(["acme": 9, "b": 20, "c": 20], before: ["acme": 1, "b": 20, "c": 20]).observe(TenantHotspotDetector(), at: 3900)["api"]!.severity)
        let sev = s.severities(TenantHotspotDetector(), from: 3600, to: 4200)
        XCTAssertNil(sev[10])
        XCTAssertEqual(sev.last!, .warning)
    }

    func testTenantLabelsOnRequestMetricsAndHealthyTraffic() {
        var s = SyntheticSeries()
        for (t, r) in ["x": 8.0, "y": 1, "z": 1] {
            s.counter(["__name__": "http_requests_total", "job": "web", "org_id": t, "code": "200"], to: 3600) { _ in r }
        }
        XCTAssertEqual(s.observe(TenantHotspotDetector(), at: 3000)["web"]!.severity, .info)
        XCTAssertTrue(tenants(["a": 3, "b": 3, "c": 3]).severities(TenantHotspotDetector(), from: 600, to: 7200).allSatisfy { $0 == nil })
    }
}
