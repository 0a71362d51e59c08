/// `duplicate_side_effect`: successful writes that repeat an idempotency key, counted over 10m.
///
/// `increase` is rounded to whole writes. One duplicate warns, ten page (the defaults); there is no `for` wait: a duplicate already happened.
/// - Complexity: two grouped queries per round.
public struct DuplicateSideEffectDetector: SignalDetector {
    public let kind = SignalKind.duplicateSideEffect
    public init() {}

    static let duplicatesQuery = "sum by (job, service) (increase(log_duplicate_side_effects_total[10m]))"
    static let writesQuery = "sum by (job, service) (increase(log_successful_writes_total[10m]))"

    public func observe(_ context: SignalContext) -> [SignalObservation] {
        let duplicates = context.sumByService(Self.duplicatesQuery)
        let writes = context.sumByService(Self.writesQuery)
        return Set(duplicates.keys).union(writes.keys).sorted().map { service in
            // Counts are whole: `increase` extrapolates a little to the window's edges.
            let d = duplicates[service].map { $0.rounded() }
            let settings = context.settings(kind, service)
            var summary = d.map { "\(SignalFormat.number($0)) successful writes repeated an idempotency key in 10m" } ?? "no duplicate writes seen"
            if let d, let w = writes[service], w > 0 { summary += " (of \(SignalFormat.number(w)) writes)" }
            return SignalObservation(kind, service: service, severity: settings.severity(of: d), summary: summary,
                                     evidence: [SignalEvidence("duplicate_writes", d, source: Self.duplicatesQuery),
                                                SignalEvidence("successful_writes", writes[service], source: Self.writesQuery)])
        }
    }
}
