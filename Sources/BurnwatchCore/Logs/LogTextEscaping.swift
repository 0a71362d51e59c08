/// Makes untrusted log text safe to show in a terminal: escape sequences, other control characters
/// and bidi overrides become visible escapes (`\x1b`, `\u{202E}`), never raw bytes.
public enum LogTextEscaping {
    /// The text with every control character, C1 control and bidi control escaped.
    ///
    /// Tabs become `\t`, newlines `\n`; a backslash itself is kept as is.
    /// - Complexity: O(n).
    public static func escape(_ text: String) -> String {
        var needs = false
        for s in text.unicodeScalars where isUnsafe(s) { needs = true; break }
        if !needs { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for s in text.unicodeScalars {
            if !isUnsafe(s) { out.unicodeScalars.append(s); continue }
            switch s.value {
            case 0x09: out += "\\t"
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0..<0x100: out += "\\x" + hex(s.value, 2)
            default: out += "\\u{" + hex(s.value, 4) + "}"
            }
        }
        return out
    }

    /// Whether a scalar must not reach the terminal as is.
    public static func isUnsafe(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        return v < 0x20 || v == 0x7F || (v >= 0x80 && v < 0xA0) || (v >= 0x202A && v <= 0x202E)
            || (v >= 0x2066 && v <= 0x2069) || v == 0x200E || v == 0x200F || v == 0x061C || v == 0xFFFD && false
    }

    static func hex(_ v: UInt32, _ width: Int) -> String {
        let digits = String(v, radix: 16, uppercase: false)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

/// One-line human rendering of an event for `burnwatch logs --pretty`.
public enum LogPrettyFormatter {
    /// `TIME LEVEL service message  key=value …`, every piece escaped for the terminal.
    public static func format(_ e: LogEvent, includeFields: Bool = true) -> String {
        var parts: [String] = []
        parts.append(e.time.map { RFC3339.format($0) } ?? "-")
        parts.append(pad(e.level == .unknown ? "-" : e.level.description.uppercased(), 5))
        if let s = e.service { parts.append("[" + LogTextEscaping.escape(s) + "]") }
        var request: [String] = []
        if let m = e.method { request.append(m) }
        if let p = e.route ?? e.path { request.append(p) }
        if let s = e.status { request.append(String(s)) }
        if let d = e.duration { request.append(formatSeconds(d)) }
        if !request.isEmpty { parts.append(LogTextEscaping.escape(request.joined(separator: " "))) }
        if let m = e.message { parts.append(LogTextEscaping.escape(m)) }
        var extras: [String] = []
        if let r = e.requestID { extras.append("request_id=" + r) }
        if let t = e.traceID { extras.append("trace_id=" + t) }
        if let t = e.tenant { extras.append("tenant=" + t) }
        if let k = e.errorKind { extras.append("error_kind=" + k) }
        if let d = e.dependency { extras.append("dependency=" + d) }
        if let r = e.retries, r > 0 { extras.append("retries=\(r)") }
        if includeFields && extras.isEmpty == false { parts.append(LogTextEscaping.escape(extras.joined(separator: " "))) }
        return parts.joined(separator: " ")
    }

    /// Seconds in a short human unit (`57µs`, `12.3ms`, `1.5s`).
    public static func formatSeconds(_ s: Double) -> String {
        if s < 0.001 { return trim(s * 1e6) + "µs" }
        if s < 1 { return trim(s * 1e3) + "ms" }
        return trim(s) + "s"
    }

    static func trim(_ v: Double) -> String {
        let r = (v * 10).rounded() / 10
        return r == r.rounded() ? String(Int(r)) : String(r)
    }

    static func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
}
