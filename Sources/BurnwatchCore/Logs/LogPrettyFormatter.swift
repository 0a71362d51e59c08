/// One-line human rendering of an event for `burnwatch logs --pretty`.
public enum LogPrettyFormatter {
    /// `TIME LEVEL service message  key=value …`, every piece escaped for the terminal.
    public static func format(_ e: LogEvent, includeFields: Bool = true) -> String {
        var parts: [String] = []
        parts.append(e.time.map { RFC3339.format($0) } ?? "-")
        parts.append(pad(e.level == .unknown ? "-" : e.level.description.uppercased(), 5))
        if let s = e.service { parts.append("[" + TerminalEscaping.escape(s) + "]") }
        var request: [String] = []
        if let m = e.method { request.append(m) }
        if let p = e.route ?? e.path { request.append(p) }
        if let s = e.status { request.append(String(s)) }
        if let d = e.duration { request.append(formatSeconds(d)) }
        if !request.isEmpty { parts.append(TerminalEscaping.escape(request.joined(separator: " "))) }
        if let m = e.message { parts.append(TerminalEscaping.escape(m)) }
        var extras: [String] = []
        if let r = e.requestID { extras.append("request_id=" + r) }
        if let t = e.traceID { extras.append("trace_id=" + t) }
        if let t = e.tenant { extras.append("tenant=" + t) }
        if let k = e.errorKind { extras.append("error_kind=" + k) }
        if let d = e.dependency { extras.append("dependency=" + d) }
        if let r = e.retries, r > 0 { extras.append("retries=\(r)") }
        if includeFields && extras.isEmpty == false { parts.append(TerminalEscaping.escape(extras.joined(separator: " "))) }
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
