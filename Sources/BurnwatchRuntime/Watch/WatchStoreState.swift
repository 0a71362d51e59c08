import BurnwatchCore
import BurnwatchParsing
import BurnwatchUI

/// What the store thread of a session owns, with no clock and no thread: the series store, the
/// SLO evaluator, the detectors, and the targets' health. The live session and the replay both
/// drive it, so that replaying the same inputs and rounds gives the same numbers and signals.
struct WatchStoreState {
    var store: SeriesStore
    var evaluator: SLOLiveEvaluator
    var signals: SignalEngine?
    /// The local SLOs' latest statuses (the slo_burn detector's input).
    var statuses: [SLOStatus] = []
    let localSLOs: [SLOSpec]
    let targets: [ScrapeTarget]
    let extraLabels: [String: [String: String]]
    var targetHealth: [String: TargetHealth] = [:]
    /// Per target URL: the scraper's slots to the store's series.
    var scrapeTables: [String: ScrapeSeriesTable] = [:]
    /// Whether a scrape arrived since the last targets update.
    var targetsChanged = false
    var localErrors = 0
    var signalProblems = 0
    /// The detector queries that failed in the last signal round, with their errors.
    var lastProblems: [(expression: String, error: String)] = []

    init(targets: [ScrapeTarget], extraLabels: [String: [String: String]], localSLOs: [SLOSpec],
         signals: SignalEngine?, retention: Retention) {
        self.targets = targets
        self.extraLabels = extraLabels
        self.localSLOs = localSLOs
        self.signals = signals
        store = SeriesStore(retention: retention)
        evaluator = SLOLiveEvaluator(specs: localSLOs)
        for t in targets { targetHealth[t.url] = TargetHealth(job: t.job, instance: t.instance, url: t.url) }
    }

    /// What one round sends to the screens and writes to the journal.
    struct RoundOutput {
        var events: [any ExternalEvent] = []
        /// Journal lines: SLO alerts that started or ended, and signal transitions.
        var alertLines: [(text: String, runbook: String?, at: Timestamp)] = []
        var signalLines: [(text: String, runbook: String?, at: Timestamp)] = []
    }

    /// Appends a scrape's samples and health series, marks vanished series stale, records health.
    mutating func append(_ result: ScrapeResult) {
        scrapeTables[result.target.url, default: ScrapeSeriesTable()]
            .apply(result, extraLabels: extraLabels[result.target.url], to: &store)
        var health = TargetHealth(job: result.target.job, instance: result.target.instance, url: result.target.url,
                                  up: result.isUp, lastScrape: result.time, durationSeconds: result.durationSeconds,
                                  samples: result.samples.count, error: result.failure?.message,
                                  consecutiveFailures: result.consecutiveFailures)
        if result.isUp, let first = result.parseErrors.first {
            health.error = "\(result.parseErrors.count) bad line(s), first: \(first.message)"
        }
        targetHealth[result.target.url] = health
        targetsChanged = true
    }

    /// Appends log-derived samples.
    mutating func append(_ samples: [LiveSampleQueue.Sample]) {
        for s in samples { store.append(s.labels, s.time, s.value) }
    }

    /// One evaluation round at `now`: the local SLOs, and the detectors when `runSignals`.
    ///
    /// - Parameters:
    ///   - remoteStatuses: the query APIs' SLO statuses (the slo_burn detector reads them too).
    ///   - logSources: the log sources' health, as the scrape-failure detector reads it.
    mutating func round(at now: Timestamp, runSignals: Bool, remoteStatuses: [SLOStatus] = [],
                        logSources: [LogSourceFact] = []) -> RoundOutput {
        var out = RoundOutput()
        let engine = PromQLEngine(store: store)
        if !localSLOs.isEmpty {
            let round = evaluator.evaluate(at: now, querier: engine)
            statuses = round.statuses.compactMap { $0 }
            localErrors = round.errors.count
            out.events.append(Self.sloUpdate(round, specs: localSLOs, source: "local", at: now))
            for (i, transition) in round.transitions {
                if let line = Self.alertLine(transition, spec: localSLOs[i], status: i < round.statuses.count ? round.statuses[i] : nil) {
                    out.alertLines.append(line)
                }
            }
        }
        if runSignals, var engineState = signals {
            let round = engineState.evaluate(at: now, querier: engine, sloStatuses: statuses + remoteStatuses, logSources: logSources)
            signals = engineState
            signalProblems = round.problems.count
            lastProblems = round.problems
            out.events.append(SignalsUpdate(at: now, signals: round.recent, transitions: round.transitions))
            out.signalLines = round.transitions.map {
                (SignalEffects.journalText($0), $0.signal.runbooks.first, $0.at)
            }
        }
        if targetsChanged {
            // At most one targets update per round, however many scrapes finished.
            targetsChanged = false
            out.events.append(MetricsTargetsUpdate(targets: targets.compactMap { targetHealth[$0.url] }))
        }
        return out
    }

    /// The overview's rows for one round of a group of SLOs.
    static func sloUpdate(_ round: (statuses: [SLOStatus?], transitions: [(Int, SLOAlertTransition)], errors: [(Int, BurnwatchError)]),
                          specs: [SLOSpec], source: String, at now: Timestamp) -> SLOUpdate {
        var errors: [Int: String] = [:]
        for (i, e) in round.errors { errors[i] = e.message }
        let rows = specs.indices.map { i in
            SLORowUpdate(spec: specs[i], status: i < round.statuses.count ? round.statuses[i] : nil, error: errors[i], source: source)
        }
        return SLOUpdate(at: now, rows: rows)
    }

    /// The journal line of an SLO alert that started or ended, with the burn rates of its windows.
    static func alertLine(_ transition: SLOAlertTransition, spec: SLOSpec, status: SLOStatus?) -> (text: String, runbook: String?, at: Timestamp)? {
        func burn(_ tier: BurnRateTier) -> String {
            guard let status, let alert = status.alerts.first(where: { $0.tier == tier }) else { return "" }
            let rates = [alert.tier.long, alert.tier.short].map { w in
                status.windows.first { $0.window == .fixed(w) }?.burnRate.map { SLOReportFormat.short($0) + "×" } ?? "no data"
            }
            return " (burn rate \(rates[0]) over \(alert.tier.long), \(rates[1]) over \(alert.tier.short); threshold \(SLOReportFormat.short(tier.factor))×)"
        }
        let name = "\(spec.service)/\(spec.name)"
        switch transition {
        case .started(let tier, let at):
            return ("alert \(name) \(tier.severity.rawValue) \(tier.long)/\(tier.short) fired\(burn(tier))", nil, at)
        case .ended(let tier, _, let end):
            return ("alert \(name) \(tier.severity.rawValue) \(tier.long)/\(tier.short) resolved\(burn(tier))", nil, end)
        case .stateChanged:
            return nil
        }
    }

    /// The series list for the browser: live series (not stale) with their latest value at or
    /// before `time`, by name.
    func catalog(limit: Int, at time: Timestamp? = nil) -> MetricsSeriesCatalog {
        var rows: [SeriesSummary] = []
        var live = 0
        for id in 0..<store.seriesCount {
            guard let (t, v) = store.lastSample(id: id, atOrBefore: time?.milliseconds ?? Int64.max), !StaleMarker.isStale(v) else { continue }
            live += 1
            if rows.count < limit { rows.append(SeriesSummary(labels: store.labels(of: id), latest: v, time: Timestamp(milliseconds: t))) }
        }
        // Each row's text once, not once per comparison.
        let sorted = rows.map { ($0.labels.description, $0) }.sorted { $0.0 < $1.0 }.map(\.1)
        return MetricsSeriesCatalog(series: sorted, total: live)
    }
}
