/// Finds a series id by the hash of its interned label ids: an open-addressed table of ids.
///
/// Each slot packs the 32-bit hash above `id + 1` (0 is an empty slot), so that a probe compares
/// hashes without touching the series; the caller confirms a match by comparing the ids. Series
/// are never removed, so there are no tombstones.
struct SeriesLabelIndex: Sendable {
    private var slots: [UInt64] = Array(repeating: 0, count: 64)
    private(set) var count = 0

    /// Makes room for `total` series without growing on the way.
    mutating func reserve(_ total: Int) {
        var size = slots.count
        while total * 2 > size { size *= 2 }
        if size > slots.count { rehash(size) }
    }

    /// The id of the series with `hash` for which `isMatch` holds, if one is held.
    /// - Complexity: O(1) expected (one probe run; `isMatch` only on equal hashes).
    @inline(__always)
    func lookup(hash: UInt32, _ isMatch: (Int) -> Bool) -> Int? {
        slots.withUnsafeBufferPointer { t in
            let mask = t.count - 1
            var slot = Int(hash) & mask
            while true {
                let entry = t[slot]
                if entry == 0 { return nil }
                if UInt32(truncatingIfNeeded: entry >> 32) == hash {
                    let id = Int(UInt32(truncatingIfNeeded: entry)) - 1
                    if isMatch(id) { return id }
                }
                slot = (slot + 1) & mask
            }
        }
    }

    /// Adds series `id` (not held before) under `hash`.
    /// - Complexity: O(1) amortised.
    mutating func insert(id: Int, hash: UInt32) {
        if (count + 1) * 2 > slots.count { rehash(slots.count * 2) }
        place(UInt64(hash) << 32 | UInt64(id + 1))
        count += 1
    }

    /// Approximate heap bytes of the table.
    var estimatedBytes: Int { slots.capacity * 8 }

    private mutating func place(_ entry: UInt64) {
        let mask = slots.count - 1
        var slot = Int(UInt32(truncatingIfNeeded: entry >> 32)) & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = entry
    }

    private mutating func rehash(_ size: Int) {
        let old = slots
        slots = Array(repeating: 0, count: size)
        for entry in old where entry != 0 { place(entry) }
    }
}
