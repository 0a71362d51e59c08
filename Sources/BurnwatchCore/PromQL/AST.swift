/// A label matcher of a PromQL selector: `name op "value"`.
public struct LabelMatcher: Sendable, Hashable, CustomStringConvertible {
    public enum Op: String, Sendable, Hashable { case equal = "=", notEqual = "!=", regex = "=~", notRegex = "!~" }
    public var name: String
    public var op: Op
    public var value: String
    let regex: PromRegex?

    /// Creates a matcher; regex matchers compile `value` (fully anchored).
    /// - Throws: `BurnwatchError(.parse)` when the regex is invalid.
    public init(_ name: String, _ op: Op, _ value: String, dotMatchesNewline: Bool = false) throws {
        self.name = name; self.op = op; self.value = value
        regex = (op == .regex || op == .notRegex) ? try PromRegex(value, dotMatchesNewline: dotMatchesNewline) : nil
    }

    /// Whether a label value (empty when the label is absent) satisfies the matcher.
    public func matches(_ v: String) -> Bool {
        switch op {
        case .equal: return v == value
        case .notEqual: return v != value
        case .regex: return regex!.matches(v)
        case .notRegex: return !regex!.matches(v)
        }
    }

    /// `name op "value"`; a name that is not an identifier is quoted (`"a.b"="c"`), as Prometheus 3 writes it.
    public var description: String {
        let written = Expr.isMetricName(name) ? name : "\"\(Labels.escape(name))\""
        return "\(written)\(op.rawValue)\"\(Labels.escape(value))\""
    }
}

/// The type of a PromQL expression's value.
public enum ValueType: String, Sendable { case scalar, string, vector = "instant vector", matrix = "range vector" }

/// `@` modifier: a fixed time, or `start()`/`end()` of the query.
public enum AtModifier: Sendable, Hashable { case time(Int64), start, end }

/// Vector matching of a binary operation.
public struct VectorMatching: Sendable, Hashable {
    public enum Card: Sendable, Hashable { case oneToOne, manyToOne, oneToMany, manyToMany }
    public var card: Card = .oneToOne
    public var on = false
    public var labels: [String] = []
    public var include: [String] = []
    public init() {}
}

/// Binary operators, lowest precedence first.
public enum BinaryOp: String, Sendable, Hashable {
    case or, and, unless
    case eql = "==", neq = "!=", lte = "<=", lss = "<", gte = ">=", gtr = ">"
    case add = "+", sub = "-", mul = "*", div = "/", mod = "%", atan2, pow = "^"

    var precedence: Int {
        switch self {
        case .or: 1
        case .and, .unless: 2
        case .eql, .neq, .lte, .lss, .gte, .gtr: 3
        case .add, .sub: 4
        case .mul, .div, .mod, .atan2: 5
        case .pow: 6
        }
    }
    var isRightAssociative: Bool { self == .pow }
    var isComparison: Bool { precedence == 3 }
    /// Arithmetic drops the metric name; comparisons and `atan2` keep it (as Prometheus 2.x/3.x).
    var dropsMetricName: Bool { [.add, .sub, .mul, .div, .mod, .pow].contains(self) }
    var isSetOperator: Bool { self == .or || self == .and || self == .unless }
}

/// Aggregation operators.
public enum AggregateOp: String, Sendable, Hashable, CaseIterable {
    case sum, avg, count, min, max, group, stddev, stdvar, topk, bottomk, quantile
    case countValues = "count_values"
    var takesParameter: Bool { self == .topk || self == .bottomk || self == .quantile || self == .countValues }
}

/// A PromQL expression tree.
public indirect enum Expr: Sendable, Hashable {
    case number(Double)
    case string(String)
    case vectorSelector(VectorSelector)
    case matrixSelector(VectorSelector, range: Int64)
    case subquery(Expr, range: Int64, step: Int64?, offset: Int64, at: AtModifier?)
    case call(String, [Expr])
    case aggregate(AggregateOp, param: Expr?, expr: Expr, grouping: [String], without: Bool)
    case binary(BinaryOp, Expr, Expr, matching: VectorMatching?, returnBool: Bool)
    case unaryMinus(Expr)
    case paren(Expr)

    /// The value type this expression evaluates to.
    public var type: ValueType {
        switch self {
        case .number: return .scalar
        case .string: return .string
        case .vectorSelector: return .vector
        case .matrixSelector, .subquery: return .matrix
        case let .call(name, _): return PromQLFunctions.signature(name)?.returns ?? .vector
        case .aggregate: return .vector
        case let .binary(_, l, r, _, _): return (l.type == .scalar && r.type == .scalar) ? .scalar : .vector
        case let .unaryMinus(e), let .paren(e): return e.type
        }
    }
}

/// An instant vector selector with its modifiers.
public struct VectorSelector: Sendable, Hashable {
    public var name: String?
    public var matchers: [LabelMatcher]
    public var offset: Int64 = 0
    public var at: AtModifier? = nil
    public init(name: String?, matchers: [LabelMatcher]) { self.name = name; self.matchers = matchers }
}
