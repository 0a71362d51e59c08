/// One live source as the SLO overview's header shows it: healthy or not, a detail, and drops.
public struct SourceHealth: Hashable, Sendable {
    public var name: String
    /// False when the source is failing (target down, file missing, command exited…).
    public var healthy: Bool
    /// A short reason or summary (`2/3 up`, `no such file`); untrusted text, escaped on screen.
    public var detail: String
    /// Items dropped by this source's bounded queues so far.
    public var dropped: Int

    public init(name: String, healthy: Bool = true, detail: String = "", dropped: Int = 0) {
        self.name = name; self.healthy = healthy; self.detail = detail; self.dropped = dropped
    }
}

/// The live sources and the session's drop counters, sent by the watch session every second.
public struct WatchSourcesUpdate: ExternalEvent, Hashable {
    public var sources: [SourceHealth]
    /// Events the run loop's channel dropped because it was full.
    public var droppedEvents: Int
    public init(sources: [SourceHealth], droppedEvents: Int) { self.sources = sources; self.droppedEvents = droppedEvents }
}
