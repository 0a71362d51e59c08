/// `tenant_hotspot`: one tenant taking most requests or most errors, or far above its own previous hour.
///
/// Sources: `log_tenant_requests_total{service,tenant}` / `log_tenant_errors_total`, and request
/// counters (`*requests_total`) with a `tenant`, `customer` or `org_id` label (errors = 5xx codes).
/// Over 5m: a tenant above `info` (50%) of requests, with ≥ 3 tenants and ≥ `min_requests`/s, is
/// info; a tenant above `warn` (50%) of errors (≥ 2 tenants) while errors exceed 1% of requests
/// warns; a tenant above `baseline_factor` × its previous hour's rate (with a baseline) warns.
/// The previous hour is read as of the last whole minute (`SignalContext.baselineVector`).
/// Tenant names are label values: untrusted text, escaped by whoever displays them.
/// - Complexity: five grouped queries per round.
public struct TenantHotspotDetector: SignalDetector {
    public let kind = SignalKind.tenantHotspot
    public init() {}

    static let logRequestsQuery = "sum by (job, service, tenant) (rate(log_tenant_requests_total[5m]))"
    static let logErrorsQuery = "sum by (job, service, tenant) (rate(log_tenant_errors_total[5m]))"
    static let logBaselineQuery = "sum by (job, service, tenant) (rate(log_tenant_requests_total[1h] offset 5m))"
    // HAProxy's frontend and backend request counters carry the same labels (`proxy`), so once
    // `rate` drops the name they collide ("vector cannot contain metrics with the same labelset");
    // they have no status or tenant label either: left out.
    static let metricSelector = "{__name__=~\".*requests_total\", __name__!~\"log_.*|.*client.*|haproxy_.*_requests_total\"}"
    static let metricRequestsQuery = "sum by (job, service, tenant, customer, org_id, code, status_code, status) (rate(\(metricSelector)[5m]))"
    static let metricBaselineQuery = "sum by (job, service, tenant, customer, org_id) (rate(\(metricSelector)[1h] offset 5m))"
    static let tenantLabels = ["tenant", "customer", "org_id"]

    struct Tenant { var requests = 0.0; var errors = 0.0; var baseline: Double? }

    public func observe(_ context: SignalContext) -> [SignalObservation] {
        var tenants: [String: [String: Tenant]] = [:]
        func add(_ q: String, baseline: Bool = false, _ apply: (inout Tenant, Double, Labels) -> Void) {
            for s in (baseline ? context.baselineVector(q) : context.vector(q)) ?? [] where !s.value.isNaN {
                guard let tenant = DetectorSeriesHelpers.firstLabel(s.labels, Self.tenantLabels) else { continue }
                let service = context.service(for: s.labels)
                var t = tenants[service, default: [:]][tenant] ?? Tenant()
                apply(&t, s.value, s.labels)
                tenants[service, default: [:]][tenant] = t
            }
        }
        add(Self.logRequestsQuery) { t, v, _ in t.requests += v }
        add(Self.logErrorsQuery) { t, v, _ in t.errors += v }
        add(Self.logBaselineQuery, baseline: true) { t, v, _ in t.baseline = (t.baseline ?? 0) + v }
        add(Self.metricRequestsQuery) { t, v, l in
            t.requests += v
            if DetectorSeriesHelpers.statusClass(DetectorSeriesHelpers.firstLabel(l, DetectorSeriesHelpers.codeLabels)) == "5xx" { t.errors += v }
        }
        add(Self.metricBaselineQuery, baseline: true) { t, v, _ in t.baseline = (t.baseline ?? 0) + v }
        return tenants.keys.sorted().map { observation($0, tenants[$0]!, context) }
    }

    private func observation(_ service: String, _ tenants: [String: Tenant], _ context: SignalContext) -> SignalObservation {
        let settings = context.settings(kind, service)
        let minRequests = settings.parameter("min_requests", 0.5)
        let factor = settings.parameter("baseline_factor", 10)
        let active = tenants.filter { $0.value.requests > 0 }
        let requests = active.values.reduce(0) { $0 + $1.requests }
        let errors = active.values.reduce(0) { $0 + $1.errors }
        let top = active.max { ($0.value.requests, $1.key) < ($1.value.requests, $0.key) }
        let topErrors = active.max { ($0.value.errors, $1.key) < ($1.value.errors, $0.key) }
        let share: Double? = requests > 0 ? top.map { $0.value.requests / requests } : nil
        let errorShare: Double? = errors > 0 ? topErrors.map { $0.value.errors / errors } : nil
        let errorRatio: Double? = requests > 0 ? errors / requests : nil
        var severity: Severity?
        var reasons: [String] = []
        if active.count >= 3, requests >= minRequests, let share, let info = settings.info, share > info, let top {
            severity = .info
            reasons.append("tenant \(top.key) sends \(SignalFormat.percent(share)) of \(SignalFormat.number(requests)) requests/s")
        }
        if active.count >= 2, requests >= minRequests, let errorRatio, errorRatio > 0.01, let errorShare,
           let warn = settings.warn, errorShare > warn, let topErrors {
            severity = DetectorSeriesHelpers.worse(severity, .warning)
            reasons.insert("tenant \(topErrors.key) has \(SignalFormat.percent(errorShare)) of the errors (error ratio \(SignalFormat.percent(errorRatio)))", at: 0)
        }
        var burst: (tenant: String, factor: Double)?
        for (name, t) in active {
            guard let b = t.baseline, b > 0, t.requests >= minRequests else { continue }
            let f = t.requests / b
            if f > factor, f > (burst?.factor ?? 0) { burst = (name, f) }
        }
        if let burst {
            severity = DetectorSeriesHelpers.worse(severity, .warning)
            reasons.append("tenant \(burst.tenant) at \(SignalFormat.number(burst.factor))x its previous hour")
        }
        let summary = reasons.isEmpty
            ? "\(active.count) tenants; busiest \(top.map { "\($0.key) at \(SignalFormat.percent(share))" } ?? "none") of \(SignalFormat.number(requests)) requests/s"
            : reasons.joined(separator: "; ")
        return SignalObservation(kind, service: service, severity: severity, summary: summary, evidence: [
            SignalEvidence("top_tenant_request_share", share, source: "\(Self.logRequestsQuery); \(Self.metricRequestsQuery)"),
            SignalEvidence("top_tenant_error_share", errorShare, source: "\(Self.logErrorsQuery); 5xx of \(Self.metricRequestsQuery)"),
            SignalEvidence("error_ratio", errorRatio, source: "tenant errors ÷ tenant requests over 5m"),
            SignalEvidence("tenants", Double(active.count), source: "tenants with requests in 5m"),
            SignalEvidence("requests_per_second", requests, source: "\(Self.logRequestsQuery); \(Self.metricRequestsQuery)"),
            SignalEvidence("largest_baseline_factor", burst?.factor, source: "tenant rate ÷ \(Self.logBaselineQuery); \(Self.metricBaselineQuery)"),
        ])
    }
}
