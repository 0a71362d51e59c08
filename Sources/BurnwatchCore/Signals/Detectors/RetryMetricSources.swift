/// Where retry numbers come from in metrics: the config's `retries:` entries and exporters burnwatch knows.
///
/// Every built-in query is grouped `by (job, service)` across all services and split with
/// `SignalContext.service(for:)`, so a round costs the same few queries however many services there are.
enum RetryMetricSources {
    /// The window every rate is taken over.
    static let window = "1m"

    /// `sum by (job, service) (rate(metric[1m]))`.
    static func rate(_ metric: String, extra: String = "") -> String {
        "sum by (job, service\(extra)) (rate(\(metric)[\(window)]))"
    }

    /// The first of `candidates` that has a value for `service`, with its query.
    private static func first(_ candidates: [(query: String, values: [String: Double])], _ service: String) -> (Double, String)? {
        for c in candidates { if let v = c.values[service] { return (v, c.query) } }
        return nil
    }

    // MARK: config

    /// The layers of the config's `retries:` entries of `service`; entries whose queries give nothing are listed in `missing`.
    ///
    /// A query that fails reads as no data (the context records the error).
    static func configured(_ context: SignalContext, service: String) -> (layers: [RetryLayer], missing: [(name: String, query: String)]) {
        var layers: [RetryLayer] = []
        var missing: [(name: String, query: String)] = []
        for entry in context.configs[service]?.retries ?? [] {
            let requests = context.scalar(entry.requests)
            var layer = RetryLayer(name: entry.name, retries: nil, requests: requests, retriesSource: entry.retries ?? "", requestsSource: entry.requests)
            if let expr = entry.retries {
                layer.retries = context.scalar(expr)
                if layer.retries == nil { missing.append((entry.name, expr)) }
            } else if let expr = entry.attempts {
                let attempts = context.scalar(expr)
                layer.retriesSource = "(\(expr)) - (\(entry.requests))"
                layer.retries = attempts.flatMap { a in requests.map { max(0, a - $0) } }
                if attempts == nil { missing.append((entry.name, expr)) }
            }
            if requests == nil, !missing.contains(where: { $0.name == entry.name }) { missing.append((entry.name, entry.requests)) }
            layers.append(layer)
        }
        return (layers, missing)
    }

    // MARK: built-in exporters

    /// HAProxy's exporter: connection retries and redispatches against the backends' HTTP requests.
    ///
    /// Retries are the larger of `retry_warnings` and `redispatch_warnings` (HAProxy 2.6 counts a
    /// redispatched retry in both, so adding them would count it twice); the backend counters,
    /// else the servers' summed. Requests: the backends' HTTP requests, else the frontends', else
    /// the backends' sessions (TCP mode).
    static func haproxy(_ context: SignalContext) -> [String: RetryLayer] {
        let retryFamilies = [["haproxy_backend_retry_warnings_total", "haproxy_backend_redispatch_warnings_total"],
                             ["haproxy_server_retry_warnings_total", "haproxy_server_redispatch_warnings_total"]]
        let requests = ["haproxy_backend_http_requests_total", "haproxy_frontend_http_requests_total", "haproxy_backend_sessions_total"]
            .map { (query: rate($0), values: context.sumByService(rate($0))) }
        var retries: [String: (Double, String)] = [:]
        for family in retryFamilies {
            let queries = family.map { rate($0) }
            let values = queries.map { context.sumByService($0) }
            for service in Set(values.flatMap(\.keys)) where retries[service] == nil {
                let v = values.compactMap { $0[service] }.max() ?? 0
                retries[service] = (v, "max(\(queries.joined(separator: ", ")))")
            }
        }
        var out: [String: RetryLayer] = [:]
        for (service, r) in retries {
            let q = first(requests, service)
            out[service] = RetryLayer(name: "haproxy", retries: r.0, requests: q?.0, retriesSource: r.1,
                                      requestsSource: q?.1 ?? requests[0].query)
        }
        return out
    }

    /// Envoy's cluster stats: `upstream_rq_retry` against `upstream_rq_total` less the retries
    /// (each retry is an upstream request of its own); also how retries ended and how many the
    /// circuit breaker (`_overflow`) and the retry budget (`_limit_exceeded`) refused.
    static func envoy(_ context: SignalContext) -> (layers: [String: RetryLayer], outcomes: [String: RetryOutcome],
                                                   overflow: [String: Double], limitExceeded: [String: Double]) {
        let retryQ = rate("envoy_cluster_upstream_rq_retry"), totalQ = rate("envoy_cluster_upstream_rq_total")
        let successQ = rate("envoy_cluster_upstream_rq_retry_success")
        let baselineQ = "sum by (job, service) (rate(envoy_cluster_upstream_rq_retry[1h] offset \(window)))"
        let retries = context.sumByService(retryQ), totals = context.sumByService(totalQ)
        let successes = context.sumByService(successQ)
        var layers: [String: RetryLayer] = [:], outcomes: [String: RetryOutcome] = [:]
        for (service, r) in retries {
            let originals = totals[service].map { max(0, $0 - r) }
            layers[service] = RetryLayer(name: "envoy", retries: r, requests: originals, retriesSource: retryQ,
                                         requestsSource: "(\(totalQ)) - (\(retryQ))")
            if let s = successes[service] {
                outcomes[service] = RetryOutcome(name: "envoy", retries: r, successes: s, source: "(\(successQ)) / (\(retryQ))",
                                                 baselineQuery: baselineQ)
            }
        }
        return (layers, outcomes, context.sumByService(rate("envoy_cluster_upstream_rq_retry_overflow")),
                context.sumByService(rate("envoy_cluster_upstream_rq_retry_limit_exceeded")))
    }

    /// gRPC's OpenTelemetry client metrics: attempts started against calls (finished calls'
    /// duration count, else calls started); the difference is the channel's retries.
    static func grpc(_ context: SignalContext) -> [String: RetryLayer] {
        let attemptsQ = rate("grpc_client_attempt_started_total")
        let calls = ["grpc_client_call_duration_seconds_count", "grpc_client_call_started_total"]
            .map { (query: rate($0), values: context.sumByService(rate($0))) }
        var out: [String: RetryLayer] = [:]
        for (service, a) in context.sumByService(attemptsQ) {
            let c = first(calls, service)
            out[service] = RetryLayer(name: "grpc", retries: c.map { max(0, a - $0.0) }, requests: c?.0,
                                      retriesSource: "(\(attemptsQ)) - (\(c?.1 ?? calls[0].query))", requestsSource: c?.1 ?? calls[0].query)
        }
        return out
    }

    /// Client libraries' `<prefix>_retries_total` paired with `<prefix>_requests_total`
    /// (`loadgen_retries_total`, `http_client_retries_total`); the layer is named by the prefix.
    /// The log-derived `log_` families have their own reading. Only the retries families are
    /// discovered (a regex over every `*_requests_total` would read every HTTP server's series);
    /// a prefix whose requests family has no data gives no layer.
    static func clientPairs(_ context: SignalContext) -> [String: [RetryLayer]] {
        let discovered = context.vector("count by (__name__) ({__name__=~\".+_retries_total\"})") ?? []
        var out: [String: [RetryLayer]] = [:]
        for name in Set(discovered.compactMap { $0.labels.metricName }).sorted() {
            let prefix = String(name.dropLast("_retries_total".count))
            guard !prefix.hasPrefix("log_"), prefix != "log" else { continue }
            let retriesQ = rate(name), requestsQ = rate(prefix + "_requests_total")
            let requests = context.sumByService(requestsQ)
            guard !requests.isEmpty else { continue }
            let retries = context.sumByService(retriesQ)
            for service in Set(retries.keys).union(requests.keys) {
                out[service, default: []].append(RetryLayer(name: prefix, retries: retries[service], requests: requests[service],
                                                            retriesSource: retriesQ, requestsSource: requestsQ))
            }
        }
        return out
    }
}
