/// `deploy_regression`: a version change followed within `window_minutes` by a firing burn tier or a slower p99.
///
/// A version change is a second `version` label value within the window on `*_build_info`,
/// `go_info` or `log_version_info`, or an increase of `log_version_changes_total`; restarts
/// (`process_start_time_seconds`) alone are not deploys, they only date one. After a change a
/// firing page tier of the service's SLOs pages, a ticket tier warns, and p99 over 5m above `warn`
/// (1.5×) the p99 of the hour before the window warns. Services without a change report nothing.
/// - Complexity: six grouped queries per round.
public struct DeployRegressionDetector: SignalDetector {
    public let kind = SignalKind.deployRegression
    public init() {}

    static let versionSelector = "{__name__=~\".+_build_info|go_info|log_version_info\"}"
    static func versionsQuery(_ m: Int) -> String {
        "count by (job, service, version) (max_over_time(\(versionSelector)[\(m)m]))"
    }
    static let currentVersionQuery = "max by (job, service, version) (\(versionSelector))"
    static func changesQuery(_ m: Int) -> String { "sum by (job, service) (increase(log_version_changes_total[\(m)m]))" }
    static let startTimeQuery = "max by (job, service) (process_start_time_seconds)"
    static let bucketSelector = "{__name__=~\"http_request_duration_seconds_bucket|http_server_request_duration_seconds_bucket|log_request_duration_seconds_bucket\"}"
    static let p99Query = "histogram_quantile(0.99, sum by (job, service, le) (rate(\(bucketSelector)[5m])))"
    static func baselineQuery(_ m: Int) -> String {
        "histogram_quantile(0.99, sum by (job, service, le) (rate(\(bucketSelector)[1h] offset \(m)m)))"
    }

    public func observe(_ context: SignalContext) -> [SignalObservation] {
        let m = Int(SignalCatalog.defaults(kind).parameter("window_minutes", 30).rounded())
        var versions: [String: Set<String>] = [:]
        for s in context.vector(Self.versionsQuery(m)) ?? [] {
            if let v = s.labels["version"], !v.isEmpty { versions[context.service(for: s.labels), default: []].insert(v) }
        }
        var current: [String: (version: String, value: Double)] = [:]
        for s in context.vector(Self.currentVersionQuery) ?? [] {
            guard let v = s.labels["version"], !v.isEmpty else { continue }
            let service = context.service(for: s.labels)
            if s.value > (current[service]?.value ?? -.infinity) { current[service] = (v, s.value) }
        }
        let counted = context.sumByService(Self.changesQuery(m))
        let changed = Set(versions.filter { $0.value.count > 1 }.keys).union(counted.filter { $0.value >= 1 }.keys)
        guard !changed.isEmpty else { return [] }
        let starts = context.maxByService(Self.startTimeQuery)
        let p99 = context.maxByService(Self.p99Query)
        let baseline = context.maxByService(Self.baselineQuery(m))
        return changed.sorted().map { service in
            let settings = context.settings(kind, service)
            let now = current[service]?.version
            let previous = versions[service]?.subtracting(now.map { [$0] } ?? []).sorted().last
            var head = "version " + (previous.map { "\($0) → " } ?? "") + (now ?? "changed")
            if let start = starts[service], start > context.time.seconds - Double(m) * 60 - 60, start <= context.time.seconds {
                head += " at " + Self.clock(start)
            }
            var parts = [head]
            var severity: Severity?
            let p = p99[service], b = baseline[service]
            let factor: Double? = p.flatMap { p in b.flatMap { b in b > 0 && p.isFinite && b.isFinite ? p / b : nil } }
            if let factor {
                parts.append("p99 \(SignalFormat.number(factor))x the hour before")
                if let warn = settings.warn, factor > warn { severity = .warning }
            }
            let firing = context.sloStatuses.filter { $0.spec.service == service }.flatMap { $0.alerts.filter(\.firing) }
            if let worst = firing.max(by: { $0.tier.severity < $1.tier.severity }) {
                severity = DetectorSeriesHelpers.worse(severity, worst.tier.severity == .page ? .page : .warning)
                parts.append("\(SLOQueries.promDuration(worst.tier.long)) tier firing")
            }
            return SignalObservation(kind, service: service, severity: severity, summary: parts.joined(separator: "; "), evidence: [
                SignalEvidence("versions_in_window", versions[service].map { Double($0.count) }, source: Self.versionsQuery(m)),
                SignalEvidence("version_changes", counted[service], source: Self.changesQuery(m)),
                SignalEvidence("p99_seconds", p, source: Self.p99Query),
                SignalEvidence("p99_before_seconds", b, source: Self.baselineQuery(m)),
                SignalEvidence("p99_factor", factor, source: "\(Self.p99Query) / \(Self.baselineQuery(m))"),
                SignalEvidence("burn_tiers_firing", Double(firing.count), source: "SLO burn-rate tiers of \(service)"),
            ])
        }
    }

    /// `HH:MM` (UTC) of Unix seconds.
    static func clock(_ seconds: Double) -> String {
        let s = Int((seconds.truncatingRemainder(dividingBy: 86_400) + 86_400).truncatingRemainder(dividingBy: 86_400))
        let h = s / 3600, mm = (s % 3600) / 60
        return (h < 10 ? "0" : "") + "\(h):" + (mm < 10 ? "0" : "") + "\(mm)"
    }
}
