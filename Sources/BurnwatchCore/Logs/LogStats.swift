/// Totals for `burnwatch logs --stats`: lines, levels, status classes, time span and latency quantiles.
///
/// Latencies go into log-spaced buckets (8 per factor of 10, 1 µs … 1000 s), so quantiles are
/// within about 15% and memory stays fixed however many lines are read. Accumulators merge, so
/// each worker keeps its own.
public struct LogStats: Sendable, Equatable {
    public var lines = 0
    public var matched = 0
    public var unstructured = 0
    public var invalidJSON = 0
    public var truncated = 0
    public var invalidUTF8 = 0
    public var timeUnparsed = 0
    /// Lines not in the source's format, read through other formats' common paths.
    public var otherFormat = 0
    public var levels: [LogLevel: Int] = [:]
    public var statusClasses: [String: Int] = [:]
    public var firstTime: Timestamp?
    public var lastTime: Timestamp?
    public var durationCount = 0
    public var durationSum = 0.0
    public var durationMax = 0.0
    var buckets = [Int](repeating: 0, count: LogStats.bucketCount)

    static let bucketsPerDecade = 8.0
    static let bucketCount = 8 * 9 + 2

    public init() {}

    /// Adds one matching event.
    public mutating func add(_ e: LogEvent) {
        matched += 1
        levels[e.level, default: 0] += 1
        if !e.statusClass.isEmpty { statusClasses[e.statusClass, default: 0] += 1 }
        if let t = e.time {
            if firstTime == nil || t < firstTime! { firstTime = t }
            if lastTime == nil || t > lastTime! { lastTime = t }
        }
        if let d = e.duration, d.isFinite, d >= 0 {
            durationCount += 1
            durationSum += d
            durationMax = max(durationMax, d)
            buckets[LogStats.bucket(d)] += 1
        }
    }

    static func bucket(_ d: Double) -> Int {
        if d <= 1e-6 { return 0 }
        let i = Int(((d.log10Value + 6) * bucketsPerDecade).rounded(.up))
        return min(max(i, 0), bucketCount - 1)
    }

    static func upperBound(_ i: Int) -> Double { pow10(Double(i) / bucketsPerDecade - 6) }

    /// The q-quantile (0…1) of the durations, as the upper bound of its bucket (never above the max).
    public func durationQuantile(_ q: Double) -> Double? {
        guard durationCount > 0 else { return nil }
        let rank = Int((q * Double(durationCount)).rounded(.up))
        var seen = 0
        for (i, n) in buckets.enumerated() {
            seen += n
            if seen >= max(rank, 1) { return min(LogStats.upperBound(i), durationMax) }
        }
        return durationMax
    }

    /// Combines two accumulators.
    public mutating func merge(_ o: LogStats) {
        lines += o.lines; matched += o.matched; unstructured += o.unstructured; invalidJSON += o.invalidJSON
        truncated += o.truncated; invalidUTF8 += o.invalidUTF8; timeUnparsed += o.timeUnparsed; otherFormat += o.otherFormat
        for (k, v) in o.levels { levels[k, default: 0] += v }
        for (k, v) in o.statusClasses { statusClasses[k, default: 0] += v }
        if let t = o.firstTime, firstTime == nil || t < firstTime! { firstTime = t }
        if let t = o.lastTime, lastTime == nil || t > lastTime! { lastTime = t }
        durationCount += o.durationCount; durationSum += o.durationSum; durationMax = max(durationMax, o.durationMax)
        for i in buckets.indices { buckets[i] += o.buckets[i] }
    }

    /// The report printed by `--stats`.
    public var report: String {
        var out: [String] = []
        out.append("lines          \(lines)")
        out.append("matched        \(matched)")
        if let a = firstTime, let b = lastTime {
            out.append("first          \(RFC3339.format(a))")
            out.append("last           \(RFC3339.format(b))")
            let span = Double(b.milliseconds - a.milliseconds) / 1000
            if span > 0 { out.append("rate           \(LogPrettyFormatter.trim(Double(matched) / span))/s over \(LogPrettyFormatter.formatSeconds(span))") }
        }
        out.append("levels         " + LogLevel.allCases.compactMap { l in levels[l].map { "\(l)=\($0)" } }.joined(separator: " "))
        out.append("status         " + statusClasses.keys.sorted().map { "\($0)=\(statusClasses[$0]!)" }.joined(separator: " "))
        if durationCount > 0 {
            let q = [0.5, 0.9, 0.99].map { "p\(Int($0 * 100))=\(LogPrettyFormatter.formatSeconds(durationQuantile($0)!))" }
            out.append("latency        " + q.joined(separator: " ") + " max=\(LogPrettyFormatter.formatSeconds(durationMax)) mean=\(LogPrettyFormatter.formatSeconds(durationSum / Double(durationCount))) n=\(durationCount)")
        }
        out.append("unstructured   \(unstructured)")
        out.append("invalid_json   \(invalidJSON)")
        out.append("truncated      \(truncated)")
        out.append("invalid_utf8   \(invalidUTF8)")
        out.append("time_unparsed  \(timeUnparsed)")
        out.append("other_format   \(otherFormat)")
        return out.joined(separator: "\n") + "\n"
    }
}

extension Double {
    /// log10 without Foundation, through the natural log series of the standard library's `log`-free path.
    var log10Value: Double {
        // Exponent and mantissa split: x = m · 2^e with m in [1, 2).
        let e = Double(exponent)
        let m = significand
        // ln(m) by atanh series: ln(m) = 2·atanh((m−1)/(m+1)).
        let y = (m - 1) / (m + 1)
        let y2 = y * y
        var term = y, sum = 0.0
        var k = 1.0
        for _ in 0..<12 { sum += term / k; term *= y2; k += 2 }
        return (2 * sum + e * 0.6931471805599453) / 2.302585092994046
    }
}

/// 10^x without Foundation.
func pow10(_ x: Double) -> Double {
    // exp(x·ln10) by range reduction: 2^(x·log2(10)).
    let t = x * 3.321928094887362
    let n = t.rounded(.down)
    let f = (t - n) * 0.6931471805599453
    var term = 1.0, sum = 1.0
    for k in 1..<20 { term *= f / Double(k); sum += term }
    return Double(sign: .plus, exponent: Int(n), significand: 1) * sum
}
