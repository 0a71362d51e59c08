import BurnwatchCore
import Testing

/// Previous-hour baselines are read at the last whole minute and kept for that minute.
@Suite struct SignalBaselineTests {
    static func store() -> SeriesStore {
        var store = SeriesStore()
        let id = store.seriesID(for: Labels(["__name__": "req_total", "job": "api"]))
        for k in 0..<400 { store.append(id: id, time: 1_767_225_600_000 + Int64(k) * 15_000, value: Double(k * k) / 3) }
        return store
    }

    @Test func readsTheLastWholeMinuteAndKeepsItForThatMinute() throws {
        let engine = PromQLEngine(store: Self.store())
        let q = "sum by (job) (rate(req_total[1h] offset 5m))"
        let minute = Timestamp(milliseconds: 1_767_225_600_000 + 90 * 60_000)
        guard case .vector(let expected) = try engine.instantQuery(q, at: minute),
              case .vector(let later) = try engine.instantQuery(q, at: minute + Interval(milliseconds: 60_000)) else {
            Issue.record("not vectors"); return
        }
        #expect(expected.first?.value != later.first?.value)   // the baseline does move minute by minute
        let memo = SignalQueryMemo()
        for second: Int64 in [0, 1, 37, 59] {
            let at = minute + Interval(milliseconds: second * 1000)
            let context = SignalContext(time: at, querier: engine, memo: memo)
            #expect(context.baselineVector(q)?.map(\.value) == expected.map(\.value), "at +\(second) s")
            #expect(context.sumByService(baseline: q)["api"] == expected.first?.value, "at +\(second) s")
        }
        // The next minute asks again, with or without a memo.
        let next = minute + Interval(milliseconds: 60_000)
        #expect(SignalContext(time: next, querier: engine, memo: memo).baselineVector(q)?.map(\.value) == later.map(\.value))
        #expect(SignalContext(time: next + Interval(milliseconds: 5_000), querier: engine).baselineVector(q)?.map(\.value) == later.map(\.value))
    }

    @Test func aFailingBaselineIsAProblemNotZero() {
        let context = SignalContext(time: Timestamp(milliseconds: 1_767_225_600_000), querier: PromQLEngine(store: Self.store()))
        #expect(context.baselineVector("rate(req_total[1h] offset") == nil)
        #expect(context.problems.count == 1)
        #expect(context.sumByService(baseline: "rate(req_total[1h] offset").isEmpty)
    }
}
