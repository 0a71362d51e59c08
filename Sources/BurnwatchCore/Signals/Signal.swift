/// One named number behind a signal, with where it came from.
///
/// `value` is nil when the source had no data: evidence never turns "no data" into 0.
public struct SignalEvidence: Hashable, Sendable {
    /// A short stable name (`retry_ratio`, `utilization`, `p99_seconds`).
    public var name: String
    /// The number, or nil when there was no data.
    public var value: Double?
    /// The PromQL expression (or the log filter over the log-derived series) that gave it.
    public var source: String

    public init(_ name: String, _ value: Double?, source: String) {
        self.name = name; self.value = value; self.source = source
    }

    public static func == (a: SignalEvidence, b: SignalEvidence) -> Bool {
        a.name == b.name && a.source == b.source && (a.value == b.value || (a.value?.isNaN == true && b.value?.isNaN == true))
    }
}

/// What identifies a signal: one per kind per service.
public struct SignalKey: Hashable, Sendable, Comparable {
    public var kind: SignalKind
    public var service: String
    public init(_ kind: SignalKind, _ service: String) { self.kind = kind; self.service = service }
    public static func < (a: SignalKey, b: SignalKey) -> Bool {
        (a.service, a.kind.rawValue) < (b.service, b.kind.rawValue)
    }
}

/// What one detector saw for one kind and service at one evaluation time.
///
/// `severity` is nil when the condition does not hold; the evidence is still reported so that a
/// firing signal shows current numbers while it clears.
public struct SignalObservation: Sendable, Equatable {
    public var key: SignalKey
    public var severity: Severity?
    /// One line with the numbers in it, for people.
    public var summary: String
    public var evidence: [SignalEvidence]
    /// When the condition began, when the detector knows better than the tracker (an SLO tier's
    /// own `since`); the signal's `since` is then this time.
    public var startedAt: Timestamp?

    public init(_ kind: SignalKind, service: String, severity: Severity?, summary: String, evidence: [SignalEvidence],
                startedAt: Timestamp? = nil) {
        self.key = SignalKey(kind, service); self.severity = severity; self.summary = summary; self.evidence = evidence
        self.startedAt = startedAt
    }

    public var kind: SignalKind { key.kind }
    public var service: String { key.service }
}

/// A signal as the console and `eval` show it: fired, maybe resolved.
public struct Signal: Sendable, Equatable {
    public var kind: SignalKind
    public var service: String
    public var severity: Severity
    /// When its condition began to hold (the start of the `for` wait, as Prometheus's `activeAt`).
    public var since: Timestamp
    /// When it cleared; nil while it is active.
    public var resolvedAt: Timestamp?
    public var summary: String
    public var evidence: [SignalEvidence]
    /// Runbook sections that answer this kind, as `file.md#anchor`.
    public var runbooks: [String]

    public init(kind: SignalKind, service: String, severity: Severity, since: Timestamp, resolvedAt: Timestamp? = nil,
                summary: String, evidence: [SignalEvidence], runbooks: [String] = []) {
        self.kind = kind; self.service = service; self.severity = severity; self.since = since
        self.resolvedAt = resolvedAt; self.summary = summary; self.evidence = evidence; self.runbooks = runbooks
    }

    public var key: SignalKey { SignalKey(kind, service) }
    public var isActive: Bool { resolvedAt == nil }

    /// The evidence of a name, if the signal has it.
    public func evidence(_ name: String) -> SignalEvidence? { evidence.first { $0.name == name } }
}

/// A change in the set of signals, as the journal records it.
public enum SignalTransition: Sendable, Equatable {
    /// A signal fired (its `since` is when the condition began).
    case fired(Signal, at: Timestamp)
    /// An active signal's severity moved.
    case severityChanged(Signal, from: Severity, at: Timestamp)
    /// A signal cleared.
    case resolved(Signal, at: Timestamp)

    public var signal: Signal {
        switch self {
        case .fired(let s, _), .severityChanged(let s, _, _), .resolved(let s, _): s
        }
    }

    public var at: Timestamp {
        switch self {
        case .fired(_, let t), .severityChanged(_, _, let t), .resolved(_, let t): t
        }
    }
}
