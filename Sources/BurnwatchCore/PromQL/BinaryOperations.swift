/// Binary operators: arithmetic, comparisons (with `bool`), set operators and vector matching.
extension Evaluator {
    func binary(_ op: BinaryOp, _ l: Expr, _ r: Expr, _ matching: VectorMatching?, _ returnBool: Bool, at t: Int64) throws -> EvalValue {
        let lv = try eval(l, at: t)
        let rv = try eval(r, at: t)
        switch (lv, rv) {
        case let (.scalar(a), .scalar(b)):
            let (v, keep) = Self.apply(op, a, b)
            return .scalar(returnBool ? (keep ? 1 : 0) : v)
        case let (.vector(vec), .scalar(s)):
            return .vector(vectorScalar(op, vec, s, swapped: false, returnBool, t))
        case let (.scalar(s), .vector(vec)):
            return .vector(vectorScalar(op, vec, s, swapped: true, returnBool, t))
        case let (.vector(a), .vector(b)):
            let m = matching ?? VectorMatching()
            switch op {
            case .and: return .vector(setAnd(a, b, m))
            case .or: return .vector(setOr(a, b, m))
            case .unless: return .vector(setUnless(a, b, m))
            default: return .vector(try vectorVector(op, a, b, m, returnBool, t))
            }
        default:
            throw queryError("binary expression must contain only scalar and instant vector types")
        }
    }

    /// The value of `a op b`, and for comparisons whether the comparison holds (value is `a`).
    static func apply(_ op: BinaryOp, _ a: Double, _ b: Double) -> (Double, Bool) {
        switch op {
        case .add: return (a + b, true)
        case .sub: return (a - b, true)
        case .mul: return (a * b, true)
        case .div: return (a / b, true)
        case .mod: return (a.truncatingRemainder(dividingBy: b), true)
        case .pow: return (c_pow(a, b), true)
        case .atan2: return (c_atan2(a, b), true)
        case .eql: return (a, a == b)
        case .neq: return (a, a != b)
        case .gtr: return (a, a > b)
        case .lss: return (a, a < b)
        case .gte: return (a, a >= b)
        case .lte: return (a, a <= b)
        case .and, .or, .unless: return (.nan, false)
        }
    }

    func vectorScalar(_ op: BinaryOp, _ vec: [EvalSample], _ s: Double, swapped: Bool, _ returnBool: Bool, _ t: Int64) -> [EvalSample] {
        var out: [EvalSample] = []
        out.reserveCapacity(vec.count)
        for sample in vec {
            let (a, b) = swapped ? (s, sample.v) : (sample.v, s)
            var (value, keep) = Self.apply(op, a, b)
            if op.isComparison && swapped { value = b }
            if returnBool { value = keep ? 1 : 0; keep = true }
            guard keep else { continue }
            let labels = (op.dropsMetricName || returnBool) ? sample.labels.droppingName() : sample.labels
            out.append(EvalSample(labels: labels, t: t, v: value))
        }
        return out
    }

    /// The matching signature of a sample's labels under `on`/`ignoring`.
    func signature(_ labels: LabelArray, _ m: VectorMatching) -> LabelSubsetKey {
        LabelSubsetKey(labels: labels, names: m.labels, keeping: m.on)
    }

    func setAnd(_ a: [EvalSample], _ b: [EvalSample], _ m: VectorMatching) -> [EvalSample] {
        let right = Set(b.map { signature($0.labels, m) })
        return a.filter { right.contains(signature($0.labels, m)) }
    }

    func setOr(_ a: [EvalSample], _ b: [EvalSample], _ m: VectorMatching) -> [EvalSample] {
        let left = Set(a.map { signature($0.labels, m) })
        return a + b.filter { !left.contains(signature($0.labels, m)) }
    }

    func setUnless(_ a: [EvalSample], _ b: [EvalSample], _ m: VectorMatching) -> [EvalSample] {
        let right = Set(b.map { signature($0.labels, m) })
        return a.filter { !right.contains(signature($0.labels, m)) }
    }

    func vectorVector(_ op: BinaryOp, _ lhs0: [EvalSample], _ rhs0: [EvalSample], _ m: VectorMatching,
                      _ returnBool: Bool, _ t: Int64) throws -> [EvalSample] {
        var (lhs, rhs) = (lhs0, rhs0)
        if m.card == .oneToMany { swap(&lhs, &rhs) }
        var rightBySig: [LabelSubsetKey: EvalSample] = [:]
        for s in rhs {
            let sig = signature(s.labels, m)
            if rightBySig[sig] != nil {
                let side = m.card == .oneToMany ? "left" : "right"
                let group = sig.subset
                throw queryError("found duplicate series for the match group \(Self.goLabels(group)) on the \(side) hand-side of the operation: [\(Self.goLabels(s.labels)), \(Self.goLabels(rightBySig[sig]!.labels))];many-to-many matching not allowed: matching labels must be unique on one side")
            }
            rightBySig[sig] = s
        }
        var matchedOneToOne: [LabelSubsetKey: LabelArray] = [:]
        var resultKeys = Set<LabelArray>()
        var out: [EvalSample] = []
        for ls in lhs {
            let sig = signature(ls.labels, m)
            guard let rs = rightBySig[sig] else { continue }
            var (vl, vr) = (ls.v, rs.v)
            if m.card == .oneToMany { swap(&vl, &vr) }
            var (value, keep) = Self.apply(op, vl, vr)
            if returnBool { value = keep ? 1 : 0; keep = true }
            guard keep else { continue }
            var metric = resultMetric(ls.labels, rs.labels, op, m)
            if returnBool { metric = metric.droppingName() }
            if m.card == .oneToOne {
                if matchedOneToOne[sig] != nil {
                    throw queryError("multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)")
                }
                matchedOneToOne[sig] = metric
            } else if !resultKeys.insert(metric).inserted {
                throw queryError("multiple matches for labels: grouping labels must ensure unique matches")
            }
            out.append(EvalSample(labels: metric, t: t, v: value))
        }
        return out
    }

    /// Labels as Go's `labels.Labels.String()` writes them: `{a="1", b="2"}`.
    static func goLabels(_ l: LabelArray) -> String {
        "{" + l.map { "\($0.name)=\"\(Labels.escape($0.value))\"" }.joined(separator: ", ") + "}"
    }

    func resultMetric(_ l: LabelArray, _ r: LabelArray, _ op: BinaryOp, _ m: VectorMatching) -> LabelArray {
        var out = l
        if op.dropsMetricName { out = out.droppingName() }
        if m.card == .oneToOne {
            out = m.on ? out.filter { m.labels.contains($0.name) } : out.filter { !m.labels.contains($0.name) }
        }
        for name in m.include {
            out = out.setting(name, r.value(name) ?? "")
        }
        return out
    }
}
