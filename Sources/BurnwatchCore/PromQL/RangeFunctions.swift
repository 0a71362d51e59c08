/// Functions over one series of a range vector: rate family, regression, `*_over_time`.
extension Evaluator {
    /// The function's value for one series, or nil when it yields no sample (too few points).
    func rangeFunction(_ name: String, _ p: [(Int64, Double)], _ m: RangeValue, _ arg: Double, _ t: Int64) throws -> Double? {
        switch name {
        case "rate": return Self.extrapolatedRate(p, m, isCounter: true, isRate: true)
        case "increase": return Self.extrapolatedRate(p, m, isCounter: true, isRate: false)
        case "delta": return Self.extrapolatedRate(p, m, isCounter: false, isRate: false)
        case "irate", "idelta":
            guard p.count >= 2 else { return nil }
            let (lt, lv) = p[p.count - 1], (pt, pv) = p[p.count - 2]
            var r = (name == "irate" && lv < pv) ? lv : lv - pv
            let interval = lt - pt
            if interval == 0 { return nil }
            if name == "irate" { r /= Double(interval) / 1000 }
            return r
        case "deriv":
            guard p.count >= 2 else { return nil }
            return Self.linearRegression(p, intercept: p[0].0).slope
        case "predict_linear":
            guard p.count >= 2 else { return nil }
            let (slope, intercept) = Self.linearRegression(p, intercept: t)
            return slope * arg + intercept
        case "resets":
            var n = 0.0
            for i in p.indices.dropFirst() where p[i].1 < p[i - 1].1 { n += 1 }
            return n
        case "changes":
            var n = 0.0
            for i in p.indices.dropFirst() where p[i].1 != p[i - 1].1 && !(p[i].1.isNaN && p[i - 1].1.isNaN) { n += 1 }
            return n
        case "avg_over_time":
            var mean = 0.0, c = 0.0, count = 0.0
            for (_, v) in p {
                count += 1
                if mean.isInfinite {
                    if v.isInfinite, (mean > 0) == (v > 0) { continue }
                    if !v.isInfinite, !v.isNaN { continue }
                }
                (mean, c) = kahanSumInc(v / count - mean / count, mean, c)
            }
            return mean.isInfinite ? mean : mean + c
        case "sum_over_time":
            var sum = 0.0, c = 0.0
            for (_, v) in p { (sum, c) = kahanSumInc(v, sum, c) }
            return sum + c
        case "min_over_time":
            var r = p[0].1
            for (_, v) in p where v < r || r.isNaN { r = v }
            return r
        case "max_over_time":
            var r = p[0].1
            for (_, v) in p where v > r || r.isNaN { r = v }
            return r
        case "count_over_time": return Double(p.count)
        case "last_over_time": return p[p.count - 1].1
        case "present_over_time": return 1
        case "quantile_over_time": return PromQuantile.quantile(arg, p.map(\.1))
        case "stddev_over_time", "stdvar_over_time":
            var count = 0.0, mean = 0.0, cMean = 0.0, aux = 0.0, cAux = 0.0
            for (_, v) in p {
                count += 1
                let delta = v - (mean + cMean)
                (mean, cMean) = kahanSumInc(delta / count, mean, cMean)
                (aux, cAux) = kahanSumInc(delta * (v - (mean + cMean)), aux, cAux)
            }
            let variance = (aux + cAux) / count
            return name == "stdvar_over_time" ? variance : variance.squareRoot()
        default:
            throw queryError("function \"\(name)\" is not implemented")
        }
    }

    /// `rate`, `increase` and `delta` over raw points (a subquery's); see the span form.
    static func extrapolatedRate(_ p: [(Int64, Double)], _ m: RangeValue, isCounter: Bool, isRate: Bool) -> Double? {
        guard p.count >= 2 else { return nil }
        var span = CounterSpan()
        for (t, v) in p { span.add(time: t, value: v) }
        return extrapolatedRate(span, rangeStart: m.rangeStart, rangeEnd: m.rangeEnd, range: m.range, isCounter: isCounter, isRate: isRate)
    }

    /// `rate`, `increase` and `delta` as Prometheus computes them: the change between the first and
    /// last sample (counter resets added back, one at a time in time order), extrapolated towards
    /// the window's edges when they are within 1.1× the average sample interval (else by half an
    /// interval), and not below zero for counters. Nil for fewer than two samples.
    ///
    /// - Complexity: O(resets).
    static func extrapolatedRate(_ span: CounterSpan, rangeStart: Int64, rangeEnd: Int64, range: Int64, isCounter: Bool, isRate: Bool) -> Double? {
        guard span.count >= 2 else { return nil }
        var result = span.lastValue - span.firstValue
        if isCounter {
            // Prometheus compares the first sample with 0 too: adding that +0 is kept for the sign of a zero.
            if span.firstValue < 0 { result += 0 }
            for value in span.resetValues { result += value }
        }
        var durationToStart = Double(span.firstTime - rangeStart) / 1000
        let durationToEnd = Double(rangeEnd - span.lastTime) / 1000
        let sampled = Double(span.lastTime - span.firstTime) / 1000
        let averageInterval = sampled / Double(span.count - 1)
        if isCounter, result > 0, span.firstValue >= 0 {
            let durationToZero = sampled * (span.firstValue / result)
            if durationToZero < durationToStart { durationToStart = durationToZero }
        }
        let threshold = averageInterval * 1.1
        var extrapolateTo = sampled
        extrapolateTo += durationToStart < threshold ? durationToStart : averageInterval / 2
        extrapolateTo += durationToEnd < threshold ? durationToEnd : averageInterval / 2
        var factor = extrapolateTo / sampled
        if isRate { factor /= Double(range) / 1000 }
        return result * factor
    }

    /// `rate`, `increase` or `delta` of a selector read straight from the store's chunk spans,
    /// without collecting the points: a 30-day window costs one step per chunk, not per sample.
    /// Gives exactly what the point-by-point path gives.
    ///
    /// - Complexity: O(series × (chunks in range + 2 × chunk capacity)).
    func counterFunction(_ name: String, _ vs: VectorSelector, range: Int64, at t: Int64) throws -> [EvalSample] {
        var out: [EvalSample] = []
        let oneName = forEachCounterValue(name, vs, range: range, at: t) { id, v in
            out.append(EvalSample(labels: store.labels(of: id).sorted.droppingName(), t: t, v: v))
        }
        if !oneName { try checkUnique(out) }
        return out
    }

    /// Calls `body` with each selected series that has a value of `rate`, `increase` or `delta`
    /// (`name`) over `vs[range]` at `t`, in selection order, and that value.
    ///
    /// - Returns: whether those series all have the same metric name (when they do not, the
    ///   caller must check that their labels stay unique once the name is dropped).
    /// - Complexity: O(series × (chunks in range + 2 × chunk capacity)).
    func forEachCounterValue(_ name: String, _ vs: VectorSelector, range: Int64, at t: Int64,
                             _ body: (_ id: Int, _ value: Double) -> Void) -> Bool {
        let ref = resolve(vs.at, t) - vs.offset
        let lo = options.leftOpen ? ref - range + 1 : ref - range
        let isCounter = name != "delta", isRate = name == "rate"
        let metricNameID = store.strings.lookup("__name__")
        var firstName: UInt32??
        var oneName = true
        for id in select(vs.matchers) {
            let span = store.counterSpan(id: id, from: lo, through: ref)
            guard let v = Self.extrapolatedRate(span, rangeStart: ref - range, rangeEnd: ref, range: range,
                                                isCounter: isCounter, isRate: isRate) else { continue }
            let metric = SeriesStore.value(of: metricNameID, in: store.labelIDs(of: id))
            if let firstName { if metric != firstName { oneName = false } } else { firstName = .some(metric) }
            body(id, v)
        }
        return oneName
    }

    /// Least-squares slope and the intercept at time `intercept` (Kahan-summed, as Prometheus).
    static func linearRegression(_ p: [(Int64, Double)], intercept interceptTime: Int64) -> (slope: Double, intercept: Double) {
        var n = 0.0, sumX = 0.0, cX = 0.0, sumY = 0.0, cY = 0.0, sumXY = 0.0, cXY = 0.0, sumX2 = 0.0, cX2 = 0.0
        let initY = p[0].1
        var constY = true
        for (i, (t, v)) in p.enumerated() {
            if constY, i > 0, v != initY { constY = false }
            n += 1
            let x = Double(t - interceptTime) / 1000
            (sumX, cX) = kahanSumInc(x, sumX, cX)
            (sumY, cY) = kahanSumInc(v, sumY, cY)
            (sumXY, cXY) = kahanSumInc(x * v, sumXY, cXY)
            (sumX2, cX2) = kahanSumInc(x * x, sumX2, cX2)
        }
        if constY {
            if initY.isInfinite { return (.nan, .nan) }
            return (0, initY)
        }
        sumX += cX; sumY += cY; sumXY += cXY; sumX2 += cX2
        let covXY = sumXY - sumX * sumY / n
        let varX = sumX2 - sumX * sumX / n
        let slope = covXY / varX
        return (slope, sumY / n - slope * sumX / n)
    }
}
