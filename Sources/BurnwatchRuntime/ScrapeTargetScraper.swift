import BurnwatchCore
import BurnwatchParsing

/// Scrapes one target again and again: keeps its libcurl handle (keep-alive), its series cache
/// (for staleness and cheap label sets) and its failure count.
///
/// Not thread-safe; the scrape manager runs one scrape of a target at a time.
public final class TargetScraper: @unchecked Sendable {
    public let target: ScrapeTarget
    private let handle = CurlEasyHandle()
    private var cache = ScrapeSeriesCache()
    private var failures = 0
    private let limits: ExpositionLimits

    public init(target: ScrapeTarget, limits: ExpositionLimits = .default) {
        self.target = target
        self.limits = limits
    }

    /// A scraper of the same target in the same state (series cache, failures): a replay's checkpoint.
    public func copy() -> TargetScraper {
        let other = TargetScraper(target: target, limits: limits)
        other.cache = cache
        other.failures = failures
        other.seriesAdded = seriesAdded
        return other
    }

    /// Consecutive failed scrapes so far.
    public var consecutiveFailures: Int { failures }

    /// Scrapes once, stamping the result with `time` (the scrape's start, from the caller's clock).
    ///
    /// Never throws: every problem becomes `failure` (target down) or `parseErrors` (bad lines).
    public func scrape(at time: Timestamp) -> ScrapeResult {
        let source = target.url
        let started = PlatformHTTP.monotonicNanoseconds()
        var result = ScrapeResult(target: target, time: time, durationSeconds: 0, status: 0, contentType: nil, format: nil,
                                  body: [], failure: nil, parseErrors: [], samples: [], health: [], disappeared: [],
                                  families: [:], consecutiveFailures: 0)
        do {
            let response = handle.perform(url: target.url, options: try target.requestOptions())
            result.status = response.status
            result.contentType = response.contentType
            if let error = response.error {
                result.failure = BurnwatchError(.network, "scrape failed: \(error)", at: SourcePosition(source: source))
            } else if response.status != 200 {
                let excerpt = Self.printable(response.body.prefix(120))
                result.failure = BurnwatchError(.network, "scrape failed: HTTP \(response.status)" + (excerpt.isEmpty ? "" : ": \(excerpt)"),
                                                at: SourcePosition(source: source))
            } else if Self.looksLikeHTML(response.body, contentType: response.contentType) {
                result.failure = BurnwatchError(.network, "scrape failed: the target answered HTML (Content-Type \(response.contentType ?? "none")), not metrics",
                                                at: SourcePosition(source: source))
            } else {
                result.body = response.body
            }
        } catch let error as BurnwatchError {
            result.failure = BurnwatchError(error.code, "scrape failed: \(error.message)", at: SourcePosition(source: source))
        } catch {
            result.failure = BurnwatchError(.network, "scrape failed: \(error)", at: SourcePosition(source: source))
        }
        if result.failure == nil {
            parse(&result)
        }
        result.durationSeconds = Double(PlatformHTTP.monotonicNanoseconds() - started) / 1e9
        finish(&result)
        return result
    }

    /// The result a recorded scrape gives: the same parsing, series cache and health series as
    /// when it was scraped live (the recording holds the body as received, or the failure).
    public func replay(time: Timestamp, durationSeconds: Double, status: Int, contentType: String?,
                       failure: String?, body: [UInt8]) -> ScrapeResult {
        var result = ScrapeResult(target: target, time: time, durationSeconds: durationSeconds, status: status,
                                  contentType: contentType, format: nil, body: body, failure: nil, parseErrors: [],
                                  samples: [], health: [], disappeared: [], families: [:], consecutiveFailures: 0)
        if let failure {
            result.failure = BurnwatchError(.network, failure, at: SourcePosition(source: target.url))
            result.body = []
        } else {
            parse(&result)
        }
        finish(&result)
        return result
    }

    /// Counts failures, empties a failed scrape's series and adds the health series.
    private func finish(_ result: inout ScrapeResult) {
        if result.failure != nil {
            failures += 1
            result.disappeared += cache.clear()
            result.samples = []
        } else {
            failures = 0
        }
        result.consecutiveFailures = failures
        result.health = healthSeries(result)
    }

    /// Parses the body into samples with job/instance, records new and vanished series.
    private func parse(_ result: inout ScrapeResult) {
        let format = ExpositionFormat.detect(contentType: result.contentType)
        result.format = format
        var parser = ExpositionParser(bytes: result.body, format: format, limits: limits)
        cache.begin()
        var added = 0
        var samples: [ExpositionPoint] = []
        samples.reserveCapacity(result.samples.capacity)
        let targetLabels = self.targetLabelList
        while let entry = parser.next() {
            switch entry {
            case .sample(let sample):
                let (labels, isNew, duplicate) = cache.labels(for: sample) { Self.targetLabels($0, target: targetLabels) }
                if duplicate {
                    result.parseErrors.append(BurnwatchError(.parse, "duplicate series \(labels); kept the first",
                                                             at: SourcePosition(source: target.url, line: sample.line, column: 1)))
                    continue
                }
                if isNew { added += 1 }
                samples.append(ExpositionPoint(labels: labels, value: sample.value, timestamp: sample.timestamp))
            case .metadata(let meta):
                MetricFamilyMetadata.record(meta, in: &result.families)
            case .error(let error):
                result.parseErrors.append(error.burnwatchError(source: target.url))
            case .endOfFile:
                break
            }
        }
        result.samples = samples
        result.disappeared = cache.end()
        seriesAdded = added
        // Not one sample and bad lines (a JSON or plain-text answer): the target is not giving metrics.
        if samples.isEmpty, let first = result.parseErrors.first {
            let line = first.position?.line.map { " at line \($0)" } ?? ""
            result.failure = BurnwatchError(.parse, "scrape failed: the body is not Prometheus exposition (\(result.parseErrors.count) bad line(s); "
                                                + "first\(line): \(first.message))", at: first.position ?? SourcePosition(source: target.url))
        }
    }

    private var seriesAdded = 0

    /// The target's own labels: `job`, `instance` and the extra labels.
    private var targetLabelList: [Label] {
        [Label("job", target.job), Label("instance", target.instance)] + target.extraLabels.map { Label($0.key, $0.value) }
    }

    /// The sample's labels with the target's labels (honor_labels: false: a scraped label that
    /// clashes with a target label is kept as `exported_<name>`).
    static func targetLabels(_ sample: ExpositionSample, target: [Label]) -> Labels {
        var all: [Label] = [Label("__name__", sample.name)]
        all.reserveCapacity(sample.labels.count + target.count + 1)
        for i in 0..<sample.labels.count {
            var name = sample.labels.name(i)
            let value = sample.labels.value(i)
            if value.isEmpty { continue }
            if target.contains(where: { $0.name == name }) { name = "exported_" + name }
            all.append(Label(name, value))
        }
        all += target
        return Labels(all)
    }

    /// The health series Prometheus writes for every scrape.
    private func healthSeries(_ result: ScrapeResult) -> [ExpositionPoint] {
        let base = Labels(targetLabelList)
        func point(_ name: String, _ value: Double) -> ExpositionPoint {
            ExpositionPoint(labels: base.setting("__name__", name), value: value, timestamp: result.time)
        }
        let up = result.isUp
        let count = Double(up ? result.samples.count : 0)
        return [point("up", up ? 1 : 0), point("scrape_duration_seconds", result.durationSeconds),
                point("scrape_samples_scraped", count), point("scrape_samples_post_metric_relabeling", count),
                point("scrape_series_added", up ? Double(seriesAdded) : 0)]
    }

    /// Whether a 200 answer is an HTML page rather than an exposition.
    static func looksLikeHTML(_ body: [UInt8], contentType: String?) -> Bool {
        if let type = contentType?.lowercased(), type.hasPrefix("text/html") || type.hasPrefix("application/xhtml") { return true }
        guard let first = body.first(where: { $0 != 32 && $0 != 9 && $0 != 10 && $0 != 13 }) else { return false }
        return first == UInt8(ascii: "<")
    }

    /// Bytes as one line of printable text for a message (controls escaped, invalid UTF-8 replaced).
    static func printable(_ bytes: ArraySlice<UInt8>) -> String {
        TerminalEscaping.escape(String(decoding: bytes, as: UTF8.self).trimmingWhitespace())
    }
}
