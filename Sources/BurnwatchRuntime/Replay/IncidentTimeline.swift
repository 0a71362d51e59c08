import BurnwatchCore
import BurnwatchRecording

/// The post-incident timeline of a recording: its journal in time order, the signals with the
/// evidence they fired with, the alerts, checklist progress per runbook, and the durations a
/// review asks for. `burnwatch export` writes it as Markdown or JSON (docs/recording.md).
public struct IncidentTimeline: Sendable {
    /// A signal from firing to resolution, with the evidence it fired with.
    public struct SignalSpan: Sendable {
        public var signal: Signal
        public var firedAt: Timestamp
        public var resolvedAt: Timestamp?
        /// The highest severity it reached.
        public var peak: Severity
    }

    /// One runbook's checklist: items ticked at the end, of how many.
    public struct ChecklistProgress: Sendable, Hashable {
        public var runbook: String
        public var ticked: Int
        public var total: Int?
    }

    public var recording: String
    /// The first and last recorded events.
    public var start: Timestamp
    public var end: Timestamp
    public var entries: [JournalEntry]
    public var signals: [SignalSpan]
    public var checklists: [ChecklistProgress]

    /// The moments the durations are measured between (nil when the recording never got there).
    ///
    /// - began: the first alert or signal that fired;
    /// - detected: the first page (an alert or signal at page severity);
    /// - acknowledged: the first acknowledgement after it began;
    /// - mitigated: when the last page ended (nothing paged again afterwards);
    /// - resolved: when the last alert or signal ended (nothing fired again afterwards).
    public struct Moments: Sendable, Hashable {
        public var began: Timestamp?
        public var detected: Timestamp?
        public var acknowledged: Timestamp?
        public var mitigated: Timestamp?
        public var resolved: Timestamp?
    }

    /// Builds the timeline.
    ///
    /// - Parameters:
    ///   - transitions: the signal transitions a replay of the recording produced, in order.
    ///   - checklistTotals: the number of checklist items per runbook file, where known.
    public init(recording: String, start: Timestamp, end: Timestamp, entries: [JournalEntry],
                transitions: [SignalTransition], checklistTotals: [String: Int]) {
        self.recording = recording
        self.start = start
        self.end = end
        self.entries = entries.sorted { ($0.time, $0.id) < ($1.time, $1.id) }
        var open: [String: Int] = [:]
        var spans: [SignalSpan] = []
        for transition in transitions {
            let s = transition.signal
            let key = s.kind.rawValue + "\u{0}" + s.service
            switch transition {
            case .fired(_, let at):
                open[key] = spans.count
                spans.append(SignalSpan(signal: s, firedAt: at, resolvedAt: nil, peak: s.severity))
            case .severityChanged(_, _, _):
                if let i = open[key], s.severity == .page { spans[i].peak = .page }
            case .resolved(_, let at):
                if let i = open.removeValue(forKey: key) { spans[i].resolvedAt = at }
            }
        }
        signals = spans
        var ticked: [String: Bool] = [:]
        for e in self.entries where e.kind == .tick || e.kind == .untick {
            if let id = e.itemID { ticked[id] = e.kind == .tick }
        }
        var byRunbook: [String: Int] = [:]
        for (id, on) in ticked {
            let runbook = String(id.split(separator: "/").first ?? Substring(id))
            byRunbook[runbook, default: 0] += on ? 1 : 0
        }
        checklists = byRunbook.keys.sorted().map { ChecklistProgress(runbook: $0, ticked: byRunbook[$0]!, total: checklistTotals[$0]) }
    }

    /// Whether a journal line is a page: a signal at page severity or a page alert.
    static func isPage(_ e: JournalEntry) -> Bool {
        (e.kind == .signal && (e.text.contains("(page)") || e.text.contains("→ page"))) || (e.kind == .alert && e.text.contains(" page "))
    }

    static func isStart(_ e: JournalEntry) -> Bool { (e.kind == .signal || e.kind == .alert) && e.text.contains(" fired") }

    /// The moments, from the journal.
    public var moments: Moments {
        var m = Moments()
        let timeline = entries.filter { $0.kind == .signal || $0.kind == .alert }
        m.began = timeline.first(where: Self.isStart)?.time
        m.detected = timeline.first(where: Self.isPage)?.time
        if let began = m.began {
            m.acknowledged = entries.first { $0.kind == .acknowledgement && $0.time >= began }?.time
        }
        // sweep: what is open (and whether it pages) after each line; the moments are when the
        // paging set, and the open set, last became empty and stayed so
        var open: [String: Bool] = [:]
        var quietPages: Timestamp?, quietAll: Timestamp?
        for e in timeline {
            let subject = Self.subjectOf(e.text)
            if e.text.contains(" resolved") {
                open[subject] = nil
            } else if Self.isStart(e) || e.text.contains(" → ") {
                open[subject] = Self.isPage(e)
            }
            if open.values.contains(true) { quietPages = nil }
            else if quietPages == nil, let detected = m.detected, e.time >= detected { quietPages = e.time }
            if !open.isEmpty { quietAll = nil } else if quietAll == nil, m.began != nil { quietAll = e.time }
        }
        m.mitigated = quietPages
        m.resolved = quietAll
        return m
    }

    /// `signal retry_storm … on orders-api` → `retry_storm orders-api`; `alert svc/slo page 1h/5m …` → `svc/slo 1h/5m`.
    static func subjectOf(_ text: String) -> String {
        let words = text.split(separator: " ")
        if words.first == "signal", words.count > 1 {
            let kind = words[1]
            let service = words.firstIndex(of: "on").flatMap { $0 + 1 < words.count ? words[$0 + 1] : nil } ?? ""
            return "\(kind) \(service)"
        }
        if words.first == "alert", words.count > 3 { return "\(words[1]) \(words[3])" }
        return text
    }

    /// Seconds between two moments, or nil.
    static func seconds(_ a: Timestamp?, _ b: Timestamp?) -> Double? {
        guard let a, let b else { return nil }
        return Double(b.milliseconds - a.milliseconds) / 1000
    }
}
