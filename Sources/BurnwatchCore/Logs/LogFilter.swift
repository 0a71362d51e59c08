/// A compiled log filter: `status>=500 and level=error and msg~"timeout" and not tenant=acme`.
///
/// Grammar (docs/logs.md):
/// ```
/// expr       := orExpr
/// orExpr     := andExpr ("or" andExpr)*
/// andExpr    := unary (["and"] unary)*        -- juxtaposition means "and"
/// unary      := "not" unary | "!" unary | primary
/// primary    := "(" expr ")" | field [op value]  -- a bare field tests that it is present
/// op         := "=" | "==" | "!=" | "<" | "<=" | ">" | ">=" | "~" | "!~"
/// value      := number | "quoted string" | 'quoted string' | bareword
/// field      := [A-Za-z_@][A-Za-z0-9_.@/-]*
/// ```
/// `~` is "contains" (ASCII case-insensitive); `<`…`>=` compare numbers (a numeric string such as
/// `"200"` counts as a number; a field that is not a number never matches them). A comparison with a missing field is false, except `!=` and `!~`.
public struct LogFilter: Sendable, Equatable, CustomStringConvertible {
    /// One node of the filter tree.
    public indirect enum Node: Sendable, Equatable {
        case always
        case and(Node, Node)
        case or(Node, Node)
        case not(Node)
        /// `fields[field] op value`.
        case compare(field: Int, op: Op, value: Value)
        /// The field is present (and not JSON `null`).
        case exists(field: Int)
    }

    /// A comparison operator.
    public enum Op: String, Sendable, Equatable {
        case eq = "=", ne = "!=", lt = "<", le = "<=", gt = ">", ge = ">=", contains = "~", notContains = "!~"

        /// Whether the operator compares numbers.
        public var isOrdering: Bool { self == .lt || self == .le || self == .gt || self == .ge }
    }

    /// The right-hand side of a comparison.
    public struct Value: Sendable, Equatable {
        /// The text as written (unquoted, escapes resolved).
        public var text: String
        /// The text's UTF-8 bytes.
        public var bytes: [UInt8]
        /// The ASCII-lower-cased bytes, for `~`.
        public var lowerBytes: [UInt8]
        /// The number, when the text is one.
        public var number: Double?

        public init(_ text: String) {
            self.text = text
            bytes = Array(text.utf8)
            lowerBytes = bytes.map { $0 >= 65 && $0 <= 90 ? $0 | 0x20 : $0 }
            number = Double(text)
        }
    }

    /// The root of the tree.
    public var root: Node
    /// The field names the filter reads, indexed by the `field` numbers in the tree.
    public var fields: [String]

    /// A filter that matches every line.
    public static let all = LogFilter(root: .always, fields: [])

    public init(root: Node, fields: [String]) { self.root = root; self.fields = fields }

    /// Parses a filter expression.
    ///
    /// - Parameter text: the expression; an empty text matches everything.
    /// - Throws: `BurnwatchError` `.usage` with the 1-based column of the problem.
    /// - Complexity: O(n).
    public init(parsing text: String) throws {
        var parser = LogFilterParser(text)
        self = try parser.parseFilter()
    }

    /// Evaluates the filter against a subject that answers comparisons field by field.
    @inlinable
    public func matches<S: LogFilterSubject>(_ subject: inout S) -> Bool { LogFilter.eval(root, &subject) }

    @inlinable
    static func eval<S: LogFilterSubject>(_ node: Node, _ s: inout S) -> Bool {
        switch node {
        case .always: return true
        case .and(let a, let b): return eval(a, &s) && eval(b, &s)
        case .or(let a, let b): return eval(a, &s) || eval(b, &s)
        case .not(let a): return !eval(a, &s)
        case .compare(let f, let op, let v): return s.compare(field: f, op, v)
        case .exists(let f): return s.exists(field: f)
        }
    }

    /// The filter written back in canonical form.
    public var description: String { LogFilter.text(root, fields) }

    static func text(_ n: Node, _ fields: [String]) -> String {
        switch n {
        case .always: return "true"
        case .and(let a, let b): return "(\(text(a, fields)) and \(text(b, fields)))"
        case .or(let a, let b): return "(\(text(a, fields)) or \(text(b, fields)))"
        case .not(let a): return "not \(text(a, fields))"
        case .compare(let f, let op, let v): return "\(fields[f])\(op.rawValue)\(quoted(v.text))"
        case .exists(let f): return fields[f]
        }
    }

    /// `text` as a double-quoted filter string that reads back as `text` (`\\`, `\"`, `\n`, `\t`).
    static func quoted(_ text: String) -> String {
        var out = "\""
        for c in text.unicodeScalars {
            switch c {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default: out.unicodeScalars.append(c)
            }
        }
        return out + "\""
    }

    /// The shared comparison rule for a field whose value is text (`number` when it parses as one).
    ///
    /// - Parameters: `present` is false when the field is absent or null.
    @inlinable
    public static func compareText(present: Bool, bytes: UnsafeBufferPointer<UInt8>, number: Double?, _ op: Op, _ v: Value) -> Bool {
        guard present else { return op == .ne || op == .notContains }
        switch op {
        case .eq, .ne:
            var equal: Bool
            if let a = number, let b = v.number { equal = a == b } else { equal = bytes.elementsEqual(v.bytes) }
            return op == .eq ? equal : !equal
        case .lt, .le, .gt, .ge:
            guard let a = number, let b = v.number else {
                // A number against text never orders; text against text orders byte by byte.
                if v.number != nil { return false }
                let order = lexicographicOrder(bytes, v.bytes)
                switch op { case .lt: return order < 0
                case .le: return order <= 0
                case .gt: return order > 0
                default: return order >= 0 }
            }
            switch op { case .lt: return a < b
            case .le: return a <= b
            case .gt: return a > b
            default: return a >= b }
        case .contains, .notContains:
            let found = containsFolded(bytes, v.lowerBytes)
            return op == .contains ? found : !found
        }
    }

    /// Compares a normalised level: `=`/`!=` by level, `<`…`>=` by severity order, `~` by name.
    public static func compareLevel(_ level: LogLevel?, _ op: Op, _ v: Value) -> Bool {
        guard let level else { return op == .ne || op == .notContains }
        let want = LogLevel.named(v.text)
        switch op {
        case .eq: return level == want
        case .ne: return level != want
        case .lt: return level < want
        case .le: return level <= want
        case .gt: return level > want
        case .ge: return level >= want
        case .contains, .notContains:
            var name = level.description
            let found = name.withUTF8 { containsFolded($0, v.lowerBytes) }
            return op == .contains ? found : !found
        }
    }

    /// -1, 0 or 1 as `a` sorts before, equal to or after `b` byte by byte.
    @inlinable
    public static func lexicographicOrder(_ a: UnsafeBufferPointer<UInt8>, _ b: [UInt8]) -> Int {
        let n = min(a.count, b.count)
        for i in 0..<n where a[i] != b[i] { return a[i] < b[i] ? -1 : 1 }
        return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
    }

    /// Whether `haystack` contains `needleLower`, folding ASCII letters of the haystack to lower case.
    ///
    /// - Complexity: O(n·m) worst case; the first byte is searched first.
    @inlinable
    public static func containsFolded(_ haystack: UnsafeBufferPointer<UInt8>, _ needleLower: [UInt8]) -> Bool {
        let m = needleLower.count
        if m == 0 { return true }
        let n = haystack.count
        if m > n { return false }
        let first = needleLower[0]
        var i = 0
        while i <= n - m {
            var c = haystack[i]
            if c >= 65 && c <= 90 { c |= 0x20 }
            if c == first {
                var j = 1
                while j < m {
                    var d = haystack[i + j]
                    if d >= 65 && d <= 90 { d |= 0x20 }
                    if d != needleLower[j] { break }
                    j += 1
                }
                if j == m { return true }
            }
            i += 1
        }
        return false
    }
}

/// Anything a `LogFilter` can be evaluated against: a normalised event, or a raw line scanned on demand.
public protocol LogFilterSubject {
    /// `fields[field] op value`, with the rules of `LogFilter.compareText`.
    mutating func compare(field: Int, _ op: LogFilter.Op, _ value: LogFilter.Value) -> Bool
    /// Whether the field is present and not null.
    mutating func exists(field: Int) -> Bool
}

/// A `LogFilterSubject` over a normalised event; the filter's field names go through `LogEvent.lookup`.
public struct LogEventFilterSubject: LogFilterSubject {
    public var event: LogEvent
    public var fields: [String]

    public init(event: LogEvent, fields: [String]) { self.event = event; self.fields = fields }

    public mutating func compare(field: Int, _ op: LogFilter.Op, _ value: LogFilter.Value) -> Bool {
        let name = fields[field]
        if LogEvent.normalisedName(name) == "level" {
            return LogFilter.compareLevel(event.level == .unknown ? nil : event.level, op, value)
        }
        let v = value
        guard var text = event.lookup(name) else {
            return LogFilter.compareText(present: false, bytes: UnsafeBufferPointer(start: nil, count: 0), number: nil, op, v)
        }
        let number = Double(text)
        return text.withUTF8 { LogFilter.compareText(present: true, bytes: $0, number: number, op, v) }
    }

    public mutating func exists(field: Int) -> Bool { event.lookup(fields[field]) != nil }
}
