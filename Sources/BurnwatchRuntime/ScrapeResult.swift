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
    /// The target's samples with `job` and `instance` set (existing ones renamed `exported_job`/`exported_instance`).
    public var samples: [ExpositionPoint]
    /// `up`, `scrape_duration_seconds`, `scrape_samples_scraped`, `scrape_samples_post_metric_relabeling`,
    /// `scrape_series_added`, at `time`.
    public var health: [ExpositionPoint]
    /// Series present in the previous scrape and absent now (all of them when the target went down): the store marks them stale.
    public var disappeared: [Labels]
    /// Metadata per family from the body.
    public var families: [String: MetricFamilyMetadata]
    /// Consecutive failures including this one (0 on success).
    public var consecutiveFailures: Int

    /// Whether the scrape succeeded (`up` = 1).
    public var isUp: Bool { failure == nil }
}

/// The per-target state kept between scrapes: the decoded label sets of the previous scrape,
/// keyed by the raw series bytes, so an unchanged series is never decoded twice.
struct ScrapeSeriesCache {
    struct Entry {
        var raw: [UInt8]
        var labels: Labels
        var generation: Int
    }
    var byHash: [UInt64: [Entry]] = [:]
    var generation = 0

    /// The raw bytes' hash, eight bytes at a time.
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 { ByteHash.hash(bytes) }

    /// Starts a new scrape.
    mutating func begin() { generation += 1 }

    /// The labels of `sample` (with job/instance applied by `make`), from the cache or decoded now.
    ///
    /// - Returns: the labels and whether the series is new since the previous scrape.
    mutating func labels(for sample: ExpositionSample, make: (ExpositionSample) -> Labels) -> (Labels, Bool, Bool) {
        sample.labels.withRawBytes(sample.seriesSpan) { raw in
            let h = Self.hash(raw)
            if let index = byHash.index(forKey: h) {
                // Mutated in place: a copy of the bucket would allocate on every known series.
                for i in byHash.values[index].indices where byHash.values[index][i].raw.elementsEqual(raw) {
                    let duplicate = byHash.values[index][i].generation == generation
                    byHash.values[index][i].generation = generation
                    return (byHash.values[index][i].labels, false, duplicate)
                }
            }
            let labels = make(sample)
            byHash[h, default: []].append(Entry(raw: Array(raw), labels: labels, generation: generation))
            return (labels, true, false)
        }
    }

    /// Ends a scrape: drops series not seen in it and returns their labels.
    mutating func end() -> [Labels] {
        var gone: [Labels] = []
        for (h, bucket) in byHash where bucket.contains(where: { $0.generation != generation }) {
            // Only buckets that lost a series are rebuilt: a steady target allocates nothing here.
            let kept = bucket.filter { $0.generation == generation }
            do {
                gone += bucket.filter { $0.generation != generation }.map(\.labels)
                if kept.isEmpty { byHash[h] = nil } else { byHash[h] = kept }
            }
        }
        return gone
    }

    /// The target went down: every cached series disappears.
    mutating func clear() -> [Labels] {
        let gone = byHash.values.flatMap { $0.map(\.labels) }
        byHash = [:]
        return gone
    }
}
