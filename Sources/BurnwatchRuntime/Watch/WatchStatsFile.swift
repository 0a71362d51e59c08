import BurnwatchCore
import BurnwatchUI
import Foundation

/// Appends the live console's counters to a file as one JSON object a line, every `interval`:
/// what each log source read, dropped and released late, what the channel and the scrape queue
/// dropped, and every scrape that finished since the previous line (`watch --stats-file`).
///
/// A line: `{"at_ms", "channel_dropped", "scrapes_dropped", "logs": [{"source", "lines", "dropped",
/// "queue_dropped", "late", "unparsed"}], "targets": [{"url", "start_ms", "duration_ms", "up"}]}`.
/// `lines` counts lines decoded; `dropped` adds to the lines the source queue refused
/// (`queue_dropped`, never decoded) those decoded but refused by a full channel. Soak runs
/// (`burnwatch-lab soak`) read it to check that every line written was read or counted as dropped.
public final class WatchStatsFile: @unchecked Sendable {
    public let path: String
    public let interval: Interval
    private let session: WatchSession
    private let logs: LogFeed?
    private let channel: EventChannel<AppEvent>
    private let condition = NSCondition()
    private var stopped = false
    private var running = false
    /// The start of the last scrape of each target already written (store thread's values).
    private var written: [String: Int64] = [:]

    /// Creates the writer; nothing is written until `start()`.
    ///
    /// - Parameters:
    ///   - path: the file, created or appended to.
    ///   - interval: how often a line is written (and once more at `stop()`).
    public init(path: String, interval: Interval = Interval(milliseconds: 5_000), session: WatchSession,
                logs: LogFeed?, channel: EventChannel<AppEvent>) {
        self.path = path; self.interval = interval; self.session = session; self.logs = logs; self.channel = channel
    }

    /// Opens the file and starts the writing thread.
    ///
    /// - Throws: `BurnwatchError` (`.io`) when the file cannot be opened for appending.
    public func start() throws {
        var error = ""
        guard let fd = PlatformFiles.openForAppending(path, error: &error) else {
            throw BurnwatchError(.io, "cannot open the stats file \(path): \(error)")
        }
        condition.lock()
        running = true
        condition.unlock()
        let thread = Thread { [self] in
            defer { PlatformFiles.close(fd) }
            while true {
                condition.lock()
                let deadline = Date(timeIntervalSinceNow: interval.seconds)
                while !stopped, Date() < deadline { _ = condition.wait(until: deadline) }
                let last = stopped
                condition.unlock()
                let line = Array(self.line(at: Platform.now()).utf8) + [10]
                line.withUnsafeBytes { _ = PlatformFiles.writeAll(fd, $0) }
                if last { break }
            }
            condition.lock()
            running = false
            condition.broadcast()
            condition.unlock()
        }
        thread.name = "burnwatch-stats-file"
        thread.start()
    }

    /// Writes a last line and stops the thread. Idempotent.
    public func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        while running { condition.wait() }
        condition.unlock()
    }

    /// One line of counters at `time` (the targets part holds scrapes not written before).
    func line(at time: Timestamp) -> String {
        let (targets, scrapesDropped) = session.statsSnapshot()
        var logRows: [[String: Any]] = []
        if let logs {
            let queueDropped = logs.queue.dropped
            for h in logs.healthSnapshot {
                logRows.append(["source": h.name, "lines": h.lines, "dropped": h.dropped,
                                "queue_dropped": queueDropped[h.name] ?? 0, "late": h.late, "unparsed": h.unparsed])
            }
        }
        var targetRows: [[String: Any]] = []
        for t in targets {
            guard let start = t.lastScrape?.milliseconds, written[t.url] != start, let duration = t.durationSeconds else { continue }
            written[t.url] = start
            targetRows.append(["url": t.url, "start_ms": start, "duration_ms": duration * 1000, "up": t.up ?? false])
        }
        let object: [String: Any] = ["at_ms": time.milliseconds, "channel_dropped": channel.dropped,
                                     "scrapes_dropped": scrapesDropped, "logs": logRows, "targets": targetRows]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}

extension WatchSession {
    /// Every target's health as of the last round, and the scrape results dropped so far.
    public func statsSnapshot() -> (targets: [TargetHealth], droppedScrapes: Int) {
        condition.lock()
        defer { condition.unlock() }
        return (targetHealth.values.sorted { $0.url < $1.url }, droppedResults)
    }
}
