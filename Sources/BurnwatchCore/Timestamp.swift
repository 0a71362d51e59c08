/// A point in time: milliseconds since the Unix epoch, as Prometheus stores it.
///
/// Pure code never reads the clock; every `Timestamp` is passed in (DESIGN.md §2).
public struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    public var milliseconds: Int64

    /// Creates a timestamp from milliseconds since the epoch.
    public init(milliseconds: Int64) { self.milliseconds = milliseconds }

    /// Creates a timestamp from (possibly fractional) seconds since the epoch, rounded to the millisecond.
    public init(seconds: Double) { self.milliseconds = Int64((seconds * 1000).rounded()) }

    /// Seconds since the epoch.
    public var seconds: Double { Double(milliseconds) / 1000 }

    public static func < (a: Timestamp, b: Timestamp) -> Bool { a.milliseconds < b.milliseconds }
    public static func + (a: Timestamp, d: Interval) -> Timestamp { Timestamp(milliseconds: a.milliseconds + d.milliseconds) }
    public static func - (a: Timestamp, d: Interval) -> Timestamp { Timestamp(milliseconds: a.milliseconds - d.milliseconds) }
    public static func - (a: Timestamp, b: Timestamp) -> Interval { Interval(milliseconds: a.milliseconds - b.milliseconds) }

    public var description: String { RFC3339.format(self) }
}

/// A length of time in milliseconds, written the Prometheus way (`5m`, `1h30m`, `1d`).
public struct Interval: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The length in milliseconds.
    public var milliseconds: Int64

    /// Creates an interval from milliseconds.
    public init(milliseconds: Int64) { self.milliseconds = milliseconds }

    /// Creates an interval from seconds, rounded to the millisecond.
    public init(seconds: Double) { self.milliseconds = Int64((seconds * 1000).rounded()) }

    /// The length in seconds.
    public var seconds: Double { Double(milliseconds) / 1000 }

    public static func < (a: Interval, b: Interval) -> Bool { a.milliseconds < b.milliseconds }
    public static func * (a: Interval, n: Int64) -> Interval { Interval(milliseconds: a.milliseconds * n) }

    /// Parses a Prometheus duration such as `5m`, `1h30m`, `90s`, `250ms`, `1d`, `2w`, `1y`.
    ///
    /// - Parameter text: the duration text; units are `ms`, `s`, `m`, `h`, `d`, `w`, `y`, largest first.
    /// - Returns: the interval, or `nil` when the text is not a duration.
    /// - Complexity: O(n) in the length of `text`.
    public static func parse(_ text: some StringProtocol) -> Interval? {
        let units: [(String, Int64)] = [("y", 365 * 86_400_000), ("w", 7 * 86_400_000), ("d", 86_400_000),
                                        ("h", 3_600_000), ("m", 60_000), ("s", 1000), ("ms", 1)]
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { return nil }
        var i = 0
        var total: Int64 = 0
        var lastUnitIndex = -1
        while i < bytes.count {
            var number: Int64 = 0
            let startDigits = i
            while i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 {
                let (m, o1) = number.multipliedReportingOverflow(by: 10)
                let (s, o2) = m.addingReportingOverflow(Int64(bytes[i] - 48))
                if o1 || o2 { return nil }
                number = s
                i += 1
            }
            guard i > startDigits, i < bytes.count else { return nil }
            var unit = String(UnicodeScalar(bytes[i]))
            if bytes[i] == UInt8(ascii: "m"), i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "s") { unit = "ms" }
            guard let index = units.firstIndex(where: { $0.0 == unit }), index > lastUnitIndex else { return nil }
            lastUnitIndex = index
            i += unit.utf8.count
            let (p, o) = number.multipliedReportingOverflow(by: units[index].1)
            if o { return nil }
            total += p
        }
        return Interval(milliseconds: total)
    }

    /// The shortest Prometheus spelling of this interval (`1h30m`, `5m`, `250ms`).
    public var description: String {
        if milliseconds == 0 { return "0s" }
        var rest = milliseconds
        var out = milliseconds < 0 ? "-" : ""
        rest = abs(rest)
        for (unit, size) in [("y", Int64(365 * 86_400_000)), ("w", 7 * 86_400_000), ("d", 86_400_000),
                             ("h", 3_600_000), ("m", 60_000), ("s", 1000), ("ms", 1)] {
            if rest >= size {
                out += "\(rest / size)\(unit)"
                rest %= size
            }
        }
        return out
    }
}
