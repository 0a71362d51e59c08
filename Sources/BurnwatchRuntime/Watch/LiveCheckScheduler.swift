import BurnwatchCore
import BurnwatchUI

/// Which live checks the watch session evaluates next: the checks of the runbook on screen, one
/// full pass every `interval`, and never more than `perSecond` checks in any one-second window.
///
/// A value driven by a monotonic millisecond clock that the caller passes in (testable without time).
struct LiveCheckScheduler {
    /// The checks asked for (the open document's), in document order.
    private(set) var requests: [LiveCheckRequest] = []
    private var cursor = 0
    private var nextPass: Int64 = 0
    private var windowStart: Int64?
    private var usedInWindow = 0
    let interval: Int64
    let perSecond: Int

    init(intervalMilliseconds: Int64, perSecond: Int) {
        self.interval = max(1, intervalMilliseconds)
        self.perSecond = max(1, perSecond)
    }

    /// Replaces the checks (another document opened); a new pass starts at once.
    mutating func replace(_ new: [LiveCheckRequest], now: Int64) {
        requests = new
        cursor = new.count
        nextPass = now
    }

    /// The checks to evaluate now: the rest of the current pass, or a new pass when one is due,
    /// within what is left of this second's budget.
    mutating func take(now: Int64) -> ArraySlice<LiveCheckRequest> {
        let inWindow = windowStart.map { now >= $0 && now - $0 < 1000 } ?? false
        if !inWindow { windowStart = now; usedInWindow = 0 }
        if cursor >= requests.count {
            guard !requests.isEmpty, now >= nextPass else { return [] }
            cursor = 0
            nextPass = now + interval
        }
        let n = min(perSecond - usedInWindow, requests.count - cursor)
        guard n > 0 else { return [] }
        let batch = requests[cursor..<(cursor + n)]
        cursor += n
        usedInWindow += n
        return batch
    }
}
