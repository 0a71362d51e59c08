/// The embedded PromQL engine over a `SeriesStore`; answers like Prometheus's query API.
public struct PromQLEngine: PromQLQuerier {
    public let store: SeriesStore
    public let options: PromQLOptions
    /// The series each selector selected, shared by this engine's queries (the store is fixed).
    let selections = SeriesSelections()

    public init(store: SeriesStore, options: PromQLOptions = PromQLOptions()) { self.store = store; self.options = options }

    /// Parses `expression` with this engine's regex semantics (each text once: see `PromQLParseCache`).
    public func parse(_ expression: String) throws -> Expr {
        try PromQLParseCache.shared.expression(expression, dotMatchesNewline: options.compat >= 3)
    }

    /// Evaluates at one instant; a range-vector expression yields a matrix of raw samples.
    public func instantQuery(_ expression: String, at time: Timestamp) throws -> QueryValue {
        let expr = try parse(expression)
        let ev = Evaluator(store: store, options: options, queryStart: time.milliseconds, queryEnd: time.milliseconds, selections: selections)
        switch try ev.eval(expr, at: time.milliseconds) {
        case let .scalar(v): return .scalar(time, v)
        case let .string(s): return .string(time, s)
        case let .vector(samples):
            var out = samples
            if !Self.keepsOrder(expr) { out.sort { LabelArray.lessThan($0.labels, $1.labels) } }
            return .vector(out.map { VectorSample(labels: Labels($0.labels), timestamp: time, value: $0.v) })
        case let .matrix(m):
            return .matrix(m.series.sorted { LabelArray.lessThan($0.labels, $1.labels) }.map {
                MatrixSeries(labels: Labels($0.labels), points: $0.points.map { (Timestamp(milliseconds: $0.0), $0.1) })
            })
        }
    }

    /// Evaluates at `start`, `start+step`, … `end`; the result is a matrix sorted by labels.
    public func rangeQuery(_ expression: String, start: Timestamp, end: Timestamp, step: Interval) throws -> QueryValue {
        let expr = try parse(expression)
        guard step.milliseconds > 0 else { throw BurnwatchError(.query, "zero or negative query resolution step widths are not accepted. Try a positive integer") }
        guard end >= start else { throw BurnwatchError(.query, "end timestamp must not be before start time") }
        guard (end.milliseconds - start.milliseconds) / step.milliseconds < Int64(options.maxPointsPerSeries) else {
            throw BurnwatchError(.query, "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)")
        }
        guard expr.type == .scalar || expr.type == .vector else {
            throw BurnwatchError(.query, "invalid expression type \"\(expr.type.rawValue)\" for range query, must be Scalar or instant Vector")
        }
        let ev = Evaluator(store: store, options: options, queryStart: start.milliseconds, queryEnd: end.milliseconds, selections: selections)
        var index: [String: Int] = [:]
        var series: [EvalSeries] = []
        var t = start.milliseconds
        while t <= end.milliseconds {
            switch try ev.eval(expr, at: t) {
            case let .scalar(v):
                if series.isEmpty { series.append(EvalSeries(labels: [], points: [])) }
                series[0].points.append((t, v))
            case let .vector(samples):
                for s in samples {
                    let k = s.labels.key
                    if let i = index[k] { series[i].points.append((t, s.v)) } else {
                        index[k] = series.count
                        series.append(EvalSeries(labels: s.labels, points: [(t, s.v)]))
                    }
                }
            default: throw BurnwatchError(.query, "range query needs a scalar or instant vector")
            }
            t += step.milliseconds
        }
        series.sort { LabelArray.lessThan($0.labels, $1.labels) }
        return .matrix(series.map { MatrixSeries(labels: Labels($0.labels), points: $0.points.map { (Timestamp(milliseconds: $0.0), $0.1) }) })
    }

    static func keepsOrder(_ e: Expr) -> Bool {
        switch e {
        case let .paren(inner): return keepsOrder(inner)
        case let .call(name, _): return name == "sort" || name == "sort_desc"
        case let .aggregate(op, _, _, _, _): return op == .topk || op == .bottomk
        default: return false
        }
    }
}
