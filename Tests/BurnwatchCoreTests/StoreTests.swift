import Testing
@testable import BurnwatchCore

@Suite struct StoreTests {
    @Test func internsLabelSetsAndIndexesPostings() {
        var store = SeriesStore()
        let a = store.seriesID(for: Labels(["__name__": "x", "job": "api"]))
        let b = store.seriesID(for: Labels(["__name__": "x", "job": "db"]))
        #expect(store.seriesID(for: Labels(["job": "api", "__name__": "x"])) == a)
        #expect(a != b)
        #expect(store.postings(name: "__name__", value: "x") == [a, b])
        #expect(store.postings(name: "job", value: "db") == [b])
        #expect(store.postings(name: "job", value: "nope").isEmpty)
        #expect(store.strings.count == 5)   // __name__, x, job, api, db
    }

    @Test func keepsValuesExactlyAcrossEncodings() {
        var store = SeriesStore()
        let id = store.seriesID(for: Labels(["__name__": "x"]))
        let values: [Double] = [1, 2, 1e15, 9_007_199_254_740_993, 0.5, -3, .infinity, 18_446_744_073_709_551_615, 7,
                                0.013, 0.026, -0.0, 0.1 + 0.2, 1.234567, 5e-7, 0.1]
        for (i, v) in values.enumerated() { store.append(id: id, time: Int64(i) * 5000 + (i >= 3 ? 70_000 : 0), value: v) }
        let got = store.allSamples(id)
        #expect(got.map(\.1.bitPattern) == values.map(\.bitPattern))
        #expect(got[3].0 == 85_000)
        // NaN and the stale marker keep their bit patterns.
        store.append(id: id, time: 200_000, value: .nan)
        store.markStale(id: id, at: 205_000)
        let tail = store.allSamples(id).suffix(2)
        #expect(tail.first!.1.isNaN && !StaleMarker.isStale(tail.first!.1))
        #expect(StaleMarker.isStale(tail.last!.1))
    }

    @Test func keepsTimestampsExactlyWithJitterAndIrregularGaps() {
        var store = SeriesStore()
        let id = store.seriesID(for: Labels(["__name__": "x"]))
        var times: [Int64] = []
        var t: Int64 = 1_700_000_000_000
        var seed: UInt64 = 7
        for i in 0..<2000 {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1
            let r = Int64(seed >> 33)
            // Mostly 5 s ± 100 ms; sometimes far off (delta mode), sometimes a long gap (new chunk).
            t += i % 97 == 0 ? 70_000 + r % 1000 : (i % 13 == 0 ? 1 + r % 60_000 : 4_900 + r % 200)
            times.append(t)
            store.append(id: id, time: t, value: Double(i))
        }
        let got = store.allSamples(id)
        #expect(got.map(\.0) == times)
        #expect(got.map(\.1) == (0..<2000).map(Double.init))
        #expect(store.lastSample(id: id, atOrBefore: times[1000])! == (times[1000], 1000))
        #expect(store.lastSample(id: id, atOrBefore: times[1000] - 1)! == (times[999], 999))
    }

    @Test func keepsArbitraryDoublesBitForBit() {
        var store = SeriesStore()
        let id = store.seriesID(for: Labels(["__name__": "x"]))
        var seed: UInt64 = 99
        var values: [Double] = []
        for i in 0..<1000 {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1442695040888963407
            // Random bit patterns, slowly moving values, repeats, NaNs, zeros and the stale marker.
            let v: Double
            switch i % 6 {
            case 0: v = Double(bitPattern: seed)
            case 1: v = 1000 + Double(i) * 0.001 + 1e-9 * Double(seed % 7)
            case 2: v = values.last ?? 0
            case 3: v = i % 12 == 3 ? -0.0 : .nan
            case 4: v = StaleMarker.value
            default: v = Double(seed % 1000) / 7
            }
            values.append(v)
            store.append(id: id, time: Int64(i) * 1000, value: v)
        }
        #expect(store.allSamples(id).map(\.1.bitPattern) == values.map(\.bitPattern))
        #expect(store.lastSample(id: id, atOrBefore: 999_000)!.1.bitPattern == values[999].bitPattern)
    }

    @Test func windowsAndLastSamplesOfDoubleChunksReadFromEitherEnd() {
        // Double chunks are read forwards from their first value or backwards from their last,
        // whichever is nearer: every window and every "last at or before" must equal a full scan.
        var store = SeriesStore()
        let id = store.seriesID(for: Labels(["__name__": "x"]))
        var random = SeededRandom(seed: 5)
        var points: [(Int64, Double)] = []
        var t: Int64 = 1_700_000_000_000
        for i in 0..<1500 {
            t += i % 400 == 399 ? 80_000 : 15_000 + Int64(random.next() % 40)
            let v = i % 9 == 0 ? Double(bitPattern: random.next()) : Double(i) / 7 + (i % 50 == 0 ? 1e300 : 0)
            points.append((t, v))
            store.append(id: id, time: t, value: v)
        }
        let all = store.allSamples(id)
        #expect(all.map(\.1.bitPattern) == points.map(\.1.bitPattern))
        for _ in 0..<400 {
            let a = points.first!.0 - 20_000 + Int64(random.next() % UInt64(points.last!.0 - points.first!.0 + 40_000))
            let b = a + Int64(random.next() % 900_000)
            var got: [(Int64, Double)] = []
            store.forEachSample(id: id, from: a, through: b) { got.append(($0, $1)) }
            let expected = points.filter { $0.0 >= a && $0.0 <= b }
            #expect(got.map(\.0) == expected.map(\.0), "window \(a)...\(b)")
            #expect(got.map(\.1.bitPattern) == expected.map(\.1.bitPattern), "window \(a)...\(b)")
            let last = store.lastSample(id: id, atOrBefore: b)
            let want = points.last { $0.0 <= b }
            #expect(last?.0 == want?.0 && last?.1.bitPattern == want?.1.bitPattern, "last at or before \(b)")
        }
    }

    @Test func dropsOutOfOrderSamples() {
        var store = SeriesStore()
        let id = store.seriesID(for: Labels(["__name__": "x"]))
        store.append(id: id, time: 10, value: 1)
        store.append(id: id, time: 10, value: 2)
        store.append(id: id, time: 5, value: 3)
        #expect(store.allSamples(id).count == 1)
        #expect(store.outOfOrderDropped == 2)
    }

    @Test func retentionByTimeAndCount() {
        var store = SeriesStore(retention: Retention(duration: Interval(milliseconds: 3_600_000), maxSamplesPerSeries: 100_000))
        let id = store.seriesID(for: Labels(["__name__": "x"]))
        for i in 0..<(4 * 720) { store.append(id: id, time: Int64(i) * 5000, value: Double(i)) }   // 4 h at 5 s
        let kept = store.allSamples(id)
        let newest = Int64(4 * 720 - 1) * 5000
        #expect(kept.last!.0 == newest)
        #expect(kept.first!.0 >= newest - 3_600_000 - Int64(SampleChunk.capacity) * 5000)   // whole chunks dropped
        #expect(kept.first!.0 <= newest - 3_600_000)
        var small = SeriesStore(retention: Retention(duration: Interval(milliseconds: 86_400_000), maxSamplesPerSeries: 500))
        let s = small.seriesID(for: Labels(["__name__": "y"]))
        for i in 0..<5000 { small.append(id: s, time: Int64(i) * 1000, value: 1) }
        #expect(small.allSamples(s).count <= 500 + SampleChunk.capacity)
        #expect(small.allSamples(s).count >= 500)
    }

    @Test func markStaleWritesOneMarkerAfterTheLastSample() {
        var store = SeriesStore()
        let a = store.seriesID(for: Labels(["__name__": "a"]))
        store.markStale(id: a, at: 0)
        #expect(store.lastSample(id: a, atOrBefore: 0) == nil)
        store.append(id: a, time: 5000, value: 2)
        store.markStale(id: a, at: 5000)
        #expect(store.lastSample(id: a, atOrBefore: 5000)?.1 == 2)
        store.markStale(id: a, at: 10_000)
        store.markStale(id: a, at: 15_000)
        #expect(StaleMarker.isStale(store.lastSample(id: a, atOrBefore: 20_000)!.1))
        #expect(store.lastSample(id: a, atOrBefore: 20_000)?.0 == 10_000)
    }

    @Test func perMinuteIncreasesForLongWindows() throws {
        var store = SeriesStore()
        let reg = store.registerDownsampling([try LabelMatcher("__name__", .equal, "req_total")])
        let id = store.seriesID(for: Labels(["__name__": "req_total", "code": "500"]))
        _ = store.seriesID(for: Labels(["__name__": "other"]))
        // +2 every 5 s for 3 minutes, with a reset to 1 at 90 s.
        var v = 0.0
        for i in 0...36 {
            let t = Int64(i) * 5000
            v = (t == 90_000) ? 1 : v + 2
            store.append(id: id, time: t, value: v)
        }
        let minutes = store.perMinuteIncreases(registration: reg, from: Timestamp(milliseconds: 0), to: Timestamp(milliseconds: 180_000))
        #expect(minutes.count == 1)
        #expect(minutes[0].minutes.map(\.0) == [0, 60_000, 120_000, 180_000])
        #expect(minutes[0].minutes.map(\.1) == [22, 23, 24, 2])   // 11×2; 5×2+1 (reset counts 1)+6×2; 12×2; 2
        #expect(store.totalIncrease(registration: reg, from: Timestamp(milliseconds: 0), to: Timestamp(milliseconds: 180_000)) == 71)
    }

    @Test func memoryBudgetScaledDown() {
        // 200 series × 6 h at 5 s with counter-like values; the budget for 10,000 is 400 MB, i.e. 40 KB
        // per series (4,320 samples): assert the per-series cost stays under it.
        var store = SeriesStore()
        for s in 0..<200 {
            let id = store.seriesID(for: Labels(["__name__": "req_total", "instance": "host-\(s):9100", "code": "200"]))
            var v = 0.0
            for i in 0..<4320 { v += Double(i % 7); store.append(id: id, time: Int64(i) * 5000, value: v) }
        }
        #expect(store.sampleCount == 200 * 4320)
        #expect(store.estimatedBytes / 200 < 40_000)
    }
}
