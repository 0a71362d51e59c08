import BurnwatchCore
import BurnwatchParsing
import BurnwatchUI

/// The session's pure helpers: appending a scrape to the store, and building the screens' updates.
extension WatchSession {
    /// Appends a scrape's samples and health series, marks vanished series stale, records health.
    func append(_ result: ScrapeResult, to store: inout SeriesStore) {
        let extra = extraLabels[result.target.url]
        var ids: [Int] = []
        ids.reserveCapacity(result.samples.count)
        for point in result.samples {
            var labels = point.labels
            if let extra { for (k, v) in extra where labels[k] == nil { labels = labels.setting(k, v) } }
            let id = store.seriesID(for: labels)
            ids.append(id)
            store.append(id: id, time: (point.timestamp ?? result.time).milliseconds, value: point.value)
        }
        store.endScrape(target: result.target.url, seriesIDs: ids, at: result.time)
        for point in result.health { store.append(point.labels, point.timestamp ?? result.time, point.value) }
        var health = TargetHealth(job: result.target.job, instance: result.target.instance, url: result.target.url,
                                  up: result.isUp, lastScrape: result.time, durationSeconds: result.durationSeconds,
                                  samples: result.samples.count, error: result.failure?.message,
                                  consecutiveFailures: result.consecutiveFailures)
        if result.isUp, let first = result.parseErrors.first {
            health.error = "\(result.parseErrors.count) bad line(s), first: \(first.message)"
        }
        condition.lock()
        targetHealth[result.target.url] = health
        condition.unlock()
    }

    /// The series list for the browser: live series (not stale) with their latest value, by name.
    static func catalog(_ store: SeriesStore, limit: Int) -> MetricsSeriesCatalog {
        var rows: [SeriesSummary] = []
        var live = 0
        for id in 0..<store.seriesCount {
            guard let (t, v) = store.lastSample(id: id, atOrBefore: Int64.max), !StaleMarker.isStale(v) else { continue }
            live += 1
            if rows.count < limit { rows.append(SeriesSummary(labels: store.labels(of: id), latest: v, time: Timestamp(milliseconds: t))) }
        }
        rows.sort { $0.labels.description < $1.labels.description }
        return MetricsSeriesCatalog(series: rows, total: live)
    }

    /// Evaluates a watched expression over the query window, one value per step per series.
    func watchedQuery(_ purpose: MetricsQueryPurpose, _ expression: String, engine: PromQLEngine, at now: Timestamp) -> MetricsQueryResult {
        let step = options.queryStep
        let end = Timestamp(milliseconds: now.milliseconds / step.milliseconds * step.milliseconds)
        let start = end - options.queryWindow
        let count = Int(options.queryWindow.milliseconds / step.milliseconds) + 1
        do {
            let value = try engine.rangeQuery(expression, start: start, end: end, step: step)
            var series: [ChartSeries] = []
            if case .matrix(let matrix) = value {
                for m in matrix.prefix(options.chartSeriesLimit) {
                    var values = [Double?](repeating: nil, count: count)
                    for (t, v) in m.points {
                        let i = Int((t.milliseconds - start.milliseconds) / step.milliseconds)
                        if i >= 0, i < count { values[i] = v }
                    }
                    series.append(ChartSeries(label: m.labels.description, values: values))
                }
            }
            return MetricsQueryResult(purpose: purpose, expression: expression, start: start, end: end, step: step, series: series)
        } catch let e as BurnwatchError {
            return MetricsQueryResult(purpose: purpose, expression: expression, start: start, end: end, step: step, series: [], error: e.description)
        } catch {
            return MetricsQueryResult(purpose: purpose, expression: expression, start: start, end: end, step: step, series: [], error: "\(error)")
        }
    }

    /// Every source's health and the drop counters.
    func sourcesUpdate(_ channel: EventChannel<AppEvent>) -> WatchSourcesUpdate {
        condition.lock()
        let health = targets.compactMap { targetHealth[$0.url] }
        let remotes = remoteGroups.map { remoteHealth[$0.source] ?? SourceHealth(name: $0.source, healthy: true, detail: "waiting") }
        let dropped = droppedResults
        let sloErrors = localErrors
        let problems = signalProblems
        condition.unlock()
        var sources: [SourceHealth] = []
        if !targets.isEmpty {
            let up = health.filter { $0.up == true }.count
            sources.append(SourceHealth(name: "scrape", healthy: up == targets.count, detail: "\(up)/\(targets.count) up",
                                        dropped: dropped + samples.dropped))
        }
        if !localSLOs.isEmpty {
            sources.append(SourceHealth(name: "slo", healthy: sloErrors == 0,
                                        detail: sloErrors == 0 ? "\(localSLOs.count) local" : "\(sloErrors) failing"))
        }
        if signalEngine != nil {
            sources.append(SourceHealth(name: "signals", healthy: problems == 0,
                                        detail: problems == 0 ? "ok" : "\(problems) detector queries failing"))
        }
        sources += remotes
        sources += feeds.map(\.health)
        return WatchSourcesUpdate(sources: sources, droppedEvents: channel.dropped)
    }
}
