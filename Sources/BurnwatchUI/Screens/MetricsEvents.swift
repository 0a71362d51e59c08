import BurnwatchCore

/// One scrape target's health as the metrics screen shows it.
public struct TargetHealth: Hashable, Sendable {
    public var job: String
    public var instance: String
    public var url: String
    /// nil before the first scrape finished.
    public var up: Bool?
    public var lastScrape: Timestamp?
    public var durationSeconds: Double?
    public var samples: Int?
    /// The last failure's message (untrusted text: escaped by the buffer).
    public var error: String?
    public var consecutiveFailures: Int

    public init(job: String, instance: String, url: String, up: Bool? = nil, lastScrape: Timestamp? = nil,
                durationSeconds: Double? = nil, samples: Int? = nil, error: String? = nil, consecutiveFailures: Int = 0) {
        self.job = job; self.instance = instance; self.url = url; self.up = up; self.lastScrape = lastScrape
        self.durationSeconds = durationSeconds; self.samples = samples; self.error = error
        self.consecutiveFailures = consecutiveFailures
    }
}

/// The health of every scrape target, sent by the watch session after scrapes.
public struct MetricsTargetsUpdate: ExternalEvent, Hashable {
    public var targets: [TargetHealth]
    public init(targets: [TargetHealth]) { self.targets = targets }
}

/// A series in the browser: its labels and latest value.
public struct SeriesSummary: Hashable, Sendable {
    public var labels: Labels
    public var latest: Double?
    public var time: Timestamp?
    public init(labels: Labels, latest: Double?, time: Timestamp?) { self.labels = labels; self.latest = latest; self.time = time }
}

/// The series the store holds (at most a bounded number of them), sent every few seconds.
public struct MetricsSeriesCatalog: ExternalEvent, Hashable {
    public var series: [SeriesSummary]
    /// How many series the store holds in all (more than `series.count` when capped).
    public var total: Int
    public init(series: [SeriesSummary], total: Int) { self.series = series; self.total = total }
}

/// One series of a chart: a label and one value per step (nil: no sample).
public struct ChartSeries: Hashable, Sendable {
    public var label: String
    public var values: [Double?]
    public init(label: String, values: [Double?]) { self.label = label; self.values = values }
}

/// What a watched query is for.
public enum MetricsQueryPurpose: String, Hashable, Sendable {
    /// The chart pane's expression.
    case chart
    /// The series selected in the browser (its sparkline).
    case series
}

/// The result of a watched range query, evaluated by the session each second.
public struct MetricsQueryResult: ExternalEvent, Hashable {
    public var purpose: MetricsQueryPurpose
    public var expression: String
    public var start: Timestamp
    public var end: Timestamp
    public var step: Interval
    public var series: [ChartSeries]
    /// The query's error (a parse error names the column), if it failed.
    public var error: String?

    public init(purpose: MetricsQueryPurpose, expression: String, start: Timestamp, end: Timestamp, step: Interval,
                series: [ChartSeries], error: String? = nil) {
        self.purpose = purpose; self.expression = expression; self.start = start; self.end = end; self.step = step
        self.series = series; self.error = error
    }
}

/// The effects the metrics screen asks the watch session for: watch a query (chart or series).
public enum MetricsEffects {
    public static let watchQuery = "watch.query"

    /// The effect asking the session to evaluate `expression` each second for `purpose`.
    public static func watch(_ purpose: MetricsQueryPurpose, _ expression: String) -> Effect {
        .custom(name: watchQuery, arguments: [purpose.rawValue, expression])
    }

    /// The purpose and expression of a watch effect, or nil for another effect.
    public static func parse(_ effect: Effect) -> (MetricsQueryPurpose, String)? {
        guard case .custom(let name, let args) = effect, name == watchQuery, args.count == 2,
              let purpose = MetricsQueryPurpose(rawValue: args[0]) else { return nil }
        return (purpose, args[1])
    }
}
