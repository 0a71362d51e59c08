import BurnwatchCore
import BurnwatchUI

/// What the session's signal round reads besides the store: the log feeds' health.
extension WatchSession {
    /// The log feeds' health as the scrape-failure detector reads it.
    func logSourceFacts() -> [LogSourceFact] { feeds.map { Self.fact($0.health) } }

    /// One feed's health as the detector reads it (the replay reads its feed the same way).
    static func fact(_ health: LiveFeedHealth) -> LogSourceFact {
        LogSourceFact(name: health.name, failure: health.healthy ? nil : health.detail)
    }
}
