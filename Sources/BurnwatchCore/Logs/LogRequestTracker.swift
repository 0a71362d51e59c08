/// Per-key state kept only for keys seen within a window of log time, at most `capacity` keys.
///
/// A dictionary holds the state; a FIFO queue of (time, key) finds the oldest keys. A key touched
/// again is not moved in the queue: when it reaches the head it is put back with its last-seen time
/// if that is still recent, so every touch costs O(1) amortised. Keys older than the window are
/// dropped quietly; keys pushed out by the capacity (least recently seen first) are counted in `evicted`.
/// Keys are values of their own (a service and a request id, say), so a touch builds no string.
struct LogKeyTable<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct Slot: Sendable { var value: Value; var lastSeen: Int64 }
    private struct Queued: Sendable { var time: Int64; var key: Key }

    /// How long (in log-time milliseconds) an untouched key is kept.
    let window: Int64
    /// The most keys kept.
    let capacity: Int
    private var slots: [Key: Slot] = [:]
    private var queue: [Queued] = []
    private var head = 0
    private var now = Int64.min
    /// Keys dropped because the table was full.
    private(set) var evicted = 0

    /// Creates an empty table.
    ///
    /// - Parameters:
    ///   - window: how long an untouched key is kept, in milliseconds of log time.
    ///   - capacity: the most keys kept (at least 1).
    init(window: Int64, capacity: Int) {
        self.window = window; self.capacity = max(1, capacity)
    }

    /// How many keys are tracked.
    var count: Int { slots.count }

    /// Runs `body` on the state of `key` (`initial` when the key is not tracked) and keeps the result.
    ///
    /// - Parameters:
    ///   - key: the key.
    ///   - time: the log time of the touch, in milliseconds; it advances the table's clock.
    ///   - initial: the state of a key not tracked (new, expired or evicted).
    ///   - body: reads and changes the state; its result is returned.
    /// - Complexity: O(1) amortised.
    mutating func update<R>(_ key: Key, at time: Int64, initial: Value, _ body: (inout Value, _ isNew: Bool) -> R) -> R {
        if time > now { now = time; expire() }
        if let i = slots.index(forKey: key) {
            let r = body(&slots.values[i].value, false)
            slots.values[i].lastSeen = max(slots.values[i].lastSeen, time)
            return r
        }
        var value = initial
        let r = body(&value, true)
        slots[key] = Slot(value: value, lastSeen: time)
        queue.append(Queued(time: time, key: key))
        while slots.count > capacity, evictOldest() {}
        return r
    }

    /// The state of `key` without touching it, or `nil` when it is not tracked.
    func peek(_ key: Key) -> Value? { slots[key]?.value }

    /// Drops keys not seen within the window before the clock.
    private mutating func expire() {
        let cutoff = now &- window
        while head < queue.count, queue[head].time < cutoff {
            let q = popHead()
            guard let slot = slots[q.key] else { continue }
            if slot.lastSeen > q.time, slot.lastSeen >= cutoff {
                queue.append(Queued(time: slot.lastSeen, key: q.key))
            } else {
                slots[q.key] = nil
            }
        }
    }

    /// Drops the least recently seen key; `false` when the queue is empty.
    private mutating func evictOldest() -> Bool {
        while head < queue.count {
            let q = popHead()
            guard let slot = slots[q.key] else { continue }
            if slot.lastSeen > q.time {
                queue.append(Queued(time: slot.lastSeen, key: q.key))   // touched since: not the oldest
                continue
            }
            slots[q.key] = nil
            evicted += 1
            return true
        }
        return false
    }

    private mutating func popHead() -> Queued {
        let q = queue[head]
        head += 1
        if head >= 1024, head * 2 >= queue.count {
            queue.removeFirst(head)
            head = 0
        }
        return q
    }
}

/// Reads log field values (always text in `LogEvent.fields`) as numbers, flags and durations.
enum LogFieldValue {
    /// A finite number written in decimal (`3`, `-1.5`, `2e3`, `+1`), or `nil`.
    static func number(_ text: String) -> Double? {
        guard let first = text.utf8.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || first == UInt8(ascii: ".")
                || (first >= 48 && first <= 57) else { return nil }
        guard let v = Double(text.utf8.first == UInt8(ascii: "+") ? String(text.dropFirst()) : text), v.isFinite else { return nil }
        return v
    }

    /// A whole number (`3`, `3.0`), or `nil`.
    static func integer(_ text: String) -> Int? {
        guard let v = number(text), v == v.rounded(), abs(v) < 1e15 else { return nil }
        return Int(v)
    }

    /// A flag: `true`/`false`, `1`/`0`, `yes`/`no` (any case), or `nil`.
    static func flag(_ text: String) -> Bool? {
        switch asciiLowercased(text) {
        case "true", "1", "yes", "y", "t": return true
        case "false", "0", "no", "n", "f": return false
        default: return nil
        }
    }

    /// Seconds from a Go duration (`200ms`, `1.5s`, `1m30s`, `750us`), or `nil` when `text` is not one.
    ///
    /// - Complexity: O(n) in the length of `text`.
    static func goDuration(_ text: String) -> Double? {
        let b = Array(text.utf8)
        var i = 0, total = 0.0, any = false
        while i < b.count {
            let start = i
            while i < b.count, (b[i] >= 48 && b[i] <= 57) || b[i] == UInt8(ascii: ".") { i += 1 }
            guard i > start, let n = Double(String(decoding: b[start..<i], as: UTF8.self)) else { return nil }
            let unitStart = i
            while i < b.count, !(b[i] >= 48 && b[i] <= 57), b[i] != UInt8(ascii: ".") { i += 1 }
            let scale: Double
            switch String(decoding: b[unitStart..<i], as: UTF8.self) {
            case "ns": scale = 1e-9
            case "us", "µs", "μs": scale = 1e-6
            case "ms": scale = 1e-3
            case "s": scale = 1
            case "m": scale = 60
            case "h": scale = 3600
            default: return nil
            }
            total += n * scale
            any = true
        }
        return any && total.isFinite ? total : nil
    }

    /// `text` with ASCII letters lower-cased.
    static func asciiLowercased(_ text: String) -> String {
        String(decoding: text.utf8.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }, as: UTF8.self)
    }

    /// The UTF-8 bytes of `text` with ASCII letters lower-cased (empty for `nil`).
    static func lowercasedBytes(_ text: String?) -> [UInt8] {
        guard let text else { return [] }
        return text.utf8.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }
    }

    /// Whether `hay` (lower-cased bytes) contains `needle` (lower-case ASCII).
    ///
    /// - Complexity: O(n·m).
    static func contains(_ hay: [UInt8], _ needle: String) -> Bool {
        let n = Array(needle.utf8)
        guard !n.isEmpty else { return true }
        guard hay.count >= n.count else { return false }
        for start in 0...(hay.count - n.count) where hay[start] == n[0] {
            var k = 1
            while k < n.count, hay[start + k] == n[k] { k += 1 }
            if k == n.count { return true }
        }
        return false
    }
}
