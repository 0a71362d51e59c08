import BurnwatchCore
import Foundation

/// A bounded, thread-safe queue of samples for the watch session's series store.
///
/// Feeds (log-derived series, tests) `push` from any thread; the session drains it into the store
/// on its own thread. When full, new samples are dropped and counted, never silently lost. While
/// a session records, the log feed's dispatches (the raw items with their arrival time) travel
/// with their samples, so the recording holds them in the order the store applied them.
public final class LiveSampleQueue: @unchecked Sendable {
    /// One sample for the store.
    public struct Sample: Sendable {
        public var labels: Labels
        public var time: Timestamp
        public var value: Double
        public init(labels: Labels, time: Timestamp, value: Double) { self.labels = labels; self.time = time; self.value = value }
    }

    /// What one dispatch of the log feed took from its sources, and when (kept only while recording).
    public struct Dispatch: Sendable {
        public var arrival: Timestamp
        public var items: [LogSourceItem]
    }

    /// The bound.
    public let capacity: Int
    private let lock = NSLock()
    private var pending: [Sample] = []
    private var entries: [(dispatch: Dispatch?, samples: Range<Int>)] = []
    private var droppedCount = 0
    private var keeping = false

    public init(capacity: Int = 100_000) { self.capacity = max(1, capacity) }

    /// Whether dispatches are kept with their samples (a recording session sets it before starting).
    public var keepsDispatches: Bool {
        get { lock.lock(); defer { lock.unlock() }; return keeping }
        set { lock.lock(); keeping = newValue; lock.unlock() }
    }

    /// Appends samples; those beyond the bound are dropped and counted.
    ///
    /// - Returns: how many were accepted.
    @discardableResult
    public func push(_ samples: [Sample]) -> Int {
        lock.lock(); defer { lock.unlock() }
        return accept(samples, dispatch: nil)
    }

    /// Appends one dispatch's samples, with the dispatch itself when dispatches are kept.
    public func push(dispatch: Dispatch, samples: [Sample]) {
        lock.lock(); defer { lock.unlock() }
        _ = accept(samples, dispatch: keeping ? dispatch : nil)
    }

    private func accept(_ samples: [Sample], dispatch: Dispatch?) -> Int {
        let room = max(0, capacity - pending.count)
        let accepted = min(room, samples.count)
        let start = pending.count
        pending.append(contentsOf: samples.prefix(accepted))
        droppedCount += samples.count - accepted
        if dispatch != nil || accepted > 0 { entries.append((dispatch, start..<pending.count)) }
        return accepted
    }

    /// Takes every pending sample, oldest first.
    public func drain() -> [Sample] {
        lock.lock(); defer { lock.unlock() }
        let out = pending
        pending.removeAll(keepingCapacity: true)
        entries.removeAll(keepingCapacity: true)
        return out
    }

    /// Takes every pending dispatch with its samples, oldest first (samples pushed without a
    /// dispatch come with nil).
    public func drainDispatches() -> [(dispatch: Dispatch?, samples: ArraySlice<Sample>)] {
        lock.lock(); defer { lock.unlock() }
        let out = entries.map { ($0.dispatch, pending[$0.samples]) }
        pending.removeAll(keepingCapacity: true)
        entries.removeAll(keepingCapacity: true)
        return out
    }

    /// Samples dropped because the queue was full.
    public var dropped: Int { lock.lock(); defer { lock.unlock() }; return droppedCount }
}
