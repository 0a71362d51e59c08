/// Decoding of JSON string contents (every escape, surrogate pairs) and JSON numbers.
public enum JSONString {
    /// Decodes the bytes between a string's quotes into UTF-8, resolving every escape.
    ///
    /// `\uD83D\uDE00` pairs become one scalar; a lone surrogate or a bad escape becomes U+FFFD.
    /// Invalid UTF-8 is kept as bytes here (callers decide how to repair it).
    /// - Complexity: O(n).
    public static func decodeBytes(_ s: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(s.count)
        var i = 0
        let n = s.count
        while i < n {
            let c = s[i]
            if c != 0x5C { out.append(c); i += 1; continue }
            guard i + 1 < n else { appendScalar(0xFFFD, &out); break }
            let e = s[i + 1]
            i += 2
            switch e {
            case 0x22: out.append(0x22)
            case 0x5C: out.append(0x5C)
            case 0x2F: out.append(0x2F)
            case 0x62: out.append(0x08)
            case 0x66: out.append(0x0C)
            case 0x6E: out.append(0x0A)
            case 0x72: out.append(0x0D)
            case 0x74: out.append(0x09)
            case 0x75:
                guard let hi = hex4(s, i) else { appendScalar(0xFFFD, &out); continue }
                i += 4
                if hi >= 0xD800 && hi <= 0xDBFF {
                    if i + 6 <= n, s[i] == 0x5C, s[i + 1] == 0x75, let lo = hex4(s, i + 2), lo >= 0xDC00, lo <= 0xDFFF {
                        i += 6
                        appendScalar(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00), &out)
                    } else {
                        appendScalar(0xFFFD, &out)
                    }
                } else if hi >= 0xDC00 && hi <= 0xDFFF {
                    appendScalar(0xFFFD, &out)
                } else {
                    appendScalar(hi, &out)
                }
            default:
                appendScalar(0xFFFD, &out)
            }
        }
        return out
    }

    /// Decodes a string span of `line` into a Swift `String` (invalid UTF-8 repaired with U+FFFD).
    public static func decode(_ line: UnsafeBufferPointer<UInt8>, _ span: JSONSpan) -> String {
        let raw = UnsafeBufferPointer(rebasing: line[Int(span.start)..<Int(span.end)])
        if span.kind != .string || !span.escaped { return String(decoding: raw, as: UTF8.self) }
        return String(decoding: decodeBytes(raw), as: UTF8.self)
    }

    /// The text of any scalar span: strings decoded, numbers and literals as written; `nil` for null
    /// or a missing field. Objects and arrays give their JSON text.
    public static func text(_ line: UnsafeBufferPointer<UInt8>, _ span: JSONSpan) -> String? {
        if span.kind == .null { return nil }
        return decode(line, span)
    }

    @inline(__always)
    static func hex4(_ s: UnsafeBufferPointer<UInt8>, _ at: Int) -> UInt32? {
        guard at + 4 <= s.count else { return nil }
        var v: UInt32 = 0
        for k in 0..<4 {
            let c = s[at + k]
            let d: UInt32
            switch c {
            case 0x30...0x39: d = UInt32(c - 0x30)
            case 0x41...0x46: d = UInt32(c - 0x41 + 10)
            case 0x61...0x66: d = UInt32(c - 0x61 + 10)
            default: return nil
            }
            v = v << 4 | d
        }
        return v
    }

    @inline(__always)
    static func appendScalar(_ v: UInt32, _ out: inout [UInt8]) {
        if v < 0x80 {
            out.append(UInt8(v))
        } else if v < 0x800 {
            out.append(UInt8(0xC0 | (v >> 6))); out.append(UInt8(0x80 | (v & 0x3F)))
        } else if v < 0x10000 {
            out.append(UInt8(0xE0 | (v >> 12))); out.append(UInt8(0x80 | ((v >> 6) & 0x3F))); out.append(UInt8(0x80 | (v & 0x3F)))
        } else {
            out.append(UInt8(0xF0 | (v >> 18))); out.append(UInt8(0x80 | ((v >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((v >> 6) & 0x3F))); out.append(UInt8(0x80 | (v & 0x3F)))
        }
    }
}

/// Number parsing from bytes without building a `String` for the common integer case.
public enum JSONNumber {
    /// Parses a JSON number (or a numeric string such as `"200"`, `"+1"`, `"0.004"`) from bytes.
    ///
    /// - Returns: the value, or `nil` when the bytes are not a number (`"-"`, `""`, `"abc"`).
    /// - Complexity: O(n).
    @inlinable
    public static func parse(_ b: UnsafeBufferPointer<UInt8>) -> Double? {
        let n = b.count
        guard n > 0, n < 64 else { return nil }
        var i = 0
        var negative = false
        if b[0] == 0x2D || b[0] == 0x2B { negative = b[0] == 0x2D; i = 1 }
        guard i < n else { return nil }
        var value: Int64 = 0
        let digitsStart = i
        while i < n, i - digitsStart < 18 {
            let d = b[i] &- 0x30
            if d > 9 { break }
            value = value * 10 + Int64(d)
            i += 1
        }
        if i == n, i > digitsStart { return Double(negative ? -value : value) }
        guard i > digitsStart || (i < n && b[i] == 0x2E) else { return nil }
        // Fractions and exponents: let the standard library do the rounding right.
        var ok = true
        for k in digitsStart..<n {
            switch b[k] {
            case 0x30...0x39, 0x2E, 0x65, 0x45, 0x2B, 0x2D: continue
            default: ok = false
            }
            if !ok { break }
        }
        guard ok else { return nil }
        let text = String(decoding: b, as: UTF8.self)
        return Double(text)
    }
}
