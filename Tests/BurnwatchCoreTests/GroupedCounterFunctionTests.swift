@testable import BurnwatchCore
import Testing

/// `agg by (…) (rate(sel[r]))` and `agg by (…) (sel)` are evaluated in one pass; it must equal the two-step evaluation
/// (forced here by parentheses around the argument) bit for bit, and fail the same way.
@Suite struct GroupedCounterFunctionTests {
    static func store() -> SeriesStore {
        var store = SeriesStore()
        var random = SeededRandom(seed: 11)
        for name in ["a_total", "b_total"] {
            for job in ["api", "db", "cache"] {
                for code in ["200", "500", ""] {
                    for shard in 0..<4 {
                        var labels = ["__name__": name, "job": job, "shard": "\(shard)", "kind": name == "a_total" ? "a" : "b"]
                        if !code.isEmpty { labels["code"] = code }
                        let id = store.seriesID(for: Labels(labels))
                        var v = Double(random.next() % 100) / 7
                        for k in 0..<80 {
                            if random.next() % 30 == 0 { v = 0 } else { v += Double(random.next() % 50) / 3 }
                            store.append(id: id, time: Int64(k) * 15_000 + Int64(random.next() % 40), value: v)
                        }
                    }
                }
            }
        }
        return store
    }

    @Test func equalsTheTwoStepEvaluation() throws {
        let engine = PromQLEngine(store: Self.store())
        let at = Timestamp(milliseconds: 79 * 15_000 + 7)
        let selectors = ["a_total", "a_total{code=~\"5..|\"}", "{__name__=~\"a_total|b_total\"}", "a_total offset 3m", "nothing_total"]
        for op in ["sum", "avg", "count", "min", "max", "group", "stddev", "stdvar"] {
            for function in ["rate", "increase", "delta"] {
                for grouping in ["", " by (job)", " by (code, job)", " by (__name__, shard)", " by (missing)", " by (kind, job)"] {
                    for selector in selectors {
                        let inner = selector.contains(" offset ")
                            ? "\(function)(\(selector.replacingOccurrences(of: " offset 3m", with: ""))[5m] offset 3m)"
                            : "\(function)(\(selector)[5m])"
                        let fused = "\(op)\(grouping) (\(inner))", twoStep = "\(op)\(grouping) ((\(inner)))"
                        let a = try engine.instantQuery(fused, at: at), b = try engine.instantQuery(twoStep, at: at)
                        guard case .vector(let x) = a, case .vector(let y) = b else { Issue.record("not vectors: \(fused)"); continue }
                        #expect(x.map(\.labels) == y.map(\.labels), "\(fused)")
                        #expect(x.map(\.value.bitPattern) == y.map(\.value.bitPattern), "\(fused)")
                    }
                }
            }
        }
    }

    @Test func aggregationsOfAPlainSelectorEqualTheTwoStepEvaluation() throws {
        var store = Self.store()
        // A series gone stale and one too old for the lookback are left out both ways.
        let stale = store.seriesID(for: Labels(["__name__": "a_total", "job": "api", "shard": "9"]))
        store.append(id: stale, time: 70 * 15_000, value: 5)
        store.markStale(id: stale, at: 75 * 15_000)
        let old = store.seriesID(for: Labels(["__name__": "b_total", "job": "db", "shard": "9"]))
        store.append(id: old, time: 10 * 15_000, value: 5)
        let engine = PromQLEngine(store: store)
        let at = Timestamp(milliseconds: 79 * 15_000 + 7)
        let selectors = ["a_total", "a_total{code=~\"5..|\"}", "{__name__=~\"a_total|b_total\"}", "a_total offset 3m", "b_total @ 600", "nothing_total"]
        for op in ["sum", "avg", "count", "min", "max", "group", "stddev", "stdvar"] {
            for grouping in ["", " by (job)", " by (code, job)", " by (__name__, shard)", " by (missing)", " by (kind, job)"] {
                for selector in selectors {
                    let fused = "\(op)\(grouping) (\(selector))", twoStep = "\(op)\(grouping) ((\(selector)))"
                    let a = try engine.instantQuery(fused, at: at), b = try engine.instantQuery(twoStep, at: at)
                    guard case .vector(let x) = a, case .vector(let y) = b else { Issue.record("not vectors: \(fused)"); continue }
                    #expect(x.map(\.labels) == y.map(\.labels), "\(fused)")
                    #expect(x.map(\.value.bitPattern) == y.map(\.value.bitPattern), "\(fused)")
                    if selector == "a_total", grouping.isEmpty, op == "count" { #expect(x.first?.value == 36) }
                }
            }
        }
    }

    @Test func seriesThatDifferOnlyInTheirNameFailBothWays() {
        var store = SeriesStore()
        for name in ["x_total", "y_total"] {
            let id = store.seriesID(for: Labels(["__name__": name, "job": "api"]))
            for k in 0..<10 { store.append(id: id, time: Int64(k) * 15_000, value: Double(k)) }
        }
        let engine = PromQLEngine(store: store)
        for q in ["sum by (job) (rate({__name__=~\"x_total|y_total\"}[5m]))", "sum by (job) ((rate({__name__=~\"x_total|y_total\"}[5m])))"] {
            #expect(throws: (any Error).self, "\(q)") { try engine.instantQuery(q, at: Timestamp(milliseconds: 140_000)) }
        }
        #expect(throws: Never.self) { try engine.instantQuery("sum by (job) (rate(x_total[5m]))", at: Timestamp(milliseconds: 140_000)) }
    }
}
