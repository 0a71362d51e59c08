/// A change in an SLO's alerting: a tier starts or stops firing, or the overall state moves.
public enum SLOAlertTransition: Hashable, Sendable {
    /// `tier` began firing at `at`.
    case started(tier: BurnRateTier, at: Timestamp)
    /// `tier` fired from `start` until `end` (the first evaluation where it no longer fired).
    case ended(tier: BurnRateTier, start: Timestamp, end: Timestamp)
    /// The SLO's state moved (`from` is nil at the first evaluation).
    case stateChanged(from: SLOState?, to: SLOState, at: Timestamp)
}

/// The alert state of one SLO across evaluations: which tiers fire and since when.
///
/// Feed it each evaluation in time order; it returns the transitions and fills `since` in the
/// status. It holds no clock: times come with the statuses.
public struct SLOAlertStateMachine: Sendable {
    /// A tier is either quiet or firing since a time.
    enum TierState: Hashable, Sendable {
        case quiet
        case firing(since: Timestamp)
    }

    private var tiers: [BurnRateTier: TierState] = [:]
    private var state: SLOState?
    private var lastTime: Timestamp?

    public init() {}

    /// The current overall state, nil before the first evaluation.
    public var currentState: SLOState? { state }

    /// Records that `tier` has been firing since `since`, before the first evaluation (for
    /// example found by looking back): its streak then continues without a `started` transition.
    public mutating func seed(_ tier: BurnRateTier, firingSince since: Timestamp) {
        guard lastTime == nil else { return }
        tiers[tier] = .firing(since: since)
    }

    /// Takes one evaluation; returns the transitions it causes and the status with `since` set.
    ///
    /// - Parameter status: the status computed at a time later than the previous one.
    /// - Returns: the status with each firing tier's `since`, and the transitions in order
    ///   (endings, then starts, then the state change).
    /// - Complexity: O(tiers).
    public mutating func advance(_ status: SLOStatus) -> (status: SLOStatus, transitions: [SLOAlertTransition]) {
        var out = status
        var ended: [SLOAlertTransition] = [], started: [SLOAlertTransition] = []
        if let lastTime, status.at <= lastTime { return (out, []) }
        lastTime = status.at
        for index in out.alerts.indices {
            let tier = out.alerts[index].tier
            switch (tiers[tier] ?? .quiet, out.alerts[index].firing) {
            case (.quiet, false):
                out.alerts[index].since = nil
            case (.quiet, true):
                tiers[tier] = .firing(since: status.at)
                out.alerts[index].since = status.at
                started.append(.started(tier: tier, at: status.at))
            case (.firing(let since), true):
                out.alerts[index].since = since
            case (.firing(let since), false):
                tiers[tier] = .quiet
                out.alerts[index].since = nil
                ended.append(.ended(tier: tier, start: since, end: status.at))
            }
        }
        var transitions = ended + started
        if state != status.state {
            transitions.append(.stateChanged(from: state, to: status.state, at: status.at))
            state = status.state
        }
        return (out, transitions)
    }
}
