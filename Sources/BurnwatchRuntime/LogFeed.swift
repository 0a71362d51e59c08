import BurnwatchCore
import BurnwatchParsing
import BurnwatchUI
import Foundation

/// A log source the feed runs.
public enum LogFeedSource: Sendable, Hashable {
    /// Files matching a path or glob, followed like `tail -F`; `fromStart` reads existing files from the beginning.
    case file(pattern: String, fromStart: Bool)
    /// A command given as argv (never through a shell), restarted when it exits.
    case command(argv: [String], name: String?)
    /// The process's standard input.
    case stdin
}

/// One source with what the configuration says about it.
public struct LogFeedInput: Sendable, Hashable {
    public var source: LogFeedSource
    /// The preset of this source, or nil to use the feed's (or detect one).
    public var preset: LogPreset?
    /// The service its lines belong to when they do not name one.
    public var service: String?

    public init(_ source: LogFeedSource, preset: LogPreset? = nil, service: String? = nil) {
        self.source = source; self.preset = preset; self.service = service
    }
}

/// Where the feed sends its batches: the run loop's channel in the app, a collector in tests.
public protocol LogFeedSink: AnyObject, Sendable {
    /// Sends one event; false when the sink was full and dropped it.
    func send(_ event: AppEvent) -> Bool
    /// Events sent and not yet taken by the consumer.
    var pending: Int { get }
}

extension EventChannel: LogFeedSink where Element == AppEvent {
    public func send(_ event: AppEvent) -> Bool { send(event, at: Platform.now()) }
    public var pending: Int { count }
}

/// Runs log sources on their own threads and sends their lines, decoded into normalised events,
/// to the console as batched `.external(LogsBatch)` events, with every source's health.
///
/// Bounded: sources push into a `LogSourceQueue` (lines beyond its capacity are dropped and
/// counted); one dispatcher takes at most `maxBatchLines` lines every `interval` and holds back
/// while the sink has more than `maxPendingBatches` batches waiting, so a slow console drops
/// (and counts) lines instead of growing memory. Lines longer than `maxStoredBytes` are kept cut.
///
/// Merged by time per service: decoded lines wait `mergeWindow` (250 ms) in a `LogTimeMerger`
/// for earlier lines of other sources, then go out in event-time order. The merger holds at most
/// `mergeCapacity` lines (beyond it the oldest go out early); a line older than one already sent
/// for its service goes out at once and is counted as late in its source's health.
public final class LogFeed: @unchecked Sendable {
    public let inputs: [LogFeedInput]
    public let preset: LogPreset?
    public let interval: Interval
    public let maxBatchLines: Int
    public let maxPendingBatches: Int
    public let maxStoredBytes: Int
    /// How long a decoded line waits for earlier lines of other sources of its service.
    public let mergeWindow: Interval
    /// The most lines the time merger holds.
    public let mergeCapacity: Int
    /// The queue between the sources and the dispatcher.
    public let queue: LogSourceQueue

    let lock = NSLock()
    private var stopping = false
    private var threads: [Thread] = []
    private var commands: [LogCommandSource] = []
    private var followers: [LogFileFollower] = []
    var sink: LogFeedSink?
    private let finished = DispatchGroup()
    var snapshot: [LogsSourceHealth] = []

    /// The sources' health as last sent; any thread may ask.
    public var healthSnapshot: [LogsSourceHealth] { lock.lock(); defer { lock.unlock() }; return snapshot }

    // Dispatcher-only state (a replay's checkpoint copies it: LogFeedReplay.swift).
    var decoders: [String: LogStreamDecoder] = [:]
    var sourceHealth: [String: LogsSourceHealth] = [:]
    var order: [String] = []
    var recent: [String: [(ms: Int64, lines: Int)]] = [:]
    var refusedLines: [String: Int] = [:]
    var lastHealthSent: [LogsSourceHealth] = []
    var lastHealthTime: Int64 = 0
    var generator = LogSeriesGenerator(step: Interval(milliseconds: 5_000))
    var merger: LogTimeMerger<LogsRecord>
    var lateBySource: [String: Int] = [:]
    /// Where log-derived series go (set by `attach(samples:)`), or nil.
    var samples: LiveSampleQueue?
    /// The samples of the dispatch under way, pushed together at its end.
    private var dispatchSamples: [LiveSampleQueue.Sample] = []

    /// Creates a feed.
    ///
    /// - Parameters:
    ///   - sources: what to follow or run.
    ///   - preset: a fixed preset for every source, or nil to detect one per source.
    ///   - queueCapacity: the bound of the queue between sources and dispatcher (lines beyond are dropped and counted).
    ///   - interval: how often a batch is sent.
    ///   - mergeWindow: how long lines wait for earlier lines of other sources (0 sends them at once).
    ///   - mergeCapacity: the most lines waiting in the merge window.
    public convenience init(sources: [LogFeedSource], preset: LogPreset? = nil, queueCapacity: Int = 65_536,
                            interval: Interval = Interval(milliseconds: 100), maxBatchLines: Int = 20_000,
                            maxPendingBatches: Int = 16, maxStoredBytes: Int = 64 * 1024,
                            mergeWindow: Interval = Interval(milliseconds: 250), mergeCapacity: Int = 32_768) {
        self.init(inputs: sources.map { LogFeedInput($0) }, preset: preset, queueCapacity: queueCapacity, interval: interval,
                  maxBatchLines: maxBatchLines, maxPendingBatches: maxPendingBatches, maxStoredBytes: maxStoredBytes,
                  mergeWindow: mergeWindow, mergeCapacity: mergeCapacity)
    }

    /// Creates a feed of sources with their own presets and services; see `init(sources:…)`.
    public init(inputs: [LogFeedInput], preset: LogPreset? = nil, queueCapacity: Int = 65_536,
                interval: Interval = Interval(milliseconds: 100), maxBatchLines: Int = 20_000,
                maxPendingBatches: Int = 16, maxStoredBytes: Int = 64 * 1024,
                mergeWindow: Interval = Interval(milliseconds: 250), mergeCapacity: Int = 32_768) {
        self.inputs = inputs
        self.preset = preset
        self.queue = LogSourceQueue(capacity: queueCapacity)
        self.interval = interval
        self.maxBatchLines = max(1, maxBatchLines)
        self.maxPendingBatches = max(1, maxPendingBatches)
        self.maxStoredBytes = max(256, maxStoredBytes)
        self.mergeWindow = mergeWindow
        self.mergeCapacity = max(1, mergeCapacity)
        self.merger = LogTimeMerger(window: mergeWindow, capacity: self.mergeCapacity)
    }

    /// The name a source's lines carry before any line is read (for the health rows).
    public static func displayName(_ source: LogFeedSource) -> String {
        switch source {
        case .file(let pattern, _): pattern
        case .command(let argv, let name): name ?? argv.joined(separator: " ")
        case .stdin: "stdin"
        }
    }

    /// Starts the sources and the dispatcher; batches go to `sink`.
    public func start(sink: LogFeedSink) {
        lock.lock()
        self.sink = sink
        lock.unlock()
        var files: [LogFileFollower] = []
        for source in inputs.map(\.source) {
            let name = Self.displayName(source)
            if sourceHealth[name] == nil { order.append(name); sourceHealth[name] = LogsSourceHealth(name: name) }
            switch source {
            case .file(let pattern, let fromStart):
                files.append(LogFileFollower(pattern: pattern, start: fromStart ? .beginning : .end))
            case .command(let argv, let name):
                let command = LogCommandSource(argv: argv, name: name)
                commands.append(command)
                spawn("log command") { [queue] in command.run { queue.push($0) } }
            case .stdin:
                let stream = LogStreamSource()
                spawn("log stdin") { [queue, weak self] in
                    stream.run { queue.push($0) }
                    queue.push(.notice(source: stream.name, message: "end of input"))
                    _ = self
                }
            }
        }
        followers = files
        if !files.isEmpty {
            spawn("log files") { [weak self, files] in
                while let self, !self.isStopping {
                    for follower in files { follower.poll { self.queue.push($0) } }
                    Thread.sleep(forTimeInterval: 0.05)
                }
            }
        }
        spawn("log feed") { [weak self] in
            while let self, !self.isStopping {
                self.dispatchOnce()
                Thread.sleep(forTimeInterval: self.interval.seconds)
            }
        }
    }

    /// Stops the sources and the dispatcher and waits (up to 2 s) for their threads.
    public func stop() {
        lock.lock()
        stopping = true
        lock.unlock()
        for command in commands { command.stop() }
        _ = finished.wait(timeout: .now() + 2)
    }

    private var isStopping: Bool { lock.lock(); defer { lock.unlock() }; return stopping }

    private func spawn(_ name: String, _ body: @escaping @Sendable () -> Void) {
        finished.enter()
        let group = finished
        let thread = Thread {
            body()
            group.leave()
        }
        thread.name = name
        thread.start()
        threads.append(thread)
    }

    // MARK: Dispatching

    /// Takes what the sources produced, decodes it, releases from the time merger the lines whose
    /// window has passed at `arrival`, and sends them as one batch (tests call it directly).
    ///
    /// - Returns: the batch sent, or nil when nothing changed or the sink is behind.
    ///
    /// - Parameter ignoringBackpressure: decode even when the sink is behind (a replay must
    ///   produce every dispatch's series; its screen then drops and counts the batch).
    @discardableResult
    public func dispatchOnce(now: Int64 = Platform.monotonicMilliseconds(), arrival: Timestamp = Platform.now(),
                             ignoringBackpressure: Bool = false) -> LogsBatch? {
        lock.lock()
        let sink = self.sink
        lock.unlock()
        if !ignoringBackpressure, let sink, sink.pending > maxPendingBatches { return nil }
        let items = queue.pop(max: maxBatchLines)
        dispatchSamples.removeAll(keepingCapacity: true)
        defer {
            if let samples, !items.isEmpty || !dispatchSamples.isEmpty {
                samples.push(dispatch: LiveSampleQueue.Dispatch(arrival: arrival, items: items), samples: dispatchSamples)
            }
        }
        var records: [LogsRecord] = []
        records.reserveCapacity(items.count)
        // Lines are grouped per source (one decoder each, taken out of `decoders` so that it is
        // mutated in place), decoded concurrently per source, then put back in the queue's order.
        var jobs: [LogFeedDecodeJob] = []
        var jobIndex: [String: Int] = [:]
        var jobOfItem = [Int](repeating: -1, count: items.count)
        var lastSource: String?
        var lastJob = -1
        var previousWasLineOf: String?
        for (k, item) in items.enumerated() {
            switch item {
            case .line(let source, let bytes, let truncated):
                let j: Int
                if lastJob >= 0, source == lastSource { j = lastJob }
                else if let found = jobIndex[source] { j = found }
                else {
                    j = jobs.count
                    jobIndex[source] = j
                    let decoder = decoders.removeValue(forKey: source) ?? decoderFor(source)
                    jobs.append(LogFeedDecodeJob(source: source, decoder: decoder, service: input(for: source)?.service))
                }
                lastSource = source; lastJob = j
                jobs[j].lines.append((k, bytes, truncated))
                jobOfItem[k] = j
                if previousWasLineOf != source {
                    touch(source) { h in
                        if h.state != .following { h.state = .following }
                    }
                }
                previousWasLineOf = source
            case .error(let source, let message):
                previousWasLineOf = nil
                touch(source) { h in
                    h.lastError = message
                    h.lastNotice = nil
                    if message.hasPrefix("command exited") { h.state = .exited }
                    else if message.hasPrefix("no file matches") || message.hasPrefix("file deleted") || message.hasPrefix("cannot open") { h.state = .waiting }
                    else if !message.hasPrefix("stderr") && !message.hasPrefix("file system full") { h.state = .failed }
                }
            case .notice(let source, let message):
                previousWasLineOf = nil
                touch(source) { h in
                    if message == "end of input" { h.state = .exited; h.lastError = "end of input" }
                    else if message.hasPrefix("file system has free space") { h.lastError = nil; h.lastNotice = message }
                    else if message.hasPrefix("file rotated") || message.hasPrefix("file truncated") {
                        h.state = .following; h.lastError = nil; h.lastNotice = message
                    }
                }
            }
        }
        let maxStored = maxStoredBytes
        let keepDecoded = samples != nil
        if jobs.count == 1 {
            jobs[0].run(maxStoredBytes: maxStored, arrival: arrival, keepDecoded: keepDecoded)
        } else if jobs.count > 1 {
            jobs.withUnsafeMutableBufferPointer { buffer in
                // Each iteration touches its own job only.
                let jobsPointer = LogFeedDecodeJob.Pointer(base: buffer.baseAddress!)
                DispatchQueue.concurrentPerform(iterations: buffer.count) { i in
                    jobsPointer.base[i].run(maxStoredBytes: maxStored, arrival: arrival, keepDecoded: keepDecoded)
                }
            }
        }
        var linesBySource: [String: Int] = [:]
        for job in jobs {
            decoders[job.source] = job.decoder
            linesBySource[job.source, default: 0] += job.lines.count
        }
        var cursor = [Int](repeating: 0, count: jobs.count)
        for k in items.indices {
            let j = jobOfItem[k]
            if j < 0 { continue }
            while cursor[j] < jobs[j].out.count, jobs[j].out[cursor[j]].item == k {
                let o = jobs[j].out[cursor[j]]
                if let d = o.decoded { recordSamples(d, jobs[j].decoder, arrival) }
                merger.push(o.record, time: o.record.event.time, service: o.record.event.service ?? o.record.source, arrival: arrival)
                cursor[j] += 1
            }
        }
        // Sources that went quiet with lines held for preset detection: decide now.
        for (source, var decoder) in decoders where linesBySource[source] == nil {
            let held = decoder.flush()
            if !held.isEmpty {
                for decoded in held {
                    let r = record(decoded, source, arrival, decoder)
                    merger.push(r, time: r.event.time, service: r.event.service ?? r.source, arrival: arrival)
                }
                decoders[source] = decoder
            }
        }
        merger.drain(now: arrival, into: &records) { r in lateBySource[r.source, default: 0] += 1 }
        let healthNow = currentHealth(now: now, linesBySource: linesBySource)
        let healthChanged = healthNow != lastHealthSent
        guard !records.isEmpty || (healthChanged && now - lastHealthTime >= 500) || (healthChanged && !items.isEmpty) else { return nil }
        let batch = LogsBatch(records: records, health: healthNow)
        if let sink {
            if sink.send(.external(batch)) {
                lastHealthSent = healthNow
                lock.lock(); snapshot = healthNow; lock.unlock()
                lastHealthTime = now
            } else {
                for r in records { refusedLines[r.source, default: 0] += 1 }
            }
        }
        return batch
    }

    private func decoderFor(_ source: String) -> LogStreamDecoder {
        if let d = decoders[source] { return d }
        if sourceHealth[source] == nil { order.append(source); sourceHealth[source] = LogsSourceHealth(name: source) }
        let chosen = input(for: source)?.preset ?? preset
        return (try? LogStreamDecoder(source: source, preset: chosen)) ?? (try! LogStreamDecoder(source: source, preset: .text))
    }

    /// The input a source name belongs to: the same name, or the glob a followed file matched.
    func input(for source: String) -> LogFeedInput? {
        if let exact = inputs.first(where: { Self.displayName($0.source) == source }) { return exact }
        return inputs.first { input in
            if case .file(let pattern, _) = input.source { return Self.glob(pattern, matches: source) }
            return false
        }
    }

    private func touch(_ source: String, _ change: (inout LogsSourceHealth) -> Void) {
        if sourceHealth[source] == nil {
            // A file matched by a glob reports under its own path; group it under the pattern's row.
            order.append(source)
            sourceHealth[source] = LogsSourceHealth(name: source)
        }
        change(&sourceHealth[source]!)
    }

    private func record(_ d: LogStreamDecoder.Decoded, _ source: String, _ arrival: Timestamp, _ decoder: LogStreamDecoder) -> LogsRecord {
        let (r, decoded) = Self.makeRecord(d, source: source, service: input(for: source)?.service, arrival: arrival,
                                           maxStoredBytes: maxStoredBytes, keepDecoded: samples != nil)
        if let decoded { recordSamples(decoded, decoder, arrival) }
        return r
    }

    /// Feeds a decoded line (its event as sent) into the log-derived series, when they are attached.
    private func recordSamples(_ decoded: LogStreamDecoder.Decoded, _ decoder: LogStreamDecoder, _ arrival: Timestamp) {
        guard samples != nil else { return }
        var sink = LogFeedSampleCollector(samples: dispatchSamples)
        dispatchSamples = []
        decoder.record(decoded, arrival: arrival, into: &generator, sink: &sink)
        dispatchSamples = sink.samples
    }

    /// The record of a decoded line: the raw text cut at `maxStoredBytes`, the source's service
    /// when the line names none; with `keepDecoded`, also the decoded line carrying that event.
    static func makeRecord(_ d: LogStreamDecoder.Decoded, source: String, service: String?, arrival: Timestamp,
                           maxStoredBytes: Int, keepDecoded: Bool) -> (LogsRecord, LogStreamDecoder.Decoded?) {
        var raw: String
        var truncated = d.truncated
        if d.bytes.count > maxStoredBytes {
            raw = String(decoding: d.bytes.prefix(maxStoredBytes), as: UTF8.self)
            truncated = true
        } else {
            raw = String(decoding: d.bytes, as: UTF8.self)
        }
        if raw.utf8.count > maxStoredBytes { raw = String(raw.prefix(maxStoredBytes)) }
        var event = d.result.event
        if event.service == nil, let service { event.service = service }
        var decoded: LogStreamDecoder.Decoded?
        if keepDecoded {
            var copy = d
            copy.result.event = event
            decoded = copy
        }
        let r = LogsRecord(source: source, event: event, raw: raw, truncated: truncated,
                           structured: d.result.structured, arrival: arrival)
        return (r, decoded)
    }

    private func currentHealth(now: Int64, linesBySource: [String: Int]) -> [LogsSourceHealth] {
        let dropped = queue.dropped
        var out: [LogsSourceHealth] = []
        for name in order {
            guard var h = sourceHealth[name] else { continue }
            var window = recent[name] ?? []
            if let n = linesBySource[name] { window.append((now, n)) }
            window.removeAll { now - $0.ms > 5000 }
            recent[name] = window
            h.linesPerSecond = Double(window.reduce(0) { $0 + $1.lines }) / 5
            if let d = decoders[name] {
                h.lines = d.lines
                h.unparsed = d.unparsed
                h.truncated = d.truncated
                h.invalidUTF8 = d.invalidUTF8
                h.otherFormat = d.otherFormat
                h.preset = d.preset?.rawValue
            }
            h.dropped = (dropped[name] ?? 0) + (refusedLines[name] ?? 0)
            h.late = lateBySource[name] ?? 0
            sourceHealth[name] = h
            // A pattern that now has files of its own is shown through them.
            if h.lines == 0, h.lastError == nil, order.contains(where: { $0 != name && Self.glob(name, matches: $0) }) { continue }
            out.append(h)
        }
        return out
    }

    /// Whether `path` is one of the files `pattern` names (a plain path matches itself only).
    static func glob(_ pattern: String, matches path: String) -> Bool {
        guard pattern.contains("*") || pattern.contains("?") || pattern.contains("[") else { return false }
        return fnmatchLike(Array(pattern.utf8), Array(path.utf8))
    }

    private static func fnmatchLike(_ p: [UInt8], _ s: [UInt8]) -> Bool {
        var pi = 0, si = 0, star = -1, mark = 0
        while si < s.count {
            if pi < p.count, p[pi] == UInt8(ascii: "?") || p[pi] == s[si] { pi += 1; si += 1 }
            else if pi < p.count, p[pi] == UInt8(ascii: "*") { star = pi; mark = si; pi += 1 }
            else if star >= 0 { pi = star + 1; mark += 1; si = mark }
            else { return false }
        }
        while pi < p.count, p[pi] == UInt8(ascii: "*") { pi += 1 }
        return pi == p.count
    }
}

/// One source's lines of a batch and the records decoded from them, in queue order (`item` is the
/// line's place in the batch), so that sources can decode on threads of their own.
struct LogFeedDecodeJob {
    var source: String
    var decoder: LogStreamDecoder
    var service: String?
    var lines: [(item: Int, bytes: [UInt8], truncated: Bool)] = []
    var out: [(item: Int, record: LogsRecord, decoded: LogStreamDecoder.Decoded?)] = []

    /// The jobs of one batch, handed to the decoding threads (each uses its own element only).
    struct Pointer: @unchecked Sendable { let base: UnsafeMutablePointer<LogFeedDecodeJob> }

    init(source: String, decoder: LogStreamDecoder, service: String?) {
        self.source = source; self.decoder = decoder; self.service = service
    }

    /// Decodes the lines into `out` (a line held for preset detection comes out with the line that ends it).
    mutating func run(maxStoredBytes: Int, arrival: Timestamp, keepDecoded: Bool) {
        var decoded: [LogStreamDecoder.Decoded] = []
        out.reserveCapacity(lines.count)
        for line in lines {
            decoded.removeAll(keepingCapacity: true)
            decoder.decode(line.bytes, truncated: line.truncated, into: &decoded)
            for d in decoded {
                let (r, kept) = LogFeed.makeRecord(d, source: source, service: service, arrival: arrival,
                                                   maxStoredBytes: maxStoredBytes, keepDecoded: keepDecoded)
                out.append((line.item, r, kept))
            }
        }
    }
}

/// Collects the samples a `LogSeriesGenerator` writes, for the watch session's sample queue.
struct LogFeedSampleCollector: SampleSink {
    var samples: [LiveSampleQueue.Sample] = []
    mutating func append(_ labels: Labels, _ time: Timestamp, _ value: Double) {
        samples.append(LiveSampleQueue.Sample(labels: labels, time: time, value: value))
    }
}
