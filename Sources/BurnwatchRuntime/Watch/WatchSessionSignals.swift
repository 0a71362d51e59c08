import BurnwatchCore
import BurnwatchUI

/// What the session's signal round reads besides the store: the log feeds' health.
extension WatchSession {
    /// The log feeds' health as the scrape-failure detector reads it.
    func logSourceFacts() -> [LogSourceFact] {
        feeds.map { feed in
            let health = feed.health
            return LogSourceFact(name: health.name, failure: health.healthy ? nil : health.detail)
        }
    }
}
