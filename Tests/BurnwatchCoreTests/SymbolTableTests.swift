import Testing
@testable import BurnwatchCore

/// The store's symbol table (interning by bytes) and label sets built from interned pairs.
@Suite struct SymbolTableTests {
    static let words = ["", "a", "__name__", "job", "instance", "le", "0.005", "+Inf", "ünïcode", "Zebra", "zebra",
                        "pod-12-7d9f8c5b6-xk2p9", "/api/v1/items/\"quoted\"", "a\u{0}b", "service-1", "service-10"]

    @Test func bytesAndStringsGiveTheSameIDs() {
        var interner = StringInterner()
        var ids: [UInt32] = []
        for w in Self.words { ids.append(interner.intern(w)) }
        for (i, w) in Self.words.enumerated() {
            var copy = w
            let byBytes = copy.withUTF8 { interner.intern(bytes: $0) }
            #expect(byBytes == ids[i], "bytes of \(w.debugDescription)")
            #expect(interner[ids[i]] == w)
            #expect(interner.lookup(w) == ids[i])
        }
        #expect(interner.count == Self.words.count)
        #expect(interner.lookup("never seen") == nil)
    }

    @Test func growsPastManyStringsWithoutLosingAny() {
        var interner = StringInterner()
        let ids = (0..<50_000).map { interner.intern("value-\($0)") }
        #expect(Set(ids).count == 50_000)
        for k in stride(from: 0, to: 50_000, by: 997) {
            #expect(interner.lookup("value-\(k)") == ids[k])
            #expect(interner[ids[k]] == "value-\(k)")
        }
    }

    @Test func precedesAgreesWithStringOrder() {
        var interner = StringInterner()
        let ids = Self.words.map { interner.intern($0) }
        for i in ids.indices {
            for j in ids.indices {
                #expect(interner.precedes(ids[i], ids[j]) == (Self.words[i] < Self.words[j]),
                        "\(Self.words[i].debugDescription) < \(Self.words[j].debugDescription)")
            }
        }
    }

    @Test func labelsInitSortsKeepsTheLastDuplicateAndDropsEmptyValues() {
        let labels = Labels([Label("b", "1"), Label("a", "x"), Label("b", "2"), Label("c", ""), Label("a", "")])
        #expect(labels.sorted == [Label("b", "2")])
        let many = (0..<40).reversed().map { Label("l\($0)", "v\($0)") } + [Label("l3", "last")]
        let built = Labels(many)
        #expect(built.count == 40)
        #expect(built["l3"] == "last")
        #expect(built.sorted.map(\.name) == built.sorted.map(\.name).sorted())
    }

    @Test func internedPairsFindTheSameSeriesAsLabels() {
        var random = SeededRandom(seed: 7)
        var store = SeriesStore()
        var pairs = LabelPairs()
        for _ in 0..<2_000 {
            var list: [Label] = []
            for _ in 0..<Int.random(in: 1...7, using: &random) {
                list.append(Label(Self.words.randomElement(using: &random)!, Self.words.randomElement(using: &random)!))
            }
            list.shuffle(using: &random)
            pairs.removeAll()
            for l in list { pairs.append(name: store.intern(l.name), value: store.intern(l.value)) }
            let viaPairs = store.seriesID(for: &pairs)
            let viaLabels = store.seriesID(for: Labels(list))
            #expect(viaPairs == viaLabels, "\(list)")
            #expect(store.labels(of: viaPairs) == Labels(list))
        }
    }
}
