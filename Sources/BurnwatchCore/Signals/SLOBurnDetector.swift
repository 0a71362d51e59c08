/// `slo_burn`: the SLOs' multiwindow burn-rate tiers, as signals (page tier pages, ticket warns).
///
/// The tiers keep their own windows, so the signal has no extra `for` wait; it fires in the round
/// the tier fires and clears in the round it stops. One signal per service: its worst SLO.
public struct SLOBurnDetector: SignalDetector {
    public let kind = SignalKind.sloBurn
    public init() {}

    public func observe(_ context: SignalContext) -> [SignalObservation] {
        var byService: [String: SignalObservation] = [:]
        for status in context.sloStatuses {
            let firing = status.alerts.filter(\.firing)
            let worst = firing.max { $0.tier.severity < $1.tier.severity }
            let severity: Severity? = worst.map { $0.tier.severity == .page ? .page : .warning }
            let name = "\(status.spec.name)"
            var evidence: [SignalEvidence] = []
            for w in status.windows where ["5m", "1h", "6h"].contains(w.window.description) {
                evidence.append(SignalEvidence("\(name)_burn_rate_\(w.window)", w.burnRate,
                                               source: "SLO \(status.spec.service)/\(name): error ratio over \(w.window) ÷ error budget"))
            }
            evidence.append(SignalEvidence("\(name)_budget_remaining", status.budgetRemaining,
                                           source: "SLO \(status.spec.service)/\(name): budget left in the period"))
            let summary: String
            if let worst {
                let long = status.windows.first { $0.window.description == SLOQueries.promDuration(worst.tier.long) }?.burnRate
                summary = "SLO \(name) burns its budget at \(SignalFormat.number(long))x over \(SLOQueries.promDuration(worst.tier.long))"
                    + " (\(worst.tier.severity.rawValue) tier above \(SignalFormat.number(worst.tier.factor))x);"
                    + " \(SignalFormat.percent(status.budgetRemaining)) of the budget left"
            } else {
                summary = "SLO \(name) within budget"
            }
            let o = SignalObservation(.sloBurn, service: status.spec.service, severity: severity, summary: summary, evidence: evidence,
                                      startedAt: firing.compactMap(\.since).min())
            byService[o.service] = byService[o.service].map { SignalEngine.merge($0, o) } ?? o
        }
        return byService.values.sorted { $0.service < $1.service }
    }
}

/// `scrape_failure`: targets down (`up == 0`) or failing, and log sources that stalled or failed.
public struct ScrapeFailureDetector: SignalDetector {
    public let kind = SignalKind.scrapeFailure
    public init() {}

    static let upQuery = "up"

    public func observe(_ context: SignalContext) -> [SignalObservation] {
        struct Tally { var down: [String] = []; var total = 0; var logs: [String] = [] }
        var tallies: [String: Tally] = [:]
        for s in context.vector(Self.upQuery) ?? [] where s.labels.metricName == "up" {
            let service = context.service(for: s.labels)
            tallies[service, default: Tally()].total += 1
            if s.value == 0 { tallies[service, default: Tally()].down.append(s.labels["instance"] ?? s.labels.description) }
        }
        for source in context.logSources {
            let service = source.service ?? context.service(for: .empty)
            let stall = context.settings(kind, service).parameter("stall_seconds", 120)
            if let failure = source.failure {
                tallies[service, default: Tally()].logs.append("\(source.name): \(failure)")
            } else if let last = source.lastLineAt, (context.time - last).seconds > stall {
                tallies[service, default: Tally()].logs.append("\(source.name): no line for \(Int((context.time - last).seconds))s")
            } else {
                _ = tallies[service, default: Tally()]
            }
        }
        return tallies.keys.sorted().map { service in
            let t = tallies[service]!
            let failing = Double(t.down.count + t.logs.count)
            let settings = context.settings(kind, service)
            var parts: [String] = []
            if !t.down.isEmpty { parts.append("\(t.down.count) of \(t.total) targets down (\(t.down.sorted().prefix(3).joined(separator: ", "))\(t.down.count > 3 ? ", …" : ""))") }
            if !t.logs.isEmpty { parts.append("log source \(t.logs.prefix(2).joined(separator: "; "))") }
            return SignalObservation(.scrapeFailure, service: service, severity: settings.severity(of: failing),
                                     summary: parts.isEmpty ? "all \(t.total) targets up" : parts.joined(separator: "; "),
                                     evidence: [SignalEvidence("targets_down", t.total > 0 ? Double(t.down.count) : nil, source: "count(up == 0)"),
                                                SignalEvidence("targets", t.total > 0 ? Double(t.total) : nil, source: "count(up)"),
                                                SignalEvidence("log_sources_failing", context.logSources.isEmpty ? nil : Double(t.logs.count),
                                                               source: "log sources stalled or failed")])
        }
    }
}
