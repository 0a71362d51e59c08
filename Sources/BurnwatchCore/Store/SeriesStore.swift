/// How long and how much the store keeps of each series.
public struct Retention: Sendable, Hashable {
    /// Samples older than the newest sample of the series minus this are dropped.
    public var duration: Interval
    /// At most about this many samples per series are kept (whole chunks are dropped).
    public var maxSamplesPerSeries: Int
    public init(duration: Interval = Interval(milliseconds: 6 * 3_600_000), maxSamplesPerSeries: Int = 10_000) {
        self.duration = duration; self.maxSamplesPerSeries = maxSamplesPerSeries
    }
}

/// One series: where its label ids are, and its samples.
///
/// A series that holds one sample keeps it inline (`onlyTime`, `onlyValue`) with no chunk: a body
/// loaded once (an incident file, the first scrape of a large target) costs no sample buffers.
/// The second sample moves it into a chunk.
struct StoredSeries: Sendable {
    /// Offset of the series' ids in `SeriesStore.labelIDArena` (name id, value id, … in label order).
    var labelStart: Int32
    /// How many ids (twice the number of labels).
    var labelCount: Int32
    /// Index of the oldest live chunk in `chunks`.
    var head: Int32 = 0
    var sampleCount: Int32 = 0
    /// The sample chunks, oldest first; empty while the series holds at most one sample.
    var chunks: [SampleChunk] = []
    var onlyTime: Int64 = 0
    var onlyValue: Double = 0

    init(labelStart: Int, labelCount: Int) {
        self.labelStart = Int32(labelStart); self.labelCount = Int32(labelCount)
    }

    /// Whether the one sample is held inline.
    var holdsInlineSample: Bool { chunks.isEmpty && sampleCount == 1 }

    var lastTime: Int64? {
        if chunks.isEmpty { return sampleCount == 1 ? onlyTime : nil }
        return chunks.count > Int(head) ? chunks[chunks.count - 1].lastTime : nil
    }

    var lastValue: Double? {
        if chunks.isEmpty { return sampleCount == 1 ? onlyValue : nil }
        return chunks.count > Int(head) ? chunks[chunks.count - 1].lastValue : nil
    }
}

/// The in-memory series store: interned label sets, a postings index and compact sample chunks.
///
/// Values are appended in time order per series; out-of-order samples are dropped and counted.
/// Staleness is written as Prometheus does: `markStale` appends the stale-NaN
/// marker, and the query engine ignores a series whose latest sample is that marker.
///
/// A series' labels are kept once, as interned ids in one shared arena; `labels(of:)` builds the
/// `Labels` value when asked.
public struct SeriesStore: Sendable, SampleSink {
    public internal(set) var retention: Retention
    var strings = StringInterner()
    var series: [StoredSeries] = []
    /// The label ids of every series, one after another.
    var labelIDArena: [UInt32] = []
    private var index = SeriesLabelIndex()
    /// Reused for lookups, so that finding a known series allocates nothing.
    private var scratchKey: [UInt32] = []
    /// name id → value id → series ids (ascending), 4 bytes each.
    var postings: [UInt32: [UInt32: [Int32]]] = [:]
    /// Samples dropped because they were older than the series' last sample.
    public internal(set) var outOfOrderDropped = 0
    /// Per-minute increases of the series registered for downsampling.
    public internal(set) var downsampler = Downsampler()

    public init(retention: Retention = Retention()) { self.retention = retention }

    /// Number of series ever created.
    public var seriesCount: Int { series.count }

    /// Number of samples held now.
    public var sampleCount: Int { series.reduce(0) { $0 + Int($1.sampleCount) } }

    /// The id of the series with exactly `labels`, creating it when new.
    /// - Complexity: O(labels) plus hashing each name and value once.
    public mutating func seriesID(for labels: Labels) -> Int {
        scratchKey.removeAll(keepingCapacity: true)
        for l in labels { scratchKey.append(strings.intern(l.name)); scratchKey.append(strings.intern(l.value)) }
        return seriesIDForScratchKey()
    }

    /// Makes room for `count` more series, so that a large body does not rehash the index as it grows.
    ///
    /// Their label ids get room too, at the average of the series held so far (none when empty).
    public mutating func reserveSeries(_ count: Int) {
        index.reserve(series.count + count)
        series.reserveCapacity(series.count + count)
        if !series.isEmpty { labelIDArena.reserveCapacity(labelIDArena.count + count * labelIDArena.count / series.count) }
    }

    /// The id of the string `s` in the store's symbol table (added when new).
    public mutating func intern(_ s: String) -> UInt32 { strings.intern(s) }

    /// The id of the string with these UTF-8 bytes in the store's symbol table (added when new).
    /// - Complexity: O(bytes); no `String` is made for a known string.
    public mutating func intern(bytes: UnsafeBufferPointer<UInt8>) -> UInt32 { strings.intern(bytes: bytes) }

    /// The id of `s` when it is in the symbol table, else nil (nothing is added).
    public func symbol(_ s: String) -> UInt32? { strings.lookup(s) }

    /// The symbol of `__name__`, interned once rather than for every sample.
    public mutating func metricNameSymbol() -> UInt32 {
        if let id = nameSymbol { return id }
        let id = strings.intern("__name__")
        nameSymbol = id
        return id
    }
    private var nameSymbol: UInt32?

    /// The string of a symbol id.
    public func string(_ id: UInt32) -> String { strings[id] }

    /// The id of the series whose labels are `pairs` (interned names and values in any order),
    /// creating it when new. Later duplicates of a name win; empty values are no label.
    ///
    /// The pairs are sorted in place. A known series costs a sort of a few integers and one hash.
    /// - Complexity: O(n²) in the number of labels (insertion sort; O(n) when already sorted).
    public mutating func seriesID(for pairs: inout LabelPairs) -> Int {
        pairs.sortByName(strings)
        scratchKey.removeAll(keepingCapacity: true)
        var i = 0
        let p = pairs.pairs
        while i < p.count {
            var last = i
            while last + 1 < p.count, p[last + 1].name == p[i].name { last += 1 }
            if !strings.isEmpty(p[last].value) { scratchKey.append(p[last].name); scratchKey.append(p[last].value) }
            i = last + 1
        }
        return seriesIDForScratchKey()
    }

    /// The series whose ids are `scratchKey`, created when new.
    private mutating func seriesIDForScratchKey() -> Int {
        let hash = scratchKey.withUnsafeBytes { StringInterner.hash($0.bindMemory(to: UInt8.self)) }
        let found = scratchKey.withUnsafeBufferPointer { key in
            labelIDArena.withUnsafeBufferPointer { arena in
                index.lookup(hash: hash) { id in
                    let s = series[id]
                    guard Int(s.labelCount) == key.count else { return false }
                    if key.isEmpty { return true }
                    let stored = UnsafeRawPointer(arena.baseAddress! + Int(s.labelStart)).assumingMemoryBound(to: UInt8.self)
                    return memoryEqual(stored, UnsafeRawPointer(key.baseAddress!).assumingMemoryBound(to: UInt8.self), key.count * 4)
                }
            }
        }
        if let found { return found }
        let id = series.count
        series.append(StoredSeries(labelStart: labelIDArena.count, labelCount: scratchKey.count))
        labelIDArena.append(contentsOf: scratchKey)
        index.insert(id: id, hash: hash)
        var i = 0
        while i < scratchKey.count {
            postings[scratchKey[i], default: [:]][scratchKey[i + 1], default: []].append(Int32(id))
            i += 2
        }
        if downsampler.hasRegistrations { downsampler.seriesCreated(id: id, labels: labels(of: id)) }
        return id
    }

    /// The labels of a series id (built from its interned ids).
    /// - Complexity: O(labels); one array is made.
    public func labels(of id: Int) -> Labels {
        let s = series[id]
        var list: [Label] = []
        list.reserveCapacity(Int(s.labelCount) / 2)
        var k = Int(s.labelStart)
        let end = k + Int(s.labelCount)
        while k < end { list.append(Label(strings[labelIDArena[k]], strings[labelIDArena[k + 1]])); k += 2 }
        return Labels(sortedUnique: list)
    }

    /// The interned ids of a series' labels: name id, value id, … in label order.
    public func labelIDs(of id: Int) -> ArraySlice<UInt32> {
        let s = series[id]
        return labelIDArena[Int(s.labelStart) ..< Int(s.labelStart) + Int(s.labelCount)]
    }

    /// The value of the label whose name has symbol `nameID` in series `id`, or "" when it has none.
    /// - Complexity: O(labels); no array is made.
    public func labelValue(of id: Int, nameID: UInt32?) -> String {
        guard let nameID, let v = Self.value(of: nameID, in: labelIDs(of: id)) else { return "" }
        return strings[v]
    }

    /// The value id of the label named `nameID` in a series' ids (name, value, name, value, …).
    @inline(__always)
    public static func value(of nameID: UInt32?, in ids: ArraySlice<UInt32>) -> UInt32? {
        guard let nameID else { return nil }
        var i = ids.startIndex
        while i < ids.endIndex {
            if ids[i] == nameID { return ids[i + 1] }
            i += 2
        }
        return nil
    }

    /// Ids of the series whose label `name` equals `value` (ascending); empty when none.
    public func postings(name: String, value: String) -> [Int] {
        guard let n = strings.lookup(name), let v = strings.lookup(value), let ids = postings[n]?[v] else { return [] }
        return ids.map(Int.init)
    }

    /// Every (value, series ids) pair of label `name`.
    public func postings(name: String) -> [(value: String, ids: [Int])] {
        guard let n = strings.lookup(name), let byValue = postings[n] else { return [] }
        return byValue.map { (strings[$0.key], $0.value.map(Int.init)) }
    }

    /// Starts keeping per-minute increases (up to 30 days) of every series matching `matchers`,
    /// now and later; the samples already held are folded in. Returns the registration id.
    public mutating func registerDownsampling(_ matchers: [LabelMatcher]) -> Int {
        let reg = downsampler.register(matchers)
        let nameIDs = matchers.map { strings.lookup($0.name) }
        for id in series.indices where matchers.indices.allSatisfy({ matchers[$0].matches(labelValue(of: id, nameID: nameIDs[$0])) }) {
            downsampler.track(id: id, registration: reg)
            var previous: Double? = nil
            forEachSample(id: id, from: Int64.min, through: Int64.max) { t, v in
                downsampler.sampleAppended(id: id, time: t, value: v, previous: previous)
                if !v.isNaN { previous = v }
            }
        }
        return reg
    }

    /// The per-minute increases of the series of a downsampling registration, for minutes
    /// overlapping `from...to`: one entry per series with `(minute start ms, increase)` pairs.
    public func perMinuteIncreases(registration: Int, from: Timestamp, to: Timestamp) -> [(labels: Labels, minutes: [(Int64, Double)])] {
        downsampler.seriesIDs(registration: registration).map { id in
            (labels(of: id), downsampler.increases(id: id, from: from.milliseconds, to: to.milliseconds))
        }
    }

    /// The summed raw increase (counter resets handled, no extrapolation) of a registration's series
    /// over the whole minutes in `from...to`; nil when no series is tracked.
    public func totalIncrease(registration: Int, from: Timestamp, to: Timestamp) -> Double? {
        let ids = downsampler.seriesIDs(registration: registration)
        if ids.isEmpty { return nil }
        var sum = 0.0
        for id in ids { for (_, v) in downsampler.increases(id: id, from: from.milliseconds, to: to.milliseconds) { sum += v } }
        return sum
    }

    /// Approximate heap bytes used by the store (chunks, labels, index).
    public var estimatedBytes: Int {
        var total = strings.estimatedBytes + series.capacity * MemoryLayout<StoredSeries>.stride
            + labelIDArena.capacity * 4 + index.estimatedBytes
        for s in series where !s.chunks.isEmpty {
            total += s.chunks.capacity * MemoryLayout<SampleChunk>.stride
            for c in s.chunks[Int(s.head)...] { total += c.estimatedBytes }
        }
        for (_, byValue) in postings { total += byValue.capacity * 48; for (_, ids) in byValue { total += ids.capacity * 4 } }
        return total + downsampler.estimatedBytes
    }
}

/// Interned names and values of one series being built, before the store sorts them.
public struct LabelPairs: Sendable {
    var pairs: [(name: UInt32, value: UInt32)] = []

    public init() {}

    /// Empties the list, keeping its storage.
    public mutating func removeAll() { pairs.removeAll(keepingCapacity: true) }

    /// Adds one label by its interned name and value.
    public mutating func append(name: UInt32, value: UInt32) { pairs.append((name, value)) }

    /// How many pairs are held.
    public var count: Int { pairs.count }

    /// Stable insertion sort by name string (equal names keep their order).
    mutating func sortByName(_ strings: StringInterner) {
        var i = 1
        while i < pairs.count {
            if strings.precedes(pairs[i].name, pairs[i - 1].name) {
                let moving = pairs[i]
                var j = i
                while j > 0, strings.precedes(moving.name, pairs[j - 1].name) { pairs[j] = pairs[j - 1]; j -= 1 }
                pairs[j] = moving
            }
            i += 1
        }
    }
}
