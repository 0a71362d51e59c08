import BurnwatchConfig
import BurnwatchCore
import Testing

/// A service's `retries:`, `resources:` and `signals:` keys (docs/signals.md).
@Suite struct SignalConfigTests {
    static let example = """
        services:
          - name: orders-api
            retries:
              - {name: client, retries: 'sum(rate(loadgen_retries_total[1m]))', requests: 'sum(rate(loadgen_requests_total[1m]))'}
              - {name: proxy, attempts: 'sum(rate(a[1m]))', requests: 'sum(rate(b[1m]))'}
            resources:
              - {name: workers, used: 'sum(app_worker_pool_busy_workers)', limit: 'sum(app_worker_pool_workers)'}
              - {name: work-queue, queue: 'sum(app_worker_pool_queue_depth)'}
            signals:
              retry_storm: {warn: 0.15, page: 0.30, for: 2m, jitter_cv: 0.2}
              tenant_hotspot: {enabled: false}

        """

    func error(_ yaml: String) -> String? {
        do { _ = try ConfigLoader.parse(yaml, file: "bw.yaml"); return nil } catch { return "\(error)" }
    }

    @Test func readsTheDocumentedShape() throws {
        let config = try ConfigLoader.parse(Self.example, file: "bw.yaml")
        let s = try #require(config.service(named: "orders-api")).signals
        #expect(s.retries.map(\.name) == ["client", "proxy"])
        #expect(s.retries[0].retries == "sum(rate(loadgen_retries_total[1m]))")
        #expect(s.retries[1].attempts == "sum(rate(a[1m]))" && s.retries[1].retries == nil)
        #expect(s.resources.map(\.name) == ["workers", "work-queue"])
        #expect(s.resources[1].queue == "sum(app_worker_pool_queue_depth)" && s.resources[1].limit == nil)
        let retry = SignalCatalog.defaults(.retryStorm).overlaid(with: try #require(s.overrides[.retryStorm]))
        #expect(retry.warn == 0.15 && retry.page == 0.30 && retry.forDuration == Interval(seconds: 120))
        #expect(retry.parameter("jitter_cv", 0) == 0.2)
        #expect(retry.parameter("amplification_page", 0) == 2, "defaults not named stay")
        #expect(s.overrides[.tenantHotspot]?.enabled == false)
        let context = SignalContext(time: Timestamp(seconds: 0), querier: PromQLEngine(store: SeriesStore()),
                                    services: ["orders-api"], configs: config.signalConfigs)
        #expect(context.settings(.tenantHotspot, "orders-api").enabled == false)
        #expect(context.settings(.tenantHotspot, "other").enabled == true)
    }

    @Test(arguments: [
        ("    signals:\n      retry_strom: {warn: 0.1}\n", "bw.yaml:4:7: unknown key `retry_strom` in `services[0].signals`"),
        ("    signals:\n      retry_storm: {jiter_cv: 0.1}\n", "bw.yaml:4:21: unknown key `jiter_cv` in `services[0].signals.retry_storm`"),
        ("    signals:\n      retry_storm: {warn: 0.3, page: 0.2}\n", "bw.yaml:4:38: `page` (0.2) is below `warn` (0.3)"),
        ("    signals:\n      saturation: {warn: -1}\n", "bw.yaml:4:26: expected a number ≥ 0"),
        ("    signals:\n      saturation: {for: soon}\n", "bw.yaml:4:25:"),
        ("    retries:\n      - {name: c, requests: 'x'}\n", "bw.yaml:4:9: retry source `c` needs exactly one of `retries` and `attempts`"),
        ("    retries:\n      - {name: c, retries: 'sum(rate(x[1m])', requests: 'x'}\n", "bw.yaml:4:44: invalid PromQL at `services[0].retries[0].retries`"),
        ("    resources:\n      - {name: r, used: 'x'}\n", "bw.yaml:4:9: resource `r` needs `used` and `limit`, or `queue`"),
        ("    resources:\n      - {name: r, limit: 'x', capacity: 'y', queue: 'q', used: 'u'}\n", "bw.yaml:4:9: resource `r` needs `used` and `limit`, or `queue`"),
    ])
    func errorsNameLineColumnAndWhat(_ body: String, _ expected: String) {
        let yaml = "services:\n  - name: api\n" + body
        let e = error(yaml)
        #expect(e?.hasPrefix(expected) == true, "got \(e ?? "no error")")
    }
}
