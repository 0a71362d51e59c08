/// Aggregation operators (`sum`, `avg`, `topk`, `count_values`, …) with `by`/`without`.
extension Evaluator {
    struct Group {
        var labels: LabelArray
        var value: Double
        var mean: Double
        var count: Double
        var samples: [EvalSample]
    }

    func aggregate(_ op: AggregateOp, param: Expr?, expr: Expr, grouping: [String], without: Bool, at t: Int64) throws -> [EvalSample] {
        if !without, !op.takesParameter, case let .call(name, args) = expr, args.count == 1,
           name == "rate" || name == "increase" || name == "delta", case let .matrixSelector(vs, range) = Self.unparenthesized(args[0]) {
            return try groupedCounterFunction(op, name, vs, range: range, grouping: grouping, at: t)
        }
        if !without, !op.takesParameter, case let .vectorSelector(vs) = expr {
            return groupedSelector(op, vs, grouping: grouping, at: t)
        }
        var input = try vectorValue(expr, at: t)
        // Prometheus's storage yields series sorted by labels; topk/bottomk ties depend on that order.
        if op == .topk || op == .bottomk { input.sort { LabelArray.lessThan($0.labels, $1.labels) } }
        var scalarParam = 0.0
        var labelParam = ""
        if let param {
            if op == .countValues {
                labelParam = try stringValue(param, at: t)
                guard Self.isValidLabelName(labelParam) else { throw queryError("invalid label name \"\(labelParam)\"") }
            } else { scalarParam = try scalarValue(param, at: t) }
        }
        let groupSet = Set(grouping)
        func groupLabels(_ l: LabelArray) -> LabelArray {
            without ? l.filter { $0.name != "__name__" && !groupSet.contains($0.name) } : l.filter { groupSet.contains($0.name) }
        }

        if op == .countValues {
            var order: [String] = []
            var groups: [String: (LabelArray, Double)] = [:]
            for s in input {
                let labels = groupLabels(s.labels).setting(labelParam, PromNumberFormat.format(s.v))
                let k = labels.key
                if groups[k] == nil { order.append(k); groups[k] = (labels, 0) }
                groups[k]!.1 += 1
            }
            return order.map { EvalSample(labels: groups[$0]!.0, t: t, v: groups[$0]!.1) }
        }

        // One lookup per sample, with a key made in place; the group is changed in place.
        var index: [LabelSubsetKey: Int] = [:]
        var groups: [Group] = []
        let names = Array(groupSet)
        let keepsSamples = op == .topk || op == .bottomk || op == .quantile
        for s in input {
            let k = LabelSubsetKey(labels: s.labels, names: names, keeping: !without)
            if let i = index[k] {
                Self.fold(s, into: &groups[i], op)
            } else {
                index[k] = groups.count
                groups.append(Self.group(k.subset, first: s, op, keepingSamples: keepsSamples))
            }
        }

        var out: [EvalSample] = []
        for g in groups {
            switch op {
            case .sum, .max, .min, .avg, .count, .group, .stdvar, .stddev:
                out.append(EvalSample(labels: g.labels, t: t, v: Self.result(of: g, op)))
            case .quantile:
                out.append(EvalSample(labels: g.labels, t: t, v: PromQuantile.quantile(scalarParam, g.samples.map(\.v))))
            case .topk, .bottomk:
                guard scalarParam >= 1 else { continue }
                let k = scalarParam >= Double(Int.max) ? Int.max : Int(scalarParam)
                for s in Self.selectTop(g.samples, k: k, top: op == .topk) { out.append(EvalSample(labels: s.labels, t: t, v: s.v)) }
            case .countValues: break
            }
        }
        return out
    }

    /// A group started by its first sample.
    static func group(_ labels: LabelArray, first s: EvalSample, _ op: AggregateOp, keepingSamples: Bool) -> Group {
        var g = Group(labels: labels, value: s.v, mean: s.v, count: 1, samples: keepingSamples ? [s] : [])
        if op == .stddev || op == .stdvar { g.value = 0 }
        if op == .group { g.value = 1 }
        return g
    }

    /// The value of a group of `sum`, `avg`, `count`, `min`, `max`, `group`, `stddev` or `stdvar`.
    static func result(of g: Group, _ op: AggregateOp) -> Double {
        switch op {
        case .avg: g.mean
        case .count: g.count
        case .group: 1
        case .stdvar: g.value / g.count
        case .stddev: (g.value / g.count).squareRoot()
        default: g.value
        }
    }

    /// Adds one more sample of a group to its running value.
    static func fold(_ s: EvalSample, into g: inout Group, _ op: AggregateOp) {
        switch op {
        case .sum: g.value += s.v
        case .avg:
            g.count += 1
            if g.mean.isInfinite {
                if s.v.isInfinite, (g.mean > 0) == (s.v > 0) { break }
                if !s.v.isInfinite, !s.v.isNaN { break }
            }
            g.mean += s.v / g.count - g.mean / g.count
        case .count, .group: g.count += 1
        case .max: if g.value < s.v || g.value.isNaN { g.value = s.v }
        case .min: if g.value > s.v || g.value.isNaN { g.value = s.v }
        case .stddev, .stdvar:
            g.count += 1
            let delta = s.v - g.mean
            g.mean += delta / g.count
            g.value += delta * (s.v - g.mean)
        case .topk, .bottomk, .quantile: g.samples.append(s)
        case .countValues: break
        }
    }

    /// `topk`/`bottomk` selection with Prometheus's bounded binary heap (Go's container/heap), so
    /// that ties resolve to the same series; the result is best first.
    static func selectTop(_ input: [EvalSample], k: Int, top: Bool) -> [EvalSample] {
        var heap: [EvalSample] = []
        // Less of vectorByValueHeap (topk) or vectorByReverseValueHeap (bottomk): NaN is always "less".
        func less(_ i: Int, _ j: Int) -> Bool {
            if heap[i].v.isNaN { return true }
            return top ? heap[i].v < heap[j].v : heap[i].v > heap[j].v
        }
        func up(_ j0: Int) {
            var j = j0
            while true {
                let i = (j - 1) / 2
                if i == j || !less(j, i) { break }
                heap.swapAt(i, j); j = i
            }
        }
        func down(_ i0: Int, _ n: Int) -> Bool {
            var i = i0
            while true {
                let j1 = 2 * i + 1
                if j1 >= n { break }
                var j = j1
                if j1 + 1 < n, less(j1 + 1, j1) { j = j1 + 1 }
                if !less(j, i) { break }
                heap.swapAt(i, j); i = j
            }
            return i > i0
        }
        for s in input {
            let replaces = heap.isEmpty ? false : ((top ? heap[0].v < s.v : heap[0].v > s.v) || heap[0].v.isNaN)
            guard heap.count < k || replaces else { continue }
            if heap.count == k {
                if k == 1 { heap[0] = s; continue }
                // heap.Pop: move the root to the end, restore the heap, drop it.
                heap.swapAt(0, heap.count - 1)
                _ = down(0, heap.count - 1)
                heap.removeLast()
            }
            heap.append(s); up(heap.count - 1)
        }
        // Best first (Prometheus sorts the heap in reverse).
        return heap.sorted { a, b in
            if a.v.isNaN { return false }
            if b.v.isNaN { return true }
            return top ? a.v > b.v : a.v < b.v
        }
    }

    static func isValidLabelName(_ s: String) -> Bool {
        guard let f = s.unicodeScalars.first, f == "_" || (f.isASCII && f.properties.isAlphabetic) else { return false }
        return s.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
    }
}
