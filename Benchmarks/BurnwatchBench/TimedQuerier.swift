import BurnwatchCore
import Foundation

/// A querier that times every expression it passes on: for `burnwatch-bench signals --queries`,
/// which prints where a detector round spends its time.
final class TimedQuerier: PromQLQuerier, @unchecked Sendable {
    private let inner: any PromQLQuerier
    private let lock = NSLock()
    private var spent: [String: (calls: Int, seconds: Double)] = [:]

    init(_ inner: any PromQLQuerier) { self.inner = inner }

    func instantQuery(_ expression: String, at time: Timestamp) throws -> QueryValue {
        try timed(expression) { try inner.instantQuery(expression, at: time) }
    }

    func rangeQuery(_ expression: String, start: Timestamp, end: Timestamp, step: Interval) throws -> QueryValue {
        try timed(expression) { try inner.rangeQuery(expression, start: start, end: end, step: step) }
    }

    private func timed(_ expression: String, _ body: () throws -> QueryValue) throws -> QueryValue {
        let start = DispatchTime.now().uptimeNanoseconds
        defer {
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            lock.lock()
            let was = spent[expression] ?? (0, 0)
            spent[expression] = (was.calls + 1, was.seconds + seconds)
            lock.unlock()
        }
        return try body()
    }

    /// The `limit` expressions that took longest in all, with their call counts.
    func slowest(_ limit: Int) -> [(expression: String, calls: Int, seconds: Double)] {
        lock.lock()
        defer { lock.unlock() }
        let all: [(expression: String, calls: Int, seconds: Double)] = spent.map { (expression: $0.key, calls: $0.value.calls, seconds: $0.value.seconds) }
        return Array(all.sorted { $0.seconds > $1.seconds }.prefix(limit))
    }
}
