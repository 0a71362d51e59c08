import BurnwatchCore
import Synchronization
import Testing

/// Counts the queries that reach a querier.
final class SLOCountingQuerier: PromQLQuerier {
    let inner: SLOFakeQuerier
    let count = Mutex(0)
    init(_ inner: SLOFakeQuerier) { self.inner = inner }
    func instantQuery(_ expression: String, at time: Timestamp) throws -> QueryValue {
        count.withLock { $0 += 1 }
        return try inner.instantQuery(expression, at: time)
    }
    func rangeQuery(_ expression: String, start: Timestamp, end: Timestamp, step: Interval) throws -> QueryValue {
        count.withLock { $0 += 1 }
        return try inner.rangeQuery(expression, start: start, end: end, step: step)
    }
}

@Suite struct SLOLiveEvaluatorTests {
    @Test func refreshIntervalsFollowTheWindowLength() {
        #expect(SLOLiveEvaluator.refreshInterval(for: Interval.parse("5m")!).seconds == 1)
        #expect(SLOLiveEvaluator.refreshInterval(for: Interval.parse("1h")!).seconds == 10)
        #expect(SLOLiveEvaluator.refreshInterval(for: Interval.parse("1d")!).seconds == 240)
    }

    @Test func liveRoundsMatchFullEvaluationAndQueryLess() throws {
        let service = SLOSyntheticService(errorRatio: 1.0)
        let spec = SLOSpec(service: "api", name: "a", objective: 0.999, indicator: service.indicator)
        let counting = SLOCountingQuerier(service.querier(period: Interval.parse("30d")!))
        var live = SLOLiveEvaluator(specs: [spec])
        let T = service.errorsStart
        var firstPage: Timestamp? = nil
        var first: SLOStatus? = nil
        for s in 0...180 {
            let at = T + Interval(milliseconds: Int64(s) * 1000)
            let round = live.evaluate(at: at, querier: counting)
            #expect(round.errors.isEmpty)
            let status = try #require(round.statuses[0])
            if firstPage == nil, status.state == .page { firstPage = at }
            // the 5m window is always fresh and equals a full evaluation
            let full = try SLOEvaluator(querier: counting.inner).evaluate(spec, at: at)
            #expect(status.window("5m") == full.window("5m"))
            if s == 0 { #expect(status.windows == full.windows) }  // the first round measures every window
            // windows up to 6h refresh at least once a minute; longer ones keep their first value here
            if s % 60 == 0 { #expect(Array(status.windows.prefix(5)) == Array(full.windows.prefix(5))) }
            #expect(status.window("1d") == first?.window("1d") || s == 0)
            if s == 0 { first = status }
        }
        // 14.4× fires at T + 51.84 s; the 1h window may be up to 10 s old, so within 11 s
        let fired = try #require(firstPage)
        #expect((fired - T).seconds >= 52 && (fired - T).seconds <= 52 + 10)
        // 181 rounds × 2 queries for 5m, far fewer for the rest than 181 × 16
        let queries = counting.count.withLock { $0 }
        #expect(queries < 181 * 2 * 2)
        #expect(queries >= 181 * 2)
    }
}
