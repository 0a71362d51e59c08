import BurnwatchCore
@testable import BurnwatchRuntime
import BurnwatchTestSupport
import Foundation
import Testing

@Suite(.serialized) struct RemoteQueryClientTests {
    @Test func answersLikeTheRealPrometheusAPI() throws {
        let server = try LoopbackHTTPServer { _ in
            .ok(Array("rq_gauge{a=\"1\"} 1.5\nrq_gauge{a=\"2\"} NaN\nrq_inf +Inf\nrq_counter_total 42\n".utf8))
        }
        defer { server.stop() }
        let prometheus = try LoopbackPrometheus(config: """
        global:
          scrape_interval: 1s
        scrape_configs:
          - job_name: rq
            static_configs:
              - targets: ['127.0.0.1:\(server.port)']
        """)
        defer { prometheus.stop() }
        #expect(prometheus.wait(timeout: 30) { (prometheus.instantVector("rq_inf")?.count ?? 0) == 1 })

        let client = RemoteQueryClient(baseURL: prometheus.baseURL + "/")
        let now = Timestamp(milliseconds: Int64(Date().timeIntervalSince1970 * 1000))
        guard case .vector(let gauges) = try client.instantQuery("rq_gauge", at: now) else { Issue.record("not a vector"); return }
        let byA = Dictionary(uniqueKeysWithValues: gauges.map { ($0.labels["a"] ?? "", $0) })
        #expect(byA["1"]?.value == 1.5 && byA["2"]?.value.isNaN == true)
        #expect(byA["1"]?.labels == Labels(["__name__": "rq_gauge", "a": "1", "job": "rq", "instance": "127.0.0.1:\(server.port)"]))
        #expect(gauges.allSatisfy { $0.timestamp == now })
        // The same as the raw API says.
        let raw = try #require(prometheus.instantVector("rq_gauge"))
        #expect(Set(raw.map { Labels($0.labels) }) == Set(gauges.map(\.labels)))

        #expect(try client.instantQuery("1 + 1", at: now) == .scalar(now, 2))
        #expect(try client.instantQuery("\"hello & world\"", at: now) == .string(now, "hello & world"))
        guard case .vector(let sum) = try client.instantQuery("sum(rq_counter_total) * 2", at: now) else { Issue.record("not a vector"); return }
        #expect(sum.first?.value == 84 && sum.first?.labels == Labels.empty)

        let start = now - Interval(seconds: 2)
        guard case .matrix(let series) = try client.rangeQuery("rq_inf", start: start, end: now, step: Interval(seconds: 1)) else {
            Issue.record("not a matrix"); return
        }
        #expect(series.count == 1)
        #expect(series.first.map { !$0.points.isEmpty && $0.points.allSatisfy { $0.1 == .infinity } } == true)
        #expect(series.first?.points.last?.0 == now)

        do {
            _ = try client.instantQuery("sum(rq_gauge", at: now)
            Issue.record("a bad expression must throw")
        } catch let error as BurnwatchError {
            #expect(error.code == .query)
            #expect(error.message.hasPrefix("bad_data:"))
            #expect(error.position?.source == prometheus.baseURL + "/api/v1/query")
        }
    }

    @Test func unreachableServerIsANetworkErrorAfterRetries() throws {
        let seen = Counter()
        let flaky = try LoopbackHTTPServer { _ in
            seen.next() < 2 ? .respond(status: 503, headers: [], body: Array("{\"status\":\"error\",\"error\":\"busy\"}".utf8))
                : .ok(Array("{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1.5,\"+Inf\"]}}".utf8), contentType: "application/json")
        }
        defer { flaky.stop() }
        var options = RemoteQueryClient.Options()
        options.retries = 2
        options.backoffBaseSeconds = 0.01
        options.timeoutSeconds = 2
        let client = RemoteQueryClient(baseURL: flaky.url(""), options: options)
        #expect(try client.instantQuery("x", at: Timestamp(milliseconds: 1500)) == .scalar(Timestamp(milliseconds: 1500), .infinity))
        #expect(flaky.requestCount == 3)

        let port = FreePort.next()
        let down = RemoteQueryClient(baseURL: "http://127.0.0.1:\(port)", options: options)
        #expect(throws: BurnwatchError(.network, "query failed: connection refused",
                                       at: SourcePosition(source: "http://127.0.0.1:\(port)/api/v1/query"))) {
            _ = try down.instantQuery("up", at: Timestamp(milliseconds: 0))
        }
    }

    @Test func encodesTimesAndForms() {
        #expect(RemoteQueryClient.seconds(Timestamp(milliseconds: 1_700_000_000_005)) == "1700000000.005")
        #expect(RemoteQueryClient.seconds(Timestamp(milliseconds: 1500)) == "1.500")
        #expect(RemoteQueryClient.formEncode("sum(rate(x{a=\"b c\"}[5m])) + 1 / ü") ==
                "sum%28rate%28x%7Ba%3D%22b%20c%22%7D%5B5m%5D%29%29%20%2B%201%20%2F%20%C3%BC")
    }
}
