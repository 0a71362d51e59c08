import BurnwatchCore
import XCTest

final class RetryStormDetectorTests: XCTestCase {
    private let detector = RetryStormDetector()

    /// Observations of the detector alone at `at` seconds after the series' start.
    private func observe(_ s: SyntheticSeries, at: Double, services: [String] = ["api"],
                         configs: [ServiceSignalConfig] = []) -> (observations: [SignalObservation], context: SignalContext) {
        let context = SignalContext(time: s.time(at), querier: PromQLEngine(store: s.store), services: services, configs: configs)
        return (detector.observe(context), context)
    }

    private func one(_ s: SyntheticSeries, at: Double = 600, services: [String] = ["api"],
                     configs: [ServiceSignalConfig] = [], file: StaticString = #filePath, line: UInt = #line) -> SignalObservation? {
        let o = observe(s, at: at, services: services, configs: configs).observations
        XCTAssertLessThanOrEqual(o.count, 1, "one observation per service", file: file, line: line)
        return o.first
    }

    private func value(_ o: SignalObservation?, _ name: String) -> Double?? { o?.evidence.first { $0.name == name }.map(\.value) }

    private static let clientConfig = ServiceSignalConfig(service: "api", retries: [
        RetrySourceConfig(name: "client", retries: "sum(app_retry_rate)", requests: "sum(app_request_rate)")])

    /// Config gauges giving `retries` and `requests` per second from `from` to `to`.
    private func clientGauges(_ s: inout SyntheticSeries, retries: @escaping (Double) -> Double, requests: Double = 10, to: Double = 600) {
        s.gauge(["__name__": "app_retry_rate", "job": "api"], to: to) { retries($0) }
        s.gauge(["__name__": "app_request_rate", "job": "api"], to: to) { _ in requests }
    }

    // MARK: config sources

    func testConfigRetriesWarnAtTenPercentAndPageAtTwentyWithTheirBoundaries() {
        for (retries, expected) in [(0.99, nil), (1.0, Severity.warning), (1.99, .warning), (2.0, .page), (5.0, .page)] as [(Double, Severity?)] {
            var s = SyntheticSeries()
            clientGauges(&s, retries: { _ in retries })
            let o = one(s, configs: [Self.clientConfig])
            XCTAssertEqual(o?.severity, expected, "retries \(retries)/s of 10 requests/s")
            XCTAssertEqual(value(o, "client_retry_ratio"), retries / 10)
            XCTAssertEqual(value(o, "retry_ratio"), retries / 10)
        }
    }

    func testConfigAttemptsGiveAmplificationAndRetryRatio() {
        var s = SyntheticSeries()
        s.gauge(["__name__": "app_attempt_rate", "job": "api"], to: 600) { _ in 13 }
        s.gauge(["__name__": "app_request_rate", "job": "api"], to: 600) { _ in 10 }
        let config = ServiceSignalConfig(service: "api", retries: [
            RetrySourceConfig(name: "client", attempts: "sum(app_attempt_rate)", requests: "sum(app_request_rate)")])
        let o = one(s, configs: [config])
        XCTAssertEqual(o?.severity, .page)
        XCTAssertEqual(o?.summary, "retries are 30% of requests (client: 30%), amplification 1.3x")
        XCTAssertEqual(value(o, "amplification")!!, 1.3, accuracy: 1e-9)
    }

    func testAmplificationAboveTwoPagesEvenWhenTheRatioThresholdsAreRaised() {
        var s = SyntheticSeries()
        clientGauges(&s, retries: { _ in 12 })
        var config = Self.clientConfig
        config.overrides[.retryStorm] = SignalSettingsOverride(warn: 5, page: 10)
        XCTAssertEqual(one(s, configs: [config])?.severity, .page, "amplification 2.2x")
        config.overrides[.retryStorm] = SignalSettingsOverride(warn: 5, page: 10, parameters: ["amplification_page": 3])
        XCTAssertEqual(one(s, configs: [config])?.severity, .warning)
    }

    func testAConfigQueryWithoutDataIsInfoOnlyWhenNothingElseHasData() {
        let config = ServiceSignalConfig(service: "api", retries: [
            RetrySourceConfig(name: "client", retries: "sum(rate(missing_retries_total[1m]))", requests: "sum(rate(missing_requests_total[1m]))")])
        let empty = one(SyntheticSeries(), configs: [config])
        XCTAssertEqual(empty?.severity, .info)
        XCTAssertEqual(empty?.summary, "no data for client retries: sum(rate(missing_retries_total[1m]))")
        XCTAssertEqual(value(empty, "client_retry_ratio"), .some(nil), "no data is nil, never 0")

        var s = SyntheticSeries()
        s.counter(["__name__": "haproxy_backend_retry_warnings_total", "job": "haproxy", "proxy": "be"], to: 600) { _ in 0.1 }
        s.counter(["__name__": "haproxy_backend_http_requests_total", "job": "haproxy", "proxy": "be"], to: 600) { _ in 10 }
        let other = one(s, configs: [config])
        XCTAssertNil(other?.severity, "HAProxy has numbers, so the empty config entry is no news")
        XCTAssertEqual(value(other, "client_retry_ratio"), .some(nil))
    }

    func testAQueryErrorIsNoDataNotACrash() {
        struct Failing: PromQLQuerier {
            func instantQuery(_ expression: String, at time: Timestamp) throws -> QueryValue { throw BurnwatchError(.query, "down") }
            func rangeQuery(_ expression: String, start: Timestamp, end: Timestamp, step: Interval) throws -> QueryValue { throw BurnwatchError(.query, "down") }
        }
        let bad = ServiceSignalConfig(service: "api", retries: [RetrySourceConfig(name: "client", retries: "sum(", requests: "rate(x[1m]")])
        let context = SignalContext(time: Timestamp(seconds: 1_700_000_000), querier: Failing(), services: ["api"], configs: [bad])
        let o = detector.observe(context)
        XCTAssertEqual(o.map(\.severity), [.info])
        XCTAssertFalse(context.problems.isEmpty)
        var s = SyntheticSeries()
        clientGauges(&s, retries: { _ in 1 })
        let parsed = observe(s, at: 600, configs: [bad])
        XCTAssertEqual(parsed.observations.map(\.severity), [.info])
        XCTAssertNotNil(parsed.context.problems["sum("])
    }

    // MARK: built-in exporters

    func testHAProxyRetriesAgainstBackendRequests() {
        var s = SyntheticSeries()
        for server in ["backend-1", "backend-2"] {
            s.counter(["__name__": "haproxy_server_retry_warnings_total", "job": "haproxy", "proxy": "be_orders", "server": server], to: 600) { _ in 1.5 }
        }
        s.counter(["__name__": "haproxy_backend_retry_warnings_total", "job": "haproxy", "proxy": "be_orders"], to: 600) { _ in 3 }
        s.counter(["__name__": "haproxy_backend_redispatch_warnings_total", "job": "haproxy", "proxy": "be_orders"], to: 600) { _ in 3 }
        s.counter(["__name__": "haproxy_backend_http_requests_total", "job": "haproxy", "proxy": "be_orders"], to: 600) { _ in 10 }
        let o = one(s, services: [])
        XCTAssertEqual(o?.service, "haproxy")
        XCTAssertEqual(o?.severity, .page)
        XCTAssertEqual(value(o, "haproxy_retry_ratio")!!, 0.3, accuracy: 1e-6, "retries and redispatches are the same retries, not added")
        XCTAssertTrue(o?.summary.hasPrefix("retries are 30% of requests (haproxy: 30%)") == true, o?.summary ?? "")
    }

    func testHAProxyServerCountersAndSessionsWhenBackendCountersAreMissing() {
        var s = SyntheticSeries()
        s.counter(["__name__": "haproxy_server_retry_warnings_total", "job": "lb", "proxy": "be", "server": "a"], to: 600) { _ in 0.6 }
        s.counter(["__name__": "haproxy_server_retry_warnings_total", "job": "lb", "proxy": "be", "server": "b"], to: 600) { _ in 0.6 }
        s.counter(["__name__": "haproxy_backend_sessions_total", "job": "lb", "proxy": "be"], to: 600) { _ in 10 }
        let o = one(s)
        XCTAssertEqual(o?.service, "api", "the only configured service")
        XCTAssertEqual(o?.severity, .warning)
        XCTAssertEqual(value(o, "haproxy_retry_ratio")!!, 0.12, accuracy: 1e-6)
    }

    func testRetriesWithoutAnyRequestRateAreReportedNotJudged() {
        var s = SyntheticSeries()
        s.counter(["__name__": "haproxy_backend_retry_warnings_total", "job": "haproxy", "proxy": "be"], to: 600) { _ in 2 }
        let o = one(s)
        XCTAssertNil(o?.severity)
        XCTAssertEqual(o?.summary, "2 retries/s, no request rate to judge them against")
        XCTAssertEqual(value(o, "haproxy_retry_ratio"), .some(nil))
    }

    func testEnvoyRetriesAgainstUpstreamRequestsLessRetries() {
        var s = SyntheticSeries()
        let cluster = ["job": "envoy", "envoy_cluster_name": "orders"]
        s.counter(cluster.merging(["__name__": "envoy_cluster_upstream_rq_total"]) { $1 }, to: 600) { _ in 13 }
        s.counter(cluster.merging(["__name__": "envoy_cluster_upstream_rq_retry"]) { $1 }, to: 600) { _ in 3 }
        s.counter(cluster.merging(["__name__": "envoy_cluster_upstream_rq_retry_success"]) { $1 }, to: 600) { _ in 2.4 }
        s.counter(cluster.merging(["__name__": "envoy_cluster_upstream_rq_retry_overflow"]) { $1 }, to: 600) { _ in 0.5 }
        let o = one(s)
        XCTAssertEqual(o?.severity, .page)
        XCTAssertEqual(value(o, "envoy_retry_ratio")!!, 0.3, accuracy: 1e-6)
        XCTAssertEqual(value(o, "retry_success")!!, 0.8, accuracy: 1e-6)
        XCTAssertEqual(value(o, "envoy_retry_overflow_per_second")!!, 0.5, accuracy: 1e-6)
        XCTAssertEqual(value(o, "envoy_retry_limit_exceeded_per_second"), .some(nil))
    }

    func testGRPCAttemptsAgainstCalls() {
        var s = SyntheticSeries()
        s.counter(["__name__": "grpc_client_attempt_started_total", "job": "api", "grpc_method": "Get"], to: 600) { _ in 11.5 }
        s.counter(["__name__": "grpc_client_call_duration_seconds_count", "job": "api", "grpc_method": "Get"], to: 600) { _ in 10 }
        let o = one(s)
        XCTAssertEqual(o?.severity, .warning)
        XCTAssertEqual(value(o, "grpc_retry_ratio")!!, 0.15, accuracy: 1e-6)
    }

    func testClientLibraryRetriesArePairedWithRequestsOfTheSamePrefix() {
        var s = SyntheticSeries()
        s.counter(["__name__": "loadgen_retries_total", "job": "loadgen"], to: 600) { _ in 2.5 }
        s.counter(["__name__": "loadgen_requests_total", "job": "loadgen"], to: 600) { _ in 10 }
        s.counter(["__name__": "http_client_retries_total", "job": "web"], to: 600) { _ in 0 }
        s.counter(["__name__": "http_client_requests_total", "job": "web"], to: 600) { _ in 10 }
        s.counter(["__name__": "orphan_retries_total", "job": "web"], to: 600) { _ in 5 }
        let o = observe(s, at: 600, services: []).observations
        XCTAssertEqual(o.map(\.service), ["loadgen", "web"])
        XCTAssertEqual(o.map(\.severity), [.page, nil])
        XCTAssertEqual(value(o[0], "loadgen_retry_ratio")!!, 0.25, accuracy: 1e-6)
        XCTAssertNil(o[1].evidence.first { $0.name.hasPrefix("orphan") }, "no requests family, no pair")
    }

    // MARK: log-derived

    /// Log-derived series of `api`: repeats and unique requests, delays at attempt 2 with a spread `cv`.
    private func logSeries(repeats: Double, unique: Double = 10, cv: Double?, delays: Double? = nil, multiLayer: Double = 0,
                           many: Double = 0) -> SyntheticSeries {
        var s = SyntheticSeries()
        let api = ["service": "api"]
        func c(_ name: String, _ extra: [String: String] = [:], rate: Double) {
            s.counter(api.merging(extra) { $1 }.merging(["__name__": name]) { $1 }, to: 600) { _ in rate }
        }
        c("log_repeat_attempts_total", rate: repeats)
        c("log_unique_requests_total", rate: unique)
        c("log_multi_layer_retries_total", rate: multiLayer)
        c("log_requests_many_attempts_total", rate: many)
        if let cv {
            let mean = 0.1, sd = cv * 0.1, n = delays ?? repeats
            c("log_retry_delay_seconds_count", ["attempt": "2"], rate: n)
            c("log_retry_delay_seconds_sum", ["attempt": "2"], rate: n * mean)
            c("log_retry_delay_seconds_sum_squares", ["attempt": "2"], rate: n * (mean * mean + sd * sd))
        }
        return s
    }

    func testLogRepeatsSayWithoutJitterOnlyWhileDelaysHaveNoSpread() {
        let flat = one(logSeries(repeats: 4, cv: 0.02))
        XCTAssertEqual(flat?.severity, .page)
        XCTAssertEqual(flat?.summary, "retries are 40% of requests (log_requests: 40%), amplification 1.4x, without jitter (delay CV 0.02)")
        XCTAssertEqual(value(flat, "retry_delay_cv")!!, 0.02, accuracy: 1e-4)

        let jittered = one(logSeries(repeats: 4, cv: 0.5))
        XCTAssertEqual(jittered?.severity, .page)
        XCTAssertFalse(jittered?.summary.contains("jitter") ?? true, jittered?.summary ?? "")
        XCTAssertEqual(value(jittered, "retry_delay_cv")!!, 0.5, accuracy: 1e-4)

        let unknown = one(logSeries(repeats: 4, cv: nil))
        XCTAssertEqual(value(unknown, "retry_delay_cv"), .some(nil))
        XCTAssertFalse(unknown?.summary.contains("jitter") ?? true)

        let calm = one(logSeries(repeats: 0.2, cv: 0.0))
        XCTAssertNil(calm?.severity, "no jitter alone does not fire")
        XCTAssertFalse(calm?.summary.contains("jitter") ?? true)
    }

    func testRequestsRetriedByMoreThanOneLayerAndHammeredRequestsWarn() {
        let layered = one(logSeries(repeats: 0.2, cv: nil, multiLayer: 0.5))
        XCTAssertEqual(layered?.severity, .warning)
        XCTAssertTrue(layered?.summary.contains("30 requests retried by more than one layer") == true, layered?.summary ?? "")
        let hammered = one(logSeries(repeats: 0.2, cv: nil, many: 0.2))
        XCTAssertEqual(hammered?.severity, .warning)
        XCTAssertTrue(hammered?.summary.contains("12 requests over 3 attempts") == true, hammered?.summary ?? "")
        var config = ServiceSignalConfig(service: "api")
        config.overrides[.retryStorm] = SignalSettingsOverride(parameters: ["max_attempts": 5])
        XCTAssertNil(one(logSeries(repeats: 0.2, cv: nil, many: 0.2), configs: [config])?.severity,
                     "the logs count requests over 3 attempts, which says nothing about over 5")
    }

    func testLayersStackIntoOneAmplificationAndTheSummaryNamesEachNumber() {
        var s = logSeries(repeats: 0, cv: 0.02, delays: 4, many: 0.2)
        s.counter(["__name__": "log_retry_delay_seconds_count", "service": "api", "attempt": "5+"], to: 600) { _ in 4 }
        s.counter(["__name__": "log_retry_delay_seconds_sum", "service": "api", "attempt": "5+"], to: 600) { _ in 40 }
        s.counter(["__name__": "log_retry_delay_seconds_sum_squares", "service": "api", "attempt": "5+"], to: 600) { _ in 1000 }
        clientGauges(&s, retries: { _ in 3.4 })
        s.counter(["__name__": "haproxy_backend_retry_warnings_total", "job": "haproxy", "proxy": "be"], to: 600) { _ in 1.2 }
        s.counter(["__name__": "haproxy_backend_http_requests_total", "job": "haproxy", "proxy": "be"], to: 600) { _ in 10 }
        let o = one(s, configs: [Self.clientConfig])
        XCTAssertEqual(o?.severity, .page)
        XCTAssertEqual(o?.summary, "retries are 34% of requests (client: 34%, haproxy: 12%), amplification 1.5x,"
                       + " 12 requests over 3 attempts, retried by 2 layers, without jitter (delay CV 0.02)")
        XCTAssertEqual(value(o, "amplification")!!, 1.34 * 1.12, accuracy: 1e-6)
        XCTAssertEqual(value(o, "retrying_layers"), 2)
        XCTAssertEqual(value(o, "requests_over_max_attempts")!!, 12, accuracy: 1e-6)
        XCTAssertEqual(value(o, "retry_delay_cv")!!, 0.02, accuracy: 1e-4, "the mixed 5+ level is not read")
    }

    // MARK: retries not helping

    /// A service whose dependency calls retry `ratio` of the time; logged retry outcomes at `before`
    /// per second for the first hour and `after` from then on, `success` of them succeeding.
    private func notHelping(before: Double, after: Double, success: Double, ratio: Double = 0.05) -> SyntheticSeries {
        var s = SyntheticSeries()
        let end = 3900.0
        s.counter(["__name__": "log_attempts_total", "service": "api", "dependency": "db"], to: end) { _ in 10 * (1 + ratio) }
        s.counter(["__name__": "log_retries_total", "service": "api", "dependency": "db"], to: end) { _ in 10 * ratio }
        let rate = { (t: Double) in t < 3600 ? before : after }
        s.counter(["__name__": "log_retry_outcomes_total", "service": "api", "outcome": "success"], to: end) { rate($0) * success }
        s.counter(["__name__": "log_retry_outcomes_total", "service": "api", "outcome": "failure"], to: end) { rate($0) * (1 - success) }
        return s
    }

    func testRetriesThatRiseWithoutSucceedingWarnBelowTheRatioThreshold() {
        let o = one(notHelping(before: 0.1, after: 0.5, success: 0.2), at: 3900)
        XCTAssertEqual(o?.severity, .warning)
        XCTAssertTrue(o?.summary.contains("retries not helping (20% of retries succeed)") == true, o?.summary ?? "")
        XCTAssertEqual(value(o, "retry_success")!!, 0.2, accuracy: 1e-6)
        XCTAssertEqual(value(o, "log_calls_retry_ratio")!!, 0.05, accuracy: 1e-6)
        XCTAssertNil(one(notHelping(before: 0.1, after: 0.5, success: 0.8), at: 3900)?.severity, "retries that succeed help")
        XCTAssertNil(one(notHelping(before: 0.5, after: 0.5, success: 0.2), at: 3900)?.severity, "steady retries are not rising")
        let paging = one(notHelping(before: 0.1, after: 3, success: 0.2, ratio: 0.3), at: 3900)
        XCTAssertEqual(paging?.severity, .page)
        XCTAssertTrue(paging?.summary.contains("not helping") == true)
    }

    // MARK: hysteresis and quiet

    func testFiresAfterHoldingAMinuteIgnoresABlipAndClearsAfterAMinute() {
        var s = SyntheticSeries()
        // A 30 s blip at 300–315, then a storm from 600 to 1200.
        clientGauges(&s, retries: { t in (300...315).contains(t) || (600..<1200).contains(t) ? 3 : 0.1 }, to: 1800)
        var engine = SignalEngine(detectors: SignalDetectors.builtIn, services: ["api"], configs: [Self.clientConfig])
        let rounds = s.run(&engine, from: 0, to: 1800)
        let severities = SyntheticSeries.severities(rounds, .retryStorm)
        let firing = rounds.indices.filter { severities[$0] != nil }.map { rounds[$0].time.seconds - s.start }
        XCTAssertEqual(firing.first, 660, "pending at 600, fires a minute later")
        XCTAssertEqual(firing.last, 1245, "false from 1200, resolved a minute later")
        XCTAssertEqual(Set(firing.compactMap { severities[Int($0 / 15)] }), [.page])
        XCTAssertTrue(firing.allSatisfy { $0 >= 660 }, "the blip did not fire")
    }

    func testHealthyTrafficRaisesNothing() {
        var s = SyntheticSeries()
        let end = 1800.0
        clientGauges(&s, retries: { _ in 0.05 }, to: end)
        func c(_ labels: [String: String], _ rate: Double) { s.counter(labels, to: end) { _ in rate } }
        c(["__name__": "haproxy_backend_retry_warnings_total", "job": "haproxy", "proxy": "be"], 0)
        c(["__name__": "haproxy_backend_http_requests_total", "job": "haproxy", "proxy": "be"], 10)
        c(["__name__": "loadgen_retries_total", "job": "loadgen"], 0.1)
        c(["__name__": "loadgen_requests_total", "job": "loadgen"], 10)
        c(["__name__": "log_repeat_attempts_total", "service": "api"], 0.1)
        c(["__name__": "log_unique_requests_total", "service": "api"], 10)
        c(["__name__": "log_requests_many_attempts_total", "service": "api"], 0)
        c(["__name__": "log_multi_layer_retries_total", "service": "api"], 0)
        c(["__name__": "log_retry_outcomes_total", "service": "api", "outcome": "success"], 0.09)
        c(["__name__": "log_retry_outcomes_total", "service": "api", "outcome": "failure"], 0.01)
        for (name, rate) in [("count", 0.1), ("sum", 0.01), ("sum_squares", 0.1 * 0.0125)] {
            c(["__name__": "log_retry_delay_seconds_\(name)", "service": "api", "attempt": "2"], rate)
        }
        var engine = SignalEngine(detectors: [detector], services: ["api", "loadgen"], configs: [Self.clientConfig])
        let rounds = s.run(&engine, from: 120, to: end, every: 60)
        XCTAssertTrue(rounds.allSatisfy { $0.active.isEmpty }, "\(rounds.last?.active.map(\.summary) ?? [])")
        let o = observe(s, at: end, services: ["api", "loadgen"], configs: [Self.clientConfig]).observations
        XCTAssertEqual(o.map(\.service), ["api", "haproxy", "loadgen"])
        XCTAssertEqual(o.map(\.severity), [nil, nil, nil])
        XCTAssertTrue(o[0].summary.hasPrefix("retries are 1% of requests"), o[0].summary)
    }

    func testBelowMinRequestsNoRatioIsJudged() {
        var s = SyntheticSeries()
        clientGauges(&s, retries: { _ in 0.1 }, requests: 0.15)
        let o = one(s, configs: [Self.clientConfig])
        XCTAssertNil(o?.severity)
        XCTAssertEqual(o?.summary, "0.15 requests/s, below 0.2: retry ratio not judged")
        XCTAssertEqual(value(o, "retry_ratio"), .some(nil))
        XCTAssertEqual(value(o, "client_retry_ratio")!!, 0.1 / 0.15, accuracy: 1e-9)
    }
}
