/// Parses PromQL text into an `Expr`, checking types as Prometheus's parser does.
public enum PromQLParser {
    /// Parses `text`.
    /// - Parameter dotMatchesNewline: Prometheus 3's regex `.` (2.x: false).
    /// - Throws: `BurnwatchError(.parse)` whose position holds the line and column of the problem.
    public static func parse(_ text: String, dotMatchesNewline: Bool = true) throws -> Expr {
        var lexer = PromQLLexer(text)
        var p = ParserState(tokens: try lexer.tokens(), dotAll: dotMatchesNewline)
        let e = try p.parseExpr(0)
        if p.peek.kind != .eof { throw p.error("unexpected \(p.describe(p.peek))", p.peek) }
        // Deep trees (long chains of binary operations too) make the printer and the evaluator
        // recurse as deep; the print of an accepted expression stays within `maxRecursion`.
        if e.nestingDepth > ParserState.maxDepth {
            throw p.error("expression nested too deeply (more than \(ParserState.maxDepth) levels)", p.tokens[0])
        }
        return e
    }
}

struct ParserState {
    var tokens: [Token]
    var pos = 0
    let dotAll: Bool
    /// How many `parseExpr` calls are open: parentheses, unary signs, arguments and subexpressions
    /// nest by recursion, and thousands of `(` overflowed the stack (found by make fuzz).
    var depth = 0
    /// The deepest expression tree accepted (`Expr.nestingDepth`, parentheses not counted).
    static let maxDepth = 256
    /// The deepest recursion: the print of a tree of depth d (every binary operation in parentheses)
    /// reads back within 2 d levels.
    static let maxRecursion = 2 * maxDepth + 8

    init(tokens: [Token], dotAll: Bool) { self.tokens = tokens; self.dotAll = dotAll }

    var peek: Token { tokens[pos] }
    func peek(_ k: Int) -> Token { tokens[min(pos + k, tokens.count - 1)] }
    mutating func next() -> Token { let t = tokens[pos]; if pos < tokens.count - 1 { pos += 1 }; return t }

    func error(_ msg: String, _ t: Token) -> BurnwatchError { PromQLLexer.error(msg, t.line, t.column) }

    func describe(_ t: Token) -> String {
        switch t.kind {
        case .eof: return "end of input"
        case .string: return "string \"\(t.text)\""
        case .number: return "number \"\(t.text)\""
        case .duration: return "duration \"\(t.text)\""
        case .ident: return "identifier \"\(t.text)\""
        case .op: return "\"\(t.text)\""
        }
    }

    func isOp(_ s: String) -> Bool { peek.kind == .op && peek.text == s }
    func isKeyword(_ s: String, _ t: Token? = nil) -> Bool { let t = t ?? peek; return t.kind == .ident && t.text.lowercased() == s }

    mutating func expect(_ s: String, _ context: String) throws {
        guard isOp(s) else { throw error("unexpected \(describe(peek)) in \(context), expected \"\(s)\"", peek) }
        _ = next()
    }

    func binaryOp(_ t: Token) -> BinaryOp? {
        switch t.kind {
        case .op: return ["==": .eql, "!=": .neq, "<=": .lte, "<": .lss, ">=": .gte, ">": .gtr,
                          "+": .add, "-": .sub, "*": .mul, "/": .div, "%": .mod, "^": .pow][t.text]
        case .ident:
            switch t.text.lowercased() { case "and": return .and; case "or": return .or; case "unless": return .unless; case "atan2": return .atan2; default: return nil }
        default: return nil
        }
    }

    mutating func parseExpr(_ minPrec: Int) throws -> Expr {
        depth += 1
        defer { depth -= 1 }
        if depth > Self.maxRecursion { throw error("expression nested too deeply (more than \(Self.maxDepth) levels)", peek) }
        var lhs = try parseUnary()
        while let op = binaryOp(peek), op.precedence >= minPrec {
            let opTok = next()
            var returnBool = false
            if isKeyword("bool") {
                guard op.isComparison else { throw error("bool modifier can only be used on comparison operators", peek) }
                _ = next(); returnBool = true
            }
            var matching: VectorMatching? = nil
            if isKeyword("on") || isKeyword("ignoring") {
                var m = VectorMatching()
                m.on = isKeyword("on")
                _ = next()
                m.labels = try parseLabelList()
                if isKeyword("group_left") || isKeyword("group_right") {
                    m.card = isKeyword("group_left") ? .manyToOne : .oneToMany
                    _ = next()
                    if isOp("(") { m.include = try parseLabelList() }
                }
                matching = m
            }
            let rhs = try parseExpr(op.isRightAssociative ? op.precedence : op.precedence + 1)
            lhs = try makeBinary(op, lhs, rhs, matching, returnBool, opTok)
        }
        return lhs
    }

    func makeBinary(_ op: BinaryOp, _ l: Expr, _ r: Expr, _ m: VectorMatching?, _ returnBool: Bool, _ t: Token) throws -> Expr {
        for side in [l, r] where side.type != .scalar && side.type != .vector {
            throw error("binary expression must contain only scalar and instant vector types", t)
        }
        var matching = m
        if op.isSetOperator {
            guard l.type == .vector, r.type == .vector else {
                throw error("set operator \"\(op.rawValue)\" not allowed in binary scalar expression", t)
            }
            if matching == nil { matching = VectorMatching() }
            if matching!.card != .oneToOne { throw error("no grouping allowed for \"\(op.rawValue)\" operation", t) }
            matching!.card = .manyToMany
        }
        if (l.type == .scalar || r.type == .scalar), let mm = m, mm.on || !mm.labels.isEmpty || mm.card != .oneToOne {
            throw error("vector matching only allowed between instant vectors", t)
        }
        if l.type == .scalar, r.type == .scalar, op.isComparison, !returnBool {
            throw error("comparisons between scalars must use BOOL modifier", t)
        }
        if let mm = matching, mm.card == .manyToOne || mm.card == .oneToMany {
            for name in mm.include where mm.on && mm.labels.contains(name) {
                throw error("label \"\(name)\" must not occur in ON and GROUP clause at once", t)
            }
        }
        if l.type == .vector, r.type == .vector, matching == nil { matching = VectorMatching() }
        return .binary(op, l, r, matching: matching, returnBool: returnBool)
    }

    mutating func parseLabelList() throws -> [String] {
        try expect("(", "grouping opts")
        var names: [String] = []
        while !isOp(")") {
            let t = next()
            guard t.kind == .ident || t.kind == .string else { throw error("unexpected \(describe(t)) in grouping opts, expected label", t) }
            names.append(t.text)
            if isOp(",") { _ = next() } else if !isOp(")") { throw error("unexpected \(describe(peek)) in grouping opts, expected \",\" or \")\"", peek) }
        }
        _ = next()
        return names
    }

    mutating func parseUnary() throws -> Expr {
        if isOp("-") || isOp("+") {
            let t = next()
            let e = try parseExpr(BinaryOp.pow.precedence)
            guard e.type == .scalar || e.type == .vector else { throw error("unary expression only allowed on expressions of type scalar or instant vector, got \"\(e.type.rawValue)\"", t) }
            if t.text == "+" { return e }
            if case let .number(v) = e { return .number(-v) }
            return .unaryMinus(e)
        }
        return try parsePostfix(try parsePrimary())
    }

    mutating func parsePostfix(_ base: Expr) throws -> Expr {
        var e = base
        while true {
            if isOp("[") {
                let open = next()
                let rangeTok = next()
                guard rangeTok.kind == .duration else { throw error("unexpected \(describe(rangeTok)) in subquery or range selector, expected duration", rangeTok) }
                if isOp("]") {
                    _ = next()
                    guard case let .vectorSelector(vs) = e else {
                        throw error("ranges only allowed for vector selectors", open)
                    }
                    if vs.offset != 0 || vs.at != nil { throw error("no offset or @ modifiers allowed before range", open) }
                    e = .matrixSelector(vs, range: rangeTok.durationMs)
                    continue
                }
                try expect(":", "subquery")
                var step: Int64? = nil
                if peek.kind == .duration { step = next().durationMs }
                try expect("]", "subquery")
                guard e.type == .vector else { throw error("subquery is only allowed on instant vector, got \(e.type.rawValue) instead", open) }
                e = .subquery(e, range: rangeTok.durationMs, step: step, offset: 0, at: nil)
                continue
            }
            if isKeyword("offset") {
                let t = next()
                var sign: Int64 = 1
                if isOp("-") { _ = next(); sign = -1 } else if isOp("+") { _ = next() }
                let d = next()
                guard d.kind == .duration else { throw error("unexpected \(describe(d)) in offset, expected duration", d) }
                e = try withModifier(e, t) { off, _ in
                    if off != 0 { throw self.error("offset may not be set multiple times", t) }
                    off = sign * d.durationMs
                }
                continue
            }
            if isOp("@") {
                let t = next()
                var at: AtModifier
                if isKeyword("start") || isKeyword("end") {
                    let k = next()
                    try expect("(", "@ modifier"); try expect(")", "@ modifier")
                    at = k.text == "start" ? .start : .end
                } else {
                    var sign = 1.0
                    if isOp("-") { _ = next(); sign = -1 } else if isOp("+") { _ = next() }
                    let n = next()
                    guard n.kind == .number else { throw error("unexpected \(describe(n)) in @, expected timestamp", n) }
                    let v = sign * n.number
                    guard v.isFinite, abs(v) < 9.2e15 else { throw error("timestamp out of bounds for @ modifier: \(v)", n) }
                    at = .time(Int64((v * 1000).rounded()))
                }
                e = try withModifier(e, t) { _, a in
                    if a != nil { throw self.error("@ <timestamp> may not be set multiple times", t) }
                    a = at
                }
                continue
            }
            return e
        }
    }

    func withModifier(_ e: Expr, _ t: Token, _ body: (inout Int64, inout AtModifier?) throws -> Void) throws -> Expr {
        switch e {
        case var .vectorSelector(vs):
            try body(&vs.offset, &vs.at); return .vectorSelector(vs)
        case .matrixSelector(var vs, let range):
            try body(&vs.offset, &vs.at); return .matrixSelector(vs, range: range)
        case .subquery(let inner, let range, let step, var off, var at):
            try body(&off, &at); return .subquery(inner, range: range, step: step, offset: off, at: at)
        default:
            throw error(t.text == "@" ? "@ modifier must be preceded by an instant vector selector or range vector selector or a subquery"
                                      : "offset modifier must be preceded by an instant vector selector or range vector selector or a subquery", t)
        }
    }

    mutating func parsePrimary() throws -> Expr {
        let t = peek
        switch t.kind {
        case .number: _ = next(); return .number(t.number)
        case .string: _ = next(); return .string(t.text)
        case .duration: throw error("unexpected \(describe(t))", t)
        case .eof: throw error("unexpected end of input", t)
        case .op:
            if t.text == "(" {
                _ = next()
                let e = try parseExpr(0)
                try expect(")", "paren expression")
                return .paren(e)
            }
            if t.text == "{" { return .vectorSelector(try parseSelector(name: nil, t)) }
            throw error("unexpected \(describe(t))", t)
        case .ident:
            let lower = t.text.lowercased()
            if lower == "inf" || lower == "nan" { _ = next(); return .number(lower == "inf" ? .infinity : .nan) }
            if let agg = AggregateOp(rawValue: lower), isOp2("(") || isKeyword("by", peek(1)) || isKeyword("without", peek(1)) {
                return try parseAggregate(agg)
            }
            if peek(1).kind == .op, peek(1).text == "(" {
                return try parseCall()
            }
            if ["by", "without", "on", "ignoring", "group_left", "group_right", "bool", "offset", "and", "or", "unless", "atan2"].contains(lower) {
                throw error("unexpected \(describe(t))", t)
            }
            _ = next()
            if isOp("{") { return .vectorSelector(try parseSelector(name: t.text, t)) }
            return .vectorSelector(VectorSelector(name: t.text, matchers: [try LabelMatcher("__name__", .equal, t.text)]))
        }
    }

    func isOp2(_ s: String) -> Bool { peek(1).kind == .op && peek(1).text == s }

    mutating func parseSelector(name: String?, _ start: Token) throws -> VectorSelector {
        try expect("{", "label matching")
        var matchers: [LabelMatcher] = []
        while !isOp("}") {
            let n = next()
            guard n.kind == .ident || n.kind == .string else { throw error("unexpected \(describe(n)) in label matching, expected label", n) }
            // Prometheus 3's quoted UTF-8 metric name: `{"my.metric", job="x"}`.
            if n.kind == .string, isOp(",") || isOp("}") {
                matchers.append(try LabelMatcher("__name__", .equal, n.text))
                if isOp(",") { _ = next() }
                continue
            }
            let opTok = next()
            guard opTok.kind == .op, let op = LabelMatcher.Op(rawValue: opTok.text) else {
                throw error("unexpected \(describe(opTok)) in label matching, expected label matching operator", opTok)
            }
            let v = next()
            guard v.kind == .string else { throw error("unexpected \(describe(v)) in label matching, expected string", v) }
            do { matchers.append(try LabelMatcher(n.text, op, v.text, dotMatchesNewline: dotAll)) }
            catch let e as BurnwatchError { throw error(e.message, v) }
            if isOp(",") { _ = next() } else if !isOp("}") { throw error("unexpected \(describe(peek)) in label matching, expected \",\" or \"}\"", peek) }
        }
        _ = next()
        if let name {
            if matchers.contains(where: { $0.name == "__name__" }) { throw error("metric name must not be set twice: \"\(name)\"", start) }
            matchers.insert(try LabelMatcher("__name__", .equal, name), at: 0)
        }
        let nameOfSelector = name ?? matchers.first(where: { $0.name == "__name__" && $0.op == .equal })?.value
        if !matchers.contains(where: { !$0.matches("") }) {
            throw error("vector selector must contain at least one non-empty matcher", start)
        }
        return VectorSelector(name: nameOfSelector, matchers: matchers)
    }

    mutating func parseAggregate(_ op: AggregateOp) throws -> Expr {
        let t = next()
        var grouping: [String] = []
        var without = false
        var hadGrouping = false
        if isKeyword("by") || isKeyword("without") {
            without = isKeyword("without"); _ = next()
            grouping = try parseLabelList(); hadGrouping = true
        }
        try expect("(", "aggregation")
        var args: [Expr] = []
        while !isOp(")") {
            args.append(try parseExpr(0))
            if isOp(",") { _ = next() } else if !isOp(")") { throw error("unexpected \(describe(peek)) in aggregation, expected \",\" or \")\"", peek) }
        }
        _ = next()
        if !hadGrouping, isKeyword("by") || isKeyword("without") {
            without = isKeyword("without"); _ = next()
            grouping = try parseLabelList()
        }
        let want = op.takesParameter ? 2 : 1
        guard args.count == want else { throw error("wrong number of arguments for aggregate expression provided, expected \(want), got \(args.count)", t) }
        let expr = args[want - 1]
        guard expr.type == .vector else { throw error("expected type instant vector in aggregation expression, got \(expr.type.rawValue)", t) }
        var param: Expr? = nil
        if op.takesParameter {
            param = args[0]
            let wantType: ValueType = op == .countValues ? .string : .scalar
            guard args[0].type == wantType else { throw error("expected type \(wantType.rawValue) in aggregation parameter, got \(args[0].type.rawValue)", t) }
        }
        return .aggregate(op, param: param, expr: expr, grouping: grouping, without: without)
    }

    mutating func parseCall() throws -> Expr {
        let t = next()
        guard let sig = PromQLFunctions.signature(t.text) else { throw error("unknown function with name \"\(t.text)\"", t) }
        try expect("(", "function call")
        var args: [Expr] = []
        while !isOp(")") {
            args.append(try parseExpr(0))
            if isOp(",") { _ = next() } else if !isOp(")") { throw error("unexpected \(describe(peek)) in function call, expected \",\" or \")\"", peek) }
        }
        _ = next()
        let minArgs = sig.args.count - sig.optional
        if sig.variadic {
            guard args.count >= minArgs else { throw error("expected at least \(minArgs) argument(s) in call to \"\(t.text)\", got \(args.count)", t) }
        } else if args.count < minArgs || args.count > sig.args.count {
            if sig.optional > 0 {
                throw error("expected at most \(sig.args.count) argument(s) in call to \"\(t.text)\", got \(args.count)", t)
            }
            throw error("expected \(sig.args.count) argument(s) in call to \"\(t.text)\", got \(args.count)", t)
        }
        for (k, a) in args.enumerated() {
            let want = k < sig.args.count ? sig.args[k] : sig.args[sig.args.count - 1]
            var got = a.type
            if got == .matrix, case .paren = a { got = .matrix }
            guard got == want else { throw error("expected type \(want.rawValue) in call to function \"\(t.text)\", got \(got.rawValue)", t) }
        }
        return .call(t.text, args)
    }
}

extension Expr {
    /// The depth of the tree, not counting parentheses (a print adds them around every binary operation).
    var nestingDepth: Int {
        switch self {
        case .number, .string, .vectorSelector, .matrixSelector: return 1
        case let .subquery(e, _, _, _, _): return 1 + e.nestingDepth
        case let .call(_, args): return 1 + (args.map(\.nestingDepth).max() ?? 0)
        case let .aggregate(_, param, expr, _, _): return 1 + max(param?.nestingDepth ?? 0, expr.nestingDepth)
        case let .binary(_, l, r, _, _): return 1 + max(l.nestingDepth, r.nestingDepth)
        case let .unaryMinus(e): return 1 + e.nestingDepth
        case let .paren(e): return e.nestingDepth
        }
    }
}
