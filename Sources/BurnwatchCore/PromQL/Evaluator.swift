/// Evaluates an `Expr` against a `SeriesStore` at one instant at a time.
///
/// A range query evaluates the expression at each step. Selections of series are cached per
/// selector in `selections`, which an engine shares between its queries over the same store.
final class Evaluator {
    let store: SeriesStore
    let options: PromQLOptions
    let queryStart: Int64
    let queryEnd: Int64
    private let selections: SeriesSelections

    init(store: SeriesStore, options: PromQLOptions, queryStart: Int64, queryEnd: Int64,
         selections: SeriesSelections = SeriesSelections()) {
        self.store = store; self.options = options; self.queryStart = queryStart; self.queryEnd = queryEnd
        self.selections = selections
    }

    // MARK: series selection

    /// Ids of the series matching every matcher, found through the postings index.
    func select(_ matchers: [LabelMatcher]) -> [Int] {
        if let hit = selections.ids(for: matchers) { return hit }
        var candidates: [Int]? = nil
        for m in matchers where m.op == .equal && !m.value.isEmpty {
            let ids = store.postings(name: m.name, value: m.value)
            candidates = candidates.map { intersect($0, ids) } ?? ids
        }
        var byPostings: Int?
        if candidates == nil, let k = matchers.firstIndex(where: { $0.op == .regex && !$0.matches("") }) {
            var ids: [Int] = []
            for (value, list) in store.postings(name: matchers[k].name) where matchers[k].matches(value) { ids += list }
            candidates = ids.sorted()
            byPostings = k
        }
        let all = candidates ?? Array(0..<store.seriesCount)
        // equality, and the regex the postings answered, need no second look
        let checks = matchers.indices.filter { k in !(matchers[k].op == .equal && !matchers[k].value.isEmpty) && k != byPostings }
            .map { matchers[$0] }
        // a regex remembers its answer per label value (PromRegex), so it runs once per distinct value
        let checkNames = checks.map { store.symbol($0.name) }
        let result = checks.isEmpty ? all : all.filter { id in
            checks.indices.allSatisfy { checks[$0].matches(store.labelValue(of: id, nameID: checkNames[$0])) }
        }
        selections.remember(result, for: matchers)
        return result
    }

    private func intersect(_ a: [Int], _ b: [Int]) -> [Int] {
        var out: [Int] = []
        var i = 0, j = 0
        while i < a.count, j < b.count {
            if a[i] == b[j] { out.append(a[i]); i += 1; j += 1 } else if a[i] < b[j] { i += 1 } else { j += 1 }
        }
        return out
    }

    func resolve(_ at: AtModifier?, _ t: Int64) -> Int64 {
        switch at {
        case nil: return t
        case let .time(v): return v
        case .start: return queryStart
        case .end: return queryEnd
        }
    }

    // MARK: evaluation

    func eval(_ e: Expr, at t: Int64) throws -> EvalValue {
        switch e {
        case let .number(v): return .scalar(v)
        case let .string(s): return .string(s)
        case let .paren(inner): return try eval(inner, at: t)
        case let .vectorSelector(vs): return .vector(instantSelect(vs, at: t))
        case let .matrixSelector(vs, range): return .matrix(rangeSelect(vs, range: range, at: t))
        case let .subquery(inner, range, step, offset, at):
            return .matrix(try subquery(inner, range: range, step: step, offset: offset, at: at, t: t))
        case let .unaryMinus(inner):
            switch try eval(inner, at: t) {
            case let .scalar(v): return .scalar(-v)
            case let .vector(samples):
                return .vector(samples.map { EvalSample(labels: $0.labels.droppingName(), t: t, v: -$0.v) })
            default: throw queryError("unary minus needs a scalar or instant vector")
            }
        case let .call(name, args): return try callFunction(name, args, at: t)
        case let .aggregate(op, param, expr, grouping, without):
            return .vector(try aggregate(op, param: param, expr: expr, grouping: grouping, without: without, at: t))
        case let .binary(op, l, r, matching, returnBool):
            return try binary(op, l, r, matching, returnBool, at: t)
        }
    }

    /// The latest sample of each matching series within the lookback window before `t`.
    func instantSelect(_ vs: VectorSelector, at t: Int64) -> [EvalSample] {
        var out: [EvalSample] = []
        forEachInstantValue(vs, at: t) { id, st, v in out.append(EvalSample(labels: store.labels(of: id).sorted, t: st, v: v)) }
        return out
    }

    /// Calls `body` with the series id, time and value of the latest sample of each matching
    /// series within the lookback window before `t` (ascending ids; stale series skipped).
    func forEachInstantValue(_ vs: VectorSelector, at t: Int64, _ body: (_ id: Int, _ time: Int64, _ value: Double) -> Void) {
        let ref = resolve(vs.at, t) - vs.offset
        let floor = ref - options.lookbackDelta
        for id in select(vs.matchers) {
            guard let (st, v) = store.lastSample(id: id, atOrBefore: ref) else { continue }
            if options.leftOpen ? st <= floor : st < floor { continue }
            if StaleMarker.isStale(v) { continue }
            body(id, st, v)
        }
    }

    /// The samples of each matching series in the window `(ref-range, ref]` (3) or `[ref-range, ref]` (2).
    func rangeSelect(_ vs: VectorSelector, range: Int64, at t: Int64) -> RangeValue {
        let ref = resolve(vs.at, t) - vs.offset
        let lo = options.leftOpen ? ref - range + 1 : ref - range
        var out: [EvalSeries] = []
        var points: [(Int64, Double)] = []
        for id in select(vs.matchers) {
            points.removeAll(keepingCapacity: true)
            store.forEachSample(id: id, from: lo, through: ref) { st, v in
                if !StaleMarker.isStale(v) { points.append((st, v)) }
            }
            if !points.isEmpty { out.append(EvalSeries(labels: store.labels(of: id).sorted, points: points)) }
        }
        return RangeValue(series: out, rangeStart: ref - range, rangeEnd: ref, range: range)
    }

    /// Evaluates `inner` at every multiple of the step inside the subquery's window.
    func subquery(_ inner: Expr, range: Int64, step: Int64?, offset: Int64, at: AtModifier?, t: Int64) throws -> RangeValue {
        let ref = resolve(at, t) - offset
        let interval = step ?? options.defaultSubqueryStep
        guard interval > 0 else { throw queryError("zero or negative subquery step") }
        let windowStart = ref - range
        var first = floorDiv(windowStart, interval) * interval
        if options.leftOpen ? first <= windowStart : first < windowStart { first += interval }
        var bySeries: [String: Int] = [:]
        var out: [EvalSeries] = []
        var ts = first
        while ts <= ref {
            switch try eval(inner, at: ts) {
            case let .vector(samples):
                for s in samples {
                    let k = s.labels.key
                    if let i = bySeries[k] { out[i].points.append((ts, s.v)) } else {
                        bySeries[k] = out.count
                        out.append(EvalSeries(labels: s.labels, points: [(ts, s.v)]))
                    }
                }
            case let .scalar(v):
                if out.isEmpty { out.append(EvalSeries(labels: [], points: [])) }
                out[0].points.append((ts, v))
            default: throw queryError("subquery is only allowed on instant vector")
            }
            ts += interval
        }
        return RangeValue(series: out, rangeStart: windowStart, rangeEnd: ref, range: range)
    }

    /// Fails when two samples of a vector have the same labels (as Prometheus does).
    func checkUnique(_ v: [EvalSample]) throws {
        if v.count < 2 { return }
        var seen = Set<LabelArray>()
        for s in v where !seen.insert(s.labels).inserted {
            throw queryError("vector cannot contain metrics with the same labelset")
        }
    }

    func scalarValue(_ e: Expr, at t: Int64) throws -> Double {
        guard case let .scalar(v) = try eval(e, at: t) else { throw queryError("expected scalar") }
        return v
    }

    func stringValue(_ e: Expr, at t: Int64) throws -> String {
        guard case let .string(s) = try eval(e, at: t) else { throw queryError("expected string") }
        return s
    }

    func vectorValue(_ e: Expr, at t: Int64) throws -> [EvalSample] {
        guard case let .vector(v) = try eval(e, at: t) else { throw queryError("expected instant vector") }
        return v
    }

    func matrixValue(_ e: Expr, at t: Int64) throws -> RangeValue {
        guard case let .matrix(m) = try eval(e, at: t) else { throw queryError("expected range vector") }
        return m
    }
}
