import BurnwatchCore
import BurnwatchRecording
import BurnwatchParsing
import BurnwatchUI

/// The session's helpers: the watched queries and the sources' health.
extension WatchSession {
    /// Evaluates a watched expression over the query window, one value per step per series.
    func watchedQuery(_ purpose: MetricsQueryPurpose, _ expression: String, engine: PromQLEngine, at now: Timestamp) -> MetricsQueryResult {
        Self.watchedQuery(purpose, expression, engine: engine, at: now, options: options)
    }

    /// Evaluates a watched expression over `options`' query window at `now` (the replay asks too).
    static func watchedQuery(_ purpose: MetricsQueryPurpose, _ expression: String, engine: PromQLEngine, at now: Timestamp,
                             options: Options) -> MetricsQueryResult {
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
        if let recorder {
            let written = recorder.written
            if let error = recorder.lastError {
                sources.append(SourceHealth(name: "record", healthy: false, detail: error.message))
            } else {
                sources.append(SourceHealth(name: "record", healthy: true, detail: "\(written.batches) batches, \(written.storedBytes >> 10) kB"))
            }
        }
        return WatchSourcesUpdate(sources: sources, droppedEvents: channel.dropped)
    }
}
