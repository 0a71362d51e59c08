import BurnwatchCore
import BurnwatchUI

/// A live source that a `WatchSession` starts and stops: log followers, commands, stdin, and the
/// scrape and SLO feeds of the session itself.
///
/// A feed runs on its own threads and delivers what it reads as `.external(...)` events through
/// the run loop's bounded channel (`EventChannel.send` drops and counts when it is full). Adding
/// a kind of source to `burnwatch watch` is one conforming type plus one line that appends it to
/// `WatchSession.feeds`.
public protocol LiveFeed: AnyObject, Sendable {
    /// A short name for the header's source list (`scrape`, `logs:api`…).
    var name: String { get }
    /// Starts the feed's threads; events go to `channel`. Called once.
    func start(channel: EventChannel<AppEvent>)
    /// Stops the feed and waits for its threads (bounded by their timeouts). Idempotent.
    func stop()
    /// The feed's health now, for the SLO overview's header. Any thread may ask.
    var health: LiveFeedHealth { get }
}

/// A feed that also produces samples (log-derived series): the session hands it the queue its
/// store drains, so SLOs and charts can use those series like scraped ones.
public protocol LiveSampleFeed: LiveFeed {
    /// Called once before `start(channel:)`.
    func attach(samples: LiveSampleQueue)
}

extension LiveFeed {
    public var health: LiveFeedHealth { LiveFeedHealth(name: name) }
}

/// What a feed reports about itself (defined in the UI target, which shows it).
public typealias LiveFeedHealth = SourceHealth
