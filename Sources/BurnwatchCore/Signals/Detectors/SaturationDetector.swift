/// `saturation` (USE): a resource near its limit, a queue that keeps growing or is full, a pool
/// rejecting work, goroutines piling up, GC eating the CPU.
///
/// Sources per service: the config's `resources:` (used ÷ limit, or a queue and its capacity),
/// then built-in knowledge: worker pools named `*_busy_workers`/`*_workers`,
/// `*_queue_depth`/`*_queue_capacity`, `*_rejected_total`; the process collector (fds, CPU
/// against GOMAXPROCS, memory against GOMEMLIMIT); the Go runtime (goroutines, GC CPU);
/// client_golang's `go_sql_*`; OpenTelemetry DB pools; HAProxy (queues, sessions against
/// limits); node_exporter (CPU, memory, filesystems, file handles; these warn at most). The
/// worst resource decides; when p99 latency rises with it, the summary says so.
///
/// - Complexity: about 25 grouped queries per round plus the config's, whatever the number of services.
public struct SaturationDetector: SignalDetector {
    public let kind = SignalKind.saturation
    public init() {}

    static let groupBy = "job, service, instance"

    public func observe(_ context: SignalContext) -> [SignalObservation] {
        var readings: [String: [SaturationReading]] = [:]
        for (service, config) in context.configs.sorted(by: { $0.key < $1.key }) {
            readings[service, default: []] += Self.configured(config.resources, context, growthMinutes: context.settings(kind, service).parameter("queue_growth_minutes", 5))
        }
        for (service, list) in SaturationBuiltIns.readings(context) {
            for r in list where !(readings[service] ?? []).contains(where: { $0.evidenceName == r.evidenceName }) {
                readings[service, default: []].append(r)
            }
        }
        var judgedByService: [String: [(SaturationReading, Severity?)]] = [:]
        for (service, list) in readings {
            let s = context.settings(kind, service)
            judgedByService[service] = list.map { ($0, $0.severity(s)) }
        }
        // p99 is read only for the services with a hot resource: the summary names it for them alone.
        let saturated = Set(readings.keys.filter { service in judgedByService[service]!.contains { $0.1 != nil } })
        let rising = saturated.isEmpty ? [:] : SaturationBuiltIns.latencyRising(context, services: saturated)
        return readings.keys.sorted().compactMap { service in
            let list = readings[service]!
            guard list.contains(where: { $0.value != nil }) else { return nil }
            let judged = judgedByService[service]!
            let worst = judged.compactMap(\.1).max()
            let hot = judged.filter { $0.1 != nil }.sorted { ($0.1!, $0.0.value ?? 0) > ($1.1!, $1.0.value ?? 0) }.map(\.0)
            var summary: String
            if hot.isEmpty {
                let busiest = list.filter { $0.shape == .utilization && $0.value != nil }.max { $0.value! < $1.value! }
                summary = busiest.map { "no resource saturated (busiest: \($0.phrase))" } ?? "no resource saturated"
            } else {
                summary = hot.prefix(3).map(\.phrase).joined(separator: ", ")
                if hot.count > 3 { summary += ", and \(hot.count - 3) more" }
                if let r = rising[service] { summary += "; p99 rising with it (\(SignalFormat.seconds(r.now)) from \(SignalFormat.seconds(r.before)))" }
            }
            var evidence = list.map { SignalEvidence($0.evidenceName, $0.value, source: $0.source) }
            if let r = rising[service] { evidence.append(SignalEvidence("p99_seconds", r.now, source: r.source)) }
            return SignalObservation(.saturation, service: service, severity: worst, summary: summary, evidence: evidence)
        }
    }

    /// The config's resources of one service.
    static func configured(_ resources: [ResourceConfig], _ context: SignalContext, growthMinutes: Double) -> [SaturationReading] {
        resources.map { r in
            if let used = r.used, let limit = r.limit {
                let u = context.scalar(used), l = context.scalar(limit)
                let value: Double? = (u != nil && l != nil && l! > 0) ? u! / l! : nil
                return SaturationReading(name: r.name, shape: .utilization, value: value, source: "(\(used)) / (\(limit))")
            }
            let queue = r.queue ?? ""
            let window = "\(Int(growthMinutes.rounded()))m"
            let growing = (context.scalar("min_over_time((\(queue))[\(window):15s])") ?? 0) > 0
                && (context.scalar("deriv((\(queue))[\(window):15s])") ?? 0) > 0
            return SaturationReading(name: r.name, shape: .queue, value: context.scalar(queue),
                                     capacity: r.capacity.flatMap { context.scalar($0) }, growing: growing,
                                     source: queue + (r.capacity.map { " (capacity \($0))" } ?? ""))
        }
    }
}
