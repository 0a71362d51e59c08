/// The `signals` part of `burnwatch eval`: a JSON array and a readable list (docs/signals.md).
public enum SignalReportFormat {
    /// The JSON array of `signals`, in the order given.
    ///
    /// Each: `kind`, `service`, `severity`, `since`, `resolved_at` (null while active), `summary`,
    /// `evidence` (name → number or null), `evidence_queries` (name → PromQL or log filter),
    /// `runbooks` (`file.md#anchor`). Times are Unix seconds.
    public static func json(_ signals: [Signal]) -> String {
        var out = "["
        for (i, s) in signals.enumerated() {
            if i > 0 { out += "," }
            out += "{\"kind\":\(str(s.kind.rawValue)),\"service\":\(str(s.service)),\"severity\":\(str(s.severity.rawValue))"
            out += ",\"since\":\(SLOReportFormat.seconds(s.since)),\"resolved_at\":\(s.resolvedAt.map(SLOReportFormat.seconds) ?? "null")"
            out += ",\"summary\":\(str(s.summary)),\"evidence\":{"
            out += s.evidence.map { "\(str($0.name)):\(SLOReportFormat.number($0.value))" }.joined(separator: ",")
            out += "},\"evidence_queries\":{"
            out += s.evidence.map { "\(str($0.name)):\(str($0.source))" }.joined(separator: ",")
            out += "},\"runbooks\":[" + s.runbooks.map(str).joined(separator: ",") + "]}"
        }
        return out + "]"
    }

    /// A readable block: one line per signal, its evidence and runbooks indented below.
    public static func text(_ signals: [Signal]) -> String {
        guard !signals.isEmpty else { return "\nsignals: none\n" }
        var out = "\nsignals:\n"
        for s in signals {
            let state = s.resolvedAt.map { "resolved at \($0)" } ?? "since \(s.since)"
            out += "  \(s.severity.rawValue.uppercased()) \(s.kind.rawValue) \(s.service)  \(state)\n"
            out += "    \(s.summary)\n"
            for e in s.evidence { out += "    \(e.name) = \(SignalFormat.number(e.value))   [\(e.source)]\n" }
            if !s.runbooks.isEmpty { out += "    runbooks: \(s.runbooks.joined(separator: ", "))\n" }
        }
        return out
    }

    static func str(_ s: String) -> String { SLOReportFormat.string(s) }
}
