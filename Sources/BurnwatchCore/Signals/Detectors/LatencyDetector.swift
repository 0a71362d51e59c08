/// `latency`: p99 above a latency SLO's threshold, or well above the previous hour's p99.
///
/// p99 comes from server request-duration histograms (`http_request_duration_seconds`, OTel's
/// `http_server_request_duration_seconds`, Caddy's, the log-derived `log_request_duration_seconds`)
/// over 5m; the baseline is the previous hour's typical p99: the lower quartile of the 5m p99
/// sampled every 5 minutes over the last hour, so an incident's own first half hour does not
/// raise its baseline (an hour-long average would let 5% slow requests set it). p99 ÷ baseline
/// ≥ `warn` (1.5) warns, ≥ `page` (3) pages; p99 above the threshold of a latency SLO of the
/// service warns. Below `min_requests` requests/s nothing is judged; without a baseline there is
/// no ratio (evidence null), never a guess.
///
/// - Complexity: three grouped queries per histogram family per round, plus two per latency SLO.
public struct LatencyDetector: SignalDetector {
    public let kind = SignalKind.latency
    public init() {}

    static let families = ["http_request_duration_seconds", "http_server_request_duration_seconds",
                           "caddy_http_request_duration_seconds", "log_request_duration_seconds"]

    static func p99(_ family: String, _ window: String, offset: String = "", matchers: String = "", by: String = "job, service, le") -> String {
        "histogram_quantile(0.99, sum by (\(by)) (rate(\(family)_bucket{\(matchers)}[\(window)]\(offset.isEmpty ? "" : " offset \(offset)"))))"
    }

    /// The lower quartile of the 5m p99 over the previous hour, sampled every 5 minutes.
    static func baseline(_ family: String) -> String {
        "quantile_over_time(0.25, (\(p99(family, "5m")))[1h:5m] offset 5m)"
    }

    /// `baseline(family)` per service, computed as the engine computes that subquery but with each
    /// 5-minute step's p99 kept across rounds: a round asks only the step new since the last one.
    static func baselineByService(_ family: String, _ c: SignalContext) -> [String: Double] {
        guard let steps = c.stepValues(p99(family, "5m"), range: Interval(milliseconds: 3_600_000),
                                       step: Interval(milliseconds: 300_000), offset: Interval(milliseconds: 300_000)) else { return [:] }
        let samples = steps.compactMap { s -> VectorSample? in
            let q = PromQuantile.quantile(0.25, s.values)
            return q.isNaN ? nil : VectorSample(labels: s.labels, timestamp: c.time, value: q)
        }
        return c.maxByService(samples: samples)
    }

    struct Reading { var p99: Double?; var baseline: Double?; var rate: Double?; var family: String }

    public func observe(_ context: SignalContext) -> [SignalObservation] {
        var readings: [String: Reading] = [:]
        for family in Self.families {
            let now = context.maxByService(Self.p99(family, "5m"))
            guard !now.isEmpty else { continue }
            let before = Self.baselineByService(family, context)
            let rate = context.sumByService("sum by (job, service) (rate(\(family)_count[5m]))")
            for (service, v) in now where v.isFinite && readings[service] == nil {
                readings[service] = Reading(p99: v, baseline: before[service].flatMap { $0.isFinite && $0 > 0 ? $0 : nil },
                                            rate: rate[service], family: family)
            }
        }
        var sloBreach: [String: (threshold: Double, p99: Double, name: String, query: String)] = [:]
        for status in context.sloStatuses {
            guard case .latency(let histogram, let matchers, let threshold) = status.spec.indicator else { continue }
            let q = Self.p99(histogram, "5m", matchers: matchers, by: "le")
            guard let v = context.scalar(q), v.isFinite, v > threshold else { continue }
            sloBreach[status.spec.service] = (threshold, v, status.spec.name, q)
        }
        return Set(readings.keys).union(sloBreach.keys).sorted().map { service in
            let s = context.settings(kind, service)
            let r = readings[service]
            let busy = (r?.rate ?? 0) >= s.parameter("min_requests", 0.2)
            let ratio: Double? = busy ? r.flatMap { r in r.baseline.flatMap { b in r.p99.map { $0 / b } } } : nil
            var severity = s.severity(of: ratio)
            var parts: [String] = []
            if let r, let p = r.p99 {
                var text = "p99 \(SignalFormat.seconds(p))"
                if let ratio, let b = r.baseline { text += ", \(SignalFormat.number(ratio))x the previous hour (\(SignalFormat.seconds(b)))" }
                else if !busy { text += " at \(SignalFormat.number(r.rate ?? 0)) requests/s (too few to judge)" }
                parts.append(text)
            }
            if let b = sloBreach[service] {
                severity = max(severity ?? .warning, .warning)
                parts.append("above the \(SignalFormat.seconds(b.threshold)) threshold of SLO \(b.name) (p99 \(SignalFormat.seconds(b.p99)))")
            }
            let family = r?.family ?? Self.families[0]
            let evidence = [SignalEvidence("p99_seconds", r?.p99, source: Self.p99(family, "5m")),
                            SignalEvidence("baseline_p99_seconds", r?.baseline, source: Self.baseline(family)),
                            SignalEvidence("ratio", ratio, source: "p99_seconds ÷ baseline_p99_seconds"),
                            SignalEvidence("requests_per_second", r?.rate, source: "sum by (job, service) (rate(\(family)_count[5m]))"),
                            SignalEvidence("slo_threshold_seconds", sloBreach[service]?.threshold, source: sloBreach[service]?.query ?? "a latency SLO's threshold")]
            return SignalObservation(.latency, service: service, severity: severity, summary: parts.joined(separator: "; "), evidence: evidence)
        }
    }
}
