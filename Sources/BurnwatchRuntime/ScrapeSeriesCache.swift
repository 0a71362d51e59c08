import BurnwatchCore

/// The per-target table from a series' raw bytes, as the body spells its name and labels, to a
/// slot: a small number that the store thread maps to its series (`ScrapeSeriesTable`).
///
/// A series seen in the previous scrape costs one hash, one probe and one byte comparison, and
/// allocates nothing. Only a new series is decoded into labels. Two spellings of one label set
/// (labels in another order) share the slot of the first: the second is an alias, never a series
/// of its own, so that a change of label order neither makes a new series nor marks one stale,
/// and both spellings in one body are a duplicate.
///
/// Prometheus's scrape cache does the same (raw series bytes to a series reference) and, like it,
/// the label sets of two spellings are compared by a 64-bit hash.
struct ScrapeSeriesCache {
    /// What a series' bytes are, in the scrape under way.
    enum Lookup: Equatable {
        /// Seen before: its slot.
        case known(Int32)
        /// Already seen in this scrape (the same bytes, or another spelling of its labels).
        case duplicate
        /// Never seen: its entry, to be resolved with `define` once its labels are decoded.
        case new(Int32)
    }

    /// What a new entry turned out to be.
    enum Definition: Equatable {
        /// A series the store does not know under this target: the slot to define.
        case series(Int32)
        /// Another spelling of a known series' labels: its slot.
        case alias(Int32)
        /// Another spelling of a series already seen in this scrape.
        case duplicate
    }

    private struct Entry {
        var hash: UInt64
        var offset: Int
        var length: Int32
        /// The entry whose slot this spelling shares, or -1 when it is a series of its own.
        var aliasOf: Int32
        /// The scrape that last saw it; 0 when the entry is free.
        var seen: Int
        /// The hash of its decoded label set (series only).
        var labelsHash: Int
    }

    private var entries: [Entry] = []
    private var freeEntries: [Int32] = []
    /// Open-addressed (linear probing) table of entry indices; -1 is empty; count is a power of two.
    private var table: [Int32] = []
    private var arena: [UInt8] = []
    /// Bytes of `arena` that belong to no live entry.
    private var garbage = 0
    /// Label-set hash → the entry that is the series.
    private var seriesByLabels: [Int: Int32] = [:]
    private var generation = 0
    /// The entry after the last one found: a body lists its series in the same order each time,
    /// so the next series is most likely this one, found without a probe of the table.
    private var expected = 0
    /// Entries in use.
    private(set) var count = 0

    /// Starts a new scrape.
    mutating func begin() { generation += 1 }

    /// Finds the entry of a series' raw bytes, marking it seen; a new one is added.
    /// - Complexity: O(bytes), amortised.
    mutating func lookup(_ raw: UnsafeBufferPointer<UInt8>) -> Lookup {
        if table.isEmpty { table = Array(repeating: -1, count: 64) }
        let hash = ByteHash.hash(raw)
        if expected < entries.count, entries[expected].seen != 0, entries[expected].hash == hash, matches(expected, raw) {
            expected += 1
            return markSeen(expected - 1)
        }
        let mask = table.count - 1
        var i = Int(truncatingIfNeeded: hash) & mask
        while true {
            let e = table[i]
            if e < 0 { break }
            if entries[Int(e)].hash == hash, matches(Int(e), raw) {
                expected = Int(e) + 1
                return markSeen(Int(e))
            }
            i = (i + 1) & mask
        }
        let index: Int32
        let entry = Entry(hash: hash, offset: arena.count, length: Int32(raw.count), aliasOf: -1, seen: generation, labelsHash: 0)
        if let free = freeEntries.popLast() {
            index = free
            entries[Int(free)] = entry
        } else {
            index = Int32(entries.count)
            entries.append(entry)
        }
        arena.append(contentsOf: raw)
        table[i] = index
        expected = Int(index) + 1
        count += 1
        if count * 2 > table.count { rehash(capacity: table.count * 2) }
        return .new(index)
    }

    /// Resolves a new entry once its labels are decoded: a series of its own, or another
    /// spelling of a series this target already has.
    mutating func define(_ index: Int32, labelsHash: Int) -> Definition {
        if let series = seriesByLabels[labelsHash], series != index {
            entries[Int(index)].aliasOf = series
            if entries[Int(series)].seen == generation { return .duplicate }
            entries[Int(series)].seen = generation
            return .alias(series)
        }
        seriesByLabels[labelsHash] = index
        entries[Int(index)].labelsHash = labelsHash
        return .series(index)
    }

    /// Forgets a new entry whose labels turned out to be bad (the line is an error, not a series).
    mutating func discard(_ index: Int32) {
        remove(Int(index))
        if expected == Int(index) + 1 { expected = Int(index) }
    }

    /// Ends a scrape: drops every entry it did not see and returns the slots of the series among them.
    /// - Complexity: O(entries); allocates only when a series vanished.
    mutating func end() -> [Int32] {
        var vanished: [Int32] = []
        for index in entries.indices where entries[index].seen != 0 && entries[index].seen != generation {
            if entries[index].aliasOf < 0 { vanished.append(Int32(index)) }
            remove(index)
        }
        if garbage > 1 << 16, garbage * 2 > arena.count { compact() }
        return vanished
    }

    /// Forgets everything (the target went down, or the store asked for every series again).
    ///
    /// - Returns: the slots of the series it held.
    @discardableResult
    mutating func clear() -> [Int32] {
        var slots: [Int32] = []
        for index in entries.indices where entries[index].seen != 0 && entries[index].aliasOf < 0 { slots.append(Int32(index)) }
        entries = []
        freeEntries = []
        table = []
        arena = []
        garbage = 0
        seriesByLabels = [:]
        count = 0
        expected = 0
        return slots
    }

    /// The raw bytes of an entry (for messages).
    func rawBytes(_ index: Int32) -> ArraySlice<UInt8> {
        let e = entries[Int(index)]
        return arena[e.offset..<e.offset + Int(e.length)]
    }

    private mutating func markSeen(_ index: Int) -> Lookup {
        if entries[index].seen == generation { return .duplicate }
        entries[index].seen = generation
        let series = entries[index].aliasOf
        guard series >= 0 else { return .known(Int32(index)) }
        if entries[Int(series)].seen == generation { return .duplicate }
        entries[Int(series)].seen = generation
        return .known(series)
    }

    private func matches(_ index: Int, _ raw: UnsafeBufferPointer<UInt8>) -> Bool {
        let e = entries[index]
        guard Int(e.length) == raw.count else { return false }
        guard let base = raw.baseAddress, raw.count > 0 else { return true }
        return arena.withUnsafeBufferPointer { memoryEqual($0.baseAddress! + e.offset, base, raw.count) }
    }

    /// Takes an entry out of the table (backward-shift deletion: no tombstones).
    private mutating func remove(_ index: Int) {
        let mask = table.count - 1
        var i = Int(truncatingIfNeeded: entries[index].hash) & mask
        while table[i] != Int32(index) { i = (i + 1) & mask }
        var j = i
        while true {
            j = (j + 1) & mask
            let e = table[j]
            if e < 0 { break }
            let home = Int(truncatingIfNeeded: entries[Int(e)].hash) & mask
            // The entry at j may move to i when its home is not in the (cyclic) range (i, j].
            let between = i <= j ? (home > i && home <= j) : (home > i || home <= j)
            if !between {
                table[i] = e
                i = j
            }
        }
        table[i] = -1
        if entries[index].aliasOf < 0, seriesByLabels[entries[index].labelsHash] == Int32(index) {
            seriesByLabels[entries[index].labelsHash] = nil
        }
        garbage += Int(entries[index].length)
        entries[index].seen = 0
        entries[index].aliasOf = -1
        freeEntries.append(Int32(index))
        count -= 1
    }

    private mutating func rehash(capacity: Int) {
        table = Array(repeating: -1, count: capacity)
        let mask = capacity - 1
        for index in entries.indices where entries[index].seen != 0 {
            var i = Int(truncatingIfNeeded: entries[index].hash) & mask
            while table[i] >= 0 { i = (i + 1) & mask }
            table[i] = Int32(index)
        }
    }

    /// Copies the live entries' bytes into a new arena, dropping what removed entries left.
    private mutating func compact() {
        var packed: [UInt8] = []
        packed.reserveCapacity(arena.count - garbage)
        for index in entries.indices where entries[index].seen != 0 {
            let e = entries[index]
            entries[index].offset = packed.count
            packed.append(contentsOf: arena[e.offset..<e.offset + Int(e.length)])
        }
        arena = packed
        garbage = 0
    }
}
