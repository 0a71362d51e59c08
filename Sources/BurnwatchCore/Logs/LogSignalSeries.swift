/// Log-derived series for the signal detectors: correlation, retries, idempotency, tenants, dependencies, versions, messaging.
///
/// `LogSeriesGenerator` feeds every event to `observe` and calls `write` at its step times, so the
/// series follow its conventions: label values through its cardinality guard, cumulative counters,
/// a 0 sample at the previous write when a counter first appears (gauges start at their first value).
/// The series and their labels are listed in docs/logs.md ("Log-derived series").
///
/// Per-key state (request keys, retrying layers, idempotency keys, message keys) lives in
/// `LogKeyTable`s: keys seen within `window` of log time, at most `keyCapacity` per table, so memory
/// is bounded however long the log. Keys pushed out by the capacity are counted in
/// `log_signal_keys_evicted_total`.
public struct LogSignalSeries: Sendable {
    enum Metric: UInt8, Sendable {
        case requestLines, uncorrelated, unique, repeatAttempts, manyAttempts, multiLayer
        case delayCount, delaySum, delaySumSquares, retryOutcomes, successfulWrites, duplicateSideEffects
        case tenantRequests, tenantErrors, dependencyCalls, versionInfo, versionChanges
        case redelivered, deadLetters, consumerLag, evicted, wrongType

        var name: String {
            switch self {
            case .requestLines: "log_request_lines_total"
            case .uncorrelated: "log_requests_uncorrelated_total"
            case .unique: "log_unique_requests_total"
            case .repeatAttempts: "log_repeat_attempts_total"
            case .manyAttempts: "log_requests_many_attempts_total"
            case .multiLayer: "log_multi_layer_retries_total"
            case .delayCount: "log_retry_delay_seconds_count"
            case .delaySum: "log_retry_delay_seconds_sum"
            case .delaySumSquares: "log_retry_delay_seconds_sum_squares"
            case .retryOutcomes: "log_retry_outcomes_total"
            case .successfulWrites: "log_successful_writes_total"
            case .duplicateSideEffects: "log_duplicate_side_effects_total"
            case .tenantRequests: "log_tenant_requests_total"
            case .tenantErrors: "log_tenant_errors_total"
            case .dependencyCalls: "log_dependency_calls_total"
            case .versionInfo: "log_version_info"
            case .versionChanges: "log_version_changes_total"
            case .redelivered: "log_redelivered_messages_total"
            case .deadLetters: "log_dead_letters_total"
            case .consumerLag: "log_consumer_lag"
            case .evicted: "log_signal_keys_evicted_total"
            case .wrongType: "log_fields_wrong_type_total"
            }
        }

        /// The names of the labels beside `service` (`""` when unused).
        var labelNames: (String, String) {
            switch self {
            case .delayCount, .delaySum, .delaySumSquares: ("attempt", "")
            case .retryOutcomes: ("outcome", "")
            case .tenantRequests, .tenantErrors: ("tenant", "")
            case .dependencyCalls: ("dependency", "outcome")
            case .versionInfo: ("version", "")
            case .wrongType: ("field", "")
            default: ("", "")
            }
        }

        var isGauge: Bool { self == .versionInfo || self == .consumerLag }
    }

    struct SeriesKey: Hashable, Sendable {
        var metric: Metric
        var service: String
        var a = ""
        var b = ""
    }

    private struct RequestState: Sendable { var lines: Int32 = 0; var manyCounted = false }
    private struct LayerState: Sendable { var time: Int64 = 0; var attempt = 0 }
    private struct RetrierState: Sendable { var firstLayer: Layer; var counted = false }
    private struct MessageState: Sendable { var seen = 0; var counted = false }
    private struct ServiceVersions: Sendable { var current: String; var seen: Set<String> }

    /// The values a line carries in its other fields, read once.
    private struct LineFields {
        var delay: Double?
        var version: String?
        var messageID: String?
        var partition: String?
        var offset: String?
        var deliveries: Int?
        var deadLetter: Bool?
        var lag: Double?
    }

    /// A key of a service's own (a request id, an idempotency key, a message).
    private struct ServiceKey: Hashable, Sendable { var service: String; var key: String }
    /// A request key as one layer (a service and a log source) saw it.
    private struct LayerKey: Hashable, Sendable { var service: String; var source: String; var key: String }
    /// A retrying layer: a service and a log source.
    private struct Layer: Hashable, Sendable { var service: String; var source: String }

    private var values: [SeriesKey: Double] = [:]
    private var pending: [SeriesKey] = []
    private var requests: LogKeyTable<ServiceKey, RequestState>
    private var layers: LogKeyTable<LayerKey, LayerState>
    private var retriers: LogKeyTable<String, RetrierState>
    private var writes: LogKeyTable<ServiceKey, Int>
    private var messages: LogKeyTable<ServiceKey, MessageState>
    private var versions: [String: ServiceVersions] = [:]
    private var evictedReported = 0
    private var requestServices: Set<String> = []

    /// Creates the series with empty state.
    ///
    /// - Parameters:
    ///   - window: how long per-key state is kept after a key was last seen, in log time (default 10 minutes).
    ///   - keyCapacity: the most keys kept per table (default 100,000); the least recently seen go first.
    public init(window: Interval = Interval(milliseconds: 600_000), keyCapacity: Int = 100_000) {
        let w = window.milliseconds
        requests = LogKeyTable(window: w, capacity: keyCapacity)
        layers = LogKeyTable(window: w, capacity: keyCapacity)
        retriers = LogKeyTable(window: w, capacity: keyCapacity)
        writes = LogKeyTable(window: w, capacity: keyCapacity)
        messages = LogKeyTable(window: w, capacity: keyCapacity)
    }

    /// How many keys the tables hold now, over all tables.
    public var trackedKeys: Int { requests.count + layers.count + retriers.count + writes.count + messages.count }

    /// Counts one event.
    ///
    /// - Parameters:
    ///   - event: the event.
    ///   - service: its `service` label, already through the cardinality guard.
    ///   - source: the source it came from (with `service`, a retrying layer).
    ///   - time: its log time (the arrival time when it has none).
    ///   - cardinality: the guard for the `tenant`, `dependency` and `version` labels.
    /// - Complexity: O(number of other fields) amortised.
    public mutating func observe(_ event: LogEvent, service: String, source: String, time: Timestamp,
                                 cardinality: inout CardinalityGuard) {
        let t = time.milliseconds
        let fields = readFields(event)
        let isRequest = event.status != nil || event.duration != nil || event.attempt != nil || event.retries != nil
        var message: [UInt8]?
        func lowerMessage() -> [UInt8] {
            if let message { return message }
            let m = LogFieldValue.lowercasedBytes(event.message)
            message = m
            return m
        }
        if isRequest {
            observeRequest(event, fields: fields, service: service, source: source, at: t)
            if let tenant = event.tenant, !tenant.isEmpty {
                let label = cardinality.admit("tenant", tenant)
                if add(.tenantRequests, service, label) { ensure(.tenantErrors, service, label) }
                if (event.status ?? 0) >= 500 || event.level >= .error { add(.tenantErrors, service, label) }
            }
        }
        if let dependency = event.dependency, !dependency.isEmpty {
            let label = cardinality.admit("dependency", dependency)
            let kind = LogFieldValue.lowercasedBytes(event.errorKind)
            let timedOut = LogFieldValue.contains(kind, "timeout") || LogFieldValue.contains(kind, "deadline")
                || LogFieldValue.contains(lowerMessage(), "timeout") || LogFieldValue.contains(lowerMessage(), "deadline")
            let failed = (event.status ?? 0) >= 500 || event.errorKind != nil || event.level >= .error
            if add(.dependencyCalls, service, label, timedOut ? "timeout" : failed ? "error" : "ok") {
                for outcome in ["ok", "error", "timeout"] { ensure(.dependencyCalls, service, label, outcome) }
            }
        }
        if let version = fields.version { observeVersion(cardinality.admit("version", version), service: service) }
        let deadLetterMessage = event.message != nil
            && (LogFieldValue.contains(lowerMessage(), "dead letter") || LogFieldValue.contains(lowerMessage(), "dead-letter")
                || LogFieldValue.contains(lowerMessage(), "dlq"))
        observeMessage(fields, deadLetterMessage: deadLetterMessage, service: service, at: t)
        if let lag = fields.lag { set(.consumerLag, service, value: lag) }
        let evicted = requests.evicted + layers.evicted + retriers.evicted + writes.evicted + messages.evicted
        if evicted > evictedReported {
            add(.evicted, "", by: Double(evicted - evictedReported))
            evictedReported = evicted
        }
    }

    private mutating func observeRequest(_ e: LogEvent, fields: LineFields, service: String, source: String, at t: Int64) {
        if requestServices.insert(service).inserted {
            for m in [Metric.requestLines, .uncorrelated, .unique, .repeatAttempts, .manyAttempts, .multiLayer] { ensure(m, service) }
            ensure(.retryOutcomes, service, "success"); ensure(.retryOutcomes, service, "failure")
        }
        add(.requestLines, service)
        if e.requestID == nil && e.traceID == nil { add(.uncorrelated, service) }
        let key = [e.requestID, e.idempotencyKey].lazy.compactMap { $0 }.first { !$0.isEmpty }
        var repeated = (e.attempt ?? 1) > 1
        var many = (e.attempt ?? 0) >= 4
        if let key {
            let attempt = e.attempt
            let (isNew, reachedMany) = requests.update(ServiceKey(service: service, key: key), at: t, initial: RequestState()) { s, isNew in
                if s.lines < Int32.max { s.lines += 1 }
                let reached = (attempt ?? 0) >= 4 || s.lines >= 4
                defer { if reached { s.manyCounted = true } }
                return (isNew, reached && !s.manyCounted)
            }
            if isNew { add(.unique, service) } else { repeated = true }
            many = reachedMany
        } else {
            add(.unique, service)
        }
        if repeated { add(.repeatAttempts, service) }
        if many { add(.manyAttempts, service) }
        let retrying = (e.attempt ?? 0) > 1 || (e.retries ?? 0) > 0
        if retrying {
            let failed = (e.status ?? 0) >= 500 || e.errorKind != nil || e.level >= .error
            add(.retryOutcomes, service, failed ? "failure" : "success")
            if let id = e.requestID, !id.isEmpty {
                let layer = Layer(service: service, source: source)
                let completes = retriers.update(id, at: t, initial: RetrierState(firstLayer: layer)) { s, isNew in
                    if isNew || s.counted || s.firstLayer == layer { return false }
                    s.counted = true
                    return true
                }
                if completes { add(.multiLayer, service) }
            }
        }
        observeDelay(e, explicit: fields.delay, key: key, service: service, source: source, at: t)
        if let ik = e.idempotencyKey, !ik.isEmpty, let status = e.status, (200...299).contains(status), Self.isWrite(e.method) {
            let successes = writes.update(ServiceKey(service: service, key: ik), at: t, initial: 0) { n, _ in n += 1; return n }
            if add(.successfulWrites, service) { ensure(.duplicateSideEffects, service) }
            if successes > 1 { add(.duplicateSideEffects, service) }
        }
    }

    /// Records the wait before a further attempt: the line's delay field, else the gap since the
    /// previous attempt of the same key in the same layer.
    private mutating func observeDelay(_ e: LogEvent, explicit: Double?, key: String?, service: String, source: String, at t: Int64) {
        var attempt = e.attempt ?? e.retries.map { max(0, $0) + 1 } ?? 1
        var inferred: Double?
        if let key {
            let given = e.attempt, retries = e.retries.map { max(0, $0) }
            let startOffset: Int64? = e.duration.flatMap { $0.isFinite && $0 >= 0 && $0 < 1e9 ? Int64(($0 * 1000).rounded()) : nil }
            (attempt, inferred) = layers.update(LayerKey(service: service, source: source, key: key), at: t,
                                                initial: LayerState()) { s, isNew in
                let k = given ?? (isNew ? (retries ?? 0) + 1 : max(s.attempt + 1, (retries ?? 0) + 1))
                var gap: Double?
                if !isNew, k >= 2, k == s.attempt + 1 {
                    var start = t
                    if let offset = startOffset, t - offset >= s.time { start = t - offset }
                    gap = Double(max(0, start - s.time)) / 1000
                }
                s.time = t; s.attempt = k
                return (k, gap)
            }
        }
        guard attempt >= 2, let delay = explicit ?? inferred else { return }
        let level = attempt >= 5 ? "5+" : String(attempt)
        add(.delayCount, service, level)
        add(.delaySum, service, level, by: delay)
        add(.delaySumSquares, service, level, by: delay * delay)
    }

    private mutating func observeVersion(_ version: String, service: String) {
        guard var v = versions[service] else {
            versions[service] = ServiceVersions(current: version, seen: [version])
            set(.versionInfo, service, version, value: 1)
            ensure(.versionChanges, service)
            return
        }
        guard version != v.current, v.seen.insert(version).inserted else { return }
        if Self.isOlder(version, than: v.current) { versions[service] = v; return }
        set(.versionInfo, service, v.current, value: 0)
        set(.versionInfo, service, version, value: 1)
        add(.versionChanges, service)
        v.current = version
        versions[service] = v
    }

    private mutating func observeMessage(_ f: LineFields, deadLetterMessage: Bool, service: String, at t: Int64) {
        let key = f.messageID ?? f.partition.flatMap { p in f.offset.map { p + "/" + $0 } }
        if key != nil || f.deliveries != nil || f.deadLetter != nil || deadLetterMessage {
            ensure(.redelivered, service); ensure(.deadLetters, service)
        }
        if let key {
            let deliveries = f.deliveries
            let counts = messages.update(ServiceKey(service: service, key: key), at: t, initial: MessageState()) { s, _ in
                s.seen += 1
                guard !s.counted, max(s.seen, deliveries ?? 0) >= 3 else { return false }
                s.counted = true
                return true
            }
            if counts { add(.redelivered, service) }
        } else if let d = f.deliveries, d >= 3 {
            add(.redelivered, service)
        }
        if f.deadLetter == true || deadLetterMessage { add(.deadLetters, service) }
    }

    /// Reads the delay, version, messaging and lag fields in one pass; values of the wrong type are counted and skipped.
    private mutating func readFields(_ e: LogEvent) -> LineFields {
        var f = LineFields()
        for (name, value) in e.fields where !value.isEmpty {
            // One hash per field, not a comparison with every name below.
            guard let role = Self.fieldRoles[name] else { continue }
            switch role {
            case .version:
                if f.version == nil { f.version = value }
            case .messageID:
                if f.messageID == nil { f.messageID = value }
            case .partition: f.partition = value
            case .offset: f.offset = value
            case .deliveryCount, .redeliveryCount:
                guard let n = LogFieldValue.integer(value), n >= 0 else { wrongType(name); continue }
                f.deliveries = max(f.deliveries ?? 0, role == .deliveryCount ? n : n + 1)
            case .redelivered:
                guard let b = LogFieldValue.flag(value) else { wrongType(name); continue }
                if b { f.deliveries = max(f.deliveries ?? 0, 2) }
            case .deadLetter:
                guard let b = LogFieldValue.flag(value) else { wrongType(name); continue }
                f.deadLetter = (f.deadLetter ?? false) || b
            case .lag:
                guard let n = LogFieldValue.number(value) else { wrongType(name); continue }
                f.lag = n
            case .delay(let scale):
                guard f.delay == nil else { continue }
                let seconds = LogFieldValue.number(value).map { $0 * scale } ?? LogFieldValue.goDuration(value)
                guard let seconds, seconds >= 0 else { wrongType(name); continue }
                f.delay = seconds
            }
        }
        return f
    }

    /// What a field of a log line tells the series, by its name.
    enum FieldRole: Hashable {
        case version, messageID, partition, offset, deliveryCount, redeliveryCount, redelivered, deadLetter, lag
        /// A delay: seconds per unit of its number.
        case delay(Double)
    }

    /// Every field name that means something to the series, with its role.
    static let fieldRoles: [String: FieldRole] = {
        var roles: [String: FieldRole] = [:]
        for name in ["version", "app_version", "service.version", "build_version"] { roles[name] = .version }
        for name in ["message_id", "msg_id", "messageId", "delivery_id"] { roles[name] = .messageID }
        roles["partition"] = .partition
        roles["offset"] = .offset
        roles["delivery_count"] = .deliveryCount
        roles["redelivery_count"] = .redeliveryCount
        roles["redelivered"] = .redelivered
        roles["dlq"] = .deadLetter
        roles["dead_letter"] = .deadLetter
        roles["lag"] = .lag
        roles["consumer_lag"] = .lag
        for base in ["backoff", "delay", "retry_delay", "retry_after", "retry_in", "sleep", "wait"] {
            for (suffix, scale) in [("", 1.0), ("_seconds", 1.0), ("_ms", 0.001), ("_s", 1.0)] { roles[base + suffix] = .delay(scale) }
        }
        return roles
    }()

    private mutating func wrongType(_ field: String) {
        ensure(.wrongType, "", field)
        add(.wrongType, "", field)
    }

    /// The seconds per unit of a delay field's number (`backoff`, `retry_delay_ms`…), or `nil` when `name` is not one.
    static func delayScale(_ name: String) -> Double? {
        if case .delay(let scale)? = fieldRoles[name] { return scale }
        return nil
    }

    /// Whether a request with this method changes state: POST, PUT, PATCH, DELETE, or no method given.
    static func isWrite(_ method: String?) -> Bool {
        guard let method, !method.isEmpty else { return true }
        switch LogFieldValue.asciiLowercased(method) {
        case "post", "put", "patch", "delete": return true
        default: return false
        }
    }

    /// Whether `a` is an older release than `b`, when both are dotted numbers (`1.9.2` < `v1.10.0`);
    /// `false` when either is not (a hash or a name), so a version not seen before counts as newer.
    static func isOlder(_ a: String, than b: String) -> Bool {
        func parts(_ s: String) -> [Int]? {
            let trimmed = s.hasPrefix("v") || s.hasPrefix("V") ? s.dropFirst() : Substring(s)
            let core = trimmed.split(separator: "-", maxSplits: 1).first ?? trimmed
            let p = core.split(separator: ".", omittingEmptySubsequences: false).map { Int($0) }
            return p.isEmpty || p.contains(nil) ? nil : p.compactMap { $0 }
        }
        guard let x = parts(a), let y = parts(b) else { return false }
        for i in 0..<max(x.count, y.count) {
            let p = i < x.count ? x[i] : 0, q = i < y.count ? y[i] : 0
            if p != q { return p < q }
        }
        return false
    }

    private mutating func ensure(_ m: Metric, _ service: String, _ a: String = "", _ b: String = "") {
        let key = SeriesKey(metric: m, service: service, a: a, b: b)
        if values[key] == nil {
            values[key] = 0
            if !m.isGauge { pending.append(key) }
        }
    }

    /// Adds `amount` to a counter; `true` when the counter is new.
    @discardableResult
    private mutating func add(_ m: Metric, _ service: String, _ a: String = "", _ b: String = "", by amount: Double = 1) -> Bool {
        let key = SeriesKey(metric: m, service: service, a: a, b: b)
        if let i = values.index(forKey: key) { values.values[i] += amount; return false }
        pending.append(key)
        values[key] = amount
        return true
    }

    private mutating func set(_ m: Metric, _ service: String, _ a: String = "", value: Double) {
        values[SeriesKey(metric: m, service: service, a: a)] = value
    }

    /// Writes every series' value at `time`, after a 0 at `previous` for counters that appeared since then.
    ///
    /// - Parameters:
    ///   - time: the write time (after `previous`).
    ///   - previous: the previous write time, or `nil` for the first write.
    ///   - sink: where the samples go.
    /// - Complexity: O(number of series).
    public mutating func write<S: SampleSink>(at time: Timestamp, previous: Timestamp?, into sink: inout S) {
        if let previous {
            for key in pending { sink.append(labels(key), previous, 0) }
        }
        pending.removeAll()
        for (key, v) in values { sink.append(labels(key), time, v) }
    }

    func labels(_ k: SeriesKey) -> Labels {
        let (an, bn) = k.metric.labelNames
        return Labels([Label("__name__", k.metric.name), Label("service", k.service), Label(an, k.a), Label(bn, k.b)])
    }
}
