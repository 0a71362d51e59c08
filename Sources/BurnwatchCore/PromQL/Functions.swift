/// The signature of a PromQL function: argument types, how many trailing ones are optional.
public struct FunctionSignature: Sendable {
    public let args: [ValueType]
    public let optional: Int
    public let variadic: Bool
    public let returns: ValueType
}

/// The PromQL functions burnwatch knows, and their implementations.
public enum PromQLFunctions {
    static let table: [String: FunctionSignature] = {
        var t: [String: FunctionSignature] = [:]
        func add(_ names: [String], _ args: [ValueType], optional: Int = 0, variadic: Bool = false, returns: ValueType = .vector) {
            for n in names { t[n] = FunctionSignature(args: args, optional: optional, variadic: variadic, returns: returns) }
        }
        add(["rate", "irate", "increase", "delta", "idelta", "deriv", "resets", "changes",
             "avg_over_time", "min_over_time", "max_over_time", "sum_over_time", "count_over_time",
             "last_over_time", "stddev_over_time", "stdvar_over_time", "present_over_time", "absent_over_time"], [.matrix])
        add(["predict_linear"], [.matrix, .scalar])
        add(["quantile_over_time"], [.scalar, .matrix])
        add(["histogram_quantile"], [.scalar, .vector])
        add(["abs", "ceil", "floor", "exp", "ln", "log2", "log10", "sqrt", "sgn", "absent", "sort", "sort_desc"], [.vector])
        add(["timestamp"], [.vector])
        add(["round"], [.vector, .scalar], optional: 1)
        add(["clamp"], [.vector, .scalar, .scalar])
        add(["clamp_min", "clamp_max"], [.vector, .scalar])
        add(["vector"], [.scalar])
        add(["scalar"], [.vector], returns: .scalar)
        add(["time"], [], returns: .scalar)
        add(["label_replace"], [.vector, .string, .string, .string, .string])
        add(["label_join"], [.vector, .string, .string, .string], optional: 1, variadic: true)
        add(["minute", "hour", "day_of_week", "day_of_month", "day_of_year", "days_in_month", "month", "year"], [.vector], optional: 1)
        return t
    }()

    /// The signature of a function, or nil when PromQL has no such function here.
    public static func signature(_ name: String) -> FunctionSignature? { table[name] }
}

extension Evaluator {
    func callFunction(_ name: String, _ args: [Expr], at t: Int64) throws -> EvalValue {
        switch name {
        case "time": return .scalar(Double(t) / 1000)
        case "vector": return .vector([EvalSample(labels: [], t: t, v: try scalarValue(args[0], at: t))])
        case "scalar":
            let v = try vectorValue(args[0], at: t)
            return .scalar(v.count == 1 ? v[0].v : .nan)
        case "absent":
            let v = try vectorValue(args[0], at: t)
            return .vector(v.isEmpty ? [EvalSample(labels: Self.absentLabels(args[0]), t: t, v: 1)] : [])
        case "absent_over_time":
            let m = try matrixValue(args[0], at: t)
            return .vector(m.series.isEmpty ? [EvalSample(labels: Self.absentLabels(args[0]), t: t, v: 1)] : [])
        case "timestamp":
            var arg = args[0]
            while case let .paren(inner) = arg { arg = inner }
            let isSelector: Bool = { if case .vectorSelector = arg { return true }; return false }()
            let v = try vectorValue(args[0], at: t)
            let out = v.map { EvalSample(labels: $0.labels.droppingName(), t: t, v: Double(isSelector ? $0.t : t) / 1000) }
            try checkUnique(out)
            return .vector(out)
        case "sort", "sort_desc":
            let v = try vectorValue(args[0], at: t)
            let asc = name == "sort"
            return .vector(v.sorted { a, b in
                if a.v.isNaN { return !b.v.isNaN }
                if b.v.isNaN { return false }
                return asc ? a.v < b.v : a.v > b.v
            })
        case "label_replace": return .vector(try labelReplace(args, at: t))
        case "label_join": return .vector(try labelJoin(args, at: t))
        case "histogram_quantile": return .vector(try histogramQuantile(args, at: t))
        case "round", "clamp", "clamp_min", "clamp_max":
            let v = try vectorValue(args[0], at: t)
            let p = try args.dropFirst().map { try scalarValue($0, at: t) }
            if name == "clamp", p[1] < p[0] { return .vector([]) }
            let out = v.map { s -> EvalSample in
                let x: Double
                switch name {
                case "round":
                    let inverse = 1.0 / (p.first ?? 1)
                    x = (s.v * inverse + 0.5).rounded(.down) / inverse
                case "clamp": x = goMax(p[0], goMin(p[1], s.v))
                case "clamp_min": x = goMax(s.v, p[0])
                default: x = goMin(s.v, p[0])
                }
                return EvalSample(labels: s.labels.droppingName(), t: t, v: x)
            }
            try checkUnique(out)
            return .vector(out)
        default: break
        }
        if let f = Self.simpleMath[name] {
            let out = try vectorValue(args[0], at: t).map { EvalSample(labels: $0.labels.droppingName(), t: t, v: f($0.v)) }
            try checkUnique(out)
            return .vector(out)
        }
        if ["minute", "hour", "day_of_week", "day_of_month", "day_of_year", "days_in_month", "month", "year"].contains(name) {
            let input = args.isEmpty ? [EvalSample(labels: [], t: t, v: Double(t) / 1000)] : try vectorValue(args[0], at: t)
            let out = input.map { EvalSample(labels: $0.labels.droppingName(), t: t, v: Self.dateField(name, $0.v)) }
            try checkUnique(out)
            return .vector(out)
        }
        // Functions over a range vector; the counter functions of a plain selector read chunk spans.
        if name == "rate" || name == "increase" || name == "delta", case let .matrixSelector(vs, range) = Self.unparenthesized(args[0]) {
            return .vector(try counterFunction(name, vs, range: range, at: t))
        }
        var scalarArg = 0.0
        var matrixExpr = args[0]
        if name == "quantile_over_time" { scalarArg = try scalarValue(args[0], at: t); matrixExpr = args[1] }
        if name == "predict_linear" { scalarArg = try scalarValue(args[1], at: t) }
        let m = try matrixValue(matrixExpr, at: t)
        var out: [EvalSample] = []
        out.reserveCapacity(m.series.count)
        let firstName = m.series.first?.labels.value("__name__")
        var oneName = true
        for s in m.series {
            guard let v = try rangeFunction(name, s.points, m, scalarArg, t) else { continue }
            if oneName, s.labels.value("__name__") != firstName { oneName = false }
            out.append(EvalSample(labels: name == "last_over_time" ? s.labels : s.labels.droppingName(), t: t, v: v))
        }
        // Distinct series of one metric name stay distinct without it; only mixed names can collide.
        if !oneName { try checkUnique(out) }
        return .vector(out)
    }

    /// The expression inside any parentheses.
    static func unparenthesized(_ e: Expr) -> Expr {
        var inner = e
        while case let .paren(x) = inner { inner = x }
        return inner
    }

    static let simpleMath: [String: @Sendable (Double) -> Double] = [
        "abs": { abs($0) }, "ceil": { $0.rounded(.up) }, "floor": { $0.rounded(.down) },
        "exp": { c_exp($0) }, "ln": { c_log($0) }, "log2": { c_log2($0) }, "log10": { c_log10($0) },
        "sqrt": { $0.squareRoot() }, "sgn": { $0 > 0 ? 1 : ($0 < 0 ? -1 : $0) },
    ]

    static func dateField(_ name: String, _ seconds: Double) -> Double {
        guard seconds.isFinite else { return .nan }
        let s = Int64(seconds.rounded(.down))
        let days = Int(floorDiv(s, 86_400))
        let rem = s - Int64(days) * 86_400
        let (y, mo, d) = RFC3339.civilFromDays(days)
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
        let monthDays = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        switch name {
        case "minute": return Double(rem % 3600 / 60)
        case "hour": return Double(rem / 3600)
        case "day_of_week": return Double(((days % 7) + 11) % 7)
        case "day_of_month": return Double(d)
        case "day_of_year": return Double(days - RFC3339.daysFromCivil(year: y, month: 1, day: 1) + 1)
        case "days_in_month": return Double(monthDays[mo - 1])
        case "month": return Double(mo)
        default: return Double(y)
        }
    }

    /// Labels of `absent`'s result: the `=` matchers of a selector argument, names seen twice dropped.
    static func absentLabels(_ e: Expr) -> LabelArray {
        var arg = e
        while case let .paren(inner) = arg { arg = inner }
        let matchers: [LabelMatcher]
        switch arg {
        case let .vectorSelector(vs): matchers = vs.matchers
        case let .matrixSelector(vs, _): matchers = vs.matchers
        default: return []
        }
        var labels: LabelArray = []
        var seen = Set<String>()
        for m in matchers where m.name != "__name__" {
            if m.op == .equal, !seen.contains(m.name) {
                labels = labels.setting(m.name, m.value); seen.insert(m.name)
            } else {
                labels = labels.setting(m.name, "")
            }
        }
        return labels
    }

    func labelReplace(_ args: [Expr], at t: Int64) throws -> [EvalSample] {
        let v = try vectorValue(args[0], at: t)
        let dst = try stringValue(args[1], at: t), repl = try stringValue(args[2], at: t)
        let src = try stringValue(args[3], at: t), pattern = try stringValue(args[4], at: t)
        let re: PromRegex
        do { re = try PromRegex(pattern, dotMatchesNewline: options.leftOpen) }
        catch { throw queryError("invalid regular expression in label_replace(): \(pattern)") }
        guard Self.isValidLabelName(dst) else { throw queryError("invalid destination label name in label_replace(): \(dst)") }
        let out = v.map { s -> EvalSample in
            guard let caps = re.captures(s.labels.value(src) ?? "") else { return s }
            let value = Self.expand(repl, caps, re)
            return EvalSample(labels: s.labels.setting(dst, value), t: t, v: s.v)
        }
        try checkUnique(out)
        return out
    }

    /// Go's `Regexp.Expand`: `$1`, `${1}`, `$name`, `${name}`, `$$`.
    static func expand(_ template: String, _ caps: [Substring.UnicodeScalarView?], _ re: PromRegex) -> String {
        var out = String.UnicodeScalarView()
        let s = Array(template.unicodeScalars)
        var i = 0
        func isNameChar(_ c: Unicode.Scalar) -> Bool { c == "_" || (c.isASCII && (c.properties.isAlphabetic || ("0"..."9").contains(c))) }
        while i < s.count {
            guard s[i] == "$", i + 1 < s.count else { out.append(s[i]); i += 1; continue }
            if s[i + 1] == "$" { out.append("$"); i += 2; continue }
            var name = ""
            var j = i + 1
            if s[j] == "{" {
                j += 1
                while j < s.count, isNameChar(s[j]) { name.unicodeScalars.append(s[j]); j += 1 }
                guard j < s.count, s[j] == "}", !name.isEmpty else { out.append(s[i]); i += 1; continue }
                j += 1
            } else {
                while j < s.count, isNameChar(s[j]) { name.unicodeScalars.append(s[j]); j += 1 }
                guard !name.isEmpty else { out.append(s[i]); i += 1; continue }
            }
            let index: Int? = Int(name) ?? re.groupIndex(named: name)
            if let index, index >= 0, index < caps.count, let c = caps[index] { out.append(contentsOf: c) }
            i = j
        }
        return String(out)
    }

    func labelJoin(_ args: [Expr], at t: Int64) throws -> [EvalSample] {
        let v = try vectorValue(args[0], at: t)
        let dst = try stringValue(args[1], at: t), sep = try stringValue(args[2], at: t)
        let srcs = try args.dropFirst(3).map { try stringValue($0, at: t) }
        guard Self.isValidLabelName(dst) else { throw queryError("invalid destination label name in label_join(): \(dst)") }
        let out = v.map { s in
            EvalSample(labels: s.labels.setting(dst, srcs.map { s.labels.value($0) ?? "" }.joined(separator: sep)), t: t, v: s.v)
        }
        try checkUnique(out)
        return out
    }

    func histogramQuantile(_ args: [Expr], at t: Int64) throws -> [EvalSample] {
        let q = try scalarValue(args[0], at: t)
        let v = try vectorValue(args[1], at: t)
        var groups: [LabelSubsetKey: Int] = [:]
        var buckets: [(labels: LabelArray, buckets: [PromQuantile.Bucket])] = []
        var bounds: [String: Double?] = [:]   // a histogram has few distinct `le` texts
        for s in v {
            guard let leText = s.labels.value("le") else { continue }
            let parsed: Double?
            if let known = bounds[leText] { parsed = known } else { parsed = parseGoFloat(leText); bounds[leText] = parsed }
            guard let le = parsed else { continue }
            let key = LabelSubsetKey(labels: s.labels, names: ["le"], keeping: false)
            if let index = groups[key] {
                buckets[index].buckets.append(PromQuantile.Bucket(upperBound: le, count: s.v))
            } else {
                groups[key] = buckets.count
                buckets.append((key.subset, [PromQuantile.Bucket(upperBound: le, count: s.v)]))
            }
        }
        return buckets.map { EvalSample(labels: $0.labels, t: t, v: PromQuantile.bucketQuantile(q, $0.buckets)) }
    }
}
