import BurnwatchConfig
import BurnwatchCore
import BurnwatchRecording
import BurnwatchUI

/// A recording's events applied in order to the same store state a live session keeps: scrapes
/// parsed by a per-target scraper (its series cache gives the same staleness), log dispatches
/// decoded by a log feed with the recorded arrival times, and the evaluation rounds at the times
/// the live session ran them. No clock and no thread: `burnwatch replay` drives it with a
/// virtual clock, `burnwatch eval --recording` as fast as it goes.
public final class ReplayEngine {
    /// What the engine needs from the recording's configuration.
    public struct Setup {
        public var config: BurnwatchConfiguration
        public var slos: [SLOSpec]
        /// The detectors (nil runs none), as the live session had them.
        public var signals: SignalEngine?
        /// The log feed's inputs (the config's log sources and the `--logs` files of the session).
        public var logInputs: [LogFeedInput]
        public var retention = Retention()
        /// Samples already in the store at the start (`replay --metrics`: the files' samples;
        /// queries at a time see only what is at or before it).
        public var initialStore: SeriesStore?

        public init(config: BurnwatchConfiguration, slos: [SLOSpec], signals: SignalEngine?, logInputs: [LogFeedInput]) {
            self.config = config; self.slos = slos; self.signals = signals; self.logInputs = logInputs
        }
    }

    /// Where the screens' events go (nil: nowhere, as `eval` runs it).
    public typealias Sink = (any ExternalEvent, Timestamp) -> Void

    let setup: Setup
    var state: WatchStoreState
    private var scrapers: [String: TargetScraper] = [:]
    private let targets: [String: ScrapeTarget]
    private let logFeed: LogFeed?
    private let samples: LiveSampleQueue
    private let logSink: ReplayLogSink
    /// The latest round's SLO statuses and active signals, with its time.
    public private(set) var lastRound: (at: Timestamp, statuses: [SLOStatus], active: [Signal])?
    /// The latest signal round's active signals.
    private var active: [Signal] = []
    /// The signal transitions of the latest round that ran the detectors (with their evidence).
    public private(set) var lastSignalTransitions: [SignalTransition] = []
    /// Events applied so far.
    public private(set) var applied = 0

    /// Creates the engine at the start of a recording.
    public init(setup: Setup) {
        self.setup = setup
        let (targets, extra) = WatchSession.scrapeTargets(setup.config)
        self.targets = Dictionary(targets.map { ($0.url, $0) }, uniquingKeysWith: { a, _ in a })
        state = WatchStoreState(targets: targets, extraLabels: extra, localSLOs: setup.slos, signals: setup.signals?.detached(),
                                retention: setup.retention)
        if let initial = setup.initialStore { state.store = initial }
        logSink = ReplayLogSink()
        samples = LiveSampleQueue(capacity: 10_000_000)
        if setup.logInputs.isEmpty {
            logFeed = nil
        } else {
            let feed = LogFeed(inputs: setup.logInputs)
            feed.attach(samples: samples)
            feed.startReplay(sink: logSink)
            logFeed = feed
        }
    }

    /// The detector queries that failed in the latest signal round, with their errors.
    public var signalProblems: [(expression: String, error: String)] { state.lastProblems }

    /// A copy that goes on from here on its own (a replay's checkpoint): the store and the
    /// evaluators are values; the scrapers, the log feed and the detectors' memo are copied.
    ///
    /// - Complexity: O(series) now (the store's chunks are shared until either side appends).
    public func snapshot() -> ReplayEngine {
        ReplayEngine(copying: self)
    }

    private init(copying other: ReplayEngine) {
        setup = other.setup
        state = other.state
        state.signals = other.state.signals?.detached()
        targets = other.targets
        scrapers = other.scrapers.mapValues { $0.copy() }
        logSink = ReplayLogSink()
        samples = LiveSampleQueue(capacity: 10_000_000)
        logFeed = other.logFeed?.replayCopy(samples: samples, sink: logSink)
        lastRound = other.lastRound
        active = other.active
        lastSignalTransitions = other.lastSignalTransitions
        applied = other.applied
    }

    /// The series list for the metrics screen's browser (the session sends it every few seconds).
    public func catalog(at time: Timestamp, limit: Int = 5_000) -> MetricsSeriesCatalog { state.catalog(limit: limit, at: time) }

    /// The store as it is now (for watched queries and live checks).
    public var engine: PromQLEngine { PromQLEngine(store: state.store) }

    /// Applies one event; its screen updates go to `sink`.
    ///
    /// - Returns: the journal lines a round produced (alerts and signal transitions).
    @discardableResult
    public func apply(_ event: RecordedEvent, sink: Sink?) -> [(kind: JournalEntry.Kind, text: String, runbook: String?, at: Timestamp)] {
        applied += 1
        switch event {
        case .scrape(let s):
            let scraper = scrapers[s.url] ?? {
                // an imported target (`import://JOB/INSTANCE`) keeps the instance it had on the server
                let target = targets[s.url] ?? ScrapeTarget(url: s.url, job: s.job, instance: PrometheusImport.instance(ofTargetURL: s.url))
                let made = TargetScraper(target: target)
                scrapers[s.url] = made
                return made
            }()
            state.append(scraper.replay(time: Timestamp(milliseconds: s.time), durationSeconds: s.durationSeconds, status: s.status,
                                        contentType: s.contentType, failure: s.failure, body: s.body))
            return []
        case .logs(let l):
            guard let logFeed else { return [] }
            for item in l.sourceItems { logFeed.queue.push(item) }
            logSink.forward = sink
            logFeed.dispatchOnce(now: l.arrival, arrival: Timestamp(milliseconds: l.arrival), ignoringBackpressure: true)
            logSink.forward = nil
            for (_, batch) in samples.drainDispatches() { state.append(Array(batch)) }
            return []
        case .round(let r):
            let now = Timestamp(milliseconds: r.at)
            if r.signals { lastSignalTransitions = [] }
            let output = state.round(at: now, runSignals: r.signals, logSources: logSourceFacts())
            for event in output.events {
                if let update = event as? SignalsUpdate {
                    active = update.signals.filter { $0.resolvedAt == nil }
                    lastSignalTransitions = update.transitions
                }
                sink?(event, now)
            }
            sink?(sourcesUpdate(), now)
            lastRound = (now, state.statuses, active)
            return output.alertLines.map { (.alert, $0.text, $0.runbook, $0.at) }
                + output.signalLines.map { (.signal, $0.text, $0.runbook, $0.at) }
        }
    }

    /// Releases the log lines whose merge window has passed at `time` (the logs screen's feed
    /// between dispatches); changes no series.
    public func releaseLogs(at time: Timestamp, sink: Sink?) {
        guard let logFeed, let sink else { return }
        logSink.forward = sink
        logFeed.releaseMerged(arrival: time)
        logSink.forward = nil
    }

    /// The log feeds' health as the scrape-failure detector reads it.
    private func logSourceFacts() -> [LogSourceFact] {
        logFeed.map { [WatchSession.fact($0.health)] } ?? []
    }

    /// The replayed sources' health for the overview's header.
    func sourcesUpdate() -> WatchSourcesUpdate {
        var sources: [SourceHealth] = []
        let health = state.targets.compactMap { state.targetHealth[$0.url] }
        if !health.isEmpty {
            let up = health.filter { $0.up == true }.count
            sources.append(SourceHealth(name: "scrape", healthy: up == health.count, detail: "\(up)/\(health.count) up (recorded)"))
        }
        if !setup.slos.isEmpty {
            sources.append(SourceHealth(name: "slo", healthy: state.localErrors == 0,
                                        detail: state.localErrors == 0 ? "\(setup.slos.count) local" : "\(state.localErrors) failing"))
        }
        if state.signals != nil {
            sources.append(SourceHealth(name: "signals", healthy: state.signalProblems == 0,
                                        detail: state.signalProblems == 0 ? "ok" : "\(state.signalProblems) detector queries failing"))
        }
        if let logFeed { sources.append(logFeed.health) }
        return WatchSourcesUpdate(sources: sources, droppedEvents: 0)
    }
}

/// The log feed's sink in a replay: forwards batches to the current sink and never refuses, so
/// the feed's state does not depend on how fast the screen reads.
final class ReplayLogSink: LogFeedSink, @unchecked Sendable {
    var forward: ReplayEngine.Sink?
    func send(_ event: AppEvent) -> Bool {
        if case .external(let payload) = event, let forward {
            forward(payload, (payload as? LogsBatch)?.records.last?.arrival ?? Timestamp(milliseconds: 0))
        }
        return true
    }
    var pending: Int { 0 }
}
