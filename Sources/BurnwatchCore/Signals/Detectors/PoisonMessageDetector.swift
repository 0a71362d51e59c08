/// `poison_message`: redelivered and dead-lettered messages over 10m, and consumer lag that keeps growing.
///
/// Counts `increase(log_redelivered_messages_total[10m])` + `increase(log_dead_letters_total[10m])`
/// + growth of dead-letter queue metrics (`*dead_letter*`, `*dlq*`) against `warn` (1) and `page` (20).
/// Consumer lag (`log_consumer_lag`, `kafka_consumergroup_lag`, `*_consumer_lag*`,
/// `rabbitmq_queue_messages_ready`; not `*_queue_depth`, which is saturation's) higher at each of
/// now, half of `lag_growth_minutes` ago and `lag_growth_minutes` ago warns.
/// - Complexity: seven grouped queries per round.
public struct PoisonMessageDetector: SignalDetector {
    public let kind = SignalKind.poisonMessage
    public init() {}

    static let redeliveredQuery = "sum by (job, service) (increase(log_redelivered_messages_total[10m]))"
    static let deadLettersQuery = "sum by (job, service) (increase(log_dead_letters_total[10m]))"
    static let dlqCountersQuery = "sum by (job, service) (increase({__name__=~\".*(dead_letter|dlq).*_total\", __name__!~\"log_.*\"}[10m]))"
    static let dlqGaugesQuery = "sum by (job, service) (clamp_min(delta({__name__=~\".*(dead_letter|dlq).*\", __name__!~\"log_.*|.*_total|.*_created\"}[10m]), 0))"
    static let lagSelector = "{__name__=~\"log_consumer_lag|kafka_consumergroup_lag|.*_consumer_lag.*|rabbitmq_queue_messages_ready\"}"

    static func lagQuery(offsetMinutes: Int) -> String {
        "sum by (job, service, consumergroup, group, topic, queue) (\(lagSelector)\(offsetMinutes > 0 ? " offset \(offsetMinutes)m" : ""))"
    }

    public func observe(_ context: SignalContext) -> [SignalObservation] {
        let redelivered = context.sumByService(Self.redeliveredQuery)
        let deadLetters = context.sumByService(Self.deadLettersQuery)
        let dlqCounters = context.sumByService(Self.dlqCountersQuery)
        let dlqGauges = context.sumByService(Self.dlqGaugesQuery)
        let minutes = Int(SignalCatalog.defaults(kind).parameter("lag_growth_minutes", 10).rounded())
        let growth = lagGrowth(context, minutes: max(2, minutes))
        let services = Set(redelivered.keys).union(deadLetters.keys).union(dlqCounters.keys).union(dlqGauges.keys).union(growth.keys)
        return services.sorted().map { service in
            let settings = context.settings(kind, service)
            let dlq: Double? = dlqCounters[service] == nil && dlqGauges[service] == nil ? nil : (dlqCounters[service] ?? 0) + (dlqGauges[service] ?? 0)
            let parts = [redelivered[service], deadLetters[service], dlq].compactMap { $0 }
            // Whole messages: `increase` extrapolates a little to the window's edges.
            let poisoned: Double? = parts.isEmpty ? nil : parts.reduce(0, +).rounded()
            var severity = settings.severity(of: poisoned)
            let g = growth[service]
            if g?.growing == true { severity = DetectorSeriesHelpers.worse(severity, .warning) }
            var pieces: [String] = []
            if let poisoned, poisoned > 0 {
                pieces.append("\(SignalFormat.number(poisoned)) messages redelivered or dead-lettered in 10m")
            }
            if let g, g.growing {
                pieces.append("consumer lag grew from \(SignalFormat.number(g.before)) to \(SignalFormat.number(g.now)) over \(minutes)m")
            }
            let summary = pieces.isEmpty ? "no redeliveries or dead letters in 10m; lag \(g.map { SignalFormat.number($0.now) } ?? "not reported")"
                : pieces.joined(separator: "; ")
            return SignalObservation(kind, service: service, severity: severity, summary: summary, evidence: [
                SignalEvidence("redelivered_messages", redelivered[service], source: Self.redeliveredQuery),
                SignalEvidence("dead_letters", deadLetters[service], source: Self.deadLettersQuery),
                SignalEvidence("dead_letter_queue_growth", dlq, source: "\(Self.dlqCountersQuery) + \(Self.dlqGaugesQuery)"),
                SignalEvidence("consumer_lag", g?.now, source: Self.lagQuery(offsetMinutes: 0)),
                SignalEvidence("consumer_lag_before", g?.before, source: Self.lagQuery(offsetMinutes: minutes)),
            ])
        }
    }

    struct Growth { var now: Double; var before: Double; var growing: Bool }

    /// Per service, the consumer whose lag grew the most, and whether it grew at both steps.
    private func lagGrowth(_ context: SignalContext, minutes: Int) -> [String: Growth] {
        func byConsumer(_ q: String) -> [Labels: (String, Double)] {
            var out: [Labels: (String, Double)] = [:]
            for s in context.vector(q) ?? [] where !s.value.isNaN { out[s.labels] = (context.service(for: s.labels), s.value) }
            return out
        }
        let now = byConsumer(Self.lagQuery(offsetMinutes: 0))
        let half = byConsumer(Self.lagQuery(offsetMinutes: minutes / 2))
        let before = byConsumer(Self.lagQuery(offsetMinutes: minutes))
        var out: [String: Growth] = [:]
        for (labels, (service, n)) in now {
            guard let h = half[labels]?.1, let b = before[labels]?.1 else {
                if out[service] == nil { out[service] = Growth(now: n, before: n, growing: false) }
                continue
            }
            let g = Growth(now: n, before: b, growing: n > h && h > b)
            if let old = out[service], (old.growing && !g.growing) || (old.growing == g.growing && old.now - old.before >= n - b) { continue }
            out[service] = g
        }
        return out
    }
}
