/// What was measured for one window: bad and all events as the queries returned them.
public struct SLOWindowMeasurement: Hashable, Sendable {
    /// The error ratio, or nil when there is no data or no events.
    public var errorRatio: Double?
    /// The number of events in the window, or nil when unknown (raw ratio SLI, or no data).
    public var events: Double?
    public init(errorRatio: Double?, events: Double?) { self.errorRatio = errorRatio; self.events = events }
    /// Nothing returned.
    public static let noData = SLOWindowMeasurement(errorRatio: nil, events: nil)
}

/// One window's numbers in a report.
public struct SLOWindowValue: Hashable, Sendable {
    public var window: SLOWindow
    public var errorRatio: Double?
    /// `errorRatio ÷ (1 − objective)`.
    public var burnRate: Double?
    public var events: Double?
    /// Seconds of data the window holds when that is less than its length (the console just
    /// started, or the source's history is shorter); nil for a full window or when not known.
    public var dataSeconds: Double? = nil
}

/// One tier's condition at a time.
public struct SLOAlertStatus: Hashable, Sendable {
    public var tier: BurnRateTier
    /// Both windows burn strictly faster than the factor, with enough traffic.
    public var firing: Bool
    /// The short window held fewer than `minEvents` events, so the tier is held back.
    public var lowTraffic: Bool
    /// When the tier started firing (as far as the evaluations seen know), or nil.
    public var since: Timestamp?
    /// The share of the period's budget spent in the long window: `burn(long) × long ÷ period`.
    public var budgetConsumed: Double?
    /// False when the factor exceeds `1 ÷ (1 − objective)`: the tier can never fire.
    public var canFire: Bool
}

/// An SLO's overall state: the highest firing tier wins.
public enum SLOState: String, Hashable, Sendable {
    case page, ticket, ok
    case lowTraffic = "low_traffic"
    case noData = "no_data"
}

/// Everything known about one SLO at one time.
public struct SLOStatus: Hashable, Sendable {
    public var spec: SLOSpec
    public var at: Timestamp
    /// The period's length in seconds (30 days for a calendar month).
    public var periodSeconds: Double
    /// `5m` … `3d`, then `period`.
    public var windows: [SLOWindowValue]
    /// `1 − errorRatio(period) ÷ (1 − objective)`; negative once the budget is overspent.
    public var budgetRemaining: Double?
    /// Seconds of data the budget was computed from when less than the period (see `SLOWindowValue.dataSeconds`).
    public var budgetDataSeconds: Double? = nil
    /// Seconds until the budget is gone at the current (1h) burn rate; 0 when already gone.
    public var timeToExhaustionSeconds: Double?
    public var alerts: [SLOAlertStatus]
    public var state: SLOState
    /// Problems with the spec, such as tiers that can never fire.
    public var warnings: [String]

    /// The window's value, by its JSON key (`5m`, `period`).
    public func window(_ key: String) -> SLOWindowValue? { windows.first { $0.window.description == key } }

    /// Computes the status from measurements, without `since` (the state machine fills it).
    ///
    /// - Parameters:
    ///   - spec: the SLO.
    ///   - at: the evaluation time.
    ///   - measurements: one per `SLOWindow.all` entry, in that order.
    ///   - dataStart: the oldest sample behind the queries, when known: windows reaching further
    ///     back say how many seconds of data they hold.
    /// - Complexity: O(windows × tiers).
    public static func compute(_ spec: SLOSpec, at: Timestamp, measurements: [SLOWindowMeasurement], dataStart: Timestamp? = nil) -> SLOStatus {
        let budget = spec.errorBudget
        var windows: [SLOWindowValue] = []
        var byLength: [Int64: SLOWindowValue] = [:]
        for (w, m) in zip(SLOWindow.all, measurements) {
            let ratio = m.errorRatio.flatMap { $0.isFinite ? $0 : nil }
            var value = SLOWindowValue(window: w, errorRatio: ratio, burnRate: ratio.map { $0 / budget },
                                       events: m.events.flatMap { $0.isFinite ? $0 : nil })
            if let dataStart {
                let held = Swift.max(0, (at - dataStart).seconds)
                if held < w.length(for: spec.period, at: at).seconds { value.dataSeconds = held }
            }
            windows.append(value)
            if case .fixed(let i) = w { byLength[i.milliseconds] = value }
        }
        let period = spec.period.nominalLength
        let periodRatio = windows.last?.errorRatio
        let remaining = periodRatio.map { 1 - $0 / budget }
        var tte: Double? = nil
        if let remaining, let burn = byLength[3_600_000]?.burnRate {
            if remaining <= 0 { tte = 0 } else if burn > 0 { tte = remaining * period.seconds / burn }
        }
        var warnings: [String] = []
        var alerts: [SLOAlertStatus] = []
        for tier in BurnRateTier.defaults(period: period) {
            if tier.severity == .page && !spec.pageAlertsEnabled { continue }
            if tier.severity == .ticket && !spec.ticketAlertsEnabled { continue }
            let long = byLength[tier.long.milliseconds], short = byLength[tier.short.milliseconds]
            let canFire = tier.canFire(objective: spec.objective)
            if !canFire {
                warnings.append("\(tier.severity.rawValue) tier \(tier.long)/\(tier.short) at \(tier.factor)× can never fire: the burn rate of a \(spec.objective * 100)% SLO is at most \(BurnRateTier.roundedFactor(1 / budget))")
            }
            var lowTraffic = false
            if let minEvents = spec.minEvents, case .events = SLOQueries(spec.indicator).shape {
                lowTraffic = (short?.events ?? 0) < minEvents
            }
            var firing = false
            if let lb = long?.burnRate, let sb = short?.burnRate, !lowTraffic {
                firing = lb > tier.factor && sb > tier.factor
            }
            alerts.append(SLOAlertStatus(tier: tier, firing: firing, lowTraffic: lowTraffic, since: nil,
                                         budgetConsumed: long?.burnRate.map { $0 * tier.long.seconds / period.seconds },
                                         canFire: canFire))
        }
        let state: SLOState
        let anyData = measurements.contains { $0.errorRatio != nil || $0.events != nil }
        if !anyData {
            state = .noData
        } else if alerts.contains(where: { $0.firing && $0.tier.severity == .page }) {
            state = .page
        } else if alerts.contains(where: { $0.firing }) {
            state = .ticket
        } else if let minEvents = spec.minEvents, case .events = SLOQueries(spec.indicator).shape,
                  (byLength[300_000]?.events ?? 0) < minEvents {
            state = .lowTraffic
        } else {
            state = .ok
        }
        return SLOStatus(spec: spec, at: at, periodSeconds: period.seconds,
                         windows: windows, budgetRemaining: remaining,
                         budgetDataSeconds: remaining == nil ? nil : windows.last?.dataSeconds,
                         timeToExhaustionSeconds: tte, alerts: alerts, state: state, warnings: warnings)
    }
}
