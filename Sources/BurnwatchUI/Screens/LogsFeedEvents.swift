import BurnwatchCore

/// One log line as the logs screen keeps it: where it came from, the normalised event and the text.
public struct LogsRecord: Sendable, Equatable {
    /// The source name (a file path, a command, `stdin`).
    public var source: String
    /// The normalised event (message-only for unstructured lines).
    public var event: LogEvent
    /// The line as read (invalid UTF-8 repaired); shown escaped, never written raw.
    public var raw: String
    /// Whether the line was cut at the line cap.
    public var truncated: Bool
    /// Whether the line was a structured record (JSON or logfmt).
    public var structured: Bool
    /// When the line was read.
    public var arrival: Timestamp

    public init(source: String, event: LogEvent, raw: String, truncated: Bool = false, structured: Bool = true,
                arrival: Timestamp) {
        self.source = source
        self.event = event
        self.raw = raw
        self.truncated = truncated
        self.structured = structured
        self.arrival = arrival
    }

    /// The time the strip and the list use: the line's own time, else its arrival.
    public var time: Timestamp { event.time ?? arrival }
}

/// How one log source is doing, as the feed last saw it.
public struct LogsSourceHealth: Sendable, Hashable {
    /// What the source is doing now.
    public enum State: String, Sendable, Hashable {
        case following, waiting, exited, failed
    }

    public var name: String
    public var state: State
    /// Lines read in total.
    public var lines: Int
    /// Lines per second over the feed's recent window.
    public var linesPerSecond: Double
    /// Lines that were not structured records.
    public var unparsed: Int
    /// Lines cut at the line cap.
    public var truncated: Int
    /// Lines with invalid UTF-8.
    public var invalidUTF8: Int
    /// Lines not in the source's format (read through other formats' common paths).
    public var otherFormat: Int = 0
    /// Lines dropped because a queue was full.
    public var dropped: Int
    /// Lines released out of time order because they arrived after the feed's merge window.
    public var late: Int
    /// The last error (a missing file, a command's stderr, an exit), already escaped or not: the
    /// screen escapes it again when drawing.
    public var lastError: String?
    /// The detected or configured preset.
    public var preset: String?
    /// The last thing that happened to the source that is not an error (a rotation, a truncation).
    public var lastNotice: String?

    public init(name: String, state: State = .following, lines: Int = 0, linesPerSecond: Double = 0, unparsed: Int = 0,
                truncated: Int = 0, invalidUTF8: Int = 0, dropped: Int = 0, lastError: String? = nil, preset: String? = nil, late: Int = 0) {
        self.name = name
        self.state = state
        self.lines = lines
        self.linesPerSecond = linesPerSecond
        self.unparsed = unparsed
        self.truncated = truncated
        self.invalidUTF8 = invalidUTF8
        self.dropped = dropped
        self.late = late
        self.lastError = lastError
        self.preset = preset
    }
}

/// A batch of lines and source health from the log feed: the external event the logs screen reads.
public struct LogsBatch: ExternalEvent, Equatable {
    public var records: [LogsRecord]
    /// The health of every source (replaces what the screen knew), or empty to keep it.
    public var health: [LogsSourceHealth]

    public init(records: [LogsRecord], health: [LogsSourceHealth] = []) {
        self.records = records
        self.health = health
    }
}
