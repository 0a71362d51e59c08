import BurnwatchCore
import BurnwatchUI

/// The log feed driven by a replay: no sources run; the replay pushes the recorded items into
/// `queue` and calls `dispatchOnce` with their recorded arrival times.
extension LogFeed {
    /// Prepares a feed whose items are pushed into `queue` by a replay, not read from sources:
    /// nothing is started; the caller calls `dispatchOnce` with the recorded arrival times.
    public func startReplay(sink: LogFeedSink?) {
        lock.lock()
        self.sink = sink
        lock.unlock()
        for source in inputs.map(\.source) {
            let name = Self.displayName(source)
            if sourceHealth[name] == nil { order.append(name); sourceHealth[name] = LogsSourceHealth(name: name) }
        }
    }

    /// A replay feed in the same state as this one (decoders, series generator, merge window,
    /// health), with its own samples queue and sink: a replay's checkpoint. Call it between
    /// dispatches (the queue is empty then).
    func replayCopy(samples: LiveSampleQueue?, sink: LogFeedSink?) -> LogFeed {
        let other = LogFeed(inputs: inputs, preset: preset, queueCapacity: queue.capacity, interval: interval, maxBatchLines: maxBatchLines,
                            maxPendingBatches: maxPendingBatches, maxStoredBytes: maxStoredBytes, mergeWindow: mergeWindow,
                            mergeCapacity: mergeCapacity)
        other.sink = sink
        other.samples = samples
        other.snapshot = snapshot
        other.decoders = decoders
        other.sourceHealth = sourceHealth
        other.order = order
        other.recent = recent
        other.refusedLines = refusedLines
        other.lastHealthSent = lastHealthSent
        other.lastHealthTime = lastHealthTime
        other.generator = generator
        other.merger = merger
        other.lateBySource = lateBySource
        return other
    }

    /// Sends the lines whose merge window has passed at `arrival`, decoding nothing (a replay
    /// calls it between recorded dispatches so the logs screen moves with the clock).
    public func releaseMerged(arrival: Timestamp) {
        var records: [LogsRecord] = []
        merger.drain(now: arrival, into: &records) { r in lateBySource[r.source, default: 0] += 1 }
        guard !records.isEmpty else { return }
        lock.lock()
        let sink = self.sink
        lock.unlock()
        _ = sink?.send(.external(LogsBatch(records: records, health: lastHealthSent)))
    }

}
