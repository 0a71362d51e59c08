/// What kind of JSON value a span holds.
public enum JSONKind: UInt8, Sendable {
    case string, number, trueValue, falseValue, null, object, array
}

/// Where one JSON value lies in a line: byte offsets, its kind, and whether a string has escapes.
///
/// For strings `start..<end` excludes the quotes.
public struct JSONSpan: Sendable, Equatable {
    public var start: Int32
    public var end: Int32
    public var kind: JSONKind
    public var escaped: Bool
    public init(start: Int, end: Int, kind: JSONKind, escaped: Bool = false) {
        self.start = Int32(truncatingIfNeeded: start); self.end = Int32(truncatingIfNeeded: end); self.kind = kind; self.escaped = escaped
    }
    /// The span of a field that is not in the line.
    public static let missing = JSONSpan(start: 0, end: 0, kind: .null)
    /// Whether the field was absent (a JSON `null` is present, with kind `.null`).
    public var isMissing: Bool { start == 0 && kind == .null }
    /// Whether the field is absent or `null`.
    public var isAbsentOrNull: Bool { kind == .null }
}

/// Why a scan stopped early.
public enum JSONScanOutcome: Sendable, Equatable {
    /// Scanned (at least as far as every requested field).
    case ok
    /// The line does not start with `{` (after blanks).
    case notObject
    /// Malformed JSON at the byte offset.
    case invalid(at: Int)
    /// Nested deeper than the limit at the byte offset.
    case tooDeep(at: Int)
}

/// Scans one JSON object line for requested fields without building a tree.
///
/// Values not asked for are skipped with a flat, iterative loop (no recursion), so a line nested
/// 10,000 deep costs no stack: it is reported as `.tooDeep` once past `maxDepth`. The scan stops
/// as soon as every field the selector marks as "stop" is found (by default every requested field;
/// first occurrence wins), so what follows is not validated.
public struct JSONObjectScanner: Sendable {
    /// The deepest nesting accepted.
    public var maxDepth: Int

    public init(maxDepth: Int = 512) { self.maxDepth = maxDepth }

    /// Fills `slots[i]` with the span of `selector.paths[i]` (`.missing` with kind `.null` when absent).
    ///
    /// - Parameters:
    ///   - line: one line; offsets in the spans index into it.
    ///   - found: set to the number of the selector's stop slots filled.
    /// - Complexity: O(n) in the bytes scanned.
    public func scan(_ line: UnsafeBufferPointer<UInt8>, _ selector: JSONFieldSelector, into slots: inout [JSONSpan], found: inout Int) -> JSONScanOutcome {
        found = 0
        for k in slots.indices { slots[k] = .missing }
        guard let p = line.baseAddress else { return .notObject }
        let n = line.count
        var i = 0
        while i < n, isBlank(p[i]) { i += 1 }
        guard i < n, p[i] == 0x7B else { return .notObject }
        return scanObject(p, n, &i, selector, 0, 1, &slots, &found)
    }
    func isBlank(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0D || c == 0x0A }

    /// Scans the object starting at `p[i] == '{'`; recursion only follows requested paths.
    func scanObject(_ p: UnsafePointer<UInt8>, _ n: Int, _ i: inout Int, _ selector: JSONFieldSelector, _ node: Int,
                    _ depth: Int, _ slots: inout [JSONSpan], _ found: inout Int) -> JSONScanOutcome {
        i += 1
        var first = true
        while true {
            var keyStart = 0, keyEnd = 0, keyEscaped = false
            if let done = nextMemberKey(p, n, &i, &first, &keyStart, &keyEnd, &keyEscaped) { return done }
            var child: Int?
            if keyEscaped {
                let key = JSONString.decodeBytes(UnsafeBufferPointer(start: p + keyStart, count: keyEnd - keyStart))
                child = key.withUnsafeBufferPointer { k in selector.descend(node, k.baseAddress!, 0, k.count) }
            } else {
                child = selector.descend(node, p, keyStart, keyEnd)
            }
            guard let child else {
                if let bad = skipValue(p, n, &i, depth) { return bad }
                continue
            }
            let valueStart = i
            let c = p[i]
            if let slot = selector.nodes[child].slot, slots[slot].isMissing {
                // Record this value (first occurrence wins).
                let span: JSONSpan
                if c == 0x22 {
                    var escaped = false
                    guard let end = skipString(p, n, &i, &escaped) else { return .invalid(at: valueStart) }
                    span = JSONSpan(start: valueStart + 1, end: end, kind: .string, escaped: escaped)
                } else if c == 0x7B, !selector.nodes[child].children.isEmpty {
                    // Both the object itself and fields inside it are wanted.
                    if depth + 1 > maxDepth { return .tooDeep(at: i) }
                    let r = scanObject(p, n, &i, selector, child, depth + 1, &slots, &found)
                    if r != .ok { return r }
                    span = JSONSpan(start: valueStart, end: i, kind: .object)
                } else {
                    if let bad = skipValue(p, n, &i, depth) { return bad }
                    span = JSONSpan(start: valueStart, end: i, kind: kindOf(c))
                }
                slots[slot] = span
                if selector.stopSlots[slot] {
                    found += 1
                    if selector.stopCount > 0, found == selector.stopCount { return .ok }
                }
            } else if c == 0x7B, !selector.nodes[child].children.isEmpty {
                if depth + 1 > maxDepth { return .tooDeep(at: i) }
                let r = scanObject(p, n, &i, selector, child, depth + 1, &slots, &found)
                if r != .ok { return r }
                if selector.stopCount > 0, found == selector.stopCount { return .ok }
            } else {
                if let bad = skipValue(p, n, &i, depth) { return bad }
            }
        }
    }
    /// Reads the next member's key of the object being scanned, up to its value.
    ///
    /// Skips blanks and, after the first member, the separating comma; then reads the key string,
    /// the colon and the blanks before the value, leaving `i` at the value's first byte.
    /// - Returns: nil with the key's span set when a value follows; `.ok` (after `}`) at the end of
    ///   the object; `.invalid` where the syntax breaks.
    @inline(__always)
    func nextMemberKey(_ p: UnsafePointer<UInt8>, _ n: Int, _ i: inout Int, _ first: inout Bool,
                       _ keyStart: inout Int, _ keyEnd: inout Int, _ keyEscaped: inout Bool) -> JSONScanOutcome? {
        while i < n, isBlank(p[i]) { i += 1 }
        guard i < n else { return .invalid(at: i) }
        if p[i] == 0x7D { i += 1; return .ok }
        if !first {
            guard p[i] == 0x2C else { return .invalid(at: i) }
            i += 1
            while i < n, isBlank(p[i]) { i += 1 }
            guard i < n else { return .invalid(at: i) }
        }
        first = false
        guard p[i] == 0x22 else { return .invalid(at: i) }
        keyStart = i + 1
        guard let end = skipString(p, n, &i, &keyEscaped) else { return .invalid(at: keyStart - 1) }
        keyEnd = end
        while i < n, isBlank(p[i]) { i += 1 }
        guard i < n, p[i] == 0x3A else { return .invalid(at: i) }
        i += 1
        while i < n, isBlank(p[i]) { i += 1 }
        guard i < n else { return .invalid(at: i) }
        return nil
    }

    /// Reads the value starting at `p[i]` into `span` (a string without its quotes), leaving `i` after it.
    ///
    /// - Returns: nil on success, else why the value is bad.
    @inline(__always)
    func nextValue(_ p: UnsafePointer<UInt8>, _ n: Int, _ i: inout Int, _ depth: Int, _ span: inout JSONSpan) -> JSONScanOutcome? {
        let valueStart = i
        let c = p[i]
        if c == 0x22 {
            var escaped = false
            guard let end = skipString(p, n, &i, &escaped) else { return .invalid(at: valueStart) }
            span = JSONSpan(start: valueStart + 1, end: end, kind: .string, escaped: escaped)
        } else {
            if let bad = skipValue(p, n, &i, depth) { return bad }
            span = JSONSpan(start: valueStart, end: i, kind: kindOf(c))
        }
        return nil
    }

    func kindOf(_ c: UInt8) -> JSONKind {
        switch c {
        case 0x22: return .string
        case 0x7B: return .object
        case 0x5B: return .array
        case 0x74: return .trueValue
        case 0x66: return .falseValue
        case 0x6E: return .null
        default: return .number
        }
    }

    /// Skips the string starting at `p[i] == '"'`; returns the offset of the closing quote
    /// (leaving `i` after it), or `nil` when the string does not end.
    func skipString(_ p: UnsafePointer<UInt8>, _ n: Int, _ i: inout Int, _ escaped: inout Bool) -> Int? {
        var j = i + 1
        while true {
            j = ByteSearch.firstQuoteOrBackslash(in: UnsafeRawPointer(p), from: j, end: n)
            guard j < n else { return nil }
            if p[j] == 0x22 { i = j + 1; return j }
            escaped = true
            j += 2
            if j > n { return nil }
        }
    }

    /// Skips one value of any kind starting at `p[i]`, iteratively; returns an outcome only on error.
    func skipValue(_ p: UnsafePointer<UInt8>, _ n: Int, _ i: inout Int, _ baseDepth: Int) -> JSONScanOutcome? {
        let c = p[i]
        if c == 0x22 {
            var e = false
            return skipString(p, n, &i, &e) == nil ? .invalid(at: i) : nil
        }
        if c != 0x7B && c != 0x5B {
            let start = i
            while i < n {
                let d = p[i]
                if d == 0x2C || d == 0x7D || d == 0x5D || isBlank(d) { break }
                i += 1
            }
            if i == start { return .invalid(at: i) }
            switch c {
            case 0x74, 0x66, 0x6E, 0x2D, 0x30...0x39: return nil
            default: return .invalid(at: start)
            }
        }
        // A container: track depth with a counter, strings skipped whole.
        var depth = 0
        while i < n {
            let d = p[i]
            switch d {
            case 0x7B, 0x5B:
                depth += 1
                if baseDepth + depth > maxDepth { return .tooDeep(at: i) }
                i += 1
            case 0x7D, 0x5D:
                depth -= 1
                i += 1
                if depth == 0 { return nil }
            case 0x22:
                var e = false
                if skipString(p, n, &i, &e) == nil { return .invalid(at: i) }
            default:
                i += 1
            }
        }
        return .invalid(at: i)
    }

    /// Calls `body(keySpan, valueSpan)` for each member of the top-level object, in order.
    ///
    /// Keys are string spans (quotes excluded); `body` returns false to stop early.
    public func forEachMember(_ line: UnsafeBufferPointer<UInt8>, _ body: (JSONSpan, JSONSpan) -> Bool) -> JSONScanOutcome {
        guard let p = line.baseAddress else { return .notObject }
        let n = line.count
        var i = 0
        while i < n, isBlank(p[i]) { i += 1 }
        guard i < n, p[i] == 0x7B else { return .notObject }
        return members(p, n, &i, 1, body)
    }

    /// Iterates the members of the object at `p[i] == '{'` (any span inside a line).
    public func forEachMember(_ line: UnsafeBufferPointer<UInt8>, of object: JSONSpan, _ body: (JSONSpan, JSONSpan) -> Bool) -> JSONScanOutcome {
        guard let p = line.baseAddress, object.kind == .object else { return .notObject }
        var i = Int(object.start)
        return members(p, Int(object.end), &i, 1, body)
    }

    func members(_ p: UnsafePointer<UInt8>, _ n: Int, _ i: inout Int, _ depth: Int, _ body: (JSONSpan, JSONSpan) -> Bool) -> JSONScanOutcome {
        i += 1
        var first = true
        while true {
            var keyStart = 0, keyEnd = 0, keyEscaped = false
            if let done = nextMemberKey(p, n, &i, &first, &keyStart, &keyEnd, &keyEscaped) { return done }
            var span = JSONSpan.missing
            if let bad = nextValue(p, n, &i, depth, &span) { return bad }
            if !body(JSONSpan(start: keyStart, end: keyEnd, kind: .string, escaped: keyEscaped), span) { return .ok }
        }
    }

    /// Calls `body` for each element of the array span, in order; returns false from `body` to stop.
    public func forEachElement(_ line: UnsafeBufferPointer<UInt8>, of array: JSONSpan, _ body: (JSONSpan) -> Bool) -> JSONScanOutcome {
        guard let p = line.baseAddress, array.kind == .array else { return .notObject }
        var i = Int(array.start) + 1
        let n = Int(array.end)
        var first = true
        while true {
            while i < n, isBlank(p[i]) { i += 1 }
            guard i < n else { return .invalid(at: i) }
            if p[i] == 0x5D { return .ok }
            if !first {
                guard p[i] == 0x2C else { return .invalid(at: i) }
                i += 1
                while i < n, isBlank(p[i]) { i += 1 }
                guard i < n else { return .invalid(at: i) }
            }
            first = false
            var span = JSONSpan.missing
            if let bad = nextValue(p, n, &i, 1, &span) { return bad }
            if !body(span) { return .ok }
        }
    }
}
