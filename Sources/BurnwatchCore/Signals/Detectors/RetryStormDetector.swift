/// `retry_storm`: retries multiplying the load on a service, from every layer that retries.
///
/// Per service, each source gives a layer (the config's `retries:` entries, HAProxy, Envoy,
/// gRPC, client libraries' `*_retries_total`, the log-derived series); the worst decides and the
/// evidence keeps each. It warns or pages on:
/// - the retry ratio (retries ÷ original requests over 1m) against `warn`/`page`;
/// - the amplification (attempts ÷ unique requests: the stacked layers' product, or the logs'
///   repeated request ids) against `amplification_warn`/`amplification_page`;
/// - requests with more than `max_attempts` attempts (the logs count those over 3, so they are
///   judged while `max_attempts` is 3 or less), and requests retried by more than one layer: warn;
/// - retries not helping (retry success under `retry_success` while retries run `retry_rise`
///   times their previous hour): at least warn.
/// Ratios are judged only above `min_requests` requests per second. Delays without jitter
/// (CV under `jitter_cv`) do not fire on their own; a storm's summary says so.
///
/// - Complexity: about 25 grouped queries per round, whatever the number of services, plus the
///   config's own; the delays (3 queries) only while some service storms, the previous hour's
///   retries only while some service's retries mostly fail.
public struct RetryStormDetector: SignalDetector {
    public let kind = SignalKind.retryStorm
    public init() {}

    public func observe(_ context: SignalContext) -> [SignalObservation] {
        let readings = Self.readings(context)
        let later = LaterReadings(context)
        return readings.keys.sorted().compactMap { service in
            Self.judge(readings[service]!, service: service, settings: context.settings(kind, service), later: later)
        }
    }

    /// What only some services' judgements need, queried (for all services at once) the first time one does:
    /// retry delays for a storm's summary, the previous hour's retries for retries that do not help.
    final class LaterReadings {
        private let context: SignalContext?
        private var cvs: [String: [String: Double]]?
        init(_ context: SignalContext?) { self.context = context }

        /// The delays' CV per attempt level of `service` (empty without delays).
        func delayCVs(_ service: String) -> [String: Double] {
            if cvs == nil { cvs = context.map { RetryLogSources.delayCVs($0) } ?? [:] }
            return cvs?[service] ?? [:]
        }

        /// The previous hour's retries per second of `service` by `query`.
        func baseline(_ query: String, _ service: String) -> Double? { context?.sumByService(baseline: query)[service] }
    }

    // MARK: gathering

    /// Every source's numbers, per service.
    static func readings(_ context: SignalContext) -> [String: RetryReadings] {
        var out: [String: RetryReadings] = [:]
        for service in context.configs.keys.sorted() where !(context.configs[service]?.retries.isEmpty ?? true) {
            let c = RetryMetricSources.configured(context, service: service)
            out[service, default: RetryReadings()].layers += c.layers
            out[service, default: RetryReadings()].missing += c.missing
        }
        func add(_ layer: RetryLayer, _ service: String) {
            var r = out[service] ?? RetryReadings()
            if !r.layers.contains(where: { $0.name == layer.name }) { r.layers.append(layer) }
            out[service] = r
        }
        for (service, layer) in RetryMetricSources.haproxy(context) { add(layer, service) }
        let envoy = RetryMetricSources.envoy(context)
        for (service, layer) in envoy.layers { add(layer, service) }
        for (service, layer) in RetryMetricSources.grpc(context) { add(layer, service) }
        for (service, layers) in RetryMetricSources.clientPairs(context) { layers.forEach { add($0, service) } }
        for (service, layers) in RetryLogSources.layers(context) { layers.forEach { add($0, service) } }
        for (service, n) in RetryLogSources.manyAttempts(context) { out[service, default: RetryReadings()].manyAttempts = n }
        for (service, n) in RetryLogSources.multiLayer(context) { out[service, default: RetryReadings()].multiLayer = n }
        let logOutcomes = RetryLogSources.outcomes(context)
        for service in Set(logOutcomes.keys).union(envoy.outcomes.keys) {
            let candidates = [logOutcomes[service], envoy.outcomes[service]].compactMap { $0 }
            out[service, default: RetryReadings()].outcome = candidates.min { ($0.successRatio ?? 1) < ($1.successRatio ?? 1) }
        }
        for (service, v) in envoy.overflow { out[service, default: RetryReadings()].envoyOverflow = v }
        for (service, v) in envoy.limitExceeded { out[service, default: RetryReadings()].envoyLimitExceeded = v }
        return out
    }

    // MARK: judging

    /// The observation of one service, nil when no source has anything for it.
    static func judge(_ r: RetryReadings, service: String, settings s: SignalSettings, later: LaterReadings) -> SignalObservation? {
        let layerEvidence = r.layers.flatMap(\.evidence)
        guard r.hasData else {
            guard let first = r.missing.first else { return nil }
            return SignalObservation(.retryStorm, service: service, severity: .info,
                                     summary: "no data for \(first.name) retries: \(first.query)", evidence: layerEvidence)
        }
        let minRequests = s.parameter("min_requests", 0.2)
        let judged = r.layers.filter { $0.judged(minRequests: minRequests) }
        let ratio = judged.compactMap(\.ratio).max()
        let stacked = judged.filter(\.stacked).compactMap(\.ratio)
        let product = stacked.isEmpty ? nil : stacked.reduce(1.0) { $0 * (1 + $1) }
        let direct = judged.filter { !$0.stacked }.compactMap(\.ratio).map { 1 + $0 }.max()
        let amplification = [product, direct].compactMap { $0 }.max()
        let retrying = r.layers.filter { ($0.retries ?? 0) > 0 && $0.ratio != nil }.count

        var severity = s.severity(of: ratio)
        func raise(_ to: Severity) { severity = max(severity ?? to, to) }
        if let amplification {
            if amplification >= s.parameter("amplification_page", 2) { raise(.page) }
            else if amplification >= s.parameter("amplification_warn", 1.1) { raise(.warning) }
        }
        let many = (r.manyAttempts ?? 0).rounded()
        let manyJudged = s.parameter("max_attempts", 3) <= 3 && many >= 1
        if manyJudged { raise(.warning) }
        let multi = (r.multiLayer ?? 0).rounded()
        if multi >= 1 { raise(.warning) }
        let busyEnough = !judged.isEmpty || (!r.layers.contains { $0.requests != nil } && (r.outcome?.retries ?? 0) >= minRequests)
        var baseline: (value: Double?, query: String)?
        let notHelping = r.outcome.map { o in
            guard busyEnough, (o.successRatio ?? 1) < s.parameter("retry_success", 0.5) else { return false }
            baseline = (later.baseline(o.baselineQuery, service), o.baselineQuery)
            return o.rising(factor: s.parameter("retry_rise", 1.5), baseline: baseline?.value)
        } ?? false
        if notHelping { raise(.warning) }

        var parts: [String] = []
        let shown = r.layers.filter { $0.ratio != nil }.sorted { ($0.ratio ?? 0) > ($1.ratio ?? 0) }
        if let ratio {
            let each = shown.filter { ($0.ratio ?? 0) > 0 }.map { "\($0.name): \(SignalFormat.percent($0.ratio))" }.joined(separator: ", ")
            parts.append("retries are \(SignalFormat.percent(ratio)) of requests" + (each.isEmpty ? "" : " (\(each))"))
        } else if let busiest = r.layers.compactMap(\.requests).max() {
            parts.append("\(SignalFormat.number(busiest)) requests/s, below \(SignalFormat.number(minRequests)): retry ratio not judged")
        } else if let retries = r.layers.compactMap(\.retries).max(), retries > 0 {
            parts.append("\(SignalFormat.number(retries)) retries/s, no request rate to judge them against")
        }
        if let amplification { parts.append("amplification \(SignalFormat.number(amplification))x") }
        if many >= 1 { parts.append("\(Int(many)) requests over 3 attempts") }
        if retrying >= 2 { parts.append("retried by \(retrying) layers") }
        if multi >= 1 { parts.append("\(Int(multi)) requests retried by more than one layer") }
        let jitterCV = s.parameter("jitter_cv", 0.1)
        let storm = severity.map { $0 >= .warning } == true
        let delayCV = storm ? later.delayCVs(service).values.max() : nil
        if let delayCV, delayCV < jitterCV {
            parts.append("without jitter (delay CV \(SignalFormat.number(delayCV)))")
        }
        if notHelping, let o = r.outcome {
            parts.append("retries not helping (\(SignalFormat.percent(o.successRatio)) of retries succeed)")
        }
        if parts.isEmpty { parts.append("no retries seen") }

        var evidence = [SignalEvidence("retry_ratio", ratio, source: "the largest layer retry ratio with at least \(SignalFormat.number(minRequests)) requests/s"),
                        SignalEvidence("amplification", amplification,
                                       source: "attempts ÷ unique requests: the stacked layers' (1 + retry ratio) multiplied, or log repeated request ids"),
                        SignalEvidence("retrying_layers", r.layers.contains { $0.ratio != nil } ? Double(retrying) : nil,
                                       source: "layers with retries over \(RetryMetricSources.window)")]
        evidence += layerEvidence
        evidence.append(SignalEvidence("requests_over_max_attempts", r.manyAttempts, source: RetryLogSources.manyAttemptsQuery))
        evidence.append(SignalEvidence("multi_layer_requests", r.multiLayer, source: RetryLogSources.multiLayerQuery))
        if storm {
            evidence.append(SignalEvidence("retry_delay_cv", delayCV,
                                           source: "largest σ ÷ mean of retry delays per attempt level (2, 3, 4) over \(RetryMetricSources.window), from log_retry_delay_seconds_{count,sum,sum_squares}"))
        }
        evidence.append(SignalEvidence("retry_success", r.outcome?.successRatio, source: r.outcome?.source ?? RetryLogSources.outcomesQuery))
        if let baseline { evidence.append(SignalEvidence("retries_per_second_previous_hour", baseline.value, source: baseline.query)) }
        if r.envoyOverflow != nil || r.envoyLimitExceeded != nil {
            evidence.append(SignalEvidence("envoy_retry_overflow_per_second", r.envoyOverflow,
                                           source: RetryMetricSources.rate("envoy_cluster_upstream_rq_retry_overflow")))
            evidence.append(SignalEvidence("envoy_retry_limit_exceeded_per_second", r.envoyLimitExceeded,
                                           source: RetryMetricSources.rate("envoy_cluster_upstream_rq_retry_limit_exceeded")))
        }
        return SignalObservation(.retryStorm, service: service, severity: severity, summary: parts.joined(separator: ", "), evidence: evidence)
    }
}
