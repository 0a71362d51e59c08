/// `error_taxonomy_shift`: the mix of errors changed, 5m against the previous hour, or it has no mix at all.
///
/// Error categories: status classes `4xx`/`5xx` and (from logs) non-empty `error_kind`s, from
/// `log_events_total{status_class,error_kind}` and request counters with a code label
/// (`code`, `status`, `status_code`, `http_response_status_code`). Logs and metrics are judged apart.
/// Warns when a category appears that the previous hour (which had data) lacked, when a
/// category's share of errors moves more than `warn` (20 points), or when more than `all_500`
/// of errors are 5xx with no 4xx at all. Nothing is judged below `min_errors` errors per second;
/// with no previous hour only "everything is a 5xx" is.
/// The previous hour is read as of the last whole minute (`SignalContext.baselineVector`).
/// - Complexity: four grouped queries per round.
public struct ErrorTaxonomyShiftDetector: SignalDetector {
    public let kind = SignalKind.errorTaxonomyShift
    public init() {}

    static let logNowQuery = "sum by (job, service, status_class, error_kind) (rate(log_events_total[5m]))"
    static let logBeforeQuery = "sum by (job, service, status_class, error_kind) (rate(log_events_total[1h] offset 5m))"
    // HAProxy's frontend and backend request counters carry the same labels (`proxy`), so once
    // `rate` drops the name they collide ("vector cannot contain metrics with the same labelset");
    // they have no status or tenant label either: left out.
    static let metricSelector = "{__name__=~\".*requests_total|.*request_duration_seconds_count|haproxy_frontend_http_responses_total\", __name__!~\"log_.*|.*client.*|haproxy_.*_requests_total\"}"
    static let metricNowQuery = "sum by (job, service, code, status, status_code, http_response_status_code) (rate(\(metricSelector)[5m]))"
    static let metricBeforeQuery = "sum by (job, service, code, status, status_code, http_response_status_code) (rate(\(metricSelector)[1h] offset 5m))"

    /// Error rates per category, all traffic, and total errors, of one service and one source.
    struct Mix {
        var categories: [String: Double] = [:]
        var traffic = 0.0
        var errors = 0.0
        var share: [String: Double] { errors > 0 ? categories.mapValues { $0 / errors } : [:] }
    }

    public func observe(_ context: SignalContext) -> [SignalObservation] {
        let sources: [(name: String, now: [String: Mix], before: [String: Mix], query: String)] = [
            ("logs", logMix(context.vector(Self.logNowQuery), context), logMix(context.baselineVector(Self.logBeforeQuery), context), Self.logNowQuery),
            ("metrics", metricMix(context.vector(Self.metricNowQuery), context), metricMix(context.baselineVector(Self.metricBeforeQuery), context),
             Self.metricNowQuery),
        ]
        var out: [String: SignalObservation] = [:]
        for source in sources {
            for service in source.now.keys.sorted() {
                let o = judge(service, source.name, source.now[service]!, source.before[service], source.query, context)
                out[service] = out[service].map { SignalEngine.merge($0, o) } ?? o
            }
        }
        return out.values.sorted { $0.service < $1.service }
    }

    private func logMix(_ samples: [VectorSample]?, _ context: SignalContext) -> [String: Mix] {
        var out: [String: Mix] = [:]
        for s in samples ?? [] where !s.value.isNaN {
            let service = context.service(for: s.labels)
            var m = out[service] ?? Mix()
            m.traffic += s.value
            let cls = s.labels["status_class"] ?? "", errorKind = s.labels["error_kind"] ?? ""
            let isClassError = cls == "4xx" || cls == "5xx"
            if isClassError { m.categories[cls, default: 0] += s.value }
            if !errorKind.isEmpty { m.categories["kind " + errorKind, default: 0] += s.value }
            if isClassError || !errorKind.isEmpty { m.errors += s.value }
            out[service] = m
        }
        return out
    }

    private func metricMix(_ samples: [VectorSample]?, _ context: SignalContext) -> [String: Mix] {
        var out: [String: Mix] = [:]
        for s in samples ?? [] where !s.value.isNaN {
            guard let cls = DetectorSeriesHelpers.statusClass(DetectorSeriesHelpers.firstLabel(s.labels, DetectorSeriesHelpers.codeLabels)) else { continue }
            let service = context.service(for: s.labels)
            var m = out[service] ?? Mix()
            m.traffic += s.value
            if cls == "4xx" || cls == "5xx" { m.categories[cls, default: 0] += s.value; m.errors += s.value }
            out[service] = m
        }
        return out
    }

    private func judge(_ service: String, _ source: String, _ now: Mix, _ before: Mix?, _ query: String,
                       _ context: SignalContext) -> SignalObservation {
        let settings = context.settings(kind, service)
        let minErrors = settings.parameter("min_errors", 0.05)
        let all500 = settings.parameter("all_500", 0.9)
        let shareNow = now.share
        var reasons: [String] = []
        var largestMove: Double?
        var appeared: [String] = []
        let hasBaseline = (before?.traffic ?? 0) > 0
        if now.errors >= minErrors, hasBaseline, let before {
            appeared = now.categories.filter { $0.value > 0 && (before.categories[$0.key] ?? 0) <= 0 }.keys.sorted()
            if !appeared.isEmpty { reasons.append("new error \(appeared.prefix(3).joined(separator: ", ")) not seen in the previous hour") }
            if before.errors > 0 {
                let shareBefore = before.share
                var move: (String, Double)?
                for cat in Set(shareNow.keys).union(shareBefore.keys) {
                    let d = (shareNow[cat] ?? 0) - (shareBefore[cat] ?? 0)
                    if abs(d) > abs(move?.1 ?? 0) || move == nil { move = (cat, d) }
                }
                largestMove = move.map { abs($0.1) }
                if let move, let warn = settings.warn, abs(move.1) > warn {
                    reasons.append("\(move.0) share of errors \(SignalFormat.percent(shareBefore[move.0] ?? 0)) → \(SignalFormat.percent(shareNow[move.0] ?? 0)) against the previous hour")
                }
            }
        }
        let share5xx: Double? = now.errors > 0 ? shareNow["5xx"] ?? 0 : nil
        if now.errors >= minErrors, let share5xx, share5xx > all500, (now.categories["4xx"] ?? 0) <= 0 {
            reasons.append("every error is a 5xx: no 4xx taxonomy (\(SignalFormat.percent(share5xx)) of \(SignalFormat.number(now.errors)) errors/s)")
        }
        let summary = reasons.isEmpty
            ? "\(SignalFormat.number(now.errors)) errors/s in \(source); mix steady\(hasBaseline ? "" : " (no previous hour to compare)")"
            : "\(source): " + reasons.joined(separator: "; ")
        return SignalObservation(kind, service: service, severity: reasons.isEmpty ? nil : .warning, summary: summary, evidence: [
            SignalEvidence("\(source)_errors_per_second", now.errors, source: query),
            SignalEvidence("\(source)_5xx_share", share5xx, source: "5xx ÷ errors of \(query)"),
            SignalEvidence("\(source)_largest_share_move", largestMove, source: "largest |share now − share previous hour| of \(query) and its [1h] offset 5m at the last whole minute"),
            SignalEvidence("\(source)_new_categories", hasBaseline && now.errors >= minErrors ? Double(appeared.count) : nil,
                           source: "error classes in 5m absent from the previous hour"),
        ])
    }
}
