import BurnwatchCore
import BurnwatchParsing
import BurnwatchRecording

/// Timestamped metrics files and log files made into something a replay plays
/// (`burnwatch replay --metrics F --logs F`): the metrics go into the store at the start (a query
/// at a time sees only the samples at or before it), the log lines become dispatches by the time
/// of their lines (every 250 ms of log time, files merged by time), and evaluation rounds run
/// every second (the detectors every five), from the first sample or line to the last.
public enum FileReplayEvents {
    /// The store holding the metrics files and the events to play.
    public struct Built {
        public var store: SeriesStore
        public var events: [RecordedEvent]
    }

    static let dispatchSpan: Int64 = 250
    static let roundEvery: Int64 = 1_000
    static let signalEvery: Int64 = 5_000

    /// Reads the files.
    ///
    /// - Parameter warn: gets each file's first problems (bad lines are skipped and counted).
    /// - Throws: `BurnwatchError` (`.io`) when a file cannot be read.
    /// - Complexity: O(total size of the files) plus one round per second of their span.
    public static func build(metrics: [String], logs: [String], warn: (String) -> Void) throws -> Built {
        var store = SeriesStore(retention: Retention(duration: Interval(milliseconds: 400 * 86_400_000), maxSamplesPerSeries: Int.max))
        for path in metrics {
            let report = try MetricsFileLoader.load(path, into: &store)
            for e in report.errors.prefix(10) { warn("\(e)") }
            if report.errors.count > 10 { warn("\(report.errors.count - 10) more problems in \(path)") }
        }
        var lo = Int64.max, hi = Int64.min
        for id in 0..<store.seriesCount {
            if let first = store.firstSampleTime(id: id, atOrAfter: Int64.min) { lo = min(lo, first) }
            if let last = store.lastSample(id: id, atOrBefore: Int64.max)?.0 { hi = max(hi, last) }
        }
        var dispatches: [Int64: [RecordedLogDispatch.Item]] = [:]
        for path in logs {
            // the decoder picks the file's preset as a live source would, and tells each line's time
            var decoder = try LogStreamDecoder(source: path)
            var lastTime: Int64?
            var pending: [LogStreamDecoder.Decoded] = []
            func take(_ decoded: [LogStreamDecoder.Decoded]) {
                for d in decoded {
                    if let t = d.result.event.time?.milliseconds {
                        lastTime = t
                        // lines before the first with a time go with it
                        for p in pending { dispatches[bin(t), default: []].append(item(p.bytes, p.truncated, path)) }
                        pending.removeAll()
                    }
                    if let t = lastTime {
                        dispatches[bin(t), default: []].append(item(d.bytes, d.truncated, path))
                        lo = min(lo, t); hi = max(hi, t)
                    } else {
                        pending.append(d)
                    }
                }
            }
            try LogSourceSeriesLoader.forEachLine(path) { line, cut in take(decoder.decode(line, truncated: cut)) }
            take(decoder.flush())
            if !pending.isEmpty { warn("\(path): \(pending.count) lines without a time and none after them with one; left out") }
        }
        guard lo <= hi else { return Built(store: store, events: []) }
        var events: [RecordedEvent] = dispatches.keys.sorted().map { at in
            .logs(RecordedLogDispatch(at: at, arrival: at, items: dispatches[at]!))
        }
        let firstRound = (lo / roundEvery + 1) * roundEvery
        var t = firstRound
        while t <= hi + roundEvery {
            events.append(.round(RecordedRound(at: t, signals: (t - firstRound) % signalEvery == 0)))
            t += roundEvery
        }
        // lines first within a millisecond, then the round that sees them
        events.sort { ($0.at, rank($0)) < ($1.at, rank($1)) }
        return Built(store: store, events: events)
    }

    static func rank(_ e: RecordedEvent) -> Int {
        if case .round = e { return 1 }
        return 0
    }

    /// The end of the 250 ms span holding `t`: a dispatch's arrival.
    static func bin(_ t: Int64) -> Int64 { (t / dispatchSpan + 1) * dispatchSpan }

    static func item(_ bytes: [UInt8], _ cut: Bool, _ path: String) -> RecordedLogDispatch.Item {
        .init(kind: cut ? .truncatedLine : .line, source: path, payload: bytes)
    }
}
