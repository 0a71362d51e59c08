import BurnwatchCore
import BurnwatchParsing

/// One decoded log line on its way to the console: its source, the event, the raw bytes, when it arrived.
public struct LogPipelineEvent: Sendable, Equatable {
    public var source: String
    public var event: LogEvent
    public var raw: [UInt8]
    public var arrival: Timestamp
    /// Why the line could not be parsed as its format says (`invalid JSON at column 17`), if so.
    public var problem: String?
}

/// From source items to merged events and log-derived series: decodes each source with its own
/// preset (detected from its first lines), merges sources into time order per service, and
/// records every line in the series generator.
///
/// No I/O and no clock: arrival times are passed in, so a replay gives the same result.
public struct LogSourcePipeline: Sendable {
    private var decoders: [String: LogStreamDecoder] = [:]
    private var pendingSince: [String: Timestamp] = [:]
    private var merger: LogTimeMerger<LogPipelineEvent>
    /// The series generator the lines are counted in.
    public var generator: LogSeriesGenerator
    private let presets: [String: LogPreset]
    private let mapping: [String: String]
    /// How long a source's first lines wait for preset detection before it is decided with fewer.
    public var detectionWait = Interval(milliseconds: 1000)

    /// Creates a pipeline.
    ///
    /// - Parameters:
    ///   - presets: fixed presets by source name (others are detected).
    ///   - mapping: a `fields:` override for every source.
    ///   - window: how long lines wait for earlier lines of other sources.
    public init(presets: [String: LogPreset] = [:], mapping: [String: String] = [:],
                window: Interval = Interval(milliseconds: 250), generator: LogSeriesGenerator = LogSeriesGenerator()) {
        self.presets = presets; self.mapping = mapping; self.generator = generator
        merger = LogTimeMerger(window: window)
    }

    /// Takes items from the sources; returns the errors and notices among them (to show at once).
    public mutating func ingest<S: SampleSink>(_ items: [LogSourceItem], arrival: Timestamp, into sink: inout S) -> [LogSourceItem] {
        var messages: [LogSourceItem] = []
        for item in items {
            guard case .line(let source, let bytes, let cut) = item else { messages.append(item); continue }
            if decoders[source] == nil {
                decoders[source] = (try? LogStreamDecoder(source: source, preset: presets[source], mapping: mapping))
                    ?? (try! LogStreamDecoder(source: source, preset: .json))
            }
            let decoded = decoders[source]!.decode(bytes, truncated: cut)
            if decoded.isEmpty, pendingSince[source] == nil { pendingSince[source] = arrival }
            accept(decoded, source: source, arrival: arrival, into: &sink)
        }
        return messages
    }

    /// Releases the events whose merge window has passed at `now`, in time order per service.
    public mutating func drain<S: SampleSink>(now: Timestamp, into sink: inout S) -> [LogPipelineEvent] {
        for (source, since) in pendingSince where now - since >= detectionWait {
            let decoded = decoders[source]!.flush()
            pendingSince[source] = nil
            accept(decoded, source: source, arrival: since, into: &sink)
        }
        return merger.drain(now: now)
    }

    /// Decodes what is still held and releases everything (end of input).
    public mutating func finish<S: SampleSink>(into sink: inout S) -> [LogPipelineEvent] {
        for source in decoders.keys.sorted() {
            let decoded = decoders[source]!.flush()
            accept(decoded, source: source, arrival: pendingSince[source] ?? Timestamp(milliseconds: 0), into: &sink)
        }
        pendingSince.removeAll()
        generator.finish(into: &sink)
        return merger.drainAll()
    }

    /// The decoder of a source (counters, preset, last problems), if it has sent lines.
    public func decoder(_ source: String) -> LogStreamDecoder? { decoders[source] }

    /// Lines released out of order because they arrived after the merge window.
    public var lateLines: Int { merger.late }

    private mutating func accept<S: SampleSink>(_ decoded: [LogStreamDecoder.Decoded], source: String, arrival: Timestamp, into sink: inout S) {
        if !decoded.isEmpty { pendingSince[source] = nil }
        for d in decoded {
            decoders[source]!.record(d, arrival: arrival, into: &generator, sink: &sink)
            let e = LogPipelineEvent(source: source, event: d.result.event, raw: d.bytes, arrival: arrival, problem: d.result.problem)
            merger.push(e, time: d.result.event.time, service: d.result.event.service ?? source, arrival: arrival)
        }
    }
}
