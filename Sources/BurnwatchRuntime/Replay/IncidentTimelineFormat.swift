import BurnwatchCore
import BurnwatchRecording

/// The incident timeline as Markdown (to paste into a postmortem) and as JSON (stable, documented
/// in docs/recording.md). Journal text is untrusted: Markdown escapes what would change the
/// document's structure, and JSON escapes every control character.
public enum IncidentTimelineFormat {
    /// The Markdown document: summary table, durations, signals with evidence, checklists, timeline.
    public static func markdown(_ t: IncidentTimeline) -> String {
        let m = t.moments
        var out = "# Incident timeline\n\n"
        out += "Recording `\(code(t.recording))`, \(time(t.start)) to \(time(t.end)) (UTC).\n\n"
        out += "## Summary\n\n| Moment | Time (UTC) | Since it began |\n|---|---|---|\n"
        for (name, moment) in [("Began (first alert or signal)", m.began), ("Detected (first page)", m.detected),
                               ("Acknowledged", m.acknowledged), ("Mitigated (paging stopped)", m.mitigated),
                               ("Resolved (nothing firing)", m.resolved)] {
            out += "| \(name) | \(moment.map(time) ?? "not reached") | \(IncidentTimeline.seconds(m.began, moment).map(duration) ?? "–") |\n"
        }
        out += "\n"
        out += "Time to detect: \(IncidentTimeline.seconds(m.began, m.detected).map(duration) ?? "not reached"); "
        out += "to acknowledge: \(IncidentTimeline.seconds(m.detected ?? m.began, m.acknowledged).map(duration) ?? "not reached"); "
        out += "to mitigate: \(IncidentTimeline.seconds(m.began, m.mitigated).map(duration) ?? "not reached"); "
        out += "to resolve: \(IncidentTimeline.seconds(m.began, m.resolved).map(duration) ?? "not reached").\n\n"
        out += "## Signals\n\n"
        if t.signals.isEmpty { out += "No signal fired.\n\n" }
        for s in t.signals {
            let until = s.resolvedAt.map { "resolved \(time($0))" } ?? "still active at the end"
            out += "- **\(s.signal.kind.rawValue)** on `\(code(s.signal.service))` (\(s.peak.rawValue)): fired \(time(s.firedAt)), \(until). "
            out += text(s.signal.summary) + "\n"
            for e in s.signal.evidence {
                out += "  - \(text(e.name)) = \(SignalFormat.number(e.value)) from `\(code(e.source))`\n"
            }
            if !s.signal.runbooks.isEmpty { out += "  - runbook: " + s.signal.runbooks.map { "`\(code($0))`" }.joined(separator: ", ") + "\n" }
        }
        if !t.signals.isEmpty { out += "\n" }
        out += "## Checklists\n\n"
        if t.checklists.isEmpty { out += "No checklist item was ticked.\n\n" }
        for c in t.checklists { out += "- `\(code(c.runbook))`: \(c.ticked)/\(c.total.map(String.init) ?? "?") items ticked\n" }
        if !t.checklists.isEmpty { out += "\n" }
        out += "## Timeline\n\n| Time (UTC) | Kind | Who | What |\n|---|---|---|---|\n"
        for e in t.entries {
            var what = e.text
            if e.kind == .tick || e.kind == .untick { what = "\(e.kind == .tick ? "ticked" : "unticked") \(e.itemID ?? "")" }
            if e.kind == .note, let item = e.itemID { what = "note on \(item): \(e.text)" }
            out += "| \(time(e.time)) | \(e.kind.rawValue) | \(cell(e.who)) | \(cell(what)) |\n"
        }
        return out
    }

    /// The JSON object (one line).
    public static func json(_ t: IncidentTimeline) -> String {
        let m = t.moments
        func ts(_ x: Timestamp?) -> String { x.map { SLOReportFormat.seconds($0) } ?? "null" }
        func num(_ x: Double?) -> String { SLOReportFormat.number(x) }
        func str(_ s: String?) -> String { s.map { SLOReportFormat.string($0) } ?? "null" }
        var out = "{\"recording\":\(str(t.recording)),\"start\":\(ts(t.start)),\"end\":\(ts(t.end))"
        out += ",\"moments\":{\"began\":\(ts(m.began)),\"detected\":\(ts(m.detected)),\"acknowledged\":\(ts(m.acknowledged))"
        out += ",\"mitigated\":\(ts(m.mitigated)),\"resolved\":\(ts(m.resolved))}"
        out += ",\"durations\":{\"time_to_detect_seconds\":\(num(IncidentTimeline.seconds(m.began, m.detected)))"
        out += ",\"time_to_acknowledge_seconds\":\(num(IncidentTimeline.seconds(m.detected ?? m.began, m.acknowledged)))"
        out += ",\"time_to_mitigate_seconds\":\(num(IncidentTimeline.seconds(m.began, m.mitigated)))"
        out += ",\"time_to_resolve_seconds\":\(num(IncidentTimeline.seconds(m.began, m.resolved)))}"
        out += ",\"signals\":["
        out += t.signals.map { s -> String in
            var o = "{\"kind\":\(str(s.signal.kind.rawValue)),\"service\":\(str(s.signal.service)),\"peak\":\(str(s.peak.rawValue))"
            o += ",\"fired_at\":\(ts(s.firedAt)),\"resolved_at\":\(ts(s.resolvedAt)),\"summary\":\(str(s.signal.summary))"
            let values: [String] = s.signal.evidence.map { "\(str($0.name)):\(num($0.value))" }
            let queries: [String] = s.signal.evidence.map { "\(str($0.name)):\(str($0.source))" }
            let runbooks: [String] = s.signal.runbooks.map { str($0) }
            o += ",\"evidence\":{" + values.joined(separator: ",") + "}"
            o += ",\"evidence_queries\":{" + queries.joined(separator: ",") + "}"
            o += ",\"runbooks\":[" + runbooks.joined(separator: ",") + "]}"
            return o
        }.joined(separator: ",")
        out += "],\"checklists\":["
        out += t.checklists.map { "{\"runbook\":\(str($0.runbook)),\"ticked\":\($0.ticked),\"total\":\($0.total.map(String.init) ?? "null")}" }
            .joined(separator: ",")
        out += "],\"entries\":["
        out += t.entries.map { e -> String in
            var o = "{\"at\":\(ts(e.time)),\"kind\":\(str(e.kind.rawValue)),\"who\":\(str(e.who)),\"text\":\(str(e.text))"
            o += ",\"item\":\(str(e.itemID)),\"runbook\":\(str(e.runbookRef))}"
            return o
        }.joined(separator: ",")
        return out + "]}"
    }

    static func time(_ t: Timestamp) -> String {
        let s = RFC3339.format(Timestamp(milliseconds: t.milliseconds / 1000 * 1000))
        return String(s.replacingOccurrences(of: "T", with: " ").dropLast())
    }

    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m\(s % 60 == 0 ? "" : " \(s % 60)s")" }
        return "\(s / 3600)h \(s % 3600 / 60)m"
    }

    /// Text safe in Markdown prose: controls escaped, markup characters backslashed.
    static func text(_ s: String) -> String {
        var out = ""
        for ch in TerminalEscaping.escape(s) {
            if "\\`*_[]<>|#".contains(ch) { out.append("\\") }
            out.append(ch)
        }
        return out
    }

    /// Text for a table cell.
    static func cell(_ s: String) -> String { text(s).replacingOccurrences(of: "\n", with: " ") }

    /// Text inside backticks (a backtick becomes a quote).
    static func code(_ s: String) -> String { TerminalEscaping.escape(s).replacingOccurrences(of: "`", with: "'") }
}

extension String {
    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
