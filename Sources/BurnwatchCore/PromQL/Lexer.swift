/// A PromQL token with its 1-based line and column.
struct Token: Sendable {
    enum Kind: Sendable, Equatable { case ident, number, duration, string, op, eof }
    var kind: Kind
    var text: String
    var line: Int
    var column: Int
    var number: Double = 0
    var durationMs: Int64 = 0
}

/// Splits a PromQL expression into tokens.
///
/// The lexer reads Unicode scalars, as Prometheus reads runes, not `Character`s: a combining mark
/// after a quote or an escape backslash must not merge with it into one grapheme cluster. Columns
/// count scalars.
struct PromQLLexer {
    let chars: [Unicode.Scalar]
    var i = 0
    var line = 1
    var col = 1

    init(_ text: String) { chars = Array(text.unicodeScalars) }

    static func error(_ msg: String, _ line: Int, _ col: Int) -> BurnwatchError {
        BurnwatchError(.parse, "parse error: \(msg)", at: SourcePosition(line: line, column: col))
    }

    mutating func advance() {
        if chars[i] == "\n" { line += 1; col = 1 } else { col += 1 }
        i += 1
    }

    mutating func tokens() throws -> [Token] {
        var out: [Token] = []
        var bracketDepth = 0
        while true {
            while i < chars.count, chars[i].properties.isWhitespace { advance() }
            if i < chars.count, chars[i] == "#" { while i < chars.count, chars[i] != "\n" { advance() }; continue }
            let (l, c) = (line, col)
            guard i < chars.count else { out.append(Token(kind: .eof, text: "", line: l, column: c)); return out }
            let ch = chars[i]
            if ch == "[" { bracketDepth += 1 } else if ch == "]" { bracketDepth = max(0, bracketDepth - 1) }
            if ch.isLetter || ch == "_" || (ch == ":" && bracketDepth == 0) {
                var s = ""
                while i < chars.count, chars[i].isLetter || chars[i].isNumber || chars[i] == "_" || (chars[i] == ":" && bracketDepth == 0) {
                    guard chars[i].isASCII else { break }
                    s.unicodeScalars.append(chars[i]); advance()
                }
                if s.isEmpty { throw Self.error("unexpected character: '\(ch)'", l, c) }
                out.append(Token(kind: .ident, text: s, line: l, column: c))
            } else if ch.isNumber || (ch == "." && i + 1 < chars.count && chars[i + 1].isNumber) {
                out.append(try lexNumber(l, c))
            } else if ch == "\"" || ch == "'" || ch == "`" {
                out.append(Token(kind: .string, text: try lexString(ch, l, c), line: l, column: c))
            } else {
                let two = i + 1 < chars.count ? String(String.UnicodeScalarView([ch, chars[i + 1]])) : ""
                if ["==", "!=", "=~", "!~", "<=", ">="].contains(two) {
                    advance(); advance()
                    out.append(Token(kind: .op, text: two, line: l, column: c))
                } else if "(){}[],=<>+-*/%^@:".unicodeScalars.contains(ch) {
                    advance()
                    out.append(Token(kind: .op, text: String(ch), line: l, column: c))
                } else {
                    throw Self.error("unexpected character: '\(ch)'", l, c)
                }
            }
        }
    }

    mutating func lexNumber(_ l: Int, _ c: Int) throws -> Token {
        let start = i
        if chars[i] == "0", i + 1 < chars.count, chars[i + 1] == "x" || chars[i + 1] == "X" {
            advance(); advance()
            var v: Double = 0
            var any = false
            while i < chars.count, let d = chars[i].hexDigitValue { v = v * 16 + Double(d); advance(); any = true }
            if !any { throw Self.error("bad number or duration syntax: \"\(Self.text(chars[start..<i]))\"", l, c) }
            return Token(kind: .number, text: Self.text(chars[start..<i]), line: l, column: c, number: v)
        }
        // A duration: digits followed by a unit, possibly repeated (1h30m).
        var j = i
        while j < chars.count, chars[j].isASCII, chars[j].isNumber { j += 1 }
        if j < chars.count, "smhdwy".unicodeScalars.contains(chars[j]) {
            var k = j
            while k < chars.count, chars[k].isASCII, chars[k].isLetter || chars[k].isNumber { k += 1 }
            let text = Self.text(chars[i..<k])
            guard let d = Interval.parse(text) else { throw Self.error("bad number or duration syntax: \"\(text)\"", l, c) }
            while i < k { advance() }
            return Token(kind: .duration, text: text, line: l, column: c, durationMs: d.milliseconds)
        }
        while i < chars.count, chars[i].isASCII, chars[i].isNumber || chars[i] == "." { advance() }
        if i < chars.count, chars[i] == "e" || chars[i] == "E" {
            var k = i + 1
            if k < chars.count, chars[k] == "+" || chars[k] == "-" { k += 1 }
            if k < chars.count, chars[k].isNumber { while i < k { advance() }; while i < chars.count, chars[i].isASCII, chars[i].isNumber { advance() } }
        }
        let text = Self.text(chars[start..<i])
        if i < chars.count, chars[i].isLetter || chars[i] == "_" {
            throw Self.error("bad number or duration syntax: \"\(text)\(chars[i])\"", l, c)
        }
        guard let v = Double(text) else { throw Self.error("bad number or duration syntax: \"\(text)\"", l, c) }
        return Token(kind: .number, text: text, line: l, column: c, number: v)
    }

    mutating func lexString(_ q: Unicode.Scalar, _ l: Int, _ c: Int) throws -> String {
        advance()
        var s = ""
        while true {
            guard i < chars.count else { throw Self.error("unterminated quoted string", l, c) }
            let ch = chars[i]
            if ch == q { advance(); return s }
            if q != "`", ch == "\n" { throw Self.error("unterminated quoted string", l, c) }
            if q != "`", ch == "\\" {
                advance()
                guard i < chars.count else { throw Self.error("unterminated quoted string", l, c) }
                let e = chars[i]
                let (escapeLine, escapeColumn) = (line, col)  // where `e` is, before a newline moves on
                advance()
                switch e {
                case "n": s.append("\n")
                case "t": s.append("\t")
                case "r": s.append("\r")
                case "a": s.append("\u{07}")
                case "b": s.append("\u{08}")
                case "f": s.append("\u{0C}")
                case "v": s.append("\u{0B}")
                case "\\": s.append("\\")
                case "\"", "'": s.unicodeScalars.append(e)
                case "x", "u", "U":
                    let n = e == "x" ? 2 : (e == "u" ? 4 : 8)
                    var v: UInt32 = 0
                    for _ in 0..<n {
                        guard i < chars.count, let d = chars[i].hexDigitValue else { throw Self.error("invalid escape sequence", line, col) }
                        v = v * 16 + UInt32(d); advance()
                    }
                    guard let u = Unicode.Scalar(v) else { throw Self.error("invalid escape sequence", line, col) }
                    s.unicodeScalars.append(u)
                default:
                    if let d = e.octalDigitValue {
                        var v = UInt32(d)
                        for _ in 0..<2 {
                            guard i < chars.count, let dd = chars[i].octalDigitValue else { throw Self.error("invalid escape sequence", line, col) }
                            v = v * 8 + UInt32(dd); advance()
                        }
                        s.unicodeScalars.append(Unicode.Scalar(v)!)
                    } else {
                        throw Self.error("unknown escape sequence '\\\(e)'", escapeLine, escapeColumn)
                    }
                }
                continue
            }
            s.unicodeScalars.append(ch)
            advance()
        }
    }

    static func text(_ scalars: ArraySlice<Unicode.Scalar>) -> String { String(String.UnicodeScalarView(scalars)) }
}

/// What the lexer asks of a scalar. Letters and digits beyond ASCII only ever start an error
/// (identifiers, numbers and escapes are ASCII), as they did when the lexer read `Character`s.
extension Unicode.Scalar {
    var isLetter: Bool { properties.isAlphabetic }
    var isNumber: Bool { properties.numericType != nil }
    var hexDigitValue: Int? {
        switch value {
        case 48...57: return Int(value - 48)
        case 65...70: return Int(value - 55)
        case 97...102: return Int(value - 87)
        default: return nil
        }
    }
    var octalDigitValue: Int? { value >= 48 && value <= 55 ? Int(value - 48) : nil }
}
