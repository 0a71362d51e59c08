import BurnwatchCore
import XCTest

final class DeployRegressionDetectorTests: XCTestCase {
    /// A service on 1.4.2 until `deploy`, then 1.4.3, whose latency is `after` seconds after it (0.1 s before).
    private func deployed(at deploy: Double? = 3600, after: Double, restartOnly: Bool = false) -> SyntheticSeries {
        var s = SyntheticSeries(start: 1_700_006_400) // 00:00 UTC
        let version = ["__name__": "app_build_info", "job": "api"]
        if let deploy, !restartOnly {
            s.gauge(version.merging(["version": "1.4.2"]) { $1 }, to: deploy - 15) { _ in 1 }
            s.gauge(version.merging(["version": "1.4.3"]) { $1 }, from: deploy, to: 7200) { _ in 1 }
        } else {
            s.gauge(version.merging(["version": "1.4.2"]) { $1 }, to: 7200) { _ in 1 }
        }
        if let deploy {
            s.gauge(["__name__": "process_start_time_seconds", "job": "api"], to: 7200) { $0 < deploy ? 1_700_006_400 : 1_700_006_400 + deploy }
        }
        for le in ["0.05", "0.25", "1", "2.5", "+Inf"] {
            s.counter(["__name__": "http_request_duration_seconds_bucket", "job": "api", "le": le], to: 7200) { t in
                let d = deploy.map { t >= $0 } ?? false ? after : 0.1
                return Double(le).map { $0 >= d ? 10 : 0 } ?? 10
            }
        }
        return s
    }

    func testASlowerP99AfterAVersionChangeWarns() {
        let o = deployed(after: 2).observe(DeployRegressionDetector(), at: 4200)["api"]!
        XCTAssertEqual(o.severity, .warning)
        XCTAssertTrue(o.summary.hasPrefix("version 1.4.2 → 1.4.3 at 01:00; p99 "), o.summary)
        XCTAssertGreaterThan(o.evidence.first { $0.name == "p99_factor" }?.value ?? 0, 1.5)
    }

    func testTheSameLatencyAfterADeployDoesNotWarn() {
        let o = deployed(after: 0.1).observe(DeployRegressionDetector(), at: 4200)["api"]!
        XCTAssertNil(o.severity)
        XCTAssertEqual(o.evidence.first { $0.name == "p99_factor" }?.value ?? 0, 1, accuracy: 0.01)
    }

    func testOnlyWithinTheWindowAfterTheChange() {
        XCTAssertNil(deployed(after: 2).observe(DeployRegressionDetector(), at: 3600 + 31 * 60)["api"])
        XCTAssertNotNil(deployed(after: 2).observe(DeployRegressionDetector(), at: 3600 + 29 * 60)["api"])
    }

    func testRestartsWithoutAVersionChangeAndSteadyServicesRaiseNothing() {
        XCTAssertTrue(deployed(after: 2, restartOnly: true).observe(DeployRegressionDetector(), at: 4200).isEmpty)
        XCTAssertTrue(deployed(at: nil, after: 2).severities(DeployRegressionDetector(), from: 600, to: 7200).allSatisfy { $0 == nil })
    }

    func testFiresInTheRoundItHoldsAndLogVersionChangesCount() {
        let sev = deployed(after: 2).severities(DeployRegressionDetector(), from: 3540, to: 3900)
        XCTAssertNil(sev[0])
        XCTAssertEqual(sev.last!, .warning)
        var s = SyntheticSeries()
        s.counter(["__name__": "log_version_changes_total", "service": "api"], to: 7200) { $0 == 3600 ? 1.0 / 15 : 0 }
        XCTAssertEqual(s.observe(DeployRegressionDetector(), at: 4000)["api"]?.summary, "version changed")
    }
}
