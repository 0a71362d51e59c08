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
    @Test func everyWindowEqualsAFullEvaluationEveryRound() throws {
        let service = SLOSyntheticService(errorRatio: 1.0)
        let spec = SLOSpec(service: "api", name: "a", objective: 0.999, indicator: service.indicator)
        let counting = SLOCountingQuerier(service.querier(period: Interval.parse("30d")!))
        var live = SLOLiveEvaluator(specs: [spec])
        let T = service.errorsStart
        var firstPage: Timestamp? = nil
        for s in -5...180 {
            let at = T + Interval(milliseconds: Int64(s) * 1000)
            let round = live.evaluate(at: at, querier: counting)
            #expect(round.errors.isEmpty)
            let status = try #require(round.statuses[0])
            if firstPage == nil, status.state == .page { firstPage = at }
            // every window up to the period, the budget and the tiers: exactly what eval says
            let full = try SLOEvaluator(querier: counting.inner).evaluate(spec, at: at)
            #expect(status.windows == full.windows, "round \(s)")
            #expect(status.budgetRemaining == full.budgetRemaining)
            #expect(status.timeToExhaustionSeconds == full.timeToExhaustionSeconds)
            #expect(status.alerts.map(\.firing) == full.alerts.map(\.firing))
            if s == 60 {
                // a minute into a full outage the period has lost 600 of its 2.592 M events
                let period = try #require(status.windows.last?.errorRatio)
                #expect(abs(period - 600.0 / 25_920_000) < 1e-12)
            }
        }
        // 14.4× over 1h fires at T + 51.84 s: the first round after it
        let fired = try #require(firstPage)
        #expect((fired - T).seconds == 52)
    }

    @Test func windowsSayHowMuchDataTheyHold() throws {
        var store = SeriesStore()
        let ok = store.seriesID(for: Labels(["__name__": "http_requests_total", "code": "200"]))
        let bad = store.seriesID(for: Labels(["__name__": "http_requests_total", "code": "500"]))
        let start: Int64 = 1_700_000_000_000
        for k in 0...25 {
            store.append(id: ok, time: start + Int64(k) * 1000, value: Double(k) * 10)
            store.append(id: bad, time: start + Int64(k) * 1000, value: Double(max(0, k - 5)))
        }
        let spec = SLOSpec(service: "api", name: "a", objective: 0.999, indicator: .events(
            errorQuery: "sum(rate(http_requests_total{code=~\"5..\"}[{{.window}}]))",
            totalQuery: "sum(rate(http_requests_total[{{.window}}]))"))
        var live = SLOLiveEvaluator(specs: [spec])
        let at = Timestamp(milliseconds: start + 25_000)
        let status = try #require(live.evaluate(at: at, querier: PromQLEngine(store: store)).statuses[0])
        #expect(status.windows.count == SLOWindow.all.count)
        for w in status.windows {
            #expect(w.dataSeconds == 25, "\(w.window)")
            #expect(w.errorRatio != nil && w.errorRatio! > 0)
        }
        #expect(status.budgetDataSeconds == 25)
        // the same numbers as eval, which does not look for the data start
        let full = try SLOEvaluator(querier: PromQLEngine(store: store)).evaluate(spec, at: at)
        #expect(status.windows.map(\.errorRatio) == full.windows.map(\.errorRatio))
        #expect(status.budgetRemaining == full.budgetRemaining)
    }
}
