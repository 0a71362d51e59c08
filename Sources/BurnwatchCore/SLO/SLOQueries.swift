/// The PromQL text behind an SLO's numbers: bad events and all events over a window.
///
/// Sloth's `{{.window}}` placeholder is replaced by the window written as Prometheus reads it
/// (`5m`, `30d`, `2592000s`); the same text goes to the embedded engine or to a remote server.
public struct SLOQueries: Hashable, Sendable {
    /// How the queries are shaped.
    public enum Shape: Hashable, Sendable {
        /// Errors and totals; `totalIsRate` says the total is per second (multiply by the window
        /// for an event count), otherwise it is a count (`increase`).
        case events(errorQuery: String, totalQuery: String, totalIsRate: Bool)
        /// One query returning the error ratio.
        case ratio(String)
    }

    public var shape: Shape

    /// Builds the queries of an indicator; a latency SLI needs the `le` label text of its bucket.
    ///
    /// - Parameters:
    ///   - indicator: the SLI.
    ///   - latencyBound: for a latency SLI, the exact `le` value of the threshold bucket
    ///     (defaults to the threshold printed the way Prometheus prints it).
    public init(_ indicator: SLIndicator, latencyBound: String? = nil) {
        switch indicator {
        case .events(let e, let t):
            let isCount = t.contains("increase(") && !t.contains("rate(")
            shape = .events(errorQuery: e, totalQuery: t, totalIsRate: !isCount)
        case .raw(let r):
            shape = .ratio(r)
        case .latency(let histogram, let matchers, let threshold):
            let bound = latencyBound ?? SLOQueries.formatBound(threshold)
            let prefix = matchers.trimmingSpaces.isEmpty ? "" : matchers.trimmingSpaces + ","
            let all = "sum(rate(\(histogram)_bucket{\(prefix)le=\"+Inf\"}[{{.window}}]))"
            let fast = "sum(rate(\(histogram)_bucket{\(prefix)le=\"\(bound)\"}[{{.window}}]))"
            shape = .events(errorQuery: "\(all) - \(fast)", totalQuery: all, totalIsRate: true)
        }
    }

    /// The query that lists a latency SLI's bucket bounds (`count by (le) (…_bucket{…})`).
    public static func boundsQuery(histogram: String, matchers: String) -> String {
        "count by (le) (\(histogram)_bucket{\(matchers.trimmingSpaces)})"
    }

    /// The error query for a window, or nil for a ratio SLI.
    public func errorQuery(window: Interval) -> String? {
        if case .events(let e, _, _) = shape { return SLOQueries.substitute(e, window) }
        return nil
    }

    /// The total query for a window, or nil for a ratio SLI.
    public func totalQuery(window: Interval) -> String? {
        if case .events(_, let t, _) = shape { return SLOQueries.substitute(t, window) }
        return nil
    }

    /// The error-ratio query for a window: `(errors) / (total)`, or the raw ratio query.
    public func errorRatioQuery(window: Interval) -> String {
        switch shape {
        case .events(let e, let t, _): "(\(SLOQueries.substitute(e, window))) / (\(SLOQueries.substitute(t, window)))"
        case .ratio(let r): SLOQueries.substitute(r, window)
        }
    }

    /// The burn-rate query for a window: the error ratio divided by `1 − objective`.
    public func burnRateQuery(window: Interval, objective: Double) -> String {
        "(\(errorRatioQuery(window: window))) / (1 - \(objective))"
    }

    /// Replaces every `{{.window}}` (spaces inside the braces allowed) with the window.
    public static func substitute(_ query: String, _ window: Interval) -> String {
        let bytes = Array(query.utf8)
        let brace = UInt8(ascii: "{"), close = UInt8(ascii: "}")
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            // `{{`, blanks, `.window`, blanks, `}}`
            if bytes[i] == brace, i + 1 < bytes.count, bytes[i + 1] == brace {
                var j = i + 2
                while j < bytes.count, isSpace(bytes[j]) { j += 1 }
                let name = Array(".window".utf8)
                if j + name.count <= bytes.count, Array(bytes[j..<(j + name.count)]) == name {
                    var k = j + name.count
                    while k < bytes.count, isSpace(bytes[k]) { k += 1 }
                    if k + 1 < bytes.count, bytes[k] == close, bytes[k + 1] == close {
                        out += promDuration(window).utf8
                        i = k + 2
                        continue
                    }
                }
            }
            out.append(bytes[i])
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A duration in one unit, as every Prometheus version reads it: `30d`, `6h`, `5m`, `90s`, `250ms`.
    public static func promDuration(_ d: Interval) -> String {
        let ms = d.milliseconds
        for (unit, size) in [("d", Int64(86_400_000)), ("h", 3_600_000), ("m", 60_000), ("s", 1000)] where ms % size == 0 {
            return "\(ms / size)\(unit)"
        }
        return "\(ms)ms"
    }

    /// A bucket bound as Prometheus prints `le` (`0.3`, `1`, `+Inf`).
    public static func formatBound(_ x: Double) -> String {
        if x == .infinity { return "+Inf" }
        if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        return String(x)
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and newlines.
    var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
