/// Evaluates many SLOs every round for the live console: every window, up to the period, is
/// measured afresh each round from every sample up to the evaluation time, with the same queries
/// `burnwatch eval --at` runs, so the console's numbers are never older than one round and equal
/// `eval` at the same instant. (The embedded engine reads long windows from per-chunk spans, so
/// a 30-day window costs about what a short one does.) Alert state is kept per SLO, and how far
/// back each SLO's data goes is tracked so a window with less data than its length says so.
public struct SLOLiveEvaluator: Sendable {
    public private(set) var specs: [SLOSpec]
    private var queries: [SLOQueries?]
    private var machines: [SLOAlertStateMachine]
    private var dataStarts: [DataStart?]
    private var dataSelectors: [[String]?]
    private let dataStartRefresh: Interval

    /// The last answer about an SLO's oldest sample and when it was asked.
    private struct DataStart: Sendable {
        var oldest: Timestamp?
        var askedAt: Timestamp
    }

    /// Creates the evaluator.
    ///
    /// - Parameters:
    ///   - specs: the SLOs.
    ///   - dataStartRefresh: how often to ask again how far back the data goes (zero: every round,
    ///     right for the embedded engine; a few minutes for a remote query API, where asking takes
    ///     three range queries). While there is no data it is asked every round up to every 10 s.
    public init(specs: [SLOSpec], dataStartRefresh: Interval = Interval(milliseconds: 0)) {
        self.specs = specs
        self.dataStartRefresh = dataStartRefresh
        queries = Array(repeating: nil, count: specs.count)
        machines = Array(repeating: SLOAlertStateMachine(), count: specs.count)
        dataStarts = Array(repeating: nil, count: specs.count)
        dataSelectors = Array(repeating: nil, count: specs.count)
    }

    /// One evaluation round of every SLO.
    ///
    /// - Parameters:
    ///   - time: the evaluation time (later than the previous round's).
    ///   - querier: where the queries run.
    /// - Returns: a status per SLO (nil for one whose queries failed), the alert transitions with
    ///   the index of their SLO, and the errors with theirs.
    /// - Complexity: O(SLOs × windows) queries.
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
                measurements.reserveCapacity(SLOWindow.all.count)
                for window in SLOWindow.all {
                    let length = window.length(for: spec.period, at: time)
                    measurements.append(try evaluator.measure(queries[i]!, window: length, times: [time], step: Interval(milliseconds: 1000))[0])
                }
                let oldest = dataStart(i, spec, at: time, querier: querier)
                let (status, changes) = machines[i].advance(SLOStatus.compute(spec, at: time, measurements: measurements, dataStart: oldest))
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

    /// The oldest sample behind SLO `i` within its period, asked again as `dataStartRefresh` says.
    private mutating func dataStart(_ i: Int, _ spec: SLOSpec, at time: Timestamp, querier: any PromQLQuerier) -> Timestamp? {
        if let known = dataStarts[i], known.askedAt <= time {
            let age = time - known.askedAt
            let refresh = known.oldest == nil ? Swift.min(dataStartRefresh, Interval(milliseconds: 10_000)) : dataStartRefresh
            if age < refresh { return known.oldest }
        }
        let period = SLOWindow.period.length(for: spec.period, at: time)
        // how far the data goes is advice beside the numbers: when asking fails the SLO is still
        // evaluated and the windows simply do not say how much data they hold
        let oldest: Timestamp?
        do {
            // the selectors do not depend on the window: found once per SLO
            let selectors = try dataSelectors[i] ?? SLODataStart.selectors(queries[i]!, window: period)
            dataSelectors[i] = selectors
            if let engine = querier as? PromQLEngine {
                oldest = try engine.oldestSample(selectors: selectors, notBefore: time - period, at: time)
            } else {
                oldest = try querier.oldestSample(selectors: selectors, notBefore: time - period, at: time)
            }
        } catch {
            oldest = nil
        }
        dataStarts[i] = DataStart(oldest: oldest, askedAt: time)
        return oldest
    }
}
