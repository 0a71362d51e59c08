import BurnwatchCore
import Foundation

/// One thing a log source produced: a line, or a problem to show.
public enum LogSourceItem: Sendable, Equatable {
    /// A line (without its newline), cut at the line cap when `truncated`.
    case line(source: String, bytes: [UInt8], truncated: Bool)
    /// A source error: a file that vanished, a command's stderr line, a command that exited.
    case error(source: String, message: String)
    /// A file was rotated or truncated, or a new file appeared.
    case notice(source: String, message: String)
}

/// A bounded, thread-safe queue between sources and the engine; what the bound drops is counted.
public final class LogSourceQueue: @unchecked Sendable {
    public let capacity: Int
    private let lock = NSLock()
    private var items: [LogSourceItem] = []
    private var head = 0
    private var droppedByName: [String: Int] = [:]

    /// Creates a queue holding at most `capacity` items.
    public init(capacity: Int = 65_536) { self.capacity = max(1, capacity) }

    /// Adds an item; when the queue is full a line is dropped and counted (errors and notices are
    /// always kept, so a problem is never hidden by load).
    public func push(_ item: LogSourceItem) {
        lock.lock(); defer { lock.unlock() }
        if items.count - head >= capacity, case .line(let source, _, _) = item {
            droppedByName[source, default: 0] += 1
            return
        }
        items.append(item)
    }

    /// Removes and returns up to `max` items, oldest first.
    public func pop(max: Int = .max) -> [LogSourceItem] {
        lock.lock(); defer { lock.unlock() }
        let end = min(items.count, head + max)
        let out = Array(items[head..<end])
        head = end
        if head > 4096 && head * 2 > items.count { items.removeFirst(head); head = 0 }
        if head == items.count { items.removeAll(keepingCapacity: true); head = 0 }
        return out
    }

    /// Lines dropped because the queue was full, by source.
    public var dropped: [String: Int] { lock.lock(); defer { lock.unlock() }; return droppedByName }

    /// Items waiting.
    public var count: Int { lock.lock(); defer { lock.unlock() }; return items.count - head }
}
