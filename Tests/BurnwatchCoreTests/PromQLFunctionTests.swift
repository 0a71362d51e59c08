import Testing
@testable import BurnwatchCore

/// Functions on hand-computed data.
@Suite struct PromQLFunctionTests {
    /// A store with `c{i="1"}` = 0,10,20,5(reset),15 at 0,15,30,45,60 s and `g{h=…}` gauges.
    func engine(compat: Int = 3) -> PromQLEngine {
        var store = SeriesStore()
        let c = Labels(["__name__": "c", "i": "1"])
        for (t, v) in [(0, 0.0), (15, 10), (30, 20), (45, 5), (60, 15)] { store.append(c, Timestamp(milliseconds: Int64(t) * 1000), v) }
        for (h, v) in [("a", 1.0), ("b", -2.5), ("c", 4)] {
            store.append(Labels(["__name__": "g", "h": h, "dc": h == "c" ? "w" : "e"]), Timestamp(milliseconds: 60_000), v)
        }
        for (le, v) in [("0.1", 2.0), ("1", 6), ("+Inf", 10)] {
            store.append(Labels(["__name__": "lat_bucket", "le": le]), Timestamp(milliseconds: 60_000), v)
        }
        return PromQLEngine(store: store, options: PromQLOptions(compat: compat))
    }

    func values(_ q: String, at seconds: Double = 60, compat: Int = 3) throws -> [String: Double] {
        switch try engine(compat: compat).instantQuery(q, at: Timestamp(seconds: seconds)) {
        case let .vector(v): return Dictionary(uniqueKeysWithValues: v.map { ($0.labels.description, $0.value) })
        case let .scalar(_, x): return ["scalar": x]
        default: return [:]
        }
    }

    @Test func increaseHandlesResetsAndExtrapolates() throws {
        // Window [0, 60] in 2.x: raw increase 20 + (15 after the reset of 20) = 35 over 60 s sampled,
        // both edges within 1.1 × 15 s, so no extrapolation: 35. Rate: 35 / 60.
        #expect(try values("increase(c[1m])", compat: 2)["{i=\"1\"}"] == 35)
        #expect(try values("rate(c[1m])", compat: 2)["{i=\"1\"}"] == 35.0 / 60)
        // 3.x: (0, 60] drops the sample at 0: 10→20, reset, 5→15: 10 + 20 - 10 + ... = 25 over 45 s,
        // start gap 15 s < 16.5 s, so extrapolated by 15 s but limited by the zero point: 10/25 × 45 = 18 s ≥ 15.
        #expect(try values("increase(c[1m])")["{i=\"1\"}"] == 25 * (60.0 / 45))
        #expect(try values("resets(c[1m])")["{i=\"1\"}"] == 1)
        #expect(try values("irate(c[1m])")["{i=\"1\"}"] == 10.0 / 15)
        #expect(try values("idelta(c[1m])")["{i=\"1\"}"] == 10)
        #expect(try values("delta(c[1m])", compat: 2)["{i=\"1\"}"] == 15)
    }

    @Test func zeroPointClampForCounters() throws {
        // Samples 50, 60 at 30 s and 45 s; window [0, 60]: increase 10 over 15 s. The start edge is 30 s
        // away (≥ 1.1 × 15 s): extrapolate by half an interval (7.5 s); the end edge is 15 s away
        // (< 16.5 s): extrapolate all of it. 10 × (15 + 7.5 + 15) / 15 = 25.
        var store = SeriesStore()
        store.append(Labels(["__name__": "x"]), Timestamp(milliseconds: 30_000), 50)
        store.append(Labels(["__name__": "x"]), Timestamp(milliseconds: 45_000), 60)
        let e = PromQLEngine(store: store, options: PromQLOptions(compat: 2))
        guard case let .vector(v) = try e.instantQuery("increase(x[1m])", at: Timestamp(milliseconds: 60_000)) else { Issue.record("no vector"); return }
        #expect(v.first?.value == 25)
        // Starting near zero: 1 then 11 at 30 s and 45 s: the zero point is 1.5 s before the first sample,
        // so the start extrapolates only 1.5 s: 10 × (15 + 1.5 + 15) / 15 = 21.
        var s2 = SeriesStore()
        s2.append(Labels(["__name__": "x"]), Timestamp(milliseconds: 30_000), 1)
        s2.append(Labels(["__name__": "x"]), Timestamp(milliseconds: 45_000), 11)
        let e2 = PromQLEngine(store: s2, options: PromQLOptions(compat: 2))
        guard case let .vector(v2) = try e2.instantQuery("increase(x[1m])", at: Timestamp(milliseconds: 60_000)) else { Issue.record("no vector"); return }
        #expect(v2.first?.value == 21)
    }

    @Test func histogramQuantileEdgeCases() {
        typealias B = PromQuantile.Bucket
        let ok = [B(upperBound: 0.1, count: 2), B(upperBound: 1, count: 6), B(upperBound: .infinity, count: 10)]
        #expect(PromQuantile.bucketQuantile(0.5, ok) == 0.1 + 0.9 * (3.0 / 4))
        #expect(PromQuantile.bucketQuantile(0.9, ok) == 1)            // in the +Inf bucket: the last finite bound
        #expect(PromQuantile.bucketQuantile(0.1, ok) == 0.1 * 0.5)    // first bucket interpolates from 0
        #expect(PromQuantile.bucketQuantile(-1, ok) == -.infinity)
        #expect(PromQuantile.bucketQuantile(2, ok) == .infinity)
        #expect(PromQuantile.bucketQuantile(.nan, ok).isNaN)
        #expect(PromQuantile.bucketQuantile(0.5, Array(ok.prefix(2))).isNaN)    // no +Inf
        #expect(PromQuantile.bucketQuantile(0.5, [B(upperBound: .infinity, count: 3)]).isNaN)
        #expect(PromQuantile.bucketQuantile(0.5, ok.map { B(upperBound: $0.upperBound, count: 0) }).isNaN)
        // Non-monotonic counts are forced monotonic: (0.1:5, 1:3, +Inf:10) → 1 counts 5, so rank 5 falls
        // at the top of the first bucket.
        let bad = [B(upperBound: 1, count: 3), B(upperBound: 0.1, count: 5), B(upperBound: .infinity, count: 10)]
        #expect(PromQuantile.bucketQuantile(0.5, bad) == 0.1)
        #expect(PromQuantile.bucketQuantile(0.75, bad) == 1)  // rank 7.5 is in +Inf: last finite bound
        // A first bucket with a non-positive bound returns that bound.
        #expect(PromQuantile.bucketQuantile(0.1, [B(upperBound: -1, count: 5), B(upperBound: .infinity, count: 10)]) == -1)
    }

    @Test func histogramQuantileFunctionGroupsBuckets() throws {
        #expect(try values("histogram_quantile(0.5, lat_bucket)")["{}"] == 0.1 + 0.9 * (3.0 / 4))
    }

    @Test func aggregationsAndMatching() throws {
        #expect(try values("sum(g)")["{}"] == 2.5)
        #expect(try values("avg by (dc) (g)")["{dc=\"e\"}"] == -0.75)
        #expect(try values("count without (h) (g)")["{dc=\"e\"}"] == 2)
        #expect(try values("max(g)")["{}"] == 4)
        let mean = 2.5 / 3
        let variance = [1.0, -2.5, 4].map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 3
        #expect(abs(try values("stddev(g)")["{}"]! - variance.squareRoot()) < 1e-12)
        #expect(try values("topk(1, g)") == ["g{dc=\"w\", h=\"c\"}": 4])
        #expect(try values("bottomk(1, g)") == ["g{dc=\"e\", h=\"b\"}": -2.5])
        #expect(try values("quantile(0.5, g)")["{}"] == 1)
        #expect(try values("count_values(\"v\", g)")["{v=\"-2.5\"}"] == 1)
        #expect(try values("g > 0") == ["g{dc=\"e\", h=\"a\"}": 1, "g{dc=\"w\", h=\"c\"}": 4])
        #expect(try values("g > bool 0").count == 3)
        #expect(try values("g * on(dc) group_left sum by (dc) (g)")["{dc=\"e\", h=\"a\"}"] == -1.5)
        #expect(throws: BurnwatchError.self) { try values("g + on(dc) g") }
        #expect(try values("g unless g{h=\"a\"}").count == 2)
        #expect(try values("2 ^ 3 ^ 2")["scalar"] == 512)
        #expect(try values("absent(nope{job=\"x\"})") == ["{job=\"x\"}": 1])
        #expect(try values("label_replace(g, \"x\", \"$1$1\", \"h\", \"(.)\")")["g{dc=\"e\", h=\"a\", x=\"aa\"}"] == 1)
        #expect(try values("clamp(g, -1, 1)")["{dc=\"e\", h=\"b\"}"] == -1)
        #expect(try values("round(g)")["{dc=\"e\", h=\"b\"}"] == -2)
    }

    @Test func lookbackAndStaleness() throws {
        var store = SeriesStore()
        let x = store.seriesID(for: Labels(["__name__": "x"]))
        store.append(id: x, time: 0, value: 1)
        let e = PromQLEngine(store: store)
        #expect(try values(e, "x", at: 299) == ["x": 1])
        #expect(try values(e, "x", at: 300).isEmpty)                            // (t-5m, t] in 3.x
        #expect(try values(PromQLEngine(store: store, options: PromQLOptions(compat: 2)), "x", at: 300) == ["x": 1])
        store.markStale(id: x, at: 10_000)
        #expect(try values(PromQLEngine(store: store), "x", at: 20).isEmpty)      // stale marker hides it
        #expect(try values(PromQLEngine(store: store), "count_over_time(x[1m])", at: 20) == ["{}": 1])
    }

    func values(_ e: PromQLEngine, _ q: String, at seconds: Double) throws -> [String: Double] {
        guard case let .vector(v) = try e.instantQuery(q, at: Timestamp(seconds: seconds)) else { return [:] }
        return Dictionary(uniqueKeysWithValues: v.map { ($0.labels.description, $0.value) })
    }

    @Test func numberFormattingIsGos() {
        #expect(PromNumberFormat.format(1.5) == "1.5")
        #expect(PromNumberFormat.format(1) == "1")
        #expect(PromNumberFormat.format(1e21) == "1000000000000000000000")
        #expect(PromNumberFormat.format(1.8446744073709552e19) == "18446744073709552000")
        #expect(PromNumberFormat.format(1e-7) == "0.0000001")
        #expect(PromNumberFormat.format(-0.000123) == "-0.000123")
        #expect(PromNumberFormat.format(0.1 + 0.2) == "0.30000000000000004")
        #expect(PromNumberFormat.format(.nan) == "NaN")
        #expect(PromNumberFormat.format(.infinity) == "+Inf")
        #expect(PromNumberFormat.format(-.infinity) == "-Inf")
        #expect(PromNumberFormat.json(1e21) == "1e+21")
        #expect(PromNumberFormat.json(2.811977002900501e37) == "2.811977002900501e+37")
        #expect(PromNumberFormat.json(-1.5e-7) == "-1.5e-07")
        #expect(PromNumberFormat.json(1e-6) == "0.000001")
        #expect(PromNumberFormat.json(123.25) == "123.25")
        #expect(PromNumberFormat.json(.nan) == "NaN")
        #expect(PromNumberFormat.time(1_700_000_000_500) == "1700000000.5")
        #expect(PromNumberFormat.time(1_700_000_000_000) == "1700000000")
        #expect(PromNumberFormat.time(1_700_000_000_007) == "1700000000.007")
    }

    @Test func jsonShapes() throws {
        let v = QueryValue.vector([VectorSample(labels: Labels(["__name__": "x", "a": "<b>"]), timestamp: Timestamp(milliseconds: 1_500), value: .nan)])
        #expect(PrometheusJSON.success(v) == "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{\"__name__\":\"x\",\"a\":\"\\u003cb\\u003e\"},\"value\":[1.5,\"NaN\"]}]}}")
        #expect(PrometheusJSON.success(.scalar(Timestamp(milliseconds: 2000), 3)) == "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[2,\"3\"]}}")
        let r = try engine().rangeQuery("sum(g)", start: Timestamp(milliseconds: 60_000), end: Timestamp(milliseconds: 120_000), step: Interval(milliseconds: 30_000))
        #expect(PrometheusJSON.success(r) == "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{},\"values\":[[60,\"2.5\"],[90,\"2.5\"],[120,\"2.5\"]]}]}}")
    }
}
