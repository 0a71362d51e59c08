import BurnwatchCore
import Foundation

/// The one bounded channel of timestamped events between the sources and the run loop.
///
/// Any thread may `send`; the run loop `receive`s. When the channel is full the newest event is
/// dropped and counted (`dropped`), never silently lost. Sending wakes the loop through a pipe
/// that it polls beside the terminal and the signals.
public final class EventChannel<Element: Sendable>: @unchecked Sendable {
    /// An event and the time it happened.
    public struct Stamped: Sendable {
        public var time: Timestamp
        public var event: Element
    }

    /// How many events the channel holds at most.
    public let capacity: Int
    /// The descriptor that becomes readable when something was sent.
    public let wakeReadEnd: Int32
    private let wakeWriteEnd: Int32
    private let lock = NSLock()
    private var queue: [Stamped] = []
    private var head = 0
    private var droppedCount = 0

    /// Creates a channel.
    ///
    /// - Parameter capacity: the bound (at least 1).
    /// - Throws: `BurnwatchError` (`.io`) when the wake pipe cannot be made.
    public init(capacity: Int) throws {
        guard let (r, w) = Platform.makePipe() else { throw BurnwatchError(.io, "cannot create the event channel's pipe") }
        self.capacity = max(1, capacity)
        wakeReadEnd = r
        wakeWriteEnd = w
    }

    deinit {
        Platform.close(wakeReadEnd)
        Platform.close(wakeWriteEnd)
    }

    /// Sends an event stamped with `time`.
    ///
    /// - Returns: false when the channel was full and the event was dropped.
    /// - Complexity: amortized O(1).
    @discardableResult
    public func send(_ event: Element, at time: Timestamp) -> Bool {
        lock.lock()
        let accepted = queue.count - head < capacity
        if accepted { queue.append(Stamped(time: time, event: event)) } else { droppedCount += 1 }
        lock.unlock()
        if accepted { Platform.poke(wakeWriteEnd, 1) }
        return accepted
    }

    /// Takes every pending event, oldest first.
    public func receiveAll() -> [Stamped] {
        _ = Platform.drain(wakeReadEnd)
        lock.lock()
        defer { lock.unlock() }
        let taken = Array(queue[head...])
        queue.removeAll(keepingCapacity: true)
        head = 0
        return taken
    }

    /// How many events were dropped because the channel was full.
    public var dropped: Int {
        lock.lock()
        defer { lock.unlock() }
        return droppedCount
    }

    /// How many events are waiting.
    public var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return queue.count - head
    }
}
