import BurnwatchCore
import BurnwatchUI

/// The session's signal round: the detectors over the store and the update the screens show (with the transitions the journal records).
extension WatchSession {
    /// The log feeds' health as the scrape-failure detector reads it.
    func logSourceFacts() -> [LogSourceFact] {
        feeds.map { feed in
            let health = feed.health
            return LogSourceFact(name: health.name, failure: health.healthy ? nil : health.detail)
        }
    }

    /// Runs one detector round at `now` and sends what the signals screen and the SLO overview show.
    ///
    /// - Parameters:
    ///   - engine: the detectors and their hysteresis (kept by the store thread between rounds).
    ///   - querier: the store as it is now.
    ///   - statuses: the local SLOs' latest statuses (the slo_burn detector's input).
    /// - Complexity: the detectors' queries, each expression once per round.
    func runSignals(_ engine: inout SignalEngine, querier: any PromQLQuerier, statuses: [SLOStatus],
                    at now: Timestamp, channel: EventChannel<AppEvent>) {
        let round = engine.evaluate(at: now, querier: querier, sloStatuses: statuses, logSources: logSourceFacts())
        condition.lock()
        signalProblems = round.problems.count
        condition.unlock()
        channel.send(.external(SignalsUpdate(at: now, signals: round.recent, transitions: round.transitions)), at: now)
    }
}
