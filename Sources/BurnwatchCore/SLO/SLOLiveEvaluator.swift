/// Evaluates many SLOs once a second for the live console, re-querying each window only as
/// often as it can move: a window of length `w` is refreshed every `max(1s, w ÷ 360)` (5m every
/// second, 1h every 10 s, 1d every 4 min), so a long window's number is at most 0.28% of its
/// length old. Alert state is kept per SLO.
public struct SLOLiveEvaluator: Sendable {
    /// A window's last measurement and when it was taken.
    struct Cached: Sendable {
        var measurement: SLOWindowMeasurement
        var at: Timestamp
    }

    public private(set) var specs: [SLOSpec]
    private var cache: [[Cached?]]
    private var queries: [SLOQueries?]
    private var machines: [SLOAlertStateMachine]

    public init(specs: [SLOSpec]) {
        self.specs = specs
        cache = Array(repeating: Array(repeating: nil, count: SLOWindow.all.count), count: specs.count)
        queries = Array(repeating: nil, count: specs.count)
        machines = Array(repeating: SLOAlertStateMachine(), count: specs.count)
    }

    /// How often a window of this length is re-queried: `max(1s, length ÷ 360)`.
    public static func refreshInterval(for length: Interval) -> Interval {
        Interval(milliseconds: Swift.max(1000, length.milliseconds / 360))
    }

    /// One evaluation round of every SLO.
    ///
    /// - Parameters:
    ///   - time: the evaluation time (later than the previous round's).
    ///   - querier: where the queries run.
    /// - Returns: a status per SLO (nil for one whose queries failed), the alert transitions with
    ///   the index of their SLO, and the errors with theirs.
    /// - Complexity: O(SLOs × windows due) queries.
    public mutating func evaluate(at time: Timestamp, querier: any PromQLQuerier)
        -> (statuses: [SLOStatus?], transitions: [(Int, SLOAlertTransition)], errors: [(Int, BurnwatchError)]) {
        let evaluator = SLOEvaluator(querier: querier)
        var statuses: [SLOStatus?] = []
        var transitions: [(Int, SLOAlertTransition)] = []
        var errors: [(Int, BurnwatchError)] = []
        for (i, spec) in specs.enumerated() {
            do {
                if queries[i] == nil {
                    let bound = try evaluator.latencyBound(spec, at: time)
                    if case .latency = spec.indicator, bound == nil {
                        // no histogram data yet: measure nothing, try the bounds again next round
                        let empty = Array(repeating: SLOWindowMeasurement.noData, count: SLOWindow.all.count)
                        let (status, changes) = machines[i].advance(SLOStatus.compute(spec, at: time, measurements: empty))
                        statuses.append(status)
                        transitions += changes.map { (i, $0) }
                        continue
                    }
                    queries[i] = SLOQueries(spec.indicator, latencyBound: bound)
                }
                var measurements: [SLOWindowMeasurement] = []
                for (k, window) in SLOWindow.all.enumerated() {
                    let length = window.length(for: spec.period, at: time)
                    // "No data" is not cached: a window that had none (a fresh start) is asked again next round.
                    if let cached = cache[i][k], cached.measurement != .noData,
                       time - cached.at < Self.refreshInterval(for: length), cached.at <= time {
                        measurements.append(cached.measurement)
                        continue
                    }
                    let m = try evaluator.measure(queries[i]!, window: length, times: [time], step: Interval(milliseconds: 1000))[0]
                    cache[i][k] = Cached(measurement: m, at: time)
                    measurements.append(m)
                }
                let (status, changes) = machines[i].advance(SLOStatus.compute(spec, at: time, measurements: measurements))
                statuses.append(status)
                transitions += changes.map { (i, $0) }
            } catch let e as BurnwatchError {
                statuses.append(nil)
                errors.append((i, e))
            } catch {
                statuses.append(nil)
                errors.append((i, BurnwatchError(.query, "\(error)", at: spec.origin)))
            }
        }
        return (statuses, transitions, errors)
    }
}
