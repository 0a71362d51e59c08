/// Interns strings: each distinct string is stored once and named by a small integer id.
public struct StringInterner: Sendable {
    private var strings: [String] = []
    private var ids: [String: UInt32] = [:]

    public init() {}

    /// The id of `s`, adding it when new.
    /// - Complexity: O(1) amortised (one hash of `s`).
    public mutating func intern(_ s: String) -> UInt32 {
        if let id = ids[s] { return id }
        let id = UInt32(strings.count)
        strings.append(s)
        ids[s] = id
        return id
    }

    /// The id of `s` when it was interned before, else nil.
    public func lookup(_ s: String) -> UInt32? { ids[s] }

    /// The string of an id.
    public subscript(id: UInt32) -> String { strings[Int(id)] }

    /// How many distinct strings are held.
    public var count: Int { strings.count }

    /// Approximate heap bytes used (string storage plus the table).
    public var estimatedBytes: Int {
        var total = strings.capacity * 16 + ids.capacity * 24
        for s in strings where s.utf8.count > 15 { total += s.utf8.count + 32 }
        return total
    }
}
