import Testing
@testable import BurnwatchCore

/// A series' first sample is held inline, with no chunk; every read gives what a chunk would.
@Suite struct StoreInlineSampleTests {
    @Test func oneSampleIsReadLikeAChunkOfOne() {
        var store = SeriesStore()
        let id = store.seriesID(for: Labels(["__name__": "x", "job": "api"]))
        #expect(store.lastSample(id: id, atOrBefore: .max) == nil)
        #expect(store.counterSpan(id: id, from: .min, through: .max).count == 0)
        store.append(id: id, time: 10_000, value: 0.25)
        #expect(store.series[id].chunks.isEmpty)
        #expect(store.sampleCount == 1)
        #expect(store.allSamples(id).map(\.0) == [10_000])
        #expect(store.lastSample(id: id, atOrBefore: 10_000)?.1 == 0.25)
        #expect(store.lastSample(id: id, atOrBefore: 9_999) == nil)
        #expect(store.firstSampleTime(id: id, atOrAfter: 10_000) == 10_000)
        #expect(store.firstSampleTime(id: id, atOrAfter: 10_001) == nil)
        let span = store.counterSpan(id: id, from: 5_000, through: 10_000)
        #expect(span.count == 1 && span.firstTime == 10_000 && span.lastValue == 0.25)
        #expect(store.counterSpan(id: id, from: 10_001, through: 20_000).count == 0)
        var one: [(Int64, Double)] = []
        store.forEachSample(id: id, from: 10_001, through: .max) { one.append(($0, $1)) }
        #expect(one.isEmpty)
    }

    @Test func theSecondSampleMovesBothIntoAChunk() {
        var store = SeriesStore()
        let id = store.seriesID(for: Labels(["__name__": "x"]))
        store.append(id: id, time: 10_000, value: 3)
        store.append(id: id, time: 10_000, value: 4)      // not newer: dropped
        store.append(id: id, time: 9_000, value: 4)       // older: dropped
        #expect(store.outOfOrderDropped == 2)
        store.append(id: id, time: 200_000, value: 1.5)   // a gap no chunk spans
        store.append(id: id, time: 215_000, value: 2)
        #expect(store.allSamples(id).map(\.0) == [10_000, 200_000, 215_000])
        #expect(store.allSamples(id).map(\.1) == [3, 1.5, 2])
        let span = store.counterSpan(id: id, from: .min, through: .max)
        #expect(span.count == 3 && span.resetValues == [3])
    }

    @Test func aStaleMarkerAfterTheOnlySample() {
        var store = SeriesStore()
        let id = store.seriesID(for: Labels(["__name__": "x"]))
        store.markStale(id: id, at: 5_000)                // no sample: nothing to mark
        #expect(store.sampleCount == 0)
        store.append(id: id, time: 10_000, value: 7)
        store.markStale(id: id, at: 15_000)
        store.markStale(id: id, at: 20_000)               // already stale: no second marker
        let got = store.allSamples(id)
        #expect(got.count == 2 && StaleMarker.isStale(got[1].1))
        #expect(store.counterSpan(id: id, from: .min, through: .max).count == 1)
    }

    @Test func labelsAreBuiltFromTheirIDs() {
        var store = SeriesStore()
        let labels = Labels(["__name__": "up", "job": "api", "instance": "a:9100"])
        let id = store.seriesID(for: labels)
        var pairs = LabelPairs()
        for (n, v) in [("job", "api"), ("instance", "a:9100"), ("__name__", "up"), ("empty", "")] {
            pairs.append(name: store.intern(n), value: store.intern(v))
        }
        #expect(store.seriesID(for: &pairs) == id)
        #expect(store.labels(of: id) == labels)
        #expect(store.labelValue(of: id, nameID: store.symbol("job")) == "api")
        #expect(store.labelValue(of: id, nameID: store.symbol("empty")) == "")
        #expect(store.labelValue(of: id, nameID: nil) == "")
        #expect(store.labelIDs(of: id).count == 6)
    }

    @Test func manySeriesStayDistinctThroughIndexGrowth() {
        var store = SeriesStore()
        var ids: [Int] = []
        for k in 0..<5_000 { ids.append(store.seriesID(for: Labels(["__name__": "m\(k % 7)", "k": "\(k)"]))) }
        #expect(Set(ids).count == 5_000)
        for k in stride(from: 0, to: 5_000, by: 37) {
            #expect(store.seriesID(for: Labels(["k": "\(k)", "__name__": "m\(k % 7)"])) == ids[k])
            #expect(store.labels(of: ids[k]) == Labels(["__name__": "m\(k % 7)", "k": "\(k)"]))
        }
        #expect(store.seriesCount == 5_000)
    }
}
