/// `dependency_failure`: per dependency, errors and timeouts ÷ calls over 5m; the worst one decides.
///
/// Sources: `log_dependency_calls_total{service,dependency,outcome}`, client-call counters with a
/// peer label (`*_client_requests_total`, `*_dependency_calls_total`, OTel
/// `http_client_request_duration_seconds_count`; error = outcome error/timeout, a 5xx code or a
/// non-empty `error` label), and HAProxy backends as dependencies of the proxy (5xx responses and
/// connection errors ÷ responses; a backend whose status says down warns).
/// A ratio is judged only when the dependency gets at least `min_calls` per second.
/// - Complexity: four grouped queries per round, linear in the series they return.
public struct DependencyFailureDetector: SignalDetector {
    public let kind = SignalKind.dependencyFailure
    public init() {}

    static let peerLabels = ["dependency", "peer", "upstream", "target_service", "server_address", "net_peer_name"]
    static let callsQuery = "sum by (job, service, dependency, peer, upstream, target_service, server_address, net_peer_name, outcome, code, status_code, http_response_status_code, status, error, error_type) "
        + "(rate({__name__=~\".+_client_requests_total|.+_dependency_calls_total|http_client_request_duration_seconds_count\"}[5m]))"
    static let haproxyResponsesQuery = "sum by (job, service, proxy, backend, code) (rate(haproxy_backend_http_responses_total[5m]))"
    static let haproxyConnErrorsQuery = "sum by (job, service, proxy, backend) (rate(haproxy_backend_connection_errors_total[5m]))"
    static let haproxyStatusQuery = "haproxy_backend_status"

    struct Tally { var calls = 0.0; var errors = 0.0; var timeouts = 0.0; var down = false; var source = "" }

    public func observe(_ context: SignalContext) -> [SignalObservation] {
        var deps: [String: [String: Tally]] = [:]
        for s in context.vector(Self.callsQuery) ?? [] where !s.value.isNaN {
            guard let dep = DetectorSeriesHelpers.firstLabel(s.labels, Self.peerLabels) else { continue }
            let outcome = (s.labels["outcome"] ?? "").lowercased()
            let timeout = outcome == "timeout"
            let err = timeout || outcome == "error" || outcome == "failure"
                || DetectorSeriesHelpers.statusClass(DetectorSeriesHelpers.firstLabel(s.labels, DetectorSeriesHelpers.codeLabels)) == "5xx"
                || !(s.labels["error"] ?? "").isEmpty || !(s.labels["error_type"] ?? "").isEmpty
            var t = deps[context.service(for: s.labels), default: [:]][dep] ?? Tally(source: Self.callsQuery)
            t.calls += s.value
            if err { t.errors += s.value }
            if timeout { t.timeouts += s.value }
            deps[context.service(for: s.labels), default: [:]][dep] = t
        }
        func backend(_ l: Labels) -> String? { DetectorSeriesHelpers.firstLabel(l, ["proxy", "backend"]) }
        for s in context.vector(Self.haproxyResponsesQuery) ?? [] where !s.value.isNaN {
            guard let b = backend(s.labels) else { continue }
            let service = context.service(for: s.labels)
            var t = deps[service, default: [:]][b] ?? Tally(source: Self.haproxyResponsesQuery)
            t.calls += s.value
            if DetectorSeriesHelpers.statusClass(s.labels["code"]) == "5xx" { t.errors += s.value }
            deps[service, default: [:]][b] = t
        }
        for s in context.vector(Self.haproxyConnErrorsQuery) ?? [] where !s.value.isNaN {
            guard let b = backend(s.labels) else { continue }
            let service = context.service(for: s.labels)
            var t = deps[service, default: [:]][b] ?? Tally(source: Self.haproxyConnErrorsQuery)
            t.calls += s.value; t.errors += s.value
            deps[service, default: [:]][b] = t
        }
        for s in context.vector(Self.haproxyStatusQuery) ?? [] where s.labels.metricName == "haproxy_backend_status" {
            guard let b = backend(s.labels) else { continue }
            let state = s.labels["state"]?.uppercased()
            let down = state == nil ? s.value == 0 : (state == "DOWN" && s.value == 1)
            let service = context.service(for: s.labels)
            var t = deps[service, default: [:]][b] ?? Tally(source: Self.haproxyStatusQuery)
            if down { t.down = true }
            deps[service, default: [:]][b] = t
        }
        return deps.keys.sorted().map { service in observation(service, deps[service]!, context) }
    }

    private func observation(_ service: String, _ tallies: [String: Tally], _ context: SignalContext) -> SignalObservation {
        let settings = context.settings(kind, service)
        let minCalls = settings.parameter("min_calls", 0.1)
        var evidence: [SignalEvidence] = []
        var worst: (dep: String, severity: Severity?, ratio: Double?, t: Tally)?
        for dep in tallies.keys.sorted() {
            let t = tallies[dep]!
            let ratio: Double? = t.calls > 0 ? t.errors / t.calls : nil
            let judged = t.calls >= minCalls ? ratio : nil
            var severity = settings.severity(of: judged)
            if t.down { severity = DetectorSeriesHelpers.worse(severity, .warning) }
            let name = DetectorSeriesHelpers.evidenceName(dep)
            evidence.append(SignalEvidence("\(name)_error_ratio", ratio, source: "errors ÷ calls of \(dep): \(t.source)"))
            evidence.append(SignalEvidence("\(name)_calls_per_second", t.calls > 0 || t.source != Self.haproxyStatusQuery ? t.calls : nil,
                                           source: t.source))
            if t.down { evidence.append(SignalEvidence("\(name)_down", 1, source: Self.haproxyStatusQuery)) }
            let rank = { (s: Severity?, r: Double?) in (s.map { [Severity.info, .warning, .page].firstIndex(of: $0)! + 1 } ?? 0, r ?? -1) }
            if worst == nil || rank(severity, judged) > rank(worst!.severity, worst!.ratio) {
                worst = (dep, severity, judged, t)
            }
        }
        var summary = "\(tallies.count) dependencies within error budget"
        if let w = worst, w.severity != nil {
            if w.t.down && (w.ratio ?? 0) < (settings.warn ?? 0.05) {
                summary = "\(w.dep) is down"
            } else {
                summary = "\(w.dep) fails \(SignalFormat.percent(w.ratio)) of \(SignalFormat.number(w.t.calls)) calls/s"
                if w.t.timeouts > 0 { summary += " (timeouts \(SignalFormat.percent(w.t.timeouts / w.t.calls)))" }
            }
        } else if let w = worst, let r = w.ratio {
            summary = "worst dependency \(w.dep) fails \(SignalFormat.percent(r)) of \(SignalFormat.number(w.t.calls)) calls/s"
        }
        return SignalObservation(kind, service: service, severity: worst?.severity, summary: summary, evidence: evidence)
    }
}
