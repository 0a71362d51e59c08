/// The windows an SLO is evaluated over: `5m`, `30m`, `1h`, `2h`, `6h`, `1d`, `3d` and the period.
public enum SLOWindow: Hashable, Sendable, CustomStringConvertible {
    /// A fixed-length window, named by its Prometheus duration.
    case fixed(Interval)
    /// The SLO's whole period.
    case period

    /// The fixed windows, shortest first.
    public static let fixedWindows: [SLOWindow] = ["5m", "30m", "1h", "2h", "6h", "1d", "3d"].map {
        .fixed(Interval.parse($0)!)
    }

    /// Every window in report order: the fixed ones, then the period.
    public static let all: [SLOWindow] = fixedWindows + [.period]

    /// The JSON key: `5m` … `3d`, or `period`.
    public var description: String {
        switch self {
        case .fixed(let interval): interval.description
        case .period: "period"
        }
    }

    /// The window's length for an SLO period at a time.
    public func length(for period: SLOPeriod, at time: Timestamp) -> Interval {
        switch self {
        case .fixed(let interval): interval
        case .period: period.window(at: time)
        }
    }
}

/// The severity of a burn-rate alert tier.
public enum AlertSeverity: String, Hashable, Sendable, Comparable {
    case ticket, page
    public static func < (a: AlertSeverity, b: AlertSeverity) -> Bool { a == .ticket && b == .page }
}

/// One multiwindow, multi-burn-rate alert tier: fires when the burn rate over both the long and
/// the short window is strictly greater than `factor` (SRE Workbook, "Alerting on SLOs").
public struct BurnRateTier: Hashable, Sendable {
    public var severity: AlertSeverity
    public var long: Interval
    public var short: Interval
    /// The share of the period's budget that burning at `factor` spends in the long window.
    public var budgetShare: Double
    /// The burn-rate threshold: `budgetShare × period ÷ long`.
    public var factor: Double

    public init(severity: AlertSeverity, long: Interval, short: Interval, budgetShare: Double, period: Interval) {
        self.severity = severity; self.long = long; self.short = short; self.budgetShare = budgetShare
        self.factor = BurnRateTier.roundedFactor(budgetShare * period.seconds / long.seconds)
    }

    /// The default tiers for a period: 2% in 1h (5m), 5% in 6h (30m) page; 10% in 1d (2h),
    /// 10% in 3d (6h) ticket. For 30 days these are 14.4×, 6×, 3× and 1×.
    public static func defaults(period: Interval) -> [BurnRateTier] {
        let h = Interval(milliseconds: 3_600_000), m = Interval(milliseconds: 60_000)
        return [
            BurnRateTier(severity: .page, long: h, short: m * 5, budgetShare: 0.02, period: period),
            BurnRateTier(severity: .page, long: h * 6, short: m * 30, budgetShare: 0.05, period: period),
            BurnRateTier(severity: .ticket, long: h * 24, short: h * 2, budgetShare: 0.10, period: period),
            BurnRateTier(severity: .ticket, long: h * 72, short: h * 6, budgetShare: 0.10, period: period),
        ]
    }

    /// Whether the tier can ever fire for an objective: the burn rate cannot exceed
    /// `1 ÷ (1 − objective)` (every event bad), so a larger factor never fires.
    public func canFire(objective: Double) -> Bool { factor <= 1 / (1 - objective) }

    /// The time a constant error ratio takes to trip the long window from a clean history:
    /// `(1 − objective) ÷ errorRatio × long × factor`, or nil when it never does.
    public func detectionTime(objective: Double, errorRatio: Double) -> Interval? {
        guard errorRatio > 0, errorRatio / (1 - objective) > factor else { return nil }
        return Interval(seconds: (1 - objective) / errorRatio * long.seconds * factor)
    }

    /// Removes binary noise such as 14.400000000000002 (to 12 significant digits).
    static func roundedFactor(_ x: Double) -> Double {
        guard x.isFinite, x != 0 else { return x }
        var scale = 1.0
        var magnitude = abs(x)
        while magnitude >= 10 { magnitude /= 10; scale /= 10 }
        while magnitude < 1 { magnitude *= 10; scale *= 10 }
        let s = scale * 1e11
        return (x * s).rounded() / s
    }
}
