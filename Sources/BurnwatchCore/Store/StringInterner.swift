/// Interns strings: each distinct string is stored once and named by a small integer id.
///
/// Lookups hash the UTF-8 bytes once, with no `String` made: a parser can intern a label value
/// straight from its input buffer, and a known value costs a hash and one comparison. The bytes of
/// every string are kept in one arena; the table is open-addressed.
public struct StringInterner: Sendable {
    private var strings: [String] = []
    /// Offset and length of each string's bytes in `arena`.
    private var offsets: [Int] = []
    private var lengths: [Int32] = []
    private var hashes: [UInt32] = []
    private var arena: [UInt8] = []
    /// Open-addressed table of `id + 1` (0 = empty); its count is a power of two.
    private var table: [UInt32] = Array(repeating: 0, count: 64)

    public init() {}

    /// The id of `s`, adding it when new.
    /// - Complexity: O(length of `s`) (one hash of its bytes).
    public mutating func intern(_ s: String) -> UInt32 {
        var utf8 = s
        return utf8.withUTF8 { intern(bytes: $0, string: s) }
    }

    /// The id of the string with these UTF-8 bytes, adding it when new (the `String` is made only then).
    /// - Complexity: O(bytes).
    public mutating func intern(bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
        intern(bytes: bytes, string: nil)
    }

    private mutating func intern(bytes: UnsafeBufferPointer<UInt8>, string: String?) -> UInt32 {
        let hash = Self.hash(bytes)
        if let id = find(bytes, hash: hash) { return id }
        let id = UInt32(strings.count)
        strings.append(string ?? String(decoding: bytes, as: UTF8.self))
        offsets.append(arena.count)
        lengths.append(Int32(bytes.count))
        hashes.append(hash)
        arena.append(contentsOf: bytes)
        if strings.count * 2 > table.count { grow() } else { insert(id: id, hash: hash) }
        return id
    }

    /// The id of `s` when it was interned before, else nil.
    public func lookup(_ s: String) -> UInt32? {
        var s = s
        return s.withUTF8 { find($0, hash: Self.hash($0)) }
    }

    /// The id of these bytes when they were interned before, else nil.
    public func lookup(bytes: UnsafeBufferPointer<UInt8>) -> UInt32? { find(bytes, hash: Self.hash(bytes)) }

    /// The string of an id.
    public subscript(id: UInt32) -> String { strings[Int(id)] }

    /// Whether the string of `id` is empty.
    public func isEmpty(_ id: UInt32) -> Bool { lengths[Int(id)] == 0 }

    /// How many distinct strings are held.
    public var count: Int { strings.count }

    /// Whether the string of `a` sorts before the string of `b` (as `String`'s `<`).
    ///
    /// ASCII strings compare by bytes, without touching the `String`s.
    public func precedes(_ a: UInt32, _ b: UInt32) -> Bool {
        if a == b { return false }
        let la = Int(lengths[Int(a)]), lb = Int(lengths[Int(b)])
        let oa = offsets[Int(a)], ob = offsets[Int(b)]
        return arena.withUnsafeBufferPointer { p in
            var k = 0
            let n = min(la, lb)
            while k < n {
                let x = p[oa + k], y = p[ob + k]
                if x >= 0x80 || y >= 0x80 { return strings[Int(a)] < strings[Int(b)] }
                if x != y { return x < y }
                k += 1
            }
            return la < lb
        }
    }

    /// Approximate heap bytes used (strings, arena and table).
    public var estimatedBytes: Int {
        var total = strings.capacity * 16 + offsets.capacity * 8 + lengths.capacity * 4 + hashes.capacity * 4
            + arena.capacity + table.capacity * 4
        for s in strings where s.utf8.count > 15 { total += s.utf8.count + 32 }
        return total
    }

    private func find(_ bytes: UnsafeBufferPointer<UInt8>, hash: UInt32) -> UInt32? {
        let mask = table.count - 1
        var slot = Int(hash) & mask
        return table.withUnsafeBufferPointer { t in
            arena.withUnsafeBufferPointer { a in
                while true {
                    let entry = t[slot]
                    if entry == 0 { return nil }
                    let id = Int(entry - 1)
                    if hashes[id] == hash, Int(lengths[id]) == bytes.count,
                       bytes.count == 0 || memoryEqual(a.baseAddress! + offsets[id], bytes.baseAddress!, bytes.count) {
                        return UInt32(id)
                    }
                    slot = (slot + 1) & mask
                }
            }
        }
    }

    private mutating func insert(id: UInt32, hash: UInt32) {
        let mask = table.count - 1
        var slot = Int(hash) & mask
        while table[slot] != 0 { slot = (slot + 1) & mask }
        table[slot] = id + 1
    }

    private mutating func grow() {
        table = Array(repeating: 0, count: table.count * 2)
        for id in hashes.indices { insert(id: UInt32(id), hash: hashes[id]) }
    }

    /// A fast hash of bytes, eight at a time (not for untrusted adversarial keys beyond a scrape).
    @inline(__always)
    public static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
        UInt32(truncatingIfNeeded: ByteHash.hash(bytes) >> 32)
    }
}

/// Whether `n` bytes at `a` and `b` are equal (eight at a time).
@inline(__always)
public func memoryEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Bool {
    let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
    var k = 0
    while k + 8 <= n {
        if ra.loadUnaligned(fromByteOffset: k, as: UInt64.self) != rb.loadUnaligned(fromByteOffset: k, as: UInt64.self) { return false }
        k += 8
    }
    while k < n {
        if a[k] != b[k] { return false }
        k += 1
    }
    return true
}

/// A 64-bit hash of bytes, eight at a time, with a seed chosen per process.
public enum ByteHash {
    /// Chosen once per process, so that colliding keys cannot be prepared in advance.
    static let seed: UInt64 = UInt64.random(in: 1 ... .max)

    /// The hash of `bytes`.
    /// - Complexity: O(bytes).
    @inline(__always)
    public static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h = seed ^ (UInt64(bytes.count) &* 0x9E37_79B9_7F4A_7C15)
        guard let base = bytes.baseAddress else { return mix(h) }
        let raw = UnsafeRawPointer(base)
        let n = bytes.count
        var k = 0
        while k + 8 <= n {
            h = ((h ^ raw.loadUnaligned(fromByteOffset: k, as: UInt64.self)) &* 0x9E37_79B9_7F4A_7C15)
            h ^= h >> 29
            k += 8
        }
        if k < n {
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while k < n { tail |= UInt64(base[k]) << shift; shift += 8; k += 1 }
            h = (h ^ tail) &* 0x9E37_79B9_7F4A_7C15
        }
        return mix(h)
    }

    /// Mixes a word (the multiply–xorshift finaliser of splitmix64).
    @inline(__always)
    public static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
