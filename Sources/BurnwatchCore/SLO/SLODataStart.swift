/// How far back an SLO's data goes: the oldest sample of the series its queries select.
///
/// The console shows it beside a window that holds less data than its length ("6h (25 s of
/// data)"), so that a fresh start or a gap in a remote server's history is not taken for a quiet
/// full window.
public enum SLODataStart {
    /// The vector selectors (as PromQL text) of every query of an SLO, without ranges or offsets.
    ///
    /// - Throws: `BurnwatchError(.query)` when a query does not parse.
    public static func selectors(_ queries: SLOQueries, window: Interval) throws -> [String] {
        let texts: [String]
        switch queries.shape {
        case .events: texts = [queries.totalQuery(window: window)!, queries.errorQuery(window: window)!]
        case .ratio: texts = [queries.errorRatioQuery(window: window)]
        }
        var out: [String] = []
        for text in texts {
            for vs in try PromQLParser.parse(text, dotMatchesNewline: true).selectors {
                var plain = vs
                plain.offset = 0
                plain.at = nil
                let printed = Expr.vectorSelector(plain).description
                if !out.contains(printed) { out.append(printed) }
            }
        }
        return out
    }
}

extension Expr {
    /// Every vector selector in the expression (inside matrix selectors and subqueries too), in order.
    public var selectors: [VectorSelector] {
        switch self {
        case .number, .string: return []
        case let .vectorSelector(vs): return [vs]
        case let .matrixSelector(vs, _): return [vs]
        case let .subquery(e, _, _, _, _): return e.selectors
        case let .paren(e), let .unaryMinus(e): return e.selectors
        case let .call(_, args): return args.flatMap(\.selectors)
        case let .aggregate(_, param, e, _, _): return (param?.selectors ?? []) + e.selectors
        case let .binary(_, l, r, _, _): return l.selectors + r.selectors
        }
    }
}

extension PromQLQuerier {
    /// The time of the oldest sample at or after `notBefore` of any series `selectors` select,
    /// as of `time`; nil when there is none.
    ///
    /// Through a query API: range queries of `count(present_over_time(…[step]))` over the span,
    /// 361 points each, narrowing the step 360-fold until it is one second, so the answer is within
    /// one second of the oldest sample (three queries for a 30-day span).
    ///
    /// - Throws: `BurnwatchError` from the querier.
    public func oldestSample(selectors: [String], notBefore: Timestamp, at time: Timestamp) throws -> Timestamp? {
        guard !selectors.isEmpty, time > notBefore else { return nil }
        var lo = notBefore, hi = time
        while true {
            let span = hi.milliseconds - lo.milliseconds
            let step = Interval(milliseconds: Swift.max(1000, (span + 359_999) / 360_000 * 1000))
            let window = SLOQueries.promDuration(step)
            let expression = "count(" + selectors.map { "present_over_time(\($0)[\(window)])" }.joined(separator: " or ") + ")"
            guard case .matrix(let series) = try rangeQuery(expression, start: lo + step, end: hi, step: step) else { return nil }
            guard let first = series.compactMap({ $0.points.first?.0 }).min() else { return nil }
            if step.milliseconds <= 1000 { return first }
            lo = first - step
            hi = first
        }
    }
}

extension PromQLEngine {
    /// The oldest sample at or after `notBefore` of the selected series, read from the store.
    ///
    /// - Complexity: O(selected series × log chunks).
    public func oldestSample(selectors: [String], notBefore: Timestamp, at time: Timestamp) throws -> Timestamp? {
        var oldest: Int64?
        for text in selectors {
            guard case .vectorSelector(let vs) = try parse(text) else { continue }
            let ev = Evaluator(store: store, options: options, queryStart: time.milliseconds, queryEnd: time.milliseconds, selections: selections)
            for id in ev.select(vs.matchers) {
                if let t = store.firstSampleTime(id: id, atOrAfter: notBefore.milliseconds), t <= time.milliseconds {
                    oldest = Swift.min(oldest ?? t, t)
                }
            }
        }
        return oldest.map { Timestamp(milliseconds: $0) }
    }
}
