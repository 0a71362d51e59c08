@testable import BurnwatchCore
import Testing

/// Chunk spans must give exactly what adding the samples one by one gives, so that the engine's
/// span path for `rate`/`increase`/`delta` equals the point path bit for bit.
@Suite struct CounterSpanTests {
    /// A counter with resets, stale markers, NaN, float values and irregular gaps.
    static func hostileSeries(seed: UInt64, count: Int) -> [(Int64, Double)] {
        var random = SeededRandom(seed: seed)
        var t: Int64 = 1_767_225_600_000
        var v = 0.0
        var out: [(Int64, Double)] = []
        for _ in 0..<count {
            t += [1000, 15_000, 15_003, 14_870, 70_000][Int(random.next() % 5)]
            switch random.next() % 40 {
            case 0: v = Double(random.next() % 7)                     // reset
            case 1: out.append((t, StaleMarker.value)); continue     // series vanished
            case 2: out.append((t, .nan)); continue                  // an exporter's NaN
            case 3: v += Double(random.next() % 1000) / 7            // a non-decimal value
            default: v += Double(random.next() % 50)
            }
            out.append((t, v))
        }
        return out
    }

    /// A counter that never resets, in steps of 0.5 (its chunks stay integral) or of sevenths
    /// (Double chunks): the path that finds a window's edges only.
    static func cleanSeries(seed: UInt64, count: Int, floating: Bool = false) -> [(Int64, Double)] {
        var random = SeededRandom(seed: seed)
        var t: Int64 = 1_767_225_600_000
        var v = 0.0
        return (0..<count).map { _ in
            t += [1000, 15_000, 15_003, 14_870, 70_000][Int(random.next() % 5)]
            v += Double(random.next() % 100) / (floating ? 7 : 2)
            return (t, v)
        }
    }

    enum Shape: CaseIterable { case hostile, integral, floating }

    @Test(arguments: Shape.allCases)
    func spansOfChunksEqualSampleBySampleSpans(shape: Shape) {
        for seed: UInt64 in 1...6 {
            let points = switch shape {
            case .hostile: Self.hostileSeries(seed: seed, count: 3000)
            case .integral: Self.cleanSeries(seed: seed, count: 3000)
            case .floating: Self.cleanSeries(seed: seed, count: 3000, floating: true)
            }
            var store = SeriesStore(retention: Retention(duration: Interval(milliseconds: 400 * 86_400_000), maxSamplesPerSeries: .max))
            let id = store.seriesID(for: Labels(["__name__": "c_total"]))
            for (t, v) in points { store.append(id: id, time: t, value: v) }
            var random = SeededRandom(seed: seed &* 31)
            let first = points.first!.0, last = points.last!.0
            for k in 0..<300 {
                let a = first - 60_000 + Int64(random.next() % UInt64(last - first + 120_000))
                // Every other window is short (up to 10 minutes): inside one chunk, or across one edge.
                let b = a + Int64(random.next() % UInt64(k % 2 == 0 ? last - first : 600_000))
                var expected = CounterSpan()
                store.forEachSample(id: id, from: a, through: b) { t, v in
                    if !StaleMarker.isStale(v) { expected.add(time: t, value: v) }
                }
                let got = store.counterSpan(id: id, from: a, through: b)
                #expect(got == expected, "seed \(seed) range \(a)...\(b)")
            }
        }
    }

    @Test func rateIncreaseAndDeltaEqualThePointPath() throws {
        let points = Self.hostileSeries(seed: 42, count: 4000)
        var store = SeriesStore(retention: Retention(duration: Interval(milliseconds: 400 * 86_400_000), maxSamplesPerSeries: .max))
        for job in ["a", "b"] {
            let id = store.seriesID(for: Labels(["__name__": "c_total", "job": job]))
            for (t, v) in points { store.append(id: id, time: t, value: job == "a" ? v : v * 3) }
        }
        for compat in [2, 3] {
            let engine = PromQLEngine(store: store, options: PromQLOptions(compat: compat))
            let at = Timestamp(milliseconds: points[3500].0 + 7)
            for function in ["rate", "increase", "delta"] {
                for window in ["1m", "17m", "6h", "1d", "30d"] {
                    // The span path (a plain selector) against the formula over the raw samples.
                    guard case .vector(let fast) = try engine.instantQuery("\(function)(c_total[\(window)])", at: at) else {
                        Issue.record("not a vector"); continue
                    }
                    guard case .matrix(let raw) = try engine.instantQuery("c_total[\(window)]", at: at) else {
                        Issue.record("not a matrix"); continue
                    }
                    let range = try Self.milliseconds(window)
                    for series in raw {
                        let p = series.points.map { ($0.0.milliseconds, $0.1) }
                        let m = RangeValue(series: [], rangeStart: at.milliseconds - range, rangeEnd: at.milliseconds, range: range)
                        let expected = Evaluator.extrapolatedRate(p, m, isCounter: function != "delta", isRate: function == "rate")
                        let got = fast.first { $0.labels["job"] == series.labels["job"] }?.value
                        let same = got?.bitPattern == expected?.bitPattern
                        #expect(same, "\(function)(c_total[\(window)]) compat \(compat): \(String(describing: got)) vs \(String(describing: expected))")
                    }
                }
            }
        }
    }

    static func milliseconds(_ window: String) throws -> Int64 {
        let n = Int64(window.dropLast())!
        switch window.last! {
        case "m": return n * 60_000
        case "h": return n * 3_600_000
        default: return n * 86_400_000
        }
    }
}
