import BurnwatchConfig
import BurnwatchCore
import BurnwatchRunbooks

/// The signal detectors as `eval` runs them: warmed up before the first time, then step by step.
struct SignalEvaluation {
    var engine: SignalEngine
    let querier: any PromQLQuerier
    /// Query failures already reported (each expression once).
    private var reported = Set<String>()

    /// How far before the first evaluated time the detectors start, so `for` waits have passed.
    static let warmUp = Interval(milliseconds: 10 * 60_000)

    init(config: BurnwatchConfiguration?, querier: any PromQLQuerier) {
        let library = RunbookLoader.library(teamDirectories: config?.runbookFolders ?? []).library
        engine = SignalEngine(runbooks: Self.runbookMap(library), services: config?.services.map(\.name) ?? [],
                              configs: config?.signalConfigs ?? [])
        self.querier = querier
    }

    /// Each kind's runbook sections (`file.md#anchor`), in the order the runbooks' signal map lists them.
    static func runbookMap(_ library: RunbookLibrary) -> [SignalKind: [String]] {
        var runbooks: [SignalKind: [String]] = [:]
        for (kind, sections) in library.signalMap { runbooks[kind] = sections.map(\.description) }
        return runbooks
    }

    /// Runs the detectors over the 10 minutes before `start` (at most every 15 s), printing nothing.
    mutating func warmUp(before start: Timestamp, step: Interval) {
        let every = Interval(milliseconds: min(step.milliseconds, 15_000))
        var t = start - Self.warmUp
        while t < start {
            _ = round(at: t, statuses: [])
            t = t + every
        }
    }

    /// The signals active at `time`.
    mutating func evaluate(at time: Timestamp, statuses: [SLOStatus]) -> [Signal] {
        round(at: time, statuses: statuses).active
    }

    private mutating func round(at time: Timestamp, statuses: [SLOStatus]) -> SignalEngine.Round {
        let r = engine.evaluate(at: time, querier: querier, sloStatuses: statuses)
        for p in r.problems where reported.insert(p.expression).inserted {
            SLOSources.warn("signal query `\(p.expression)` failed: \(p.error)")
        }
        return r
    }
}
