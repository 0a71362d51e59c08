/// Quantiles as Prometheus computes them: `quantile`, `quantile_over_time`, `histogram_quantile`.
public enum PromQuantile {
    /// The φ-quantile of `values` with linear interpolation between closest ranks (NaN sorts first).
    public static func quantile(_ q: Double, _ values: [Double]) -> Double {
        if values.isEmpty || q.isNaN { return .nan }
        if q < 0 { return -.infinity }
        if q > 1 { return .infinity }
        let sorted = values.sorted { a, b in a.isNaN ? !b.isNaN : (b.isNaN ? false : a < b) }
        let n = Double(sorted.count)
        let rank = q * (n - 1)
        let lower = max(0, rank.rounded(.down))
        let upper = min(n - 1, lower + 1)
        let weight = rank - rank.rounded(.down)
        return sorted[Int(lower)] * (1 - weight) + sorted[Int(upper)] * weight
    }

    /// One classic histogram bucket: upper bound and cumulative count.
    public struct Bucket: Sendable { public var upperBound: Double; public var count: Double
        public init(upperBound: Double, count: Double) { self.upperBound = upperBound; self.count = count } }

    /// The q-quantile of classic buckets: sorted by bound, equal bounds merged, counts forced
    /// monotonic; NaN without a `+Inf` bucket, with fewer than two buckets or with no observations.
    public static func bucketQuantile(_ q: Double, _ input: [Bucket]) -> Double {
        if q.isNaN { return .nan }
        if q < 0 { return -.infinity }
        if q > 1 { return .infinity }
        guard !input.isEmpty else { return .nan }
        var buckets = input.sorted { $0.upperBound < $1.upperBound }
        guard buckets[buckets.count - 1].upperBound == .infinity else { return .nan }
        // Merge buckets with the same bound.
        var merged: [Bucket] = []
        for b in buckets {
            if let last = merged.last, last.upperBound == b.upperBound { merged[merged.count - 1].count += b.count } else { merged.append(b) }
        }
        buckets = merged
        var maxCount = -Double.infinity
        for i in buckets.indices {
            if buckets[i].count > maxCount { maxCount = buckets[i].count } else if buckets[i].count < maxCount { buckets[i].count = maxCount }
        }
        guard buckets.count >= 2 else { return .nan }
        let observations = buckets[buckets.count - 1].count
        if observations == 0 { return .nan }
        var rank = q * observations
        var b = buckets.count - 1
        for i in 0..<(buckets.count - 1) where buckets[i].count >= rank { b = i; break }
        if b == buckets.count - 1 { return buckets[buckets.count - 2].upperBound }
        if b == 0, buckets[0].upperBound <= 0 { return buckets[0].upperBound }
        var bucketStart = 0.0
        let bucketEnd = buckets[b].upperBound
        var count = buckets[b].count
        if b > 0 {
            bucketStart = buckets[b - 1].upperBound
            count -= buckets[b - 1].count
            rank -= buckets[b - 1].count
        }
        return bucketStart + (bucketEnd - bucketStart) * (rank / count)
    }
}
