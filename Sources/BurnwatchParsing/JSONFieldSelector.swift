/// The fields a JSON scan should extract, as a trie of dotted paths (`request.method`).
///
/// Keys that themselves contain dots (ECS writes `"log.level"`) match the same path as nested
/// objects: `{"log":{"level":"x"}}` and `{"log.level":"x"}` both answer `log.level`.
public struct JSONFieldSelector: Sendable {
    struct Node: Sendable {
        var children: [(key: [UInt8], node: Int)] = []
        /// `children` grouped by key length (capped at `lengthBuckets - 1`), so a key is compared
        /// only with the few children of its length.
        var byLength: [[(key: [UInt8], node: Int)]] = []
        var slot: Int?
    }

    static let lengthBuckets = 48

    var nodes: [Node] = [Node()]
    /// The requested paths; slot `i` of a scan answers `paths[i]`.
    public let paths: [String]
    /// The deepest path, in segments.
    public private(set) var maxSegments = 0
    /// Slots whose discovery may end the scan: once all of them are found, the rest of the line is skipped.
    public private(set) var stopSlots: [Bool]
    /// The number of `true` entries of `stopSlots`.
    public private(set) var stopCount: Int

    /// Creates a selector for `paths` (duplicates share a slot: the first one's).
    ///
    /// - Parameter stopAfter: the slots whose discovery ends a scan (default: all). A field with
    ///   fallback candidates passes only its first candidate, so a line that has it is not read further.
    public init(paths: [String], stopAfter: Set<Int>? = nil) {
        self.paths = paths
        stopSlots = paths.indices.map { stopAfter?.contains($0) ?? true }
        stopCount = stopSlots.filter { $0 }.count
        for (slot, path) in paths.enumerated() {
            var node = 0
            let segments = path.split(separator: ".", omittingEmptySubsequences: false)
            maxSegments = max(maxSegments, segments.count)
            for segment in segments {
                let key = Array(segment.utf8)
                if let child = nodes[node].children.first(where: { $0.key == key })?.node {
                    node = child
                } else {
                    nodes.append(Node())
                    nodes[node].children.append((key, nodes.count - 1))
                    node = nodes.count - 1
                }
            }
            if nodes[node].slot == nil { nodes[node].slot = slot }
        }
        for i in nodes.indices {
            var buckets = [[(key: [UInt8], node: Int)]](repeating: [], count: JSONFieldSelector.lengthBuckets)
            for c in nodes[i].children { buckets[min(c.key.count, JSONFieldSelector.lengthBuckets - 1)].append(c) }
            nodes[i].byLength = buckets
        }
    }

    /// The number of slots a scan fills.
    public var slotCount: Int { paths.count }

    /// The trie node reached from `node` by the key `p[start..<end]` (split at dots), or `nil`.
    func descend(_ node: Int, _ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Int? {
        var current = node
        var segStart = start
        while true {
            var segEnd = segStart
            while segEnd < end, p[segEnd] != 0x2E { segEnd += 1 }
            guard let next = child(current, p, segStart, segEnd) else {
                // A key with a dot may also be one literal segment (`"a.b"` requested as `a.b`
                // matches either way), so only fail here.
                return nil
            }
            current = next
            if segEnd >= end { return current }
            segStart = segEnd + 1
        }
    }
    func child(_ node: Int, _ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Int? {
        let n = end - start
        if nodes[node].children.isEmpty { return nil }
        for (key, child) in nodes[node].byLength[min(n, JSONFieldSelector.lengthBuckets - 1)] where key.count == n {
            var equal = true
            var k = 0
            while k < n { if key[k] != p[start + k] { equal = false; break }; k += 1 }
            if equal { return child }
        }
        return nil
    }
}
