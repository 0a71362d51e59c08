import BurnwatchCore

/// One raw event of a recording, as the live session's store thread applied it: nothing parsed.
///
/// Replaying the events in order, with the same evaluation rounds at the same times, gives the
/// same store, the same SLO statuses and the same signals as the live session (DESIGN.md §2).
public enum RecordedEvent: Hashable, Sendable {
    /// One scrape of one target: the body as received, or why it failed.
    case scrape(RecordedScrape)
    /// What the log feed took from its sources in one dispatch, with that dispatch's arrival time.
    case logs(RecordedLogDispatch)
    /// An evaluation round of the live session (SLOs every second; the detectors when `signals`).
    case round(RecordedRound)

    /// When the store thread applied the event (wall clock, milliseconds).
    public var at: Int64 {
        switch self {
        case .scrape(let s): s.at
        case .logs(let l): l.at
        case .round(let r): r.at
        }
    }

    /// The raw input bytes the event carries (scrape bodies, log lines), for the size budget.
    public var rawBytes: Int {
        switch self {
        case .scrape(let s): s.body.count + s.url.utf8.count + 32
        case .logs(let l): l.items.reduce(8) { $0 + $1.payload.count + $1.source.utf8.count + 2 }
        case .round: 9
        }
    }
}

/// A scrape as it arrived.
public struct RecordedScrape: Hashable, Sendable {
    /// When the store thread took it.
    public var at: Int64
    /// The target's URL and job (its `instance` follows from the URL).
    public var url: String
    public var job: String
    /// When the scrape started: samples without their own timestamp take it.
    public var time: Int64
    public var durationSeconds: Double
    /// The HTTP status (0 when no response arrived).
    public var status: Int
    public var contentType: String?
    /// Why the scrape failed, as the live session said it; nil when it succeeded.
    public var failure: String?
    /// The body as received (decompressed); empty on failure.
    public var body: [UInt8]

    public init(at: Int64, url: String, job: String, time: Int64, durationSeconds: Double, status: Int,
                contentType: String?, failure: String?, body: [UInt8]) {
        self.at = at; self.url = url; self.job = job; self.time = time; self.durationSeconds = durationSeconds
        self.status = status; self.contentType = contentType; self.failure = failure; self.body = body
    }
}

/// What one dispatch of the log feed took from its sources' queue.
public struct RecordedLogDispatch: Hashable, Sendable {
    /// One thing a source produced.
    public struct Item: Hashable, Sendable {
        public enum Kind: UInt8, Sendable {
            case line = 0, truncatedLine = 1, error = 2, notice = 3
        }
        public var kind: Kind
        public var source: String
        /// The line's bytes (without its newline), or the error's or notice's text.
        public var payload: [UInt8]

        public init(kind: Kind, source: String, payload: [UInt8]) {
            self.kind = kind; self.source = source; self.payload = payload
        }
    }

    /// When the store thread took the dispatch's samples.
    public var at: Int64
    /// The arrival time the feed stamped on the dispatch's lines.
    public var arrival: Int64
    public var items: [Item]

    public init(at: Int64, arrival: Int64, items: [Item]) {
        self.at = at; self.arrival = arrival; self.items = items
    }
}

/// An evaluation round of the live session.
public struct RecordedRound: Hashable, Sendable {
    public var at: Int64
    /// Whether the signal detectors ran in this round (they run every few seconds).
    public var signals: Bool

    public init(at: Int64, signals: Bool) { self.at = at; self.signals = signals }
}
