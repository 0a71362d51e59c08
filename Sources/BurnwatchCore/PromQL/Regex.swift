import Synchronization

/// A small RE2-like regular expression engine for PromQL label matchers and `label_replace`.
///
/// Supports literals, `.`, classes (`[a-z]`, `[^…]`, `\d \w \s \D \W \S`), alternation, capturing
/// and `(?:…)` groups, `* + ? {m} {m,} {m,n}` (and lazy `?` forms), `^`/`$`, and a leading `(?i)`/`(?s)`.
/// Matching is always anchored at both ends, as Prometheus anchors matcher regexes.
/// Backtracking with a visited set, so a match costs O(pattern × text).
public struct PromRegex: Sendable, Hashable {
    public let pattern: String
    let program: [RegexInst]
    let groupCount: Int
    let groupNames: [String: Int]
    /// Whole-text answers already found: a parsed matcher is kept across queries (the parse cache),
    /// and the same label values are asked every round.
    private let known = RegexMatchMemo()

    /// Compiles `pattern`; `dotMatchesNewline` is Prometheus 3's behaviour (2.x: false).
    /// - Throws: `BurnwatchError(.parse)` with a description of the error.
    public init(_ pattern: String, dotMatchesNewline: Bool = false) throws {
        var parser = RegexParser(Array(pattern.unicodeScalars), dotAll: dotMatchesNewline)
        let node = try parser.parseAll()
        var compiler = RegexCompiler()
        compiler.emit(.save(0))
        compiler.compile(node)
        compiler.emit(.save(1))
        compiler.emit(.match)
        self.pattern = pattern
        program = compiler.code
        groupCount = parser.groups + 1
        groupNames = parser.names
    }

    public static func == (a: PromRegex, b: PromRegex) -> Bool { a.pattern == b.pattern && a.program.count == b.program.count }
    public func hash(into h: inout Hasher) { h.combine(pattern) }

    /// Whether the whole of `text` matches.
    ///
    /// - Complexity: O(pattern × text) the first time a text is asked, O(text) (hashing) after.
    public func matches(_ text: String) -> Bool {
        if let answer = known.answer(text) { return answer }
        let answer = captures(text) != nil
        known.remember(text, answer)
        return answer
    }

    /// The capture groups (index 0 is the whole text) when the whole text matches, else nil.
    public func captures(_ text: String) -> [Substring.UnicodeScalarView?]? {
        let chars = Array(text.unicodeScalars)
        var slots = [Int](repeating: -1, count: groupCount * 2)
        var visited = [Bool](repeating: false, count: program.count * (chars.count + 1))
        guard run(0, 0, chars, &slots, &visited) else { return nil }
        let view = text.unicodeScalars
        return (0..<groupCount).map { g in
            let a = slots[2 * g], b = slots[2 * g + 1]
            guard a >= 0, b >= a else { return nil }
            let start = view.index(view.startIndex, offsetBy: a)
            let end = view.index(start, offsetBy: b - a)
            return view[start..<end]
        }
    }

    /// The index of a named group, if any.
    public func groupIndex(named name: String) -> Int? { groupNames[name] }
    public var numberOfGroups: Int { groupCount }

    private func run(_ pc0: Int, _ pos0: Int, _ s: [Unicode.Scalar], _ slots: inout [Int], _ visited: inout [Bool]) -> Bool {
        var pc = pc0, pos = pos0
        while true {
            let key = pc * (s.count + 1) + pos
            if visited[key] { return false }
            visited[key] = true
            switch program[pc] {
            case .match: return pos == s.count
            case let .char(c, fold):
                guard pos < s.count, s[pos] == c || (fold && foldEqual(s[pos], c)) else { return false }
                pc += 1; pos += 1
            case let .any(nl):
                guard pos < s.count, nl || s[pos] != "\n" else { return false }
                pc += 1; pos += 1
            case let .cls(set):
                guard pos < s.count, set.contains(s[pos]) else { return false }
                pc += 1; pos += 1
            case .begin:
                guard pos == 0 else { return false }
                pc += 1
            case .end:
                guard pos == s.count else { return false }
                pc += 1
            case let .jmp(t): pc = t
            case let .split(a, b):
                if run(a, pos, s, &slots, &visited) { return true }
                pc = b
            case let .save(n):
                let old = slots[n]
                slots[n] = pos
                if run(pc + 1, pos, s, &slots, &visited) { return true }
                slots[n] = old
                return false
            }
        }
    }
}

func foldEqual(_ a: Unicode.Scalar, _ b: Unicode.Scalar) -> Bool {
    a.properties.lowercaseMapping == b.properties.lowercaseMapping
}

/// A character class: ranges of scalars, maybe negated, maybe case-folded.
struct CharSet: Sendable, Hashable {
    var ranges: [ClosedRange<UInt32>] = []
    var negated = false
    var fold = false
    func contains(_ c: Unicode.Scalar) -> Bool {
        var hit = ranges.contains { $0.contains(c.value) }
        if !hit, fold {
            for alt in [c.properties.lowercaseMapping, c.properties.uppercaseMapping] {
                if let u = alt.unicodeScalars.first, alt.unicodeScalars.count == 1, ranges.contains(where: { $0.contains(u.value) }) { hit = true }
            }
        }
        return hit != negated
    }
}

enum RegexInst: Sendable, Hashable {
    case char(Unicode.Scalar, Bool), any(Bool), cls(CharSet), begin, end, jmp(Int), split(Int, Int), save(Int), match
}

indirect enum RegexNode {
    case empty
    case char(Unicode.Scalar, Bool)
    case any(Bool)
    case cls(CharSet)
    case begin, end
    case concat([RegexNode])
    case alt([RegexNode])
    case group(RegexNode, Int?)
    case rep(RegexNode, Int, Int?, Bool)   // min, max (nil = unbounded), greedy
}

struct RegexParser {
    let s: [Unicode.Scalar]
    var i = 0
    var groups = 0
    var names: [String: Int] = [:]
    var fold = false
    var dotAll: Bool

    init(_ s: [Unicode.Scalar], dotAll: Bool) { self.s = s; self.dotAll = dotAll }

    func fail(_ msg: String) -> BurnwatchError {
        BurnwatchError(.parse, "error parsing regexp: \(msg): `\(String(String.UnicodeScalarView(s)))`")
    }

    mutating func parseAll() throws -> RegexNode {
        let n = try parseAlt()
        if i < s.count { throw fail("unexpected )") }
        return n
    }

    mutating func parseAlt() throws -> RegexNode {
        var alts = [try parseConcat()]
        while i < s.count, s[i] == "|" { i += 1; alts.append(try parseConcat()) }
        return alts.count == 1 ? alts[0] : .alt(alts)
    }

    mutating func parseConcat() throws -> RegexNode {
        var items: [RegexNode] = []
        while i < s.count, s[i] != "|", s[i] != ")" {
            var atom = try parseAtom()
            while i < s.count, "*+?{".unicodeScalars.contains(s[i]), s[i] != "{" || parseBraces(i) != nil {
                var lo = 0, hi: Int? = nil
                switch s[i] {
                case "*": i += 1
                case "+": lo = 1; i += 1
                case "?": hi = 1; i += 1
                default:
                    let (a, b, next) = parseBraces(i)!
                    lo = a; hi = b; i = next
                    if let b, b < a { throw fail("invalid repeat count") }
                    if a > 1000 || (b ?? 0) > 1000 { throw fail("invalid repeat count") }
                }
                if case .rep = atom { throw fail("invalid nested repetition operator") }
                var greedy = true
                if i < s.count, s[i] == "?" { greedy = false; i += 1 }
                atom = .rep(atom, lo, hi, greedy)
            }
            items.append(atom)
        }
        return items.count == 1 ? items[0] : (items.isEmpty ? .empty : .concat(items))
    }

    /// Parses `{m}`, `{m,}` or `{m,n}` at `at`; nil when it is not a repeat (then `{` is literal).
    func parseBraces(_ at: Int) -> (Int, Int?, Int)? {
        var j = at + 1
        func number() -> Int? {
            let start = j
            var v = 0
            // A count too large is still a repeat (then an invalid one), as in RE2: `{222222}` is not a literal.
            while j < s.count, let d = Int(String(s[j])), s[j].isASCII { v = min(v * 10 + d, 100_001); j += 1 }
            return j > start ? v : nil
        }
        guard let lo = number() else { return nil }
        var hi: Int? = lo
        if j < s.count, s[j] == "," { j += 1; hi = number() }
        guard j < s.count, s[j] == "}" else { return nil }
        return (lo, hi, j + 1)
    }

    mutating func parseAtom() throws -> RegexNode {
        let c = s[i]
        switch c {
        case "(":
            i += 1
            if i < s.count, s[i] == "?" {
                i += 1
                if i < s.count, s[i] == ":" { i += 1; let n = try parseAlt(); try close(); return .group(n, nil) }
                if i < s.count, s[i] == "P" || s[i] == "<" {
                    if s[i] == "P" { i += 1 }
                    guard i < s.count, s[i] == "<" else { throw fail("invalid named capture") }
                    i += 1
                    var name = ""
                    while i < s.count, s[i] != ">" { name.unicodeScalars.append(s[i]); i += 1 }
                    guard i < s.count else { throw fail("invalid named capture") }
                    i += 1
                    groups += 1
                    let g = groups
                    names[name] = g
                    let n = try parseAlt(); try close()
                    return .group(n, g)
                }
                // Flags: (?i) (?s) (?is) and (?i:...)
                var flags = ""
                while i < s.count, s[i] != ")", s[i] != ":" { flags.unicodeScalars.append(s[i]); i += 1 }
                guard i < s.count, flags.allSatisfy({ "ismU-".contains($0) }) else { throw fail("invalid or unsupported Perl syntax") }
                let saved = (fold, dotAll)
                if flags.contains("i") { fold = true }
                if flags.contains("s") { dotAll = true }
                if s[i] == ")" { i += 1; return .empty }
                i += 1
                let n = try parseAlt(); try close()
                (fold, dotAll) = saved
                return .group(n, nil)
            }
            groups += 1
            let g = groups
            let n = try parseAlt()
            try close()
            return .group(n, g)
        case ")": throw fail("unexpected )")
        case "*", "+", "?": throw fail("missing argument to repetition operator")
        case ".": i += 1; return .any(dotAll)
        case "^": i += 1; return .begin
        case "$": i += 1; return .end
        case "[": return try parseClass()
        case "\\":
            i += 1
            guard i < s.count else { throw fail("trailing backslash at end of expression") }
            let e = s[i]; i += 1
            if let set = Self.perlClass(e) { return .cls(set) }
            return .char(try escaped(e), fold)
        default:
            i += 1
            return .char(c, fold)
        }
    }

    mutating func close() throws {
        guard i < s.count, s[i] == ")" else { throw fail("missing closing )") }
        i += 1
    }

    func escaped(_ e: Unicode.Scalar) throws -> Unicode.Scalar {
        switch e {
        case "n": return "\n"
        case "t": return "\t"
        case "r": return "\r"
        case "f": return "\u{0C}"
        case "v": return "\u{0B}"
        case "a": return "\u{07}"
        default:
            if e.properties.isAlphabetic || ("0"..."9").contains(e) { throw fail("invalid escape sequence: `\\\(e)`") }
            return e
        }
    }

    static func perlClass(_ e: Unicode.Scalar) -> CharSet? {
        let digits: [ClosedRange<UInt32>] = [48...57]
        let word: [ClosedRange<UInt32>] = [48...57, 65...90, 95...95, 97...122]
        let space: [ClosedRange<UInt32>] = [9...10, 12...13, 32...32]
        switch e {
        case "d": return CharSet(ranges: digits)
        case "D": return CharSet(ranges: digits, negated: true)
        case "w": return CharSet(ranges: word)
        case "W": return CharSet(ranges: word, negated: true)
        case "s": return CharSet(ranges: space)
        case "S": return CharSet(ranges: space, negated: true)
        default: return nil
        }
    }

    mutating func parseClass() throws -> RegexNode {
        i += 1
        var set = CharSet(fold: fold)
        if i < s.count, s[i] == "^" { set.negated = true; i += 1 }
        var first = true
        while i < s.count, s[i] != "]" || first {
            first = false
            var lo: Unicode.Scalar
            if s[i] == "[", i + 1 < s.count, s[i + 1] == ":" {
                guard let endIdx = (i + 2..<s.count).first(where: { s[$0] == "]" }) else { throw fail("missing closing ]") }
                let name = String(String.UnicodeScalarView(s[(i + 2)..<(endIdx - 1)]))
                let map: [String: [ClosedRange<UInt32>]] = ["alpha": [65...90, 97...122], "digit": [48...57],
                    "alnum": [48...57, 65...90, 97...122], "space": [9...13, 32...32], "upper": [65...90], "lower": [97...122],
                    "word": [48...57, 65...90, 95...95, 97...122], "punct": [33...47, 58...64, 91...96, 123...126], "xdigit": [48...57, 65...70, 97...102]]
                guard let r = map[name] else { throw fail("invalid character class range") }
                set.ranges += r
                i = endIdx + 1
                continue
            }
            if s[i] == "\\" {
                i += 1
                guard i < s.count else { throw fail("missing closing ]") }
                if let p = Self.perlClass(s[i]) {
                    i += 1
                    if p.negated {
                        var prev: UInt32 = 0
                        for r in p.ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
                            if r.lowerBound > prev { set.ranges.append(prev...(r.lowerBound - 1)) }
                            prev = r.upperBound + 1
                        }
                        set.ranges.append(prev...0x10FFFF)
                    } else { set.ranges += p.ranges }
                    continue
                }
                lo = try escaped(s[i]); i += 1
            } else { lo = s[i]; i += 1 }
            var hi = lo
            if i + 1 < s.count, s[i] == "-", s[i + 1] != "]" {
                i += 1
                if s[i] == "\\" { i += 1; guard i < s.count else { throw fail("missing closing ]") }; hi = try escaped(s[i]) } else { hi = s[i] }
                i += 1
                if hi.value < lo.value { throw fail("invalid character class range") }
            }
            set.ranges.append(lo.value...hi.value)
        }
        guard i < s.count else { throw fail("missing closing ]") }
        i += 1
        return .cls(set)
    }
}

struct RegexCompiler {
    var code: [RegexInst] = []
    mutating func emit(_ i: RegexInst) { code.append(i) }

    mutating func compile(_ n: RegexNode) {
        switch n {
        case .empty: break
        case let .char(c, f): emit(.char(c, f))
        case let .any(nl): emit(.any(nl))
        case let .cls(set): emit(.cls(set))
        case .begin: emit(.begin)
        case .end: emit(.end)
        case let .concat(items): for x in items { compile(x) }
        case let .alt(alts):
            var jumps: [Int] = []
            for (k, a) in alts.enumerated() {
                if k < alts.count - 1 {
                    let split = code.count
                    emit(.split(0, 0))
                    compile(a)
                    jumps.append(code.count)
                    emit(.jmp(0))
                    code[split] = .split(split + 1, code.count)
                } else { compile(a) }
            }
            for j in jumps { code[j] = .jmp(code.count) }
        case let .group(inner, g):
            if let g { emit(.save(2 * g)) }
            compile(inner)
            if let g { emit(.save(2 * g + 1)) }
        case let .rep(inner, lo, hi, greedy):
            for _ in 0..<lo { compile(inner) }
            if let hi {
                var ends: [Int] = []
                for _ in lo..<hi {
                    let split = code.count
                    emit(.split(0, 0))
                    ends.append(split)
                    compile(inner)
                }
                for sp in ends { code[sp] = greedy ? .split(sp + 1, code.count) : .split(code.count, sp + 1) }
            } else {
                let split = code.count
                emit(.split(0, 0))
                compile(inner)
                emit(.jmp(split))
                code[split] = greedy ? .split(split + 1, code.count) : .split(code.count, split + 1)
            }
        }
    }
}

/// A regex's answers per text, bounded (emptied when full, so odd texts cannot grow it).
final class RegexMatchMemo: Sendable {
    private let answers = Mutex<[String: Bool]>([:])
    static let limit = 4096

    func answer(_ text: String) -> Bool? { answers.withLock { $0[text] } }

    func remember(_ text: String, _ answer: Bool) {
        answers.withLock {
            if $0.count >= Self.limit { $0.removeAll(keepingCapacity: true) }
            $0[text] = answer
        }
    }
}
