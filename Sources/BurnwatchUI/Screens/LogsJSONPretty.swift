/// Pretty-prints one JSON log line for the detail pane: fields sorted, nested objects indented.
///
/// A small tree parser of its own (the UI target stays pure and does not see the scanner in
/// `BurnwatchParsing`); nesting deeper than `maxDepth` or invalid JSON gives nil, and the pane then
/// shows the raw line. Strings are shown decoded; the screen buffer escapes any control character.
public enum LogsJSONPretty {
    /// A parsed JSON value.
    public indirect enum Value: Equatable, Sendable {
        case object([(String, Value)])
        case array([Value])
        case string(String)
        /// A number as written.
        case number(String)
        case bool(Bool)
        case null

        public static func == (a: Value, b: Value) -> Bool {
            switch (a, b) {
            case (.object(let x), .object(let y)):
                return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
            case (.array(let x), .array(let y)): return x == y
            case (.string(let x), .string(let y)): return x == y
            case (.number(let x), .number(let y)): return x == y
            case (.bool(let x), .bool(let y)): return x == y
            case (.null, .null): return true
            default: return false
            }
        }
    }

    /// How deep objects and arrays may nest before the line is shown raw.
    public static let maxDepth = 64

    /// Parses `text` as one JSON value with nothing but spaces after it.
    ///
    /// - Returns: the value, or nil for invalid JSON or nesting deeper than `maxDepth`.
    /// - Complexity: O(n).
    public static func parse(_ text: String) -> Value? {
        var parser = Parser(bytes: Array(text.utf8))
        guard let value = parser.value(depth: 0) else { return nil }
        parser.skipSpace()
        return parser.i == parser.bytes.count ? value : nil
    }

    /// The lines of `value` pretty-printed with two spaces per level, object keys sorted.
    ///
    /// - Parameter limit: stop after this many lines (a huge line never builds a huge pane).
    public static func lines(_ value: Value, limit: Int = 2000) -> [[Span]] {
        var out: [[Span]] = []
        emit(value, key: nil, indent: 0, last: true, into: &out, limit: limit)
        return Array(out.prefix(limit))
    }

    private static func emit(_ value: Value, key: String?, indent: Int, last: Bool, into out: inout [[Span]], limit: Int) {
        guard out.count < limit else { return }
        var head: [Span] = [Span(String(repeating: "  ", count: indent))]
        if let key { head += [Span("\"" + key + "\"", .accent), Span(": ")] }
        let comma = last ? "" : ","
        switch value {
        case .object(let members):
            if members.isEmpty { out.append(head + [Span("{}" + comma)]); return }
            out.append(head + [Span("{")])
            let sorted = members.enumerated().sorted { a, b in
                a.element.0 == b.element.0 ? a.offset < b.offset : a.element.0 < b.element.0
            }.map(\.element)
            for (i, member) in sorted.enumerated() {
                emit(member.1, key: member.0, indent: indent + 1, last: i == sorted.count - 1, into: &out, limit: limit)
            }
            out.append([Span(String(repeating: "  ", count: indent) + "}" + comma)])
        case .array(let items):
            if items.isEmpty { out.append(head + [Span("[]" + comma)]); return }
            out.append(head + [Span("[")])
            for (i, item) in items.enumerated() {
                emit(item, key: nil, indent: indent + 1, last: i == items.count - 1, into: &out, limit: limit)
            }
            out.append([Span(String(repeating: "  ", count: indent) + "]" + comma)])
        case .string(let s): out.append(head + [Span("\"" + s + "\"", .code), Span(comma)])
        case .number(let n): out.append(head + [Span(n, .info), Span(comma)])
        case .bool(let b): out.append(head + [Span(b ? "true" : "false", .info), Span(comma)])
        case .null: out.append(head + [Span("null", .muted), Span(comma)])
        }
    }

    private struct Parser {
        let bytes: [UInt8]
        var i = 0

        mutating func skipSpace() {
            while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0A || bytes[i] == 0x0D { i += 1 }
        }

        mutating func value(depth: Int) -> Value? {
            skipSpace()
            guard i < bytes.count else { return nil }
            switch bytes[i] {
            case UInt8(ascii: "{"):
                guard depth < LogsJSONPretty.maxDepth else { return nil }
                i += 1
                var members: [(String, Value)] = []
                skipSpace()
                if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return .object([]) }
                while true {
                    skipSpace()
                    guard let key = string() else { return nil }
                    skipSpace()
                    guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { return nil }
                    i += 1
                    guard let v = value(depth: depth + 1) else { return nil }
                    members.append((key, v))
                    skipSpace()
                    guard i < bytes.count else { return nil }
                    if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                    if bytes[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
                    return nil
                }
            case UInt8(ascii: "["):
                guard depth < LogsJSONPretty.maxDepth else { return nil }
                i += 1
                var items: [Value] = []
                skipSpace()
                if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return .array([]) }
                while true {
                    guard let v = value(depth: depth + 1) else { return nil }
                    items.append(v)
                    skipSpace()
                    guard i < bytes.count else { return nil }
                    if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                    if bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
                    return nil
                }
            case UInt8(ascii: "\""):
                return string().map(Value.string)
            case UInt8(ascii: "t"): return literal("true", .bool(true))
            case UInt8(ascii: "f"): return literal("false", .bool(false))
            case UInt8(ascii: "n"): return literal("null", .null)
            default: return number()
            }
        }

        mutating func literal(_ word: String, _ v: Value) -> Value? {
            let w = Array(word.utf8)
            guard i + w.count <= bytes.count, Array(bytes[i..<i + w.count]) == w else { return nil }
            i += w.count
            return v
        }

        mutating func number() -> Value? {
            let start = i
            if i < bytes.count, bytes[i] == UInt8(ascii: "-") { i += 1 }
            var digits = 0
            while i < bytes.count {
                let c = bytes[i]
                if (c >= 0x30 && c <= 0x39) { digits += 1; i += 1 }
                else if c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E") || c == UInt8(ascii: "+") || c == UInt8(ascii: "-") { i += 1 }
                else { break }
            }
            guard digits > 0 else { return nil }
            return .number(String(decoding: bytes[start..<i], as: UTF8.self))
        }

        mutating func string() -> String? {
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { return nil }
            i += 1
            var out: [UInt8] = []
            while i < bytes.count {
                let c = bytes[i]
                if c == UInt8(ascii: "\"") { i += 1; return String(decoding: out, as: UTF8.self) }
                if c != UInt8(ascii: "\\") { out.append(c); i += 1; continue }
                i += 1
                guard i < bytes.count else { return nil }
                let e = bytes[i]
                i += 1
                switch e {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "u"):
                    guard var scalar = hex4() else { return nil }
                    if scalar >= 0xD800 && scalar < 0xDC00, i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"),
                       bytes[i + 1] == UInt8(ascii: "u") {
                        let save = i
                        i += 2
                        if let low = hex4(), low >= 0xDC00 && low < 0xE000 {
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            i = save
                        }
                    }
                    out.append(contentsOf: Array(String(Character(Unicode.Scalar(scalar) ?? "\u{FFFD}")).utf8))
                default: out.append(e)
                }
            }
            return nil
        }

        mutating func hex4() -> UInt32? {
            guard i + 4 <= bytes.count else { return nil }
            var v: UInt32 = 0
            for k in 0..<4 {
                let c = bytes[i + k]
                let d: UInt32
                switch c {
                case 0x30...0x39: d = UInt32(c - 0x30)
                case 0x41...0x46: d = UInt32(c - 0x41 + 10)
                case 0x61...0x66: d = UInt32(c - 0x61 + 10)
                default: return nil
                }
                v = v * 16 + d
            }
            i += 4
            return v
        }
    }
}
