import BurnwatchCore
import BurnwatchParsing

/// Everything one scrape of one target produced: the raw body for recordings, the samples with
/// `job`/`instance`, the health series Prometheus writes, and which series disappeared.
public struct ScrapeResult: Sendable {
    public var target: ScrapeTarget
    /// When the scrape started (from the injected clock); samples without their own timestamp take it.
    public var time: Timestamp
    /// Seconds the scrape took.
    public var durationSeconds: Double
    /// The HTTP status (0 when no response arrived).
    public var status: Int
    public var contentType: String?
    public var format: ExpositionFormat?
    /// The body as received (decompressed); empty on failure.
    public var body: [UInt8]
    /// Why the scrape failed (`up` = 0), with the target URL as position; nil when it succeeded.
    public var failure: BurnwatchError?
    /// Bad lines of the body (skipped), positioned `URL:line:column`.
    public var parseErrors: [BurnwatchError]
    /// The target's samples, by slot: a series seen before is only its slot (`ScrapeSeriesTable`
    /// maps it to the store's series).
    public var samples: ScrapeSamples
    /// The series first seen in this scrape (or all of them when `resync`), with their labels:
    /// `job` and `instance` set (existing ones renamed `exported_job`/`exported_instance`).
    public var newSeries: [ScrapeSeriesDefinition]
    /// `up`, `scrape_duration_seconds`, `scrape_samples_scraped`, `scrape_samples_post_metric_relabeling`,
    /// `scrape_series_added`, at `time`.
    public var health: [ExpositionPoint]
    /// Slots of the series present in the previous scrape and absent now (all of them when the
    /// target went down): the store marks them stale and forgets the slots.
    public var vanished: [Int32]
    /// Whether the scraper started its slots afresh (after a result was dropped before reaching
    /// the store): `newSeries` defines every series, and the store forgets the target's old slots.
    public var resync: Bool
    /// Consecutive failures including this one (0 on success).
    public var consecutiveFailures: Int

    /// Whether the scrape succeeded (`up` = 1).
    public var isUp: Bool { failure == nil }

    /// An empty result of `target` at `time`, for the scraper to fill in.
    init(target: ScrapeTarget, time: Timestamp, durationSeconds: Double = 0, status: Int = 0, contentType: String? = nil, body: [UInt8] = []) {
        self.target = target; self.time = time; self.durationSeconds = durationSeconds; self.status = status
        self.contentType = contentType; format = nil; self.body = body; failure = nil; parseErrors = []
        samples = ScrapeSamples(); newSeries = []; health = []; vanished = []; resync = false
        consecutiveFailures = 0
    }
}

/// A series first seen in a scrape: its slot and its labels.
public struct ScrapeSeriesDefinition: Sendable, Equatable {
    public var slot: Int32
    public var labels: Labels
}

/// One scrape's samples as three columns: slot, value, and the sample's own timestamp.
public struct ScrapeSamples: Sendable {
    /// The timestamp of a sample whose line had none (it takes the scrape's time).
    public static let noTimestamp = Int64.min
    public private(set) var slots: [Int32] = []
    public private(set) var values: [Double] = []
    /// Milliseconds, or `noTimestamp`.
    public private(set) var timestamps: [Int64] = []

    public init() {}

    public var count: Int { slots.count }
    public var isEmpty: Bool { slots.isEmpty }

    /// Room for `n` samples.
    mutating func reserve(_ n: Int) {
        slots.reserveCapacity(n); values.reserveCapacity(n); timestamps.reserveCapacity(n)
    }

    mutating func append(slot: Int32, value: Double, timestamp: Int64?) {
        slots.append(slot); values.append(value); timestamps.append(timestamp ?? Self.noTimestamp)
    }
}


