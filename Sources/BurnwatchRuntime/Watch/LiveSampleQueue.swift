import BurnwatchCore
import Foundation

/// A bounded, thread-safe queue of samples for the watch session's series store.
///
/// Feeds (log-derived series, tests) `push` from any thread; the session drains it into the store
/// on its own thread. When full, new samples are dropped and counted, never silently lost.
public final class LiveSampleQueue: @unchecked Sendable {
    /// One sample for the store.
    public struct Sample: Sendable {
        public var labels: Labels
        public var time: Timestamp
        public var value: Double
        public init(labels: Labels, time: Timestamp, value: Double) { self.labels = labels; self.time = time; self.value = value }
    }

    /// The bound.
    public let capacity: Int
    private let lock = NSLock()
    private var pending: [Sample] = []
    private var droppedCount = 0

    public init(capacity: Int = 100_000) { self.capacity = max(1, capacity) }

    /// Appends samples; those beyond the bound are dropped and counted.
    ///
    /// - Returns: how many were accepted.
    @discardableResult
    public func push(_ samples: [Sample]) -> Int {
        lock.lock(); defer { lock.unlock() }
        let room = max(0, capacity - pending.count)
        let accepted = min(room, samples.count)
        pending.append(contentsOf: samples.prefix(accepted))
        droppedCount += samples.count - accepted
        return accepted
    }

    /// Takes every pending sample, oldest first.
    public func drain() -> [Sample] {
        lock.lock(); defer { lock.unlock() }
        let out = pending
        pending.removeAll(keepingCapacity: true)
        return out
    }

    /// Samples dropped because the queue was full.
    public var dropped: Int { lock.lock(); defer { lock.unlock() }; return droppedCount }
}
