/// Merges events from several sources into time order per service, waiting a short window for
/// late arrivals (a bounded reorder buffer).
///
/// An item is held until `window` has passed since it arrived, then released in event-time order
/// (arrival order among equal times). An item older than one already released for its service
/// is released at once and counted in `late`.
public struct LogTimeMerger<Item: Sendable>: Sendable {
    struct Held: Sendable { var item: Item; var time: Timestamp; var arrival: Timestamp; var service: String; var seq: Int }

    public let window: Interval
    public let capacity: Int
    private var held: [Held] = []
    private var seq = 0
    private var lastReleased: [String: Timestamp] = [:]
    /// Items released out of order because they came later than the window.
    public private(set) var late = 0

    /// Creates a merger.
    ///
    /// - Parameters:
    ///   - window: how long an item waits for earlier items from other sources.
    ///   - capacity: the most items held; beyond it the oldest are released early.
    public init(window: Interval = Interval(milliseconds: 250), capacity: Int = 100_000) {
        self.window = window; self.capacity = capacity
    }

    /// Adds an item; `time` is the event's own time (or its arrival when it has none).
    public mutating func push(_ item: Item, time: Timestamp?, service: String, arrival: Timestamp) {
        held.append(Held(item: item, time: time ?? arrival, arrival: arrival, service: service, seq: seq))
        seq += 1
    }

    /// Releases the items whose window has passed at `now`, in time order per service.
    ///
    /// - Complexity: O(n log n) in the items held.
    public mutating func drain(now: Timestamp) -> [Item] {
        drainMarkingLate(now: now).map(\.item)
    }

    /// Releases the items whose window has passed at `now`, like `drain(now:)`, and says of each
    /// whether it was late (older than an item already released for its service), so that a
    /// caller can count late items per source.
    ///
    /// - Complexity: O(n log n) in the items held.
    public mutating func drainMarkingLate(now: Timestamp) -> [(item: Item, late: Bool)] {
        let cutoff = now - window
        var ready: [Held] = []
        var keep: [Held] = []
        let overflow = max(0, held.count - capacity)
        // Ready: past the window, beyond the capacity, or already late (waiting cannot help it).
        func isReady(_ h: Held) -> Bool {
            if h.arrival <= cutoff { return true }
            if let last = lastReleased[h.service], h.time < last { return true }
            return false
        }
        if overflow == 0, !held.contains(where: isReady) { return [] }
        for (i, h) in held.enumerated() {
            if i < overflow || isReady(h) { ready.append(h) } else { keep.append(h) }
        }
        held = keep
        ready.sort { ($0.time, $0.seq) < ($1.time, $1.seq) }
        var out: [(item: Item, late: Bool)] = []
        out.reserveCapacity(ready.count)
        for h in ready {
            if let last = lastReleased[h.service], h.time < last {
                late += 1
                out.append((h.item, true))
            } else {
                lastReleased[h.service] = h.time
                out.append((h.item, false))
            }
        }
        return out
    }

    /// Items held, waiting for their window.
    public var heldCount: Int { held.count }

    /// Releases everything held (at the end of input).
    public mutating func drainAll() -> [Item] {
        drain(now: Timestamp(milliseconds: Int64.max / 2))
    }
}
