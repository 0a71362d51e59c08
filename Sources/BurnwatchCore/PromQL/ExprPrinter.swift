/// A PromQL text form of an expression with every binary operation parenthesised (shows precedence).
extension Expr: CustomStringConvertible {
    public var description: String {
        switch self {
        case let .number(v): return PromNumberFormat.format(v)
        case let .string(s): return PrometheusJSON.quote(s)
        case let .vectorSelector(vs): return Self.selector(vs)
        case let .matrixSelector(vs, range):
            var vs0 = vs; vs0.offset = 0; vs0.at = nil
            return Self.selector(vs0) + "[\(Interval(milliseconds: range))]" + Self.modifiers(vs.offset, vs.at)
        case let .subquery(e, range, step, offset, at):
            return "\(e)[\(Interval(milliseconds: range)):\(step.map { Interval(milliseconds: $0).description } ?? "")]" + Self.modifiers(offset, at)
        case let .call(name, args): return "\(name)(" + args.map(\.description).joined(separator: ", ") + ")"
        case let .aggregate(op, param, expr, grouping, without):
            let g = grouping.isEmpty && !without ? "" : " \(without ? "without" : "by") (\(grouping.joined(separator: ", ")))"
            return "\(op.rawValue)\(g) (" + (param.map { "\($0), " } ?? "") + "\(expr))"
        case let .binary(op, l, r, matching, returnBool):
            var mod = returnBool ? " bool" : ""
            // `group_left` and `group_right` need an `on` or `ignoring` before them, `ignoring()` too.
            let grouped = matching.map { $0.card == .manyToOne || $0.card == .oneToMany } ?? false
            if let m = matching, m.on || !m.labels.isEmpty || grouped {
                mod += " \(m.on ? "on" : "ignoring")(\(m.labels.joined(separator: ", ")))"
            }
            if let m = matching, m.card == .manyToOne || m.card == .oneToMany {
                mod += " \(m.card == .manyToOne ? "group_left" : "group_right")(\(m.include.joined(separator: ", ")))"
            }
            return "(\(l) \(op.rawValue)\(mod) \(r))"
        case let .unaryMinus(e): return "-\(e)"
        case let .paren(e): return "(\(e))"
        }
    }

    static func selector(_ vs: VectorSelector) -> String {
        // A name that is not an identifier stays a `__name__` matcher (`{__name__="http.*"}`),
        // which Prometheus 2 and 3 both read. So does every name when the braces set `__name__`
        // more than once (`{"a", "b"}`, `{"a", __name__=~"x"}`): the name cannot go before the
        // braces, as Prometheus reads a name there and a `__name__` matcher inside as set twice.
        let nameMatchers = vs.matchers.count { $0.name == "__name__" }
        let bareName = vs.name.flatMap { isMetricName($0) && nameMatchers == 1 ? $0 : nil }
        let rest = vs.matchers.filter { !($0.name == "__name__" && $0.op == .equal && $0.value == bareName) }
        let body = rest.isEmpty && bareName != nil ? "" : "{" + rest.map(\.description).joined(separator: ", ") + "}"
        return (bareName ?? "") + body + modifiers(vs.offset, vs.at)
    }

    /// Whether a metric or label name can be written bare: `[a-zA-Z_:][a-zA-Z0-9_:]*`.
    public static func isMetricName(_ name: String) -> Bool {
        guard let first = name.utf8.first, !(first >= 48 && first <= 57) else { return false }
        return name.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 65 && $0 <= 90) || ($0 >= 48 && $0 <= 57) || $0 == 95 || $0 == 58 }
    }

    static func modifiers(_ offset: Int64, _ at: AtModifier?) -> String {
        var s = ""
        if let at {
            switch at {
            case let .time(t): s += " @ \(PromNumberFormat.time(t))"
            case .start: s += " @ start()"
            case .end: s += " @ end()"
            }
        }
        if offset > 0 { s += " offset \(Interval(milliseconds: offset))" }
        if offset < 0 { s += " offset -\(Interval(milliseconds: -offset))" }
        return s
    }
}
