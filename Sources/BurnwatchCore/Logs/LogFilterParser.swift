/// The recursive-descent parser of `LogFilter` (grammar in `LogFilter`'s doc comment).
struct LogFilterParser {
    private let bytes: [UInt8]
    private var i = 0
    private var fields: [String] = []
    private var depth = 0

    init(_ text: String) { bytes = Array(text.utf8) }

    mutating func parseFilter() throws -> LogFilter {
        skipSpace()
        if i == bytes.count { return .all }
        let root = try parseOr()
        skipSpace()
        if i < bytes.count { throw error("unexpected '\(String(decoding: bytes[i...].prefix(12), as: UTF8.self))'") }
        return LogFilter(root: root, fields: fields)
    }

    private func error(_ message: String, at position: Int? = nil) -> BurnwatchError {
        // Columns count characters, not bytes.
        let upTo = min(position ?? i, bytes.count)
        let column = String(decoding: bytes[..<upTo], as: UTF8.self).count + 1
        return BurnwatchError(.usage, "filter: \(message)", at: SourcePosition(source: "filter", line: 1, column: column))
    }

    private mutating func skipSpace() {
        while i < bytes.count, bytes[i] == 32 || bytes[i] == 9 || bytes[i] == 10 || bytes[i] == 13 { i += 1 }
    }

    /// Whether the keyword `word` starts at the cursor and ends at a word boundary.
    private func atKeyword(_ word: String) -> Bool {
        let w = Array(word.utf8)
        guard i + w.count <= bytes.count else { return false }
        for k in 0..<w.count where (bytes[i + k] | 0x20) != w[k] { return false }
        if i + w.count < bytes.count, isFieldByte(bytes[i + w.count]) { return false }
        return true
    }

    private func isFieldStart(_ c: UInt8) -> Bool {
        (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 95 || c == 64 || c >= 0x80
    }

    private func isFieldByte(_ c: UInt8) -> Bool {
        isFieldStart(c) || (c >= 48 && c <= 57) || c == 46 || c == 45 || c == 47
    }

    private mutating func parseOr() throws -> LogFilter.Node {
        var left = try parseAnd()
        while true {
            skipSpace()
            if atKeyword("or") { i += 2 } else if i + 1 < bytes.count, bytes[i] == 124, bytes[i + 1] == 124 { i += 2 } else { return left }
            left = .or(left, try parseAnd())
        }
    }

    private mutating func parseAnd() throws -> LogFilter.Node {
        var left = try parseUnary()
        while true {
            skipSpace()
            if atKeyword("and") { i += 3 } else if i + 1 < bytes.count, bytes[i] == 38, bytes[i + 1] == 38 { i += 2 } else if i < bytes.count, bytes[i] != 41, !atKeyword("or"), !(bytes[i] == 124) {
                // Juxtaposition: `a=1 b=2` means `a=1 and b=2`.
            } else { return left }
            left = .and(left, try parseUnary())
        }
    }

    private mutating func parseUnary() throws -> LogFilter.Node {
        skipSpace()
        depth += 1
        defer { depth -= 1 }
        if depth > 200 { throw error("nesting too deep") }
        if atKeyword("not") { i += 3; return .not(try parseUnary()) }
        if i < bytes.count, bytes[i] == 33, !(i + 1 < bytes.count && (bytes[i + 1] == 61 || bytes[i + 1] == 126)) {
            i += 1
            return .not(try parseUnary())
        }
        return try parsePrimary()
    }

    private mutating func parsePrimary() throws -> LogFilter.Node {
        skipSpace()
        guard i < bytes.count else { throw error("expected a field, 'not' or '(' but the filter ended") }
        if bytes[i] == 40 {
            let open = i
            i += 1
            let inner = try parseOr()
            skipSpace()
            guard i < bytes.count, bytes[i] == 41 else { throw error("missing ')' for the '(' at column \(open + 1)") }
            i += 1
            return inner
        }
        guard isFieldStart(bytes[i]) else { throw error("expected a field name") }
        let start = i
        while i < bytes.count, isFieldByte(bytes[i]) { i += 1 }
        let name = String(decoding: bytes[start..<i], as: UTF8.self)
        let index: Int
        if let existing = fields.firstIndex(of: name) { index = existing } else { fields.append(name); index = fields.count - 1 }
        skipSpace()
        guard let op = parseOp() else { return .exists(field: index) }
        skipSpace()
        let valueStart = i
        let value = try parseValue()
        if op.isOrdering, value.number == nil, LogEvent.normalisedName(name) != "level" {
            throw error("'\(op.rawValue)' needs a number, got '\(value.text)'", at: valueStart)
        }
        return .compare(field: index, op: op, value: value)
    }

    private mutating func parseOp() -> LogFilter.Op? {
        guard i < bytes.count else { return nil }
        let c = bytes[i], d: UInt8 = i + 1 < bytes.count ? bytes[i + 1] : 0
        switch (c, d) {
        case (61, 61): i += 2; return .eq
        case (61, _): i += 1; return .eq
        case (33, 61): i += 2; return .ne
        case (33, 126): i += 2; return .notContains
        case (60, 61): i += 2; return .le
        case (60, _): i += 1; return .lt
        case (62, 61): i += 2; return .ge
        case (62, _): i += 1; return .gt
        case (126, _): i += 1; return .contains
        case (58, _): i += 1; return .eq   // `level:error`, as in many log tools
        default: return nil
        }
    }

    private mutating func parseValue() throws -> LogFilter.Value {
        guard i < bytes.count else { throw error("expected a value but the filter ended") }
        let quote = bytes[i]
        if quote == 34 || quote == 39 {
            let open = i
            i += 1
            var out: [UInt8] = []
            while i < bytes.count, bytes[i] != quote {
                if bytes[i] == 92, i + 1 < bytes.count {
                    i += 1
                    switch bytes[i] {
                    case 110: out.append(10)
                    case 116: out.append(9)
                    default: out.append(bytes[i])
                    }
                } else {
                    out.append(bytes[i])
                }
                i += 1
            }
            guard i < bytes.count else { throw error("unterminated string", at: open) }
            i += 1
            return LogFilter.Value(String(decoding: out, as: UTF8.self))
        }
        let start = i
        while i < bytes.count, bytes[i] != 32, bytes[i] != 9, bytes[i] != 41, bytes[i] != 40 { i += 1 }
        guard i > start else { throw error("expected a value") }
        return LogFilter.Value(String(decoding: bytes[start..<i], as: UTF8.self))
    }
}
