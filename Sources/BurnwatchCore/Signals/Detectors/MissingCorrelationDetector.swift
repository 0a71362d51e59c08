/// `missing_correlation`: request log lines with neither `request_id` nor `trace_id` ÷ request lines over 5m.
///
/// A share above `info` (1%) is reported as info by default; `warn`/`page` may be configured.
/// - Complexity: two grouped queries per round.
public struct MissingCorrelationDetector: SignalDetector {
    public let kind = SignalKind.missingCorrelation
    public init() {}

    static let uncorrelatedQuery = "sum by (job, service) (rate(log_requests_uncorrelated_total[5m]))"
    static let linesQuery = "sum by (job, service) (rate(log_request_lines_total[5m]))"

    public func observe(_ context: SignalContext) -> [SignalObservation] {
        let uncorrelated = context.sumByService(Self.uncorrelatedQuery)
        let lines = context.sumByService(Self.linesQuery)
        return lines.keys.sorted().map { service in
            let total = lines[service]!
            let ratio: Double? = total > 0 ? (uncorrelated[service] ?? 0) / total : nil
            let settings = context.settings(kind, service)
            let summary = ratio.map { "\(SignalFormat.percent($0)) of request log lines carry neither request_id nor trace_id" }
                ?? "no request log lines in 5m"
            return SignalObservation(kind, service: service, severity: DetectorSeriesHelpers.severityAbove(ratio, settings), summary: summary,
                                     evidence: [SignalEvidence("uncorrelated_ratio", ratio, source: "\(Self.uncorrelatedQuery) / \(Self.linesQuery)"),
                                                SignalEvidence("request_lines_per_second", total, source: Self.linesQuery)])
        }
    }
}
