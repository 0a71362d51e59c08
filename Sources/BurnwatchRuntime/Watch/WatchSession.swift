import BurnwatchConfig
import BurnwatchCore
import BurnwatchRecording
import BurnwatchRunbooks
import BurnwatchUI
import Foundation

/// The live side of `burnwatch watch`: scrapes the configured targets into a series store,
/// evaluates the SLOs every second (on the embedded engine, or on a service's query API), and
/// sends what the screens show as `.external(...)` events into the run loop's channel.
///
/// Threads: the scrape manager's workers hand results to a bounded queue (full: dropped and
/// counted); one store thread owns the store (appends, staleness, local SLOs, watched queries,
/// the series catalog); one remote thread evaluates SLOs whose service has a `query_api`.
/// Extra sources (log followers) join through `feeds`; they are started and stopped with it.
public final class WatchSession: @unchecked Sendable {
    /// Tunables, all with defaults that suit a laptop.
    public struct Options: Sendable {
        /// How often SLOs and watched queries are evaluated.
        public var evaluationInterval = Interval(milliseconds: 1000)
        /// Scrape results waiting for the store at most (beyond: dropped and counted).
        public var resultQueueLimit = 256
        /// The span of watched range queries (chart, series sparkline) and their step.
        public var queryWindow = Interval(milliseconds: 600_000)
        public var queryStep = Interval(milliseconds: 5_000)
        /// Series sent to the browser at most, and how often the list is refreshed.
        public var catalogLimit = 5_000
        public var catalogInterval = Interval(milliseconds: 2_000)
        /// Series a chart shows at most.
        public var chartSeriesLimit = 8
        public var retention = Retention()
        /// How often the live checks of the runbook on screen are evaluated, and at most how many per second.
        public var liveCheckInterval = Interval(milliseconds: 5_000)
        public var liveChecksPerSecond = 8
        /// How often the signal detectors run (their `for` waits count in evaluation time).
        public var signalInterval = Interval(milliseconds: 5_000)
        public init() {}
    }

    /// Other live sources (log followers…), started and stopped with the session; their health
    /// appears in the SLO overview's header. Set before `start`.
    public var feeds: [any LiveFeed] = []
    /// Samples from feeds that produce series; drained into the store every round.
    public let samples = LiveSampleQueue()
    /// The signal detectors, run on the store every `signalInterval`; nil runs none. Set before `start`.
    public var signalEngine: SignalEngine?
    /// Where the raw inputs and rounds go while recording; nil records nothing. Set before `start`.
    public var recorder: RecordingWriter? {
        didSet { samples.keepsDispatches = recorder != nil }
    }
    /// Receives the journal lines of SLO alerts starting and ending (and of signal transitions when
    /// `journalSignals`), on the session's threads. Set before `start`.
    public var journalLine: (@Sendable (JournalEntry.Kind, String, String?, Timestamp) -> Void)?
    /// Whether signal transitions go to `journalLine` too (the console journals them from its screen instead).
    public var journalSignals = false

    let options: Options
    let targets: [ScrapeTarget]
    let extraLabels: [String: [String: String]]
    let localSLOs: [SLOSpec]
    let remoteGroups: [(source: String, querier: any PromQLQuerier, specs: [SLOSpec])]

    let condition = NSCondition()
    var pending: [ScrapeResult] = []
    var droppedResults = 0
    var stopped = false
    var running = 0
    var watched: [MetricsQueryPurpose: String] = [:]
    var watchedChanged = false
    var liveCheckRequests: [LiveCheckRequest]?
    var targetHealth: [String: TargetHealth] = [:]
    var remoteHealth: [String: SourceHealth] = [:]
    /// The latest statuses of each query API's SLOs (the slo_burn detector reads them with the local ones).
    var remoteStatuses: [String: [SLOStatus]] = [:]
    var localErrors = 0
    var signalProblems = 0
    var manager: ScrapeManager?
    var channel: EventChannel<AppEvent>?

    /// Builds the session from a configuration.
    ///
    /// - Parameters:
    ///   - config: services (targets or a query API).
    ///   - slos: the SLOs to evaluate (the config's and imported files').
    ///   - remoteQuerier: makes the querier of a query API (tests may pass a fake).
    /// - Throws: `BurnwatchError` when a query API cannot be set up.
    public init(config: BurnwatchConfiguration, slos: [SLOSpec], options: Options = Options(),
                remoteQuerier: (QueryAPIConfig) throws -> any PromQLQuerier = WatchSession.remoteClient) throws {
        self.options = options
        (targets, extraLabels) = Self.scrapeTargets(config)
        var local: [SLOSpec] = []
        var groups: [(String, any PromQLQuerier, [SLOSpec])] = []
        for spec in slos {
            if let api = config.service(named: spec.service)?.queryAPI {
                if let i = groups.firstIndex(where: { $0.0 == api.url }) {
                    groups[i].2.append(spec)
                } else {
                    groups.append((api.url, try remoteQuerier(api), [spec]))
                }
            } else {
                local.append(spec)
            }
        }
        localSLOs = local
        remoteGroups = groups.map { (source: $0.0, querier: $0.1, specs: $0.2) }
        for t in targets { targetHealth[t.url] = TargetHealth(job: t.job, instance: t.instance, url: t.url) }
    }

    deinit { stop() }

    /// The config's scrape targets, and the extra labels of those that have some (by URL).
    static func scrapeTargets(_ config: BurnwatchConfiguration) -> ([ScrapeTarget], [String: [String: String]]) {
        var targets: [ScrapeTarget] = []
        var extra: [String: [String: String]] = [:]
        for service in config.services {
            for t in service.targets {
                targets.append(ScrapeTarget(url: t.url, job: service.name, intervalSeconds: t.interval.seconds,
                                            timeoutSeconds: t.timeout.seconds))
                if !t.labels.isEmpty { extra[t.url] = t.labels }
            }
        }
        return (targets, extra)
    }

    /// The client for a Prometheus-compatible query API.
    public static func remoteClient(_ api: QueryAPIConfig) throws -> any PromQLQuerier {
        var o = RemoteQueryClient.Options()
        o.timeoutSeconds = api.timeout.seconds
        o.headers = api.headers.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
        return RemoteQueryClient(baseURL: api.url, options: o)
    }

    /// Starts scraping, evaluation and the feeds; events go to `channel`.
    public func start(channel: EventChannel<AppEvent>) {
        condition.lock()
        self.channel = channel
        condition.unlock()
        for feed in feeds {
            if let producer = feed as? any LiveSampleFeed { producer.attach(samples: samples) }
            feed.start(channel: channel)
        }
        if !targets.isEmpty {
            let manager = ScrapeManager(targets: targets) { [weak self] result in self?.enqueue(result) ?? true }
            self.manager = manager
            manager.start()
        }
        startThread(name: "burnwatch-watch-store") { [self] in storeLoop(channel) }
        if !remoteGroups.isEmpty { startThread(name: "burnwatch-watch-remote") { [self] in remoteLoop(channel) } }
    }

    /// Stops everything and waits for the threads (each ends within its timeouts). Idempotent.
    public func stop() {
        manager?.stop()
        condition.lock()
        stopped = true
        condition.broadcast()
        while running > 0 { condition.wait() }
        condition.unlock()
        for feed in feeds { feed.stop() }
    }

    /// Carries out an effect of the metrics screen (`watch.query`) or of the runbook screen
    /// (`runbook.checks`: the live checks to evaluate); false for other effects.
    @discardableResult
    public func handle(_ effect: Effect) -> Bool {
        if let requests = LiveCheckEffects.parse(effect) {
            condition.lock()
            liveCheckRequests = requests
            condition.broadcast()
            condition.unlock()
            return true
        }
        guard let (purpose, expression) = MetricsEffects.parse(effect) else { return false }
        condition.lock()
        watched[purpose] = expression.isEmpty ? nil : expression
        watchedChanged = true
        condition.broadcast()
        condition.unlock()
        return true
    }

    /// Scrape results dropped because the store thread lagged.
    public var droppedScrapes: Int { condition.lock(); defer { condition.unlock() }; return droppedResults }

    /// Queues a result for the store thread; false when the queue is full and it was dropped.
    private func enqueue(_ result: ScrapeResult) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        condition.broadcast()
        guard pending.count < options.resultQueueLimit else {
            droppedResults += 1
            return false
        }
        pending.append(result)
        return true
    }

    private func startThread(name: String, _ body: @escaping @Sendable () -> Void) {
        condition.lock()
        running += 1
        condition.unlock()
        let thread = Thread { [self] in
            body()
            condition.lock()
            running -= 1
            condition.broadcast()
            condition.unlock()
        }
        thread.name = name
        thread.start()
    }

    /// The store thread: appends results and samples, evaluates each interval, sends the updates.
    /// While recording, every input it applies and every round go to the recorder in this order.
    private func storeLoop(_ channel: EventChannel<AppEvent>) {
        var state = WatchStoreState(targets: targets, extraLabels: extraLabels, localSLOs: localSLOs,
                                    signals: signalEngine, retention: options.retention)
        var nextEvaluation = Platform.monotonicMilliseconds()
        var nextCatalog = nextEvaluation
        var nextSignals = nextEvaluation
        var queries: [MetricsQueryPurpose: String] = [:]
        var checks = LiveCheckScheduler(intervalMilliseconds: options.liveCheckInterval.milliseconds,
                                        perSecond: options.liveChecksPerSecond)
        let recorder = self.recorder
        while true {
            condition.lock()
            // while recording, log dispatches are taken every 200 ms, so a crash loses less than a second
            let recordingWake = recorder == nil ? Int64.max : Platform.monotonicMilliseconds() + 200
            while !stopped, pending.isEmpty, !watchedChanged, liveCheckRequests == nil,
                  Platform.monotonicMilliseconds() < min(nextEvaluation, recordingWake) {
                let wait = Double(min(nextEvaluation, recordingWake) - Platform.monotonicMilliseconds()) / 1000
                _ = condition.wait(until: Date(timeIntervalSinceNow: max(0.001, wait)))
            }
            if stopped { condition.unlock(); return }
            let results = pending
            pending.removeAll(keepingCapacity: true)
            let queriesChanged = watchedChanged
            watchedChanged = false
            queries = watched
            let newChecks = liveCheckRequests
            liveCheckRequests = nil
            condition.unlock()
            if let newChecks { checks.replace(newChecks, now: Platform.monotonicMilliseconds()) }

            for result in results {
                recorder?.append(.scrape(RecordedScrape(result, at: Platform.now())))
                state.append(result)
            }
            if let recorder {
                for (dispatch, samples) in samples.drainDispatches() {
                    if let dispatch { recorder.append(.logs(RecordedLogDispatch(dispatch, at: Platform.now()))) }
                    state.append(Array(samples))
                }
            } else {
                state.append(samples.drain())
            }
            let clock = Platform.monotonicMilliseconds()
            let due = clock >= nextEvaluation
            guard due || queriesChanged || newChecks != nil else { continue }
            let now = Platform.now()
            if due {
                nextEvaluation = max(nextEvaluation + options.evaluationInterval.milliseconds, clock + 10)
                let runSignals = state.signals != nil && clock >= nextSignals
                if runSignals { nextSignals = clock + options.signalInterval.milliseconds }
                condition.lock()
                let remote = remoteStatuses.keys.sorted().flatMap { remoteStatuses[$0] ?? [] }
                condition.unlock()
                recorder?.append(.round(RecordedRound(at: now.milliseconds, signals: runSignals)))
                let output = state.round(at: now, runSignals: runSignals, remoteStatuses: remote, logSources: logSourceFacts())
                for event in output.events { channel.send(.external(event), at: now) }
                if let journalLine {
                    for line in output.alertLines { journalLine(.alert, line.text, line.runbook, line.at) }
                    if journalSignals { for line in output.signalLines { journalLine(.signal, line.text, line.runbook, line.at) } }
                }
                condition.lock()
                localErrors = state.localErrors
                signalProblems = state.signalProblems
                targetHealth = state.targetHealth
                condition.unlock()
                if clock >= nextCatalog {
                    nextCatalog = clock + options.catalogInterval.milliseconds
                    channel.send(.external(state.catalog(limit: options.catalogLimit)), at: now)
                }
                channel.send(.external(sourcesUpdate(channel)), at: now)
            }
            let engine = PromQLEngine(store: state.store)
            let batch = checks.take(now: clock)
            if !batch.isEmpty {
                var results: [String: LiveCheckResult] = [:]
                for request in batch { results[request.itemID] = request.check.evaluate(on: engine, at: now) }
                channel.send(.external(LiveCheckResultsEvent(results: results, at: now)), at: now)
            }
            for (purpose, expression) in queries.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                channel.send(.external(watchedQuery(purpose, expression, engine: engine, at: now)), at: now)
            }
        }
    }

    /// The remote thread: evaluates the SLOs of each query API every interval.
    private func remoteLoop(_ channel: EventChannel<AppEvent>) {
        // how far back the server's data goes is asked again every 5 minutes (three range queries per SLO)
        var evaluators = remoteGroups.map { SLOLiveEvaluator(specs: $0.specs, dataStartRefresh: Interval(milliseconds: 300_000)) }
        var next = Platform.monotonicMilliseconds()
        while true {
            condition.lock()
            while !stopped, Platform.monotonicMilliseconds() < next {
                _ = condition.wait(until: Date(timeIntervalSinceNow: max(0.001, Double(next - Platform.monotonicMilliseconds()) / 1000)))
            }
            if stopped { condition.unlock(); return }
            condition.unlock()
            next = Platform.monotonicMilliseconds() + options.evaluationInterval.milliseconds
            for (g, group) in remoteGroups.enumerated() {
                let now = Platform.now()
                let round = evaluators[g].evaluate(at: now, querier: group.querier)
                let health = round.errors.isEmpty
                    ? SourceHealth(name: group.source, healthy: true, detail: "ok")
                    : SourceHealth(name: group.source, healthy: false, detail: "\(round.errors.count) failed: \(round.errors[0].1.message)")
                condition.lock()
                remoteHealth[group.source] = health
                remoteStatuses[group.source] = round.statuses.compactMap { $0 }
                condition.unlock()
                sendSLOs(round, specs: group.specs, source: group.source, at: now, channel: channel)
            }
        }
    }

    private func sendSLOs(_ round: (statuses: [SLOStatus?], transitions: [(Int, SLOAlertTransition)], errors: [(Int, BurnwatchError)]),
                          specs: [SLOSpec], source: String, at now: Timestamp, channel: EventChannel<AppEvent>) {
        channel.send(.external(WatchStoreState.sloUpdate(round, specs: specs, source: source, at: now)), at: now)
        if let journalLine {
            for (i, transition) in round.transitions {
                if let line = WatchStoreState.alertLine(transition, spec: specs[i], status: i < round.statuses.count ? round.statuses[i] : nil) {
                    journalLine(.alert, line.text, line.runbook, line.at)
                }
            }
        }
    }
}
