/// Merges events from several sources into time order per service, waiting a short window for
/// late arrivals (a bounded reorder buffer).
///
/// An item is held until `window` has passed since it arrived, then released in event-time order
/// (arrival order among equal times). An item older than one already released for its service
/// is released at once and counted in `late`.
public struct LogTimeMerger<Item: Sendable>: Sendable {

    public let window: Interval
    public let capacity: Int
    // The held items and what they are ordered by, kept in parallel arrays in push order (so
    // that an item's index orders equal times by arrival, and sorting touches no item).
    /// Optional so that a released item is moved out (`take()`), not copied and then destroyed.
    // Inlinable (with the methods that run per line), so that a client's merger is specialised
    // for its item type: unspecialised, every move of an item is a call through its witness table.
    @usableFromInline var items: [Item?] = []
    @usableFromInline var times: [Timestamp] = []
    @usableFromInline var arrivals: [Timestamp] = []
    @usableFromInline var services: [String] = []
    @usableFromInline var lastReleased: [String: Timestamp] = [:]
    @usableFromInline var lateCount = 0
    /// Items released out of order because they came later than the window.
    public var late: Int { lateCount }

    /// Creates a merger.
    ///
    /// - Parameters:
    ///   - window: how long an item waits for earlier items from other sources.
    ///   - capacity: the most items held; beyond it the oldest are released early.
    public init(window: Interval = Interval(milliseconds: 250), capacity: Int = 100_000) {
        self.window = window; self.capacity = capacity
    }

    /// Adds an item; `time` is the event's own time (or its arrival when it has none).
    @inlinable
    public mutating func push(_ item: Item, time: Timestamp?, service: String, arrival: Timestamp) {
        items.append(item)
        times.append(time ?? arrival)
        arrivals.append(arrival)
        services.append(service)
    }

    /// Releases the items whose window has passed at `now`, in time order per service.
    ///
    /// - Complexity: O(n log n) in the items held.
    @inlinable
    public mutating func drain(now: Timestamp) -> [Item] {
        var out: [Item] = []
        drain(now: now, into: &out) { _ in }
        return out
    }

    /// Releases the items whose window has passed at `now`, like `drain(now:)`, and says of each
    /// whether it was late (older than an item already released for its service), so that a
    /// caller can count late items per source.
    ///
    /// - Complexity: O(n log n) in the items held.
    @inlinable
    public mutating func drainMarkingLate(now: Timestamp) -> [(item: Item, late: Bool)] {
        var out: [(item: Item, late: Bool)] = []
        drain(now: now, into: &out, { ($0, false) }, late: { $0.late = true })
        return out
    }

    /// Releases the items whose window has passed at `now` onto the end of `out`, calling
    /// `onLate` with each late one before it is added (the items are moved, not copied).
    /// - Complexity: O(n log n) in the items held.
    @inlinable
    public mutating func drain(now: Timestamp, into out: inout [Item], onLate: (Item) -> Void) {
        drain(now: now, into: &out, { $0 }, late: { onLate($0) })
    }

    @inlinable
    mutating func drain<Out>(now: Timestamp, into out: inout [Out], _ wrap: (Item) -> Out, late markLate: (inout Out) -> Void) {
        let cutoff = now - window
        let count = items.count
        let overflow = max(0, count - capacity)
        // Ready: past the window, beyond the capacity, or already late (waiting cannot help it).
        // The last released time of the service looked at last is kept, so that a run of one
        // service's items costs one dictionary look-up.
        var cachedService: String?
        var cachedLast: Timestamp?
        var ready: [(time: Timestamp, index: Int)] = []
        for i in 0..<count {
            var isReady = i < overflow || arrivals[i] <= cutoff
            if !isReady {
                if cachedService == nil || services[i] != cachedService! {
                    cachedService = services[i]
                    cachedLast = lastReleased[services[i]]
                }
                if let last = cachedLast, times[i] < last { isReady = true }
            }
            if isReady { ready.append((times[i], i)) }
        }
        if ready.isEmpty { return }
        ready.sort { $0.time < $1.time || ($0.time == $1.time && $0.index < $1.index) }
        out.reserveCapacity(out.count + ready.count)
        cachedService = nil
        cachedLast = nil
        for (time, i) in ready {
            if cachedService == nil || services[i] != cachedService! {
                if let s = cachedService { lastReleased[s] = cachedLast }
                cachedService = services[i]
                cachedLast = lastReleased[services[i]]
            }
            var released = wrap(items[i].take()!)
            if let last = cachedLast, time < last {
                lateCount += 1
                markLate(&released)
            } else {
                cachedLast = time
            }
            out.append(released)
        }
        if let s = cachedService { lastReleased[s] = cachedLast }
        if ready.count == count {
            items.removeAll(keepingCapacity: true)
            times.removeAll(keepingCapacity: true)
            arrivals.removeAll(keepingCapacity: true)
            services.removeAll(keepingCapacity: true)
        } else {
            // Keep the rest in push order: move each kept item down over the released ones.
            var released = [Bool](repeating: false, count: count)
            for r in ready { released[r.index] = true }
            var next = 0
            for i in 0..<count where !released[i] {
                if next != i {
                    items.swapAt(next, i)
                    times.swapAt(next, i)
                    arrivals.swapAt(next, i)
                    services.swapAt(next, i)
                }
                next += 1
            }
            items.removeLast(count - next)
            times.removeLast(count - next)
            arrivals.removeLast(count - next)
            services.removeLast(count - next)
        }
    }

    /// Items held, waiting for their window.
    public var heldCount: Int { items.count }

    /// Releases everything held (at the end of input).
    public mutating func drainAll() -> [Item] {
        drain(now: Timestamp(milliseconds: Int64.max / 2))
    }
}
