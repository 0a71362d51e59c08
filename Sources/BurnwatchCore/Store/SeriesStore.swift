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

/// One series: its labels and a bounded ring of sample chunks (oldest first).
struct StoredSeries: Sendable {
    var labels: Labels
    var labelIDs: [UInt32]          // name id, value id, name id, value id, … in label order
    var chunks: [SampleChunk] = []
    var head = 0                    // index of the oldest live chunk in `chunks`
    var sampleCount = 0

    var lastTime: Int64? { chunks.count > head ? chunks[chunks.count - 1].lastTime : nil }
}

/// The in-memory series store: interned label sets, a postings index and compact sample chunks.
///
/// Values are appended in time order per series; out-of-order samples are dropped and counted.
/// Staleness is written as Prometheus does: `markStale` appends the stale-NaN
/// marker, and the query engine ignores a series whose latest sample is that marker.
public struct SeriesStore: Sendable, SampleSink {
    public private(set) var retention: Retention
    var strings = StringInterner()
    var series: [StoredSeries] = []
    private var idByLabels: [LabelIDKey: Int] = [:]
    /// Reused for lookups, so that finding a known series allocates nothing.
    private var scratchKey: [UInt32] = []
    /// name id → value id → series ids (ascending).
    var postings: [UInt32: [UInt32: [Int]]] = [:]
    /// Samples dropped because they were older than the series' last sample.
    public private(set) var outOfOrderDropped = 0
    /// Per-minute increases of the series registered for downsampling.
    public internal(set) var downsampler = Downsampler()

    public init(retention: Retention = Retention()) { self.retention = retention }

    /// Number of series ever created.
    public var seriesCount: Int { series.count }

    /// Number of samples held now.
    public var sampleCount: Int { series.reduce(0) { $0 + $1.sampleCount } }

    /// The id of the series with exactly `labels`, creating it when new.
    /// - Complexity: O(labels) plus hashing each name and value once.
    public mutating func seriesID(for labels: Labels) -> Int {
        scratchKey.removeAll(keepingCapacity: true)
        for l in labels { scratchKey.append(strings.intern(l.name)); scratchKey.append(strings.intern(l.value)) }
        let key = LabelIDKey(scratchKey)
        if let id = idByLabels[key] { return id }
        return createSeries(key: key, labels: labels)
    }

    /// Makes room for `count` more series, so that a large body does not rehash the index as it grows.
    public mutating func reserveSeries(_ count: Int) {
        idByLabels.reserveCapacity(series.count + count)
        series.reserveCapacity(series.count + count)
    }

    /// The id of the string `s` in the store's symbol table (added when new).
    public mutating func intern(_ s: String) -> UInt32 { strings.intern(s) }

    /// The id of the string with these UTF-8 bytes in the store's symbol table (added when new).
    /// - Complexity: O(bytes); no `String` is made for a known string.
    public mutating func intern(bytes: UnsafeBufferPointer<UInt8>) -> UInt32 { strings.intern(bytes: bytes) }

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
        let key = LabelIDKey(scratchKey)
        if let id = idByLabels[key] { return id }
        var list: [Label] = []
        list.reserveCapacity(scratchKey.count / 2)
        var k = 0
        while k < scratchKey.count { list.append(Label(strings[scratchKey[k]], strings[scratchKey[k + 1]])); k += 2 }
        return createSeries(key: key, labels: Labels(sortedUnique: list))
    }

    private mutating func createSeries(key: LabelIDKey, labels: Labels) -> Int {
        let ids = Array(key.ids[...])  // a buffer of its own: the key may hold the scratch buffer
        let stored = LabelIDKey(ids, hash: key.hash)
        let id = series.count
        series.append(StoredSeries(labels: labels, labelIDs: ids))
        idByLabels[stored] = id
        var i = 0
        while i < ids.count {
            postings[ids[i], default: [:]][ids[i + 1], default: []].append(id)
            i += 2
        }
        downsampler.seriesCreated(id: id, labels: labels)
        return id
    }

    /// The labels of a series id.
    public func labels(of id: Int) -> Labels { series[id].labels }

    /// Appends a sample; samples not newer than the series' last one are dropped and counted.
    public mutating func append(_ labels: Labels, _ time: Timestamp, _ value: Double) {
        append(id: seriesID(for: labels), time: time.milliseconds, value: value)
    }

    /// Appends a sample to a known series id.
    /// - Complexity: O(1) amortised.
    public mutating func append(id: Int, time: Int64, value: Double) {
        if let last = series[id].lastTime, time <= last {
            outOfOrderDropped += 1
            return
        }
        let previous = series[id].chunks.count > series[id].head ? series[id].chunks[series[id].chunks.count - 1].lastValue : nil
        if series[id].chunks.count > series[id].head, series[id].chunks[series[id].chunks.count - 1].canAppend(time: time) {
            series[id].chunks[series[id].chunks.count - 1].append(time: time, value: value)
        } else {
            if series[id].chunks.count > series[id].head { series[id].chunks[series[id].chunks.count - 1].shrink() }
            series[id].chunks.append(SampleChunk(time: time, value: value))
        }
        series[id].sampleCount += 1
        downsampler.sampleAppended(id: id, time: time, value: value, previous: previous)
        enforceRetention(id: id, newest: time)
    }

    private mutating func enforceRetention(id: Int, newest: Int64) {
        let cutoff = newest - retention.duration.milliseconds
        while series[id].chunks.count - series[id].head > 1 {
            let oldest = series[id].chunks[series[id].head]
            let overCount = series[id].sampleCount - oldest.count >= retention.maxSamplesPerSeries
            guard oldest.lastTime < cutoff || overCount else { break }
            series[id].sampleCount -= oldest.count
            series[id].chunks[series[id].head].release()
            series[id].head += 1
        }
        // Compact the ring's slot array once half of it is dead.
        if series[id].head > 8, series[id].head * 2 > series[id].chunks.count {
            series[id].chunks.removeFirst(series[id].head)
            series[id].head = 0
        }
    }

    /// Writes the stale marker for one series at `time` (a series that vanished or whose target went down).
    public mutating func markStale(id: Int, at time: Int64) {
        guard let last = series[id].lastTime, time > last else { return }
        let lastValue = series[id].chunks[series[id].chunks.count - 1].lastValue
        if StaleMarker.isStale(lastValue) { return }
        append(id: id, time: time, value: StaleMarker.value)
    }

    /// Calls `body` with each sample of series `id` whose time is in `lo...hi`, oldest first.
    public func forEachSample(id: Int, from lo: Int64, through hi: Int64, _ body: (Int64, Double) -> Void) {
        series[id].chunks.withUnsafeBufferPointer { chunks in
            var i = firstChunk(chunks, head: series[id].head, endingAtOrAfter: lo)
            while i < chunks.count {
                if chunks[i].baseTime > hi { return }
                chunks[i].forEach(from: lo, through: hi, body)
                i += 1
            }
        }
    }

    /// The span of the non-stale samples of series `id` whose time is in `lo...hi`.
    ///
    /// Equal to adding every such sample of `forEachSample` in order, bit for bit.
    /// - Complexity: O(log chunks + chunks in range + 2 × chunk capacity).
    public func counterSpan(id: Int, from lo: Int64, through hi: Int64) -> CounterSpan {
        var span = CounterSpan()
        series[id].chunks.withUnsafeBufferPointer { chunks in
            var i = firstChunk(chunks, head: series[id].head, endingAtOrAfter: lo)
            while i < chunks.count {
                // Read in place: a copy of the chunk would retain and release each of its buffers.
                if chunks[i].baseTime > hi { break }
                if chunks[i].baseTime >= lo, chunks[i].lastTime <= hi {
                    span.add(chunks[i].span)
                } else {
                    span.add(chunks[i].span(from: lo, through: hi))
                }
                i += 1
            }
        }
        return span
    }

    /// The time of the first sample of series `id` at or after `time`, if any is held.
    /// - Complexity: O(log chunks + chunk capacity).
    public func firstSampleTime(id: Int, atOrAfter time: Int64) -> Int64? {
        series[id].chunks.withUnsafeBufferPointer { chunks in
            let i = firstChunk(chunks, head: series[id].head, endingAtOrAfter: time)
            guard i < chunks.count else { return nil }
            if chunks[i].baseTime >= time { return chunks[i].baseTime }
            var found: Int64?
            chunks[i].forEach(from: time, through: .max) { t, _ in if found == nil { found = t } }
            return found
        }
    }

    /// The index of the first live chunk whose last sample is at or after `time` (binary search).
    private func firstChunk(_ chunks: UnsafeBufferPointer<SampleChunk>, head: Int, endingAtOrAfter time: Int64) -> Int {
        var a = head, b = chunks.count
        while a < b {
            let m = (a + b) / 2
            if chunks[m].lastTime < time { a = m + 1 } else { b = m }
        }
        return a
    }

    /// The last sample of series `id` at or before `time`, if any is held.
    public func lastSample(id: Int, atOrBefore time: Int64) -> (Int64, Double)? {
        let s = series[id]
        var i = s.chunks.count - 1
        while i >= s.head {
            if s.chunks[i].baseTime <= time { return s.chunks[i].last(atOrBefore: time) }
            i -= 1
        }
        return nil
    }

    /// Ids of the series whose label `name` equals `value` (ascending); empty when none.
    public func postings(name: String, value: String) -> [Int] {
        guard let n = strings.lookup(name), let v = strings.lookup(value) else { return [] }
        return postings[n]?[v] ?? []
    }

    /// Every (value, series ids) pair of label `name`.
    public func postings(name: String) -> [(value: String, ids: [Int])] {
        guard let n = strings.lookup(name), let byValue = postings[n] else { return [] }
        return byValue.map { (strings[$0.key], $0.value) }
    }

    /// Starts keeping per-minute increases (up to 30 days) of every series matching `matchers`,
    /// now and later; the samples already held are folded in. Returns the registration id.
    public mutating func registerDownsampling(_ matchers: [LabelMatcher]) -> Int {
        let reg = downsampler.register(matchers)
        for id in series.indices where matchers.allSatisfy({ $0.matches(series[id].labels[$0.name] ?? "") }) {
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
            (series[id].labels, downsampler.increases(id: id, from: from.milliseconds, to: to.milliseconds))
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
        var total = strings.estimatedBytes + series.capacity * 80 + idByLabels.capacity * 48
        for s in series {
            total += s.labelIDs.capacity * 4 + s.labels.count * 40 + s.chunks.capacity * 80
            for c in s.chunks[s.head...] { total += c.estimatedBytes }
        }
        for (_, byValue) in postings { total += byValue.capacity * 48; for (_, ids) in byValue { total += ids.capacity * 8 } }
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

/// A series' interned label ids as a dictionary key, hashed once.
struct LabelIDKey: Hashable, Sendable {
    let ids: [UInt32]
    let hash: UInt64

    init(_ ids: [UInt32]) {
        self.ids = ids
        hash = ids.withUnsafeBytes { ByteHash.hash($0.bindMemory(to: UInt8.self)) }
    }

    init(_ ids: [UInt32], hash: UInt64) { self.ids = ids; self.hash = hash }

    func hash(into hasher: inout Hasher) { hasher.combine(hash) }
    static func == (a: LabelIDKey, b: LabelIDKey) -> Bool { a.hash == b.hash && a.ids == b.ids }
}
