/// Options of the query engine.
public struct PromQLOptions: Sendable, Hashable {
    /// 3 (default): Prometheus 3 semantics, range selectors and lookback left-open `(t-r, t]`,
    /// regex `.` matches newlines, subquery steps start after `t-r`. 2: Prometheus 2.x, closed `[t-r, t]`.
    public var compat: Int
    /// How far back an instant selector looks for a sample (5m).
    public var lookbackDelta: Int64
    /// A subquery's step when it names none (Prometheus's global evaluation interval, 1m).
    public var defaultSubqueryStep: Int64
    /// Largest number of points a range query may produce per series (Prometheus: 11,000).
    public var maxPointsPerSeries: Int

    public init(compat: Int = 3, lookbackDelta: Int64 = 300_000, defaultSubqueryStep: Int64 = 60_000, maxPointsPerSeries: Int = 11_000) {
        self.compat = compat; self.lookbackDelta = lookbackDelta
        self.defaultSubqueryStep = defaultSubqueryStep; self.maxPointsPerSeries = maxPointsPerSeries
    }

    var leftOpen: Bool { compat >= 3 }
}

/// A sorted label array used inside the evaluator (cheaper than `Labels` to edit).
typealias LabelArray = [Label]

extension Array where Element == Label {
    func value(_ name: String) -> String? {
        for l in self where l.name == name { return l.value }
        return nil
    }
    func droppingName() -> [Label] { filter { $0.name != "__name__" } }
    func setting(_ name: String, _ value: String) -> [Label] {
        var out = filter { $0.name != name }
        if !value.isEmpty {
            let idx = out.firstIndex { $0.name > name } ?? out.count
            out.insert(Label(name, value), at: idx)
        }
        return out
    }
    /// A string key identifying the label set: per label its name, NUL, the value's length in
    /// bytes, `:` and the value. Unambiguous (names hold no NUL, the length bounds the value), and
    /// ASCII when the values are, so hashing it takes Swift's fast path (no Unicode normalization).
    var key: String {
        var s = ""
        for l in self { s += l.name; s += "\u{0}"; s += String(l.value.utf8.count); s += ":"; s += l.value }
        return s
    }
    static func lessThan(_ a: [Label], _ b: [Label]) -> Bool {
        for i in 0..<Swift.min(a.count, b.count) {
            if a[i].name != b[i].name { return a[i].name < b[i].name }
            if a[i].value != b[i].value { return a[i].value < b[i].value }
        }
        return a.count < b.count
    }
}

/// A sample's labels restricted to some names, as a dictionary key hashed and compared in place.
///
/// `by (…)` and `on (…)` keep `names`; `without (…)`, `ignoring (…)` and a histogram's buckets
/// (without `le`) keep every label but `names` and `__name__`. Grouping a vector this way builds
/// no filtered copy and no string per sample: only a new group takes `subset`. Keys are compared
/// with keys made with the same names and mode.
struct LabelSubsetKey: Hashable {
    let labels: LabelArray
    let names: [String]
    let keeping: Bool

    @inline(__always) func counts(_ l: Label) -> Bool {
        keeping ? names.contains(l.name) : (l.name != "__name__" && !names.contains(l.name))
    }

    /// The labels the key is made of, in order.
    var subset: LabelArray { labels.filter(counts) }

    func hash(into hasher: inout Hasher) {
        for l in labels where counts(l) { hasher.combine(l.name); hasher.combine(l.value) }
    }

    static func == (a: LabelSubsetKey, b: LabelSubsetKey) -> Bool {
        var i = 0, j = 0
        while true {
            while i < a.labels.count, !a.counts(a.labels[i]) { i += 1 }
            while j < b.labels.count, !b.counts(b.labels[j]) { j += 1 }
            if i == a.labels.count || j == b.labels.count { return i == a.labels.count && j == b.labels.count }
            if a.labels[i] != b.labels[j] { return false }
            i += 1; j += 1
        }
    }
}

/// One sample of an instant vector during evaluation; `t` is the sample's own time for selectors.
struct EvalSample {
    var labels: LabelArray
    var t: Int64
    var v: Double
}

/// One series of a range vector during evaluation.
struct EvalSeries {
    var labels: LabelArray
    var points: [(Int64, Double)]
}

/// A range vector with the window it was selected for (needed by `rate` extrapolation).
struct RangeValue {
    var series: [EvalSeries]
    var rangeStart: Int64
    var rangeEnd: Int64
    var range: Int64
}

enum EvalValue {
    case scalar(Double)
    case string(String)
    case vector([EvalSample])
    case matrix(RangeValue)
}

func queryError(_ msg: String) -> BurnwatchError { BurnwatchError(.query, msg) }
