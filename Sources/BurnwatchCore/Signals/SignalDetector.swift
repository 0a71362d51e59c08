/// A detector: reads the store at one time and says, per service, whether its condition holds.
///
/// Detectors keep no state between rounds: what they need from the past is in the series (rates
/// over windows, the previous hour through `offset`). Hysteresis and "since when" live in
/// `SignalTracker`, so a replay or `eval` at any time gives what the live session gave.
public protocol SignalDetector: Sendable {
    /// The kind it raises.
    var kind: SignalKind { get }

    /// The observations at `context.time`: one per service where the kind applies.
    ///
    /// A service whose condition does not hold should still be reported (severity nil) when the
    /// detector has numbers for it, so a firing signal can clear with current evidence.
    func observe(_ context: SignalContext) -> [SignalObservation]
}

/// What a log source looked like at an evaluation time (live sessions only).
public struct LogSourceFact: Sendable, Hashable {
    public var name: String
    public var service: String?
    /// When its last line arrived, nil before the first.
    public var lastLineAt: Timestamp?
    /// Why it is not reading, when it is not (an error, an exited command).
    public var failure: String?

    public init(name: String, service: String? = nil, lastLineAt: Timestamp? = nil, failure: String? = nil) {
        self.name = name; self.service = service; self.lastLineAt = lastLineAt; self.failure = failure
    }
}

/// Everything a detector may read at one evaluation time, with the queries it runs cached.
///
/// A query that fails is remembered as a problem (once per expression) and reads as no data.
public final class SignalContext {
    public let time: Timestamp
    public let querier: any PromQLQuerier
    /// The configured services' signal settings by name (empty when there is no config).
    public let configs: [String: ServiceSignalConfig]
    /// The configured service names, in config order.
    public let services: [String]
    /// The SLO statuses at `time` (for `slo_burn`, `latency` and `deploy_regression`).
    public let sloStatuses: [SLOStatus]
    /// Log sources' health (live sessions; empty in `eval`).
    public let logSources: [LogSourceFact]
    /// Query failures seen this round, by expression.
    public private(set) var problems: [String: String] = [:]
    private var cache: [String: [VectorSample]?] = [:]
    private var matrices: [String: [MatrixSeries]?] = [:]
    private let memo: SignalQueryMemo?

    public init(time: Timestamp, querier: any PromQLQuerier, services: [String] = [], configs: [ServiceSignalConfig] = [],
                sloStatuses: [SLOStatus] = [], logSources: [LogSourceFact] = [], memo: SignalQueryMemo? = nil) {
        self.time = time; self.querier = querier; self.services = services; self.sloStatuses = sloStatuses
        self.logSources = logSources; self.memo = memo
        var byName: [String: ServiceSignalConfig] = [:]
        for c in configs { byName[c.service] = c }
        self.configs = byName
    }

    /// The settings of `kind` for `service`: the defaults with the config's changes.
    public func settings(_ kind: SignalKind, _ service: String) -> SignalSettings {
        let base = SignalCatalog.defaults(kind)
        guard let o = configs[service]?.overrides[kind] else { return base }
        return base.overlaid(with: o)
    }

    /// The service a series belongs to: its `service` label, else its `job`; when services are
    /// configured and the name is none of them, the only configured service (if there is one).
    public func service(for labels: Labels) -> String {
        let raw = labels["service"].flatMap { $0.isEmpty ? nil : $0 } ?? labels["job"].flatMap { $0.isEmpty ? nil : $0 }
        if services.isEmpty { return raw ?? "unknown" }
        if let raw, services.contains(raw) { return raw }
        if services.count == 1 { return services[0] }
        return raw ?? "unknown"
    }

    /// Selectors of `metric` that together hold exactly the series `service(for:)` gives to one of
    /// `services`: those whose `service` label names one, and those without one whose `job` does
    /// (the bare metric when the config names one service, which then owns every series; none for none).
    ///
    /// - Complexity: O(total length of the names).
    public func selectors(_ metric: String, of services: Set<String>) -> [String] {
        // Beside one configured service, a series belongs to its `service` label, else its `job`,
        // else "unknown" (which the bare metric covers).
        if self.services.count == 1 || services.contains("unknown") { return [metric] }
        if services.isEmpty { return [] }
        let alternatives = Self.stringLiteral(services.sorted().map(Self.regexLiteral).joined(separator: "|"))
        return ["\(metric){service=~\(alternatives)}", "\(metric){service=\"\", job=~\(alternatives)}"]
    }

    /// `text` with every regex metacharacter escaped, so that it matches itself only.
    static func regexLiteral(_ text: String) -> String {
        var out = ""
        for ch in text {
            if "\\.+*?()|[]{}^$".contains(ch) { out.append("\\") }
            out.append(ch)
        }
        return out
    }

    /// `text` as a PromQL double-quoted string.
    static func stringLiteral(_ text: String) -> String { "\"" + Labels.escape(text) + "\"" }

    /// The instant vector of `expression` at `time`, nil when it failed (see `problems`).
    ///
    /// - Complexity: one query per distinct expression per round.
    public func vector(_ expression: String) -> [VectorSample]? {
        if let hit = cache[expression] { return hit }
        var out: [VectorSample]?
        do {
            out = Self.instantSamples(try querier.instantQuery(expression, at: time))
        } catch {
            problems[expression] = "\(error)"
            out = nil
        }
        cache[expression] = out
        return out
    }

    /// An instant query's answer as samples: a vector without its NaN samples, a scalar that is
    /// not NaN as one sample, anything else as none.
    private static func instantSamples(_ value: QueryValue) -> [VectorSample] {
        switch value {
        case .vector(let v): v.filter { $0.value.isFinite || $0.value.isInfinite }
        case .scalar(let t, let v): v.isNaN ? [] : [VectorSample(labels: .empty, timestamp: t, value: v)]
        case .matrix, .string: []
        }
    }

    /// The range vector of `expression` (a subquery or a range selector) at `time`, nil when it
    /// failed (see `problems`).
    /// - Complexity: one query per distinct expression per round.
    public func matrix(_ expression: String) -> [MatrixSeries]? {
        if let hit = matrices[expression] { return hit }
        var out: [MatrixSeries]?
        do {
            if case .matrix(let m) = try querier.instantQuery(expression, at: time) { out = m } else { out = [] }
        } catch {
            problems[expression] = "\(error)"
        }
        matrices[expression] = out
        return out
    }

    /// The instant vector of a previous-hour baseline `expression` at the last whole minute at or
    /// before `time`, nil when it failed (see `problems`).
    ///
    /// A baseline (`rate(x[1h] offset 5m)`) reads samples at least its offset old, so its answer
    /// at a past minute cannot change; it moves once a minute, and the memo keeps the answer for
    /// that minute. The minute is absolute, so `eval`, a replay and the live session agree.
    /// - Complexity: one query per distinct expression per minute (per round without a memo).
    public func baselineVector(_ expression: String) -> [VectorSample]? {
        let minute = (time.milliseconds >= 0 ? time.milliseconds / 60_000 : (time.milliseconds - 59_999) / 60_000) * 60_000
        let cacheKey = "\u{1}baseline " + expression
        if let hit = cache[cacheKey] { return hit }
        if let kept = memo?.baseline(expression, at: minute) { cache[cacheKey] = kept; return kept }
        var out: [VectorSample]?
        do {
            out = Self.instantSamples(try querier.instantQuery(expression, at: Timestamp(milliseconds: minute)))
            memo?.storeBaseline(expression, at: minute, out ?? [])
        } catch {
            problems[expression] = "\(error)"
        }
        cache[cacheKey] = out
        return out
    }

    /// The answers of `expression` at every multiple of `step` in (`end − range`, `end`], where
    /// `end` is `offset` before `time`, per label set in time order: what the subquery
    /// `(expression)[range:step] offset offset` holds (Prometheus 3's left-open range; the
    /// embedded engine's in its compatibility mode 2, a left-closed one).
    ///
    /// Each instant is asked once and kept in the memo while it stays in the range, so a round
    /// asks only the instants new since the last one. The instants must lie in the past by at
    /// least the window the expression reads (`offset` ≥ its range), or a kept answer could
    /// miss samples that arrive later.
    ///
    /// - Returns: nil when an instant's query failed (see `problems`).
    /// - Complexity: one instant query per new step.
    public func stepValues(_ expression: String, range: Interval, step: Interval, offset: Interval) -> [(labels: Labels, values: [Double])]? {
        let end = time.milliseconds - offset.milliseconds
        let start = end - range.milliseconds
        let s = max(1, step.milliseconds)
        var first = (start >= 0 ? start / s : -((-start + s - 1) / s)) * s
        let leftClosed = (querier as? PromQLEngine).map { !$0.options.leftOpen } ?? false
        if leftClosed ? first < start : first <= start { first += s }
        var order: [Labels] = []
        var series: [Labels: [Double]] = [:]
        var ts = first
        while ts <= end {
            let samples: [VectorSample]
            if let kept = memo?.value(expression, at: ts) {
                samples = kept
            } else {
                do {
                    switch try querier.instantQuery(expression, at: Timestamp(milliseconds: ts)) {
                    case .vector(let v): samples = v
                    case .scalar(_, let v): samples = [VectorSample(labels: .empty, timestamp: Timestamp(milliseconds: ts), value: v)]
                    case .matrix, .string: samples = []
                    }
                } catch {
                    if problems[expression] == nil { problems[expression] = "\(error)" }
                    return nil
                }
                memo?.store(expression, at: ts, samples, keepingFrom: first)
            }
            for sample in samples {
                if series[sample.labels] == nil { order.append(sample.labels) }
                series[sample.labels, default: []].append(sample.value)
            }
            ts += s
        }
        return order.map { ($0, series[$0]!) }
    }

    /// The samples of the baseline `expression` (see `baselineVector`) summed per service.
    public func sumByService(baseline expression: String) -> [String: Double] { sumByService(samples: baselineVector(expression)) }

    /// The largest value per service of `samples` (NaN skipped).
    public func maxByService(samples: [VectorSample]) -> [String: Double] { maxByService(samples) }

    /// The samples of `expression` summed per service (NaN samples skipped).
    public func sumByService(_ expression: String) -> [String: Double] { sumByService(samples: vector(expression)) }

    private func sumByService(samples: [VectorSample]?) -> [String: Double] {
        var out: [String: Double] = [:]
        for s in samples ?? [] where !s.value.isNaN { out[service(for: s.labels), default: 0] += s.value }
        return out
    }

    /// The largest sample of `expression` per service (NaN samples skipped).
    public func maxByService(_ expression: String) -> [String: Double] { maxByService(vector(expression)) }

    private func maxByService(_ samples: [VectorSample]?) -> [String: Double] {
        var out: [String: Double] = [:]
        for s in samples ?? [] where !s.value.isNaN {
            let service = service(for: s.labels)
            out[service] = max(out[service] ?? -.infinity, s.value)
        }
        return out
    }

    /// The samples of `expression` grouped per service.
    public func samplesByService(_ expression: String) -> [String: [VectorSample]] {
        var out: [String: [VectorSample]] = [:]
        for s in vector(expression) ?? [] { out[service(for: s.labels), default: []].append(s) }
        return out
    }

    /// The sum of all samples of `expression`, nil when it has none (no data is not 0).
    public func scalar(_ expression: String) -> Double? {
        guard let v = vector(expression), !v.isEmpty else { return nil }
        let values = v.map(\.value).filter { !$0.isNaN }
        return values.isEmpty ? nil : values.reduce(0, +)
    }
}
