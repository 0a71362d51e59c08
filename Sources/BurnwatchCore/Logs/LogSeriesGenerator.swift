/// Turns normalised log events into Prometheus-style series written through a `SampleSink`.
///
/// Series (docs/logs.md, "Log-derived series"):
/// - `log_events_total{service, level, status_class, route, error_kind}`
/// - `log_request_duration_seconds_bucket{service, route, le}`, `_sum`, `_count`
/// - `log_attempts_total{service, dependency}`, `log_retries_total{service, dependency}`
/// - `log_lines_total{source}`, `log_lines_unparsed_total{source}`, `log_lines_truncated_total{source}`,
///   `log_lines_invalid_utf8_total{source}`, `log_time_unparsed_total{source}`
/// - `log_label_values_folded_total{label}` (the cardinality guard at work)
/// - the signal series of `LogSignalSeries` (request correlation, retries, idempotency, tenants,
///   dependencies, versions, messaging)
///
/// Counters are cumulative and written at the end of every `step` of log time (and by `finish`),
/// so `rate()` and `increase()` work on them. A series gets a 0 sample at the previous write time
/// when it first appears (for the first step: the start of that step), so its first increase is
/// not lost and even a log shorter than one step has a rate.
public struct LogSeriesGenerator: Sendable {
    /// Upper bounds of the duration histogram, in seconds (`+Inf` is added).
    public static let durationBuckets: [Double] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]

    private struct EventKey: Hashable, Sendable { var service, level, statusClass, route, errorKind: String }
    private struct RouteKey: Hashable, Sendable { var service, route: String }
    private struct DependencyKey: Hashable, Sendable { var service, dependency: String }
    private struct SourceCounterKey: Hashable, Sendable { var name, source: String }
    private struct Histogram: Sendable {
        var counts = [Double](repeating: 0, count: LogSeriesGenerator.durationBuckets.count + 1)
        var sum = 0.0
        var count = 0.0
    }

    /// How often (in log time) the series are written.
    public var step: Interval
    /// Folds label values beyond a limit into `other`.
    public var cardinality: CardinalityGuard
    /// The service label when an event names none.
    public var defaultService: String
    /// The series for signal detectors, written at the same times.
    public var signals: LogSignalSeries

    private var events: [EventKey: Double] = [:]
    private var durations: [RouteKey: Histogram] = [:]
    private var attempts: [DependencyKey: Double] = [:]
    private var retries: [DependencyKey: Double] = [:]
    private var sourceCounters: [SourceCounterKey: Double] = [:]
    private var newSeries: [Labels] = []
    private var lastWrite: Timestamp?
    private var currentStep: Int64?
    private var latest: Timestamp?

    /// Creates a generator.
    ///
    /// - Parameters:
    ///   - step: the interval between writes, in log time (default 15 s, Prometheus's usual scrape interval).
    ///   - cardinality: the label guard.
    ///   - defaultService: the `service` label of events that name none.
    ///   - signals: the signal series and their per-key memory bound.
    public init(step: Interval = Interval(milliseconds: 15_000), cardinality: CardinalityGuard = CardinalityGuard(),
                defaultService: String = "unknown", signals: LogSignalSeries = LogSignalSeries()) {
        self.step = step; self.cardinality = cardinality; self.defaultService = defaultService; self.signals = signals
    }

    /// Counts one event; events without a time use `fallback` (the arrival time).
    ///
    /// - Complexity: O(number of series) when a step boundary is crossed, O(number of the event's other fields) amortised otherwise.
    public mutating func observe<S: SampleSink>(_ event: LogEvent, source: String, fallback: Timestamp, into sink: inout S) {
        let time = event.time ?? fallback
        advance(to: time, into: &sink)
        let service = cardinality.admit("service", event.service ?? defaultService)
        let route = cardinality.admit("route", event.route ?? event.path ?? "")
        let errorKind = cardinality.admit("error_kind", event.errorKind ?? "")
        // Each table is hashed once per line and its entry changed in place (a histogram's
        // counts copied out and back would be a new array per line).
        let key = EventKey(service: service, level: event.level.description, statusClass: event.statusClass,
                           route: route, errorKind: errorKind)
        if let i = events.index(forKey: key) { events.values[i] += 1 } else { noteNew(labelsFor(key)); events[key] = 1 }
        if let d = event.duration, d.isFinite, d >= 0 {
            let rk = RouteKey(service: service, route: route)
            let bucket = LogSeriesGenerator.durationBuckets.firstIndex { d <= $0 } ?? LogSeriesGenerator.durationBuckets.count
            let i: Dictionary<RouteKey, Histogram>.Index
            if let found = durations.index(forKey: rk) { i = found } else {
                noteNew(Labels(["__name__": "log_request_duration_seconds_count", "service": service, "route": route]))
                durations[rk] = Histogram()
                i = durations.index(forKey: rk)!
            }
            durations.values[i].counts[bucket] += 1
            durations.values[i].sum += d
            durations.values[i].count += 1
        }
        if event.attempt != nil || event.retries != nil {
            let dk = DependencyKey(service: service, dependency: cardinality.admit("dependency", event.dependency ?? ""))
            var added = (attempts: 0.0, retries: 0.0)
            if let attempt = event.attempt { added = (1, attempt > 1 ? 1 : 0) } else if let r = event.retries { added = (Double(1 + max(0, r)), Double(max(0, r))) }
            if let i = attempts.index(forKey: dk) {
                attempts.values[i] += added.attempts
            } else {
                noteNew(Labels(["__name__": "log_attempts_total", "service": dk.service, "dependency": dk.dependency]))
                attempts[dk] = added.attempts
            }
            if let i = retries.index(forKey: dk) { retries.values[i] += added.retries } else { retries[dk] = added.retries }
        }
        signals.observe(event, service: service, source: source, time: time, cardinality: &cardinality)
        count("log_lines_total", source: source)
    }

    /// Counts a line of `source` that was not a structured event (kept as message-only).
    public mutating func countUnparsed(source: String) { count("log_lines_unparsed_total", source: source) }
    /// Counts a line of `source` longer than the line cap.
    public mutating func countTruncated(source: String) { count("log_lines_truncated_total", source: source) }
    /// Counts a line of `source` holding invalid UTF-8.
    public mutating func countInvalidUTF8(source: String) { count("log_lines_invalid_utf8_total", source: source) }
    /// Counts a line of `source` whose time field was in an unknown format.
    public mutating func countUnparsedTime(source: String) { count("log_time_unparsed_total", source: source) }

    private mutating func count(_ name: String, source: String) {
        // Keyed by the two strings: a label set per line would cost more than the rest of the count.
        let key = SourceCounterKey(name: name, source: cardinality.admit("source", source))
        if let i = sourceCounters.index(forKey: key) {
            sourceCounters.values[i] += 1
        } else {
            noteNew(Self.labels(key))
            sourceCounters[key] = 1
        }
    }

    private mutating func noteNew(_ labels: Labels) { if lastWrite != nil { newSeries.append(labels) } }

    private mutating func advance<S: SampleSink>(to time: Timestamp, into sink: inout S) {
        if let l = latest, l >= time {} else { latest = time }
        let stepIndex = step.milliseconds > 0 ? floorDiv(time.milliseconds, step.milliseconds) : time.milliseconds
        if let current = currentStep {
            if stepIndex > current { write(at: Timestamp(milliseconds: stepIndex * max(step.milliseconds, 1)), into: &sink); currentStep = stepIndex }
        } else {
            currentStep = stepIndex
            // The counters start at 0 at the beginning of the first step: every series gets that
            // 0 sample before its first value, so even a log shorter than one step has a rate.
            let origin = Timestamp(milliseconds: stepIndex * max(step.milliseconds, 1))
            lastWrite = origin < time ? origin : time - Interval(milliseconds: 1)
        }
    }

    private func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : -((-a + b - 1) / b) }

    /// Writes every series at the latest log time seen (call at the end of input or on a clock tick).
    public mutating func finish<S: SampleSink>(into sink: inout S) {
        guard let latest else { return }
        // Events counted after the last write at the same instant still need a sample.
        let at = lastWrite.map { max(latest, $0 + Interval(milliseconds: 1)) } ?? latest
        write(at: at, into: &sink)
    }

    /// Writes every series' current value at `time` (skipped when not after the previous write).
    public mutating func write<S: SampleSink>(at time: Timestamp, into sink: inout S) {
        if let lastWrite, time <= lastWrite { return }
        if let lastWrite {
            for labels in newSeries { writeZero(labels, at: lastWrite, into: &sink) }
        }
        newSeries.removeAll()
        for (k, v) in events { sink.append(labelsFor(k), time, v) }
        for (k, h) in durations {
            var cumulative = 0.0
            for (i, bound) in LogSeriesGenerator.durationBuckets.enumerated() {
                cumulative += h.counts[i]
                sink.append(Labels(["__name__": "log_request_duration_seconds_bucket", "service": k.service, "route": k.route,
                                    "le": LogSeriesGenerator.formatBound(bound)]), time, cumulative)
            }
            sink.append(Labels(["__name__": "log_request_duration_seconds_bucket", "service": k.service, "route": k.route, "le": "+Inf"]), time, h.count)
            sink.append(Labels(["__name__": "log_request_duration_seconds_sum", "service": k.service, "route": k.route]), time, h.sum)
            sink.append(Labels(["__name__": "log_request_duration_seconds_count", "service": k.service, "route": k.route]), time, h.count)
        }
        for (k, v) in attempts {
            sink.append(Labels(["__name__": "log_attempts_total", "service": k.service, "dependency": k.dependency]), time, v)
            sink.append(Labels(["__name__": "log_retries_total", "service": k.service, "dependency": k.dependency]), time, retries[k] ?? 0)
        }
        for (key, v) in sourceCounters { sink.append(Self.labels(key), time, v) }
        signals.write(at: time, previous: lastWrite, into: &sink)
        for (name, n) in cardinality.folded {
            sink.append(Labels(["__name__": "log_label_values_folded_total", "label": name]), time, Double(n))
        }
        lastWrite = time
    }

    private func writeZero<S: SampleSink>(_ labels: Labels, at time: Timestamp, into sink: inout S) {
        switch labels.metricName {
        case "log_request_duration_seconds_count":
            let service = labels["service"] ?? "", route = labels["route"] ?? ""
            for bound in LogSeriesGenerator.durationBuckets.map(LogSeriesGenerator.formatBound) + ["+Inf"] {
                sink.append(Labels(["__name__": "log_request_duration_seconds_bucket", "service": service, "route": route, "le": bound]), time, 0)
            }
            sink.append(labels.setting("__name__", "log_request_duration_seconds_sum"), time, 0)
            sink.append(labels, time, 0)
        case "log_attempts_total":
            sink.append(labels, time, 0)
            sink.append(labels.setting("__name__", "log_retries_total"), time, 0)
        default:
            sink.append(labels, time, 0)
        }
    }

    private static func labels(_ k: SourceCounterKey) -> Labels { Labels(["__name__": k.name, "source": k.source]) }

    private func labelsFor(_ k: EventKey) -> Labels {
        Labels(["__name__": "log_events_total", "service": k.service, "level": k.level, "status_class": k.statusClass,
                "route": k.route, "error_kind": k.errorKind])
    }

    /// A bucket bound as Prometheus writes `le` (`0.005`, `1`, `2.5`).
    public static func formatBound(_ b: Double) -> String {
        b == b.rounded() ? String(Int(b)) : String(b)
    }
}
