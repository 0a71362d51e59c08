/// Runs every detector at each evaluation time and keeps the signals' state.
///
/// One round: each enabled detector observes, observations of one kind and service are merged
/// (the highest severity wins; evidence is joined), the tracker applies hysteresis, and the
/// round's active signals and transitions come back. Pure: the caller owns time and the store.
public struct SignalEngine: Sendable {
    public var detectors: [any SignalDetector]
    /// Runbook sections by kind, as `file.md#anchor` (from the runbooks' signal map).
    public var runbooks: [SignalKind: [String]]
    /// The configured services and their signal settings.
    public var services: [String]
    public var configs: [ServiceSignalConfig]
    public private(set) var tracker = SignalTracker()
    /// Slow, bucket-stable query results kept across rounds (the latency baseline).
    private(set) var memo = SignalQueryMemo()

    /// What one round produced.
    public struct Round: Sendable {
        public var time: Timestamp
        /// Active signals, highest severity first, then oldest.
        public var active: [Signal]
        /// Active, then resolved within the last 15 minutes.
        public var recent: [Signal]
        public var transitions: [SignalTransition]
        /// Queries that failed this round, with their errors.
        public var problems: [(expression: String, error: String)]
    }

    /// This engine with a memo of its own (a copy of the answers so far), so that a copy of the
    /// engine (a replay's checkpoint) and the original never share one.
    public func detached() -> SignalEngine {
        var copy = self
        copy.memo = memo.copy()
        return copy
    }

    public init(detectors: [any SignalDetector] = SignalDetectors.builtIn, runbooks: [SignalKind: [String]] = [:],
                services: [String] = [], configs: [ServiceSignalConfig] = []) {
        self.detectors = detectors; self.runbooks = runbooks; self.services = services; self.configs = configs
    }

    /// Evaluates every detector at `time`.
    ///
    /// - Parameters:
    ///   - time: after the previous round's time.
    ///   - querier: the store (or a remote API) the detectors query.
    ///   - sloStatuses: the SLOs at `time`.
    ///   - logSources: log sources' health (live).
    /// - Complexity: the detectors' queries, cached per expression within the round.
    public mutating func evaluate(at time: Timestamp, querier: any PromQLQuerier, sloStatuses: [SLOStatus] = [],
                                  logSources: [LogSourceFact] = []) -> Round {
        let context = SignalContext(time: time, querier: querier, services: services, configs: configs,
                                    sloStatuses: sloStatuses, logSources: logSources, memo: memo)
        var merged: [SignalKey: SignalObservation] = [:]
        for detector in detectors {
            for o in detector.observe(context) where context.settings(o.kind, o.service).enabled {
                merged[o.key] = merged[o.key].map { Self.merge($0, o) } ?? o
            }
        }
        let transitions = tracker.advance(Array(merged.values), at: time,
                                          settings: { context.settings($0.kind, $0.service) },
                                          runbooks: { runbooks[$0] ?? [] })
        return Round(time: time, active: tracker.active, recent: tracker.recent, transitions: transitions,
                     problems: context.problems.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
    }

    /// Two observations of one key as one: the higher severity's summary, evidence of both.
    static func merge(_ a: SignalObservation, _ b: SignalObservation) -> SignalObservation {
        let bWins = (b.severity ?? .info) > (a.severity ?? .info) || (a.severity == nil && b.severity != nil)
        var out = bWins ? b : a
        let other = bWins ? a : b
        let names = Set(out.evidence.map(\.name))
        out.evidence += other.evidence.filter { !names.contains($0.name) }
        return out
    }
}

/// The detectors burnwatch runs by default, one per kind.
public enum SignalDetectors {
    public static let builtIn: [any SignalDetector] = [
        SLOBurnDetector(),
        SaturationDetector(),
        LatencyDetector(),
        ScrapeFailureDetector(),
        RetryStormDetector(),
        DependencyFailureDetector(),
        ErrorTaxonomyShiftDetector(),
        MissingCorrelationDetector(),
        DuplicateSideEffectDetector(),
        PoisonMessageDetector(),
        TenantHotspotDetector(),
        DeployRegressionDetector(),
    ]
}
