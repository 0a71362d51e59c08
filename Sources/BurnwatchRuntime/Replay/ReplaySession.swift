import BurnwatchCore
import BurnwatchRecording
import BurnwatchRunbooks
import BurnwatchUI
import Foundation

/// `burnwatch replay`: a recording played into the console on a virtual clock that can pause,
/// change speed and seek. One thread owns the engine; it applies the events up to the clock,
/// sends the screens' updates (the newest of each kind per step, so a fast replay never floods
/// the channel) and the timeline's status, and evaluates the watched queries and live checks on
/// the replayed store at the virtual time.
public final class ReplaySession: @unchecked Sendable {
    /// Recording time between two checkpoints, and the most kept.
    static let checkpointEvery: Int64 = 60_000
    static let checkpointLimit = 240

    /// How much of the recording before a seek's target feeds the screens (logs, charts' rounds).
    static let screenLead: Int64 = 120_000

    /// Speeds `+` and `-` step through; nil is "as fast as possible".
    public static let speeds: [Double?] = [1, 2, 5, 10, 30, 60, 100, 300, 1000, nil]

    private let events: [RecordedEvent]
    private let makeEngine: () -> ReplayEngine
    private let condition = NSCondition()
    private var commands: [ReplayCommand] = []
    private var watched: [MetricsQueryPurpose: String] = [:]
    private var watchedChanged = false
    private var checks: [LiveCheckRequest] = []
    private var checksChanged = false
    private var stopped = false
    private var running = false
    private var marks: [ReplayMark]
    private var speed: Double?
    private var paused: Bool
    private let first: Timestamp
    private let last: Timestamp
    private var startAt: Timestamp?
    private let queryOptions = WatchSession.Options()

    /// Creates the session; nothing runs until `start`.
    ///
    /// - Parameters:
    ///   - events: the recording's events in order.
    ///   - marks: the alerts and signals the recording's journal holds (the timeline marks them).
    ///   - speed: recording seconds per real second (nil: as fast as possible).
    ///   - start: where to begin (default: the first event).
    ///   - makeEngine: a fresh engine at the recording's start (a seek backwards starts again).
    public init(events: [RecordedEvent], marks: [ReplayMark], speed: Double?, start: Timestamp?, paused: Bool = false,
                makeEngine: @escaping () -> ReplayEngine) {
        self.events = events
        self.marks = marks.sorted { $0.time < $1.time }
        self.speed = speed
        self.paused = paused
        self.makeEngine = makeEngine
        first = Timestamp(milliseconds: events.first?.at ?? 0)
        last = Timestamp(milliseconds: events.last?.at ?? 0)
        startAt = start
        shownPosition = start ?? first
    }

    /// The virtual time now: where the replay stands (any thread may ask).
    public var position: Timestamp {
        condition.lock(); defer { condition.unlock() }
        return shownPosition
    }
    private var shownPosition: Timestamp

    /// The time of the first and the last event.
    public var span: (start: Timestamp, end: Timestamp) { (first, last) }

    /// Starts the replay thread; events go to `channel`.
    public func start(channel: EventChannel<AppEvent>) {
        condition.lock()
        running = true
        condition.unlock()
        let thread = Thread { [self] in
            run(channel)
            condition.lock()
            running = false
            condition.broadcast()
            condition.unlock()
        }
        thread.name = "burnwatch-replay"
        thread.start()
    }

    /// Stops the thread and waits for it. Idempotent.
    public func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        while running { condition.wait() }
        condition.unlock()
    }

    /// Takes the effects a replay carries out: its controls, watched queries and live checks.
    ///
    /// - Returns: false for other effects.
    @discardableResult
    public func handle(_ effect: Effect) -> Bool {
        condition.lock()
        defer { condition.broadcast(); condition.unlock() }
        if let command = ReplayEffects.parse(effect) {
            commands.append(command)
            return true
        }
        if let requests = LiveCheckEffects.parse(effect) {
            checks = requests
            checksChanged = true
            return true
        }
        if let (purpose, expression) = MetricsEffects.parse(effect) {
            watched[purpose] = expression.isEmpty ? nil : expression
            watchedChanged = true
            return true
        }
        return false
    }

    /// Adds a mark (a note written during the replay, a transition first seen now).
    public func addMark(_ mark: ReplayMark) {
        condition.lock()
        if !marks.contains(mark) {
            marks.append(mark)
            marks.sort { $0.time < $1.time }
        }
        condition.unlock()
    }

    // MARK: The replay thread

    private func run(_ channel: EventChannel<AppEvent>) {
        var engine = makeEngine()
        var next = 0
        var position = first
        let collector = ReplayCollector()
        // copies of the engine every `checkpointEvery` of recording time: a seek backwards starts
        // from the last one before its target, not from the start
        var checkpoints: [(next: Int, at: Int64, engine: ReplayEngine)] = []
        func applyUntil(_ t: Timestamp, budget: Int = .max) {
            var n = 0
            // far from the target the screens' updates would be replaced anyway: none are made
            let quietUntil = t.milliseconds - Self.screenLead
            while next < events.count, events[next].at <= t.milliseconds, n < budget {
                let event = events[next]
                let sink = event.at < quietUntil ? nil : collector.sink
                for line in engine.apply(event, sink: sink) { addMark(Self.mark(line.kind, line.text, line.at)) }
                next += 1
                n += 1
                if case .round = event, event.at >= (checkpoints.last?.at ?? first.milliseconds) + Self.checkpointEvery,
                   next > (checkpoints.last?.next ?? 0) {
                    checkpoints.append((next, event.at, engine.snapshot()))
                    if checkpoints.count > Self.checkpointLimit {
                        // thin out: every other one goes, so the count stays bounded over any length
                        checkpoints = checkpoints.enumerated().filter { $0.offset % 2 == 1 }.map(\.element)
                    }
                }
            }
        }
        func seek(_ t: Timestamp) {
            let target = Timestamp(milliseconds: min(max(t.milliseconds, first.milliseconds), last.milliseconds))
            if target < position {
                if let checkpoint = checkpoints.last(where: { $0.at <= target.milliseconds }) {
                    engine = checkpoint.engine.snapshot()
                    next = checkpoint.next
                } else {
                    engine = makeEngine()
                    next = 0
                }
                collector.rewound = true
            }
            applyUntil(target)
            engine.releaseLogs(at: target, sink: collector.sink)
            position = target
        }
        if let startAt { seek(startAt) }
        var lastReal = Platform.monotonicMilliseconds()
        var lastChecks: Int64 = 0
        var lastCatalog: Int64 = 0
        var lastStatus: ReplayStatus?
        while true {
            condition.lock()
            if !stopped, commands.isEmpty, !watchedChanged, !checksChanged {
                _ = condition.wait(until: Date(timeIntervalSinceNow: 0.05))
            }
            if stopped { condition.unlock(); return }
            let pendingCommands = commands
            commands.removeAll()
            let queries = watched
            let queriesChanged = watchedChanged
            watchedChanged = false
            let requests = checks
            let requestsChanged = checksChanged
            checksChanged = false
            condition.unlock()

            let real = Platform.monotonicMilliseconds()
            let elapsed = real - lastReal
            lastReal = real
            for command in pendingCommands {
                switch command {
                case .togglePause:
                    if position >= last {
                        // at the end: play again from the start
                        seek(first)
                        paused = false
                    } else {
                        paused.toggle()
                    }
                case .faster: speed = Self.step(speed, by: 1)
                case .slower: speed = Self.step(speed, by: -1)
                case .seek(let t): seek(t)
                case .nextMark:
                    if let mark = currentMarks().first(where: { $0.time > position }) { seek(mark.time) }
                case .previousMark:
                    if let mark = currentMarks().last(where: { $0.time.milliseconds < position.milliseconds - 2_000 }) { seek(mark.time) }
                    else { seek(first) }
                }
            }
            let before = position
            if !paused, position < last {
                if let speed {
                    let advance = Int64((Double(elapsed) * speed).rounded())
                    position = Timestamp(milliseconds: min(last.milliseconds, position.milliseconds + max(0, advance)))
                    applyUntil(position)
                } else {
                    // as fast as possible: a bounded slice of events per step, so keys still answer
                    let started = Platform.monotonicMilliseconds()
                    while next < events.count, Platform.monotonicMilliseconds() - started < 40 {
                        applyUntil(Timestamp(milliseconds: events[next].at), budget: 200)
                    }
                    position = next < events.count ? Timestamp(milliseconds: events[max(0, next - 1)].at) : last
                }
                engine.releaseLogs(at: position, sink: collector.sink)
            }
            if position >= last, !paused { paused = true }
            condition.lock()
            shownPosition = position
            condition.unlock()
            if collector.hadRound, collector.rewound || real - lastCatalog >= 2_000 {
                lastCatalog = real
                collector.collect(engine.catalog(at: position))
            }
            collector.flush(to: channel, at: position)
            if position != before || collector.rewound || !pendingCommands.isEmpty {
                channel.send(.tick(position), at: position)
            }
            let moved = position != before
            let store = engine.engine
            if queriesChanged || (moved && collector.hadRound) {
                for (purpose, expression) in queries.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                    channel.send(.external(WatchSession.watchedQuery(purpose, expression, engine: store, at: position, options: queryOptions)),
                                 at: position)
                }
            }
            if !requests.isEmpty, requestsChanged || (moved && real - lastChecks >= 1_000) {
                lastChecks = real
                var results: [String: LiveCheckResult] = [:]
                for request in requests { results[request.itemID] = request.check.evaluate(on: store, at: position) }
                channel.send(.external(LiveCheckResultsEvent(results: results, at: position)), at: position)
            }
            collector.hadRound = false
            let status = ReplayStatus(start: first, end: last, position: position, speed: speed, paused: paused, marks: currentMarks())
            if status != lastStatus {
                channel.send(.external(status), at: position)
                lastStatus = status
            }
        }
    }

    private func currentMarks() -> [ReplayMark] {
        condition.lock(); defer { condition.unlock() }
        return marks
    }

    /// The speed `steps` places up or down the list (clamped to its ends).
    static func step(_ speed: Double?, by steps: Int) -> Double? {
        let index = speeds.firstIndex { $0 == speed } ?? speeds.firstIndex { ($0 ?? .infinity) >= (speed ?? .infinity) } ?? 0
        return speeds[min(max(0, index + steps), speeds.count - 1)]
    }

    /// A journal line as a timeline mark: pages, warnings, resolutions, the rest as info.
    public static func mark(_ kind: JournalEntry.Kind, _ text: String, _ time: Timestamp) -> ReplayMark {
        let level: ReplayMark.Level
        if text.contains(" resolved") { level = .resolved }
        else if text.contains("(page)") || text.contains(" page ") || text.contains("→ page") { level = .page }
        else if kind == .signal || kind == .alert { level = .warning }
        else { level = .info }
        return ReplayMark(time: time, level: level, text: text)
    }
}

/// The screens' updates of one replay step: the newest of each full-state update, and the log
/// lines (at most the last `logLimit`), sent together. Used on the replay thread only.
final class ReplayCollector {
    private var latest: [ObjectIdentifier: any ExternalEvent] = [:]
    private var order: [ObjectIdentifier] = []
    private var logs: [LogsRecord] = []
    private var logHealth: [LogsSourceHealth]?
    /// Whether the replay went back to its start since the last flush (the screens start over).
    var rewound = false
    /// Whether an evaluation round happened since the flag was last cleared.
    var hadRound = false
    let logLimit = 5_000

    /// The engine's sink: collects into this collector.
    var sink: ReplayEngine.Sink { { [unowned self] event, _ in self.collect(event) } }

    func collect(_ event: any ExternalEvent) {
        if let batch = event as? LogsBatch {
            logs += batch.records
            if logs.count > logLimit { logs.removeFirst(logs.count - logLimit) }
            logHealth = batch.health
            return
        }
        if event is SLOUpdate || event is SignalsUpdate { hadRound = true }
        let key = ObjectIdentifier(type(of: event))
        if latest[key] == nil { order.append(key) }
        latest[key] = event
    }

    func flush(to channel: EventChannel<AppEvent>, at time: Timestamp) {
        if rewound { channel.send(.external(ReplayRewound()), at: time) }
        rewound = false
        if !logs.isEmpty || logHealth != nil {
            channel.send(.external(LogsBatch(records: logs, health: logHealth ?? [])), at: time)
        }
        for key in order { if let event = latest[key] { channel.send(.external(event), at: time) } }
        latest.removeAll(keepingCapacity: true)
        order.removeAll(keepingCapacity: true)
        logs.removeAll(keepingCapacity: true)
        logHealth = nil
    }
}
