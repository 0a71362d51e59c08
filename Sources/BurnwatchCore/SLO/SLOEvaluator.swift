/// Evaluates SLOs through any `PromQLQuerier`: the embedded engine or a remote server.
///
/// Each window costs two queries (errors and totals; one for a raw ratio SLI). Over a range,
/// every query is one range query, so a thousand steps cost no more queries than one.
public struct SLOEvaluator: Sendable {
    public var querier: any PromQLQuerier

    public init(querier: any PromQLQuerier) { self.querier = querier }

    /// The most steps asked of one range query (Prometheus allows 11,000 points per series).
    public static let maxPointsPerQuery = 10_000

    /// The statuses of one SLO at each step and the alert transitions between them.
    public struct Evaluation: Sendable {
        public var statuses: [SLOStatus]
        public var transitions: [SLOAlertTransition]
    }

    /// Evaluates `spec` at `from`, `from + every`, … up to `to` inclusive.
    ///
    /// - Parameters:
    ///   - spec: the SLO.
    ///   - from: the first evaluation time.
    ///   - to: the last one (not before `from`).
    ///   - every: the step (ignored when `from == to`).
    ///   - machine: the alert state carried from earlier evaluations.
    ///   - lookBack: when a tier fires at the first time and the machine has seen nothing yet,
    ///     find when its streak began (see `firingSince`) so that `since` is not just `from`.
    /// - Throws: `BurnwatchError` from the querier, or `.config` when a latency threshold is not a
    ///   bucket bound (the message lists the bounds).
    /// - Complexity: O(windows) queries plus O(steps × windows) arithmetic.
    public func evaluate(_ spec: SLOSpec, from: Timestamp, to: Timestamp, every: Interval,
                         machine: inout SLOAlertStateMachine, lookBack: Bool = false) throws -> Evaluation {
        let step = every.milliseconds > 0 ? every : Interval(milliseconds: 1000)
        var times: [Timestamp] = []
        var t = from
        while t <= to { times.append(t); t = t + step }
        if times.isEmpty { times = [from] }
        let queries = SLOQueries(spec.indicator, latencyBound: try latencyBound(spec, at: times.last!))

        var perWindow: [[SLOWindowMeasurement]] = []
        for window in SLOWindow.all {
            if case .period = window, case .calendarMonth = spec.period {
                perWindow.append(try times.map { try measure(queries, window: spec.period.window(at: $0), times: [$0], step: step)[0] })
            } else {
                perWindow.append(try measure(queries, window: window.length(for: spec.period, at: from), times: times, step: step))
            }
        }
        if lookBack, machine.currentState == nil {
            let first = SLOStatus.compute(spec, at: times[0], measurements: perWindow.map { $0[0] })
            for alert in first.alerts where alert.firing {
                machine.seed(alert.tier, firingSince: try firingSince(spec, queries, tier: alert.tier, at: times[0]))
            }
        }
        var statuses: [SLOStatus] = []
        var transitions: [SLOAlertTransition] = []
        for (k, time) in times.enumerated() {
            let status = SLOStatus.compute(spec, at: time, measurements: perWindow.map { $0[k] })
            let (withSince, changes) = machine.advance(status)
            statuses.append(withSince)
            transitions += changes
        }
        return Evaluation(statuses: statuses, transitions: transitions)
    }

    /// Evaluates `spec` at one time with a fresh alert state.
    ///
    /// - Parameter lookBack: find when firing tiers began (see `firingSince`); else `since` is `time`.
    public func evaluate(_ spec: SLOSpec, at time: Timestamp, lookBack: Bool = false) throws -> SLOStatus {
        var machine = SLOAlertStateMachine()
        return try evaluate(spec, from: time, to: time, every: Interval(milliseconds: 1000), machine: &machine, lookBack: lookBack).statuses[0]
    }

    /// When the current firing streak of `tier` began, looking back twice its long window at a
    /// step of `long ÷ 360` (10 s for the 1h tier): the first step of the streak, or the start of
    /// the look-back when it fired throughout.
    ///
    /// - Complexity: four range queries of 721 steps.
    func firingSince(_ spec: SLOSpec, _ queries: SLOQueries, tier: BurnRateTier, at time: Timestamp) throws -> Timestamp {
        let step = Interval(milliseconds: Swift.max(1000, tier.long.milliseconds / 360))
        let steps = Int64(720)
        let times = (0...steps).map { time - Interval(milliseconds: (steps - $0) * step.milliseconds) }
        let long = try measure(queries, window: tier.long, times: times, step: step)
        let short = try measure(queries, window: tier.short, times: times, step: step)
        var since = time
        for k in stride(from: times.count - 1, through: 0, by: -1) {
            guard let l = long[k].errorRatio, let s = short[k].errorRatio,
                  l / spec.errorBudget > tier.factor, s / spec.errorBudget > tier.factor else { break }
            if let minEvents = spec.minEvents, case .events = queries.shape, (short[k].events ?? 0) < minEvents { break }
            since = times[k]
        }
        return since
    }

    /// Measures one window at every time.
    func measure(_ queries: SLOQueries, window: Interval, times: [Timestamp], step: Interval) throws -> [SLOWindowMeasurement] {
        switch queries.shape {
        case .ratio:
            let ratios = try values(queries.errorRatioQuery(window: window), times: times, step: step, combine: .max)
            return ratios.map { SLOWindowMeasurement(errorRatio: $0, events: nil) }
        case .events(_, _, let totalIsRate):
            let errors = try values(queries.errorQuery(window: window)!, times: times, step: step, combine: .sum)
            let totals = try values(queries.totalQuery(window: window)!, times: times, step: step, combine: .sum)
            return zip(errors, totals).map { e, n in
                guard let n else { return SLOWindowMeasurement(errorRatio: nil, events: nil) }
                // As Prometheus computes `(errors) / (totals)`: no error series gives no ratio
                // (write `… or vector(0)` in the error query to count that as zero errors).
                let ratio: Double? = n > 0 ? e.map { $0 / n } : nil
                return SLOWindowMeasurement(errorRatio: ratio, events: totalIsRate ? n * window.seconds : n)
            }
        }
    }

    private enum Combine { case sum, max }

    /// One number per time: the samples of the result summed (or the largest), nil when empty.
    private func values(_ expression: String, times: [Timestamp], step: Interval, combine: Combine) throws -> [Double?] {
        func merge(_ a: Double?, _ b: Double) -> Double {
            guard let a else { return b }
            return combine == .sum ? a + b : Swift.max(a, b)
        }
        var out = [Double?](repeating: nil, count: times.count)
        if times.count == 1 {
            switch try querier.instantQuery(expression, at: times[0]) {
            case .scalar(_, let v): out[0] = v
            case .vector(let samples): for s in samples { out[0] = merge(out[0], s.value) }
            case .matrix(let series): for s in series { if let last = s.points.last { out[0] = merge(out[0], last.1) } }
            case .string: break
            }
            return out
        }
        // Prometheus refuses more than 11,000 points per series: ask in chunks.
        var first = 0
        while first < times.count {
            let last = Swift.min(times.count, first + SLOEvaluator.maxPointsPerQuery) - 1
            let start = times[first]
            switch try querier.rangeQuery(expression, start: start, end: times[last], step: step) {
            case .matrix(let series):
                for s in series {
                    for (time, value) in s.points {
                        let offset = time.milliseconds - start.milliseconds
                        guard offset >= 0, offset % step.milliseconds == 0 else { continue }
                        let k = first + Int(offset / step.milliseconds)
                        if k <= last { out[k] = merge(out[k], value) }
                    }
                }
            case .scalar(_, let v): for k in first...last { out[k] = v }
            case .vector, .string: break
            }
            first = last + 1
        }
        return out
    }

    /// For a latency SLI, the `le` text of the threshold bucket, checked against the bounds the
    /// data holds; nil for other SLIs or when the histogram has no data yet.
    func latencyBound(_ spec: SLOSpec, at time: Timestamp) throws -> String? {
        guard case .latency(let histogram, let matchers, let threshold) = spec.indicator else { return nil }
        guard case .vector(let samples) = try querier.instantQuery(
            SLOQueries.boundsQuery(histogram: histogram, matchers: matchers), at: time), !samples.isEmpty else { return nil }
        var bounds: [(Double, String)] = []
        for s in samples {
            guard let text = s.labels["le"], let value = Double(text) ?? (text == "+Inf" ? .infinity : nil) else { continue }
            if value == threshold { return text }
            bounds.append((value, text))
        }
        let list = bounds.sorted { $0.0 < $1.0 }.map(\.1).joined(separator: ", ")
        throw BurnwatchError(.config, "latency threshold \(SLOQueries.formatBound(threshold)) of SLO \(spec.service)/\(spec.name) is not a bucket bound of \(histogram); the bounds are \(list)", at: spec.origin)
    }
}
