/// One label: a name and its value.
public struct Label: Hashable, Sendable, Comparable {
    public var name: String
    public var value: String
    public init(_ name: String, _ value: String) { self.name = name; self.value = value }
    public static func < (a: Label, b: Label) -> Bool { a.name < b.name || (a.name == b.name && a.value < b.value) }
}

/// A set of labels identifying one series, kept sorted by name with unique names.
///
/// `__name__` holds the metric name, as in Prometheus. Empty values are dropped: in Prometheus a
/// label with an empty value is the same as no label.
public struct Labels: Hashable, Sendable, CustomStringConvertible, Sequence {
    /// The labels, sorted by name.
    public private(set) var sorted: [Label]

    /// Creates a label set; later duplicates of a name win, empty values are dropped.
    ///
    /// - Complexity: O(n²) comparisons for the few labels a series has (insertion sort, already
    ///   sorted input is O(n)); O(n log n) beyond 16 labels.
    public init(_ labels: [Label]) {
        var all = labels
        if all.count > 16 {
            // Stable by position, so that the last of equal names is found last.
            all = labels.enumerated().sorted { $0.element.name < $1.element.name || ($0.element.name == $1.element.name && $0.offset < $1.offset) }
                .map(\.element)
        } else {
            var i = 1
            while i < all.count {
                if all[i].name < all[i - 1].name {
                    let moving = all[i]
                    var j = i
                    while j > 0, moving.name < all[j - 1].name { all[j] = all[j - 1]; j -= 1 }
                    all[j] = moving
                }
                i += 1
            }
        }
        // Later duplicates of a name win; empty values are no label.
        var kept = 0
        var i = 0
        while i < all.count {
            var last = i
            while last + 1 < all.count, all[last + 1].name == all[i].name { last += 1 }
            if !all[last].value.isEmpty { all[kept] = all[last]; kept += 1 }
            i = last + 1
        }
        if kept < all.count { all.removeLast(all.count - kept) }
        sorted = all
    }

    /// A label set from labels already sorted by name, unique, with no empty value (not checked).
    init(sortedUnique: [Label]) { sorted = sortedUnique }

    /// Creates a label set from a dictionary literal-like list of pairs.
    public init(_ pairs: KeyValuePairs<String, String>) { self.init(pairs.map { Label($0.key, $0.value) }) }

    /// Creates a label set from a dictionary.
    public init(_ dict: [String: String]) { self.init(dict.map { Label($0.key, $0.value) }) }

    /// An empty label set.
    public static let empty = Labels([Label]())

    /// The metric name (`__name__`), if any.
    public var metricName: String? { self["__name__"] }

    /// The value of a label, or `nil` when it is absent.
    public subscript(name: String) -> String? {
        var lo = 0, hi = sorted.count - 1
        while lo <= hi {
            let mid = (lo + hi) / 2
            if sorted[mid].name == name { return sorted[mid].value }
            if sorted[mid].name < name { lo = mid + 1 } else { hi = mid - 1 }
        }
        return nil
    }

    /// A copy with one label set (or removed when `value` is empty).
    public func setting(_ name: String, _ value: String) -> Labels {
        var all = sorted.filter { $0.name != name }
        if !value.isEmpty { all.append(Label(name, value)) }
        return Labels(all)
    }

    /// A copy without the named labels.
    public func removing(_ names: Set<String>) -> Labels { Labels(sorted.filter { !names.contains($0.name) }) }

    /// A copy keeping only the named labels.
    public func keeping(_ names: Set<String>) -> Labels { Labels(sorted.filter { names.contains($0.name) }) }

    public func makeIterator() -> IndexingIterator<[Label]> { sorted.makeIterator() }
    public var count: Int { sorted.count }

    /// Prometheus's text form: `name{a="1", b="2"}`, values escaped.
    public var description: String {
        let name = metricName ?? ""
        let rest = sorted.filter { $0.name != "__name__" }
        if rest.isEmpty { return name.isEmpty ? "{}" : name }
        return name + "{" + rest.map { "\($0.name)=\"\(Labels.escape($0.value))\"" }.joined(separator: ", ") + "}"
    }

    /// Escapes a label value the way Prometheus prints it (`\\`, `\"`, `\n`). Scalar by scalar: a
    /// quote or a backslash followed by a combining mark is one `Character`, and is escaped too.
    public static func escape(_ value: String) -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count)
        for u in value.unicodeScalars {
            switch u {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(u)
            }
        }
        return out
    }
}
