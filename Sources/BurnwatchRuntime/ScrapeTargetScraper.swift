import BurnwatchCore
import BurnwatchParsing

/// Scrapes one target again and again: keeps its libcurl handle (keep-alive), its series cache
/// (raw series bytes to slots: staleness, and no decoding of a series seen before) and its
/// failure count.
///
/// Not thread-safe; the scrape manager runs one scrape of a target at a time and hands each
/// result on before the next scrape of that target starts.
public final class TargetScraper: @unchecked Sendable {
    public let target: ScrapeTarget
    private let handle = CurlEasyHandle()
    private var cache = ScrapeSeriesCache()
    private var failures = 0
    private let limits: ExpositionLimits
    /// Whether the next result must define every series again (a result never reached the store).
    private var needsResync = false
    /// The format of the bodies the cache holds series of.
    private var cachedFormat: ExpositionFormat?
    /// The target's own labels, and the health series' labels, made once.
    private let targetLabelList: [Label]
    private let healthLabels: [Labels]
    private static let healthNames = ["up", "scrape_duration_seconds", "scrape_samples_scraped",
                                      "scrape_samples_post_metric_relabeling", "scrape_series_added"]

    public init(target: ScrapeTarget, limits: ExpositionLimits = .default) {
        self.target = target
        self.limits = limits
        let own = [Label("job", target.job), Label("instance", target.instance)] + target.extraLabels.map { Label($0.key, $0.value) }
        targetLabelList = own
        let base = Labels(own)
        healthLabels = Self.healthNames.map { base.setting("__name__", $0) }
    }

    /// Makes the next result define every series afresh (`ScrapeResult.resync`): call it when a
    /// result of this scraper was dropped, so that the store's slots cannot drift from the cache's.
    public func requestResync() { needsResync = true }

    /// A scraper of the same target in the same state (series cache, failures): a replay's checkpoint.
    public func copy() -> TargetScraper {
        let other = TargetScraper(target: target, limits: limits)
        other.cache = cache
        other.failures = failures
        other.seriesAdded = seriesAdded
        other.needsResync = needsResync
        other.cachedFormat = cachedFormat
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
        var result = ScrapeResult(target: target, time: time)
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
                                  contentType: contentType, body: body)
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
            // Every series goes stale, and the slots start again from nothing. (A body that failed
            // to parse defined no series: a new series always comes with its sample.)
            if needsResync {
                // The cache's slots are not the store's: the store drops all it has for the target.
                needsResync = false
                cache.clear()
                result.resync = true
            } else {
                result.vanished += cache.clear()
            }
            result.samples = ScrapeSamples()
        } else {
            failures = 0
        }
        result.consecutiveFailures = failures
        result.health = healthSeries(result)
    }

    /// Parses the body into samples by slot, defines new series and lists vanished ones.
    private func parse(_ result: inout ScrapeResult) {
        let format = ExpositionFormat.detect(contentType: result.contentType)
        result.format = format
        // Series bytes were checked in the format of the scrape that cached them: a target that
        // changes format starts its cache again.
        if format != cachedFormat {
            // Empty before the first body; otherwise the resync below clears it.
            if cachedFormat != nil { needsResync = true }
            cachedFormat = format
        }
        if needsResync {
            needsResync = false
            cache.clear()
            result.resync = true
        }
        // Labels are parsed only for series the cache does not know.
        var parser = ExpositionParser(bytes: result.body, format: format, limits: limits, deferringLabels: true)
        cache.begin()
        var added = 0
        var samples = ScrapeSamples()
        samples.reserve(cache.count)
        let targetLabels = self.targetLabelList
        while let entry = parser.next() {
            switch entry {
            case .sample(var sample):
                var slot: Int32
                switch sample.labels.withRawBytes(sample.seriesSpan, { cache.lookup($0) }) {
                case .known(let known):
                    slot = known
                case .duplicate:
                    duplicate(sample, &result)
                    continue
                case .new(let entry):
                    if let error = parser.parseDeferredLabels(of: &sample) {
                        cache.discard(entry)
                        result.parseErrors.append(error.burnwatchError(source: target.url))
                        continue
                    }
                    let labels = Self.targetLabels(sample, target: targetLabels)
                    switch cache.define(entry, labelsHash: labels.hashValue) {
                    case .series(let defined):
                        slot = defined
                        added += 1
                        result.newSeries.append(ScrapeSeriesDefinition(slot: defined, labels: labels))
                    case .alias(let series):
                        slot = series
                    case .duplicate:
                        duplicate(sample, &result)
                        continue
                    }
                }
                samples.append(slot: slot, value: sample.value, timestamp: sample.timestampMilliseconds)
            case .metadata:
                // Nothing downstream reads a live target's HELP and TYPE (the body is recorded
                // whole), so they are checked by the parser and not decoded.
                break
            case .error(let error):
                result.parseErrors.append(error.burnwatchError(source: target.url))
            case .endOfFile:
                break
            }
        }
        result.samples = samples
        result.vanished = cache.end()
        seriesAdded = added
        // Not one sample and bad lines (a JSON or plain-text answer): the target is not giving metrics.
        if samples.isEmpty, let first = result.parseErrors.first {
            let line = first.position?.line.map { " at line \($0)" } ?? ""
            result.failure = BurnwatchError(.parse, "scrape failed: the body is not Prometheus exposition (\(result.parseErrors.count) bad line(s); "
                                                + "first\(line): \(first.message))", at: first.position ?? SourcePosition(source: target.url))
        }
    }

    /// Records a second sample of one series in one body (the first is kept, as Prometheus keeps it).
    private func duplicate(_ sample: ExpositionSample, _ result: inout ScrapeResult) {
        let raw = sample.labels.withRawBytes(sample.seriesSpan) { Array($0) }
        result.parseErrors.append(BurnwatchError(.parse, "duplicate series \(Self.printable(raw[...])); kept the first",
                                                 at: SourcePosition(source: target.url, line: sample.line, column: 1)))
    }

    private var seriesAdded = 0

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

    /// The health series Prometheus writes for every scrape, in the order of `healthNames`.
    private func healthSeries(_ result: ScrapeResult) -> [ExpositionPoint] {
        let up = result.isUp
        let count = Double(up ? result.samples.count : 0)
        let values: [Double] = [up ? 1 : 0, result.durationSeconds, count, count, up ? Double(seriesAdded) : 0]
        return zip(healthLabels, values).map { ExpositionPoint(labels: $0, value: $1, timestamp: result.time) }
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
