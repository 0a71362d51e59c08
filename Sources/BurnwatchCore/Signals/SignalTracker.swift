/// The hysteresis state machine of every signal: pending, firing, clearing, resolved.
///
/// A condition must hold for its `for` time before the signal fires (then `since` is when it
/// began to hold) and be false for as long before it clears. While firing, a higher severity
/// takes over at once; a lower one only after it has held for the `for` time. Resolved signals
/// are kept for `resolvedRetention` so the console can show them. No clock: times come with the
/// observations, which must not go backwards.
public struct SignalTracker: Sendable {
    enum State: Sendable, Equatable {
        /// The condition holds since `since`, not yet for long enough.
        case pending(since: Timestamp)
        /// Fired; `lowerSince` is when a lower severity began to hold, `falseSince` when the
        /// condition stopped holding.
        case firing(Signal, lowerSince: Timestamp?, falseSince: Timestamp?)
    }

    private var states: [SignalKey: State] = [:]
    private var resolved: [Signal] = []
    private var lastTime: Timestamp?
    /// How long a resolved signal stays in `recent`.
    public var resolvedRetention: Interval

    public init(resolvedRetention: Interval = Interval(milliseconds: 15 * 60_000)) {
        self.resolvedRetention = resolvedRetention
    }

    /// Takes the observations of one evaluation time; returns the transitions they cause.
    ///
    /// - Parameters:
    ///   - observations: at most one per key (merge first; see `SignalEngine`).
    ///   - time: the evaluation time, after the previous one (an earlier time is ignored).
    ///   - settings: the hysteresis of a key.
    ///   - runbooks: the runbook sections of a kind.
    /// - Complexity: O(observations + tracked keys).
    public mutating func advance(_ observations: [SignalObservation], at time: Timestamp,
                                 settings: (SignalKey) -> SignalSettings,
                                 runbooks: (SignalKind) -> [String]) -> [SignalTransition] {
        if let lastTime, time <= lastTime { return [] }
        lastTime = time
        var out: [SignalTransition] = []
        var seen = Set<SignalKey>()
        for o in observations.sorted(by: { $0.key < $1.key }) {
            seen.insert(o.key)
            let wait = settings(o.key).forDuration
            out += step(o.key, observation: o, at: time, wait: wait, runbooks: runbooks)
        }
        // A key no detector reported this time (a service gone, a kind disabled) counts as false.
        for key in states.keys.sorted() where !seen.contains(key) {
            out += step(key, observation: nil, at: time, wait: settings(key).forDuration, runbooks: runbooks)
        }
        resolved.removeAll { ($0.resolvedAt.map { time - $0 } ?? Interval(milliseconds: 0)) > resolvedRetention }
        return out
    }

    private mutating func step(_ key: SignalKey, observation o: SignalObservation?, at time: Timestamp, wait: Interval,
                               runbooks: (SignalKind) -> [String]) -> [SignalTransition] {
        let severity = o?.severity
        switch states[key] {
        case nil:
            guard let severity, let o else { return [] }
            if wait.milliseconds <= 0 { return fire(o, severity: severity, since: time, at: time, runbooks: runbooks) }
            states[key] = .pending(since: time)
            return []
        case .pending(let since)?:
            guard let severity, let o else { states[key] = nil; return [] }
            if time - since >= wait { return fire(o, severity: severity, since: since, at: time, runbooks: runbooks) }
            return []
        case .firing(var signal, let lowerSince, let falseSince)?:
            if let o { signal.evidence = o.evidence }
            guard let severity, let o else {
                let start = falseSince ?? time
                if time - start >= wait {
                    states[key] = nil
                    signal.resolvedAt = time
                    resolved.removeAll { $0.key == key }
                    resolved.append(signal)
                    return [.resolved(signal, at: time)]
                }
                states[key] = .firing(signal, lowerSince: nil, falseSince: start)
                return []
            }
            signal.summary = severity >= signal.severity ? o.summary : signal.summary
            if severity > signal.severity {
                let from = signal.severity
                signal.severity = severity
                signal.summary = o.summary
                states[key] = .firing(signal, lowerSince: nil, falseSince: nil)
                return [.severityChanged(signal, from: from, at: time)]
            }
            if severity < signal.severity {
                let start = lowerSince ?? time
                if time - start >= wait {
                    let from = signal.severity
                    signal.severity = severity
                    signal.summary = o.summary
                    states[key] = .firing(signal, lowerSince: nil, falseSince: nil)
                    return [.severityChanged(signal, from: from, at: time)]
                }
                states[key] = .firing(signal, lowerSince: start, falseSince: nil)
                return []
            }
            states[key] = .firing(signal, lowerSince: nil, falseSince: nil)
            return []
        }
    }

    private mutating func fire(_ o: SignalObservation, severity: Severity, since: Timestamp, at time: Timestamp,
                               runbooks: (SignalKind) -> [String]) -> [SignalTransition] {
        let signal = Signal(kind: o.kind, service: o.service, severity: severity, since: min(since, o.startedAt ?? since), summary: o.summary,
                            evidence: o.evidence, runbooks: runbooks(o.kind))
        states[o.key] = .firing(signal, lowerSince: nil, falseSince: nil)
        resolved.removeAll { $0.key == o.key }
        return [.fired(signal, at: time)]
    }

    /// The active signals, by severity (highest first), then age (oldest first), then key.
    public var active: [Signal] {
        var out: [Signal] = []
        for case .firing(let s, _, _) in states.values { out.append(s) }
        return out.sorted(by: Self.order)
    }

    /// Active signals, then the resolved ones kept for `resolvedRetention` (newest first).
    public var recent: [Signal] {
        active + resolved.sorted { ($0.resolvedAt ?? $0.since) > ($1.resolvedAt ?? $1.since) }
    }

    /// Severity high to low, then older first, then by key.
    public static func order(_ a: Signal, _ b: Signal) -> Bool {
        if a.severity != b.severity { return a.severity > b.severity }
        if a.since != b.since { return a.since < b.since }
        return a.key < b.key
    }
}
