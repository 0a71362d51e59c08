/// One service level objective: what is measured, the target, the period and the alerting tiers.
///
/// The keys follow a Sloth `prometheus/v1` SLO (queries use Sloth's `{{.window}}` placeholder),
/// plus burnwatch's own `period`, latency SLIs and `minEvents` (DESIGN.md §4, §5).
public struct SLOSpec: Hashable, Sendable {
    /// The service the SLO belongs to.
    public var service: String
    /// The SLO's name, unique within its service.
    public var name: String
    /// The objective as a fraction in (0, 1), e.g. `0.999` for 99.9%.
    public var objective: Double
    /// Free text.
    public var description: String
    /// How good and bad events are counted.
    public var indicator: SLIndicator
    /// The period the error budget is spent over.
    public var period: SLOPeriod
    /// Fewer events than this in a tier's short window is "low traffic": the tier does not fire.
    public var minEvents: Double?
    /// Whether the page tiers are evaluated (Sloth's `page_alert.disable` turns them off).
    public var pageAlertsEnabled: Bool
    /// Whether the ticket tiers are evaluated (Sloth's `ticket_alert.disable` turns them off).
    public var ticketAlertsEnabled: Bool
    /// Where the spec came from (file, line, column), for messages.
    public var origin: SourcePosition?
    /// Ids of the Sloth SLO plugins the spec names (the service's `slo_plugins` chain, then the
    /// SLO's own `plugins` chain). They change the rules Sloth generates; burnwatch lists them as
    /// not evaluated and computes the SLO without them.
    public var plugins: [String]

    public init(service: String, name: String, objective: Double, description: String = "",
                indicator: SLIndicator, period: SLOPeriod = .rolling(Interval(milliseconds: 30 * 86_400_000)),
                minEvents: Double? = nil, pageAlertsEnabled: Bool = true, ticketAlertsEnabled: Bool = true,
                origin: SourcePosition? = nil, plugins: [String] = []) {
        self.service = service; self.name = name; self.objective = objective; self.description = description
        self.indicator = indicator; self.period = period; self.minEvents = minEvents
        self.pageAlertsEnabled = pageAlertsEnabled; self.ticketAlertsEnabled = ticketAlertsEnabled
        self.origin = origin; self.plugins = plugins
    }

    /// The error budget as a fraction of events: `1 − objective`.
    public var errorBudget: Double { 1 - objective }
}

/// How an SLO's good and bad events are measured, as PromQL with Sloth's `{{.window}}` placeholder.
public enum SLIndicator: Hashable, Sendable {
    /// Bad events and all events, each a query (usually `sum(rate(…[{{.window}}]))`).
    case events(errorQuery: String, totalQuery: String)
    /// One query that returns the error ratio itself; event counts are then unknown.
    case raw(errorRatioQuery: String)
    /// Requests slower than `threshold` seconds are bad, counted from histogram buckets.
    ///
    /// `histogram` is the base name (`http_request_duration_seconds`; the `_bucket` series are
    /// read) and `matchers` the label matchers without braces (`job="api"`), possibly empty.
    /// The threshold must be one of the histogram's `le` bounds.
    case latency(histogram: String, matchers: String, threshold: Double)
}

/// The period an error budget is spent over.
public enum SLOPeriod: Hashable, Sendable, CustomStringConvertible {
    /// The last `n` days (or any length), rolling: `7d`, `28d`, `30d`.
    case rolling(Interval)
    /// The calendar month (UTC) that holds the evaluation time.
    case calendarMonth

    /// The length used for tier factors and budget arithmetic: the rolling length, or 30 days
    /// for a calendar month (Sloth and the SRE Workbook use 30 days for a month).
    public var nominalLength: Interval {
        switch self {
        case .rolling(let length): length
        case .calendarMonth: Interval(milliseconds: 30 * 86_400_000)
        }
    }

    /// The window that the period covers at `time`: the rolling length, or the time since the
    /// start of the month (at least one second).
    public func window(at time: Timestamp) -> Interval {
        switch self {
        case .rolling(let length): return length
        case .calendarMonth:
            let days = Int((time.milliseconds - (time.milliseconds % 86_400_000 + 86_400_000) % 86_400_000) / 86_400_000)
            let (y, m, _) = RFC3339.civilFromDays(days)
            let start = Int64(RFC3339.daysFromCivil(year: y, month: m, day: 1)) * 86_400_000
            return Interval(milliseconds: max(1000, (time.milliseconds - start) / 1000 * 1000))
        }
    }

    public var description: String {
        switch self {
        case .rolling(let length): SLOQueries.promDuration(length)
        case .calendarMonth: "calendar month"
        }
    }
}
