/// Per-minute increases of selected counter series, kept for up to 30 days.
///
/// SLO windows longer than the raw retention (say 30 d) are computed from these buckets: a window's
/// increase is the sum of its minutes' increases, counter resets already folded in. The PromQL
/// evaluator keeps using raw samples (exact Prometheus semantics) for ranges within retention;
/// SLO code asks `SeriesStore.totalIncrease` for longer ones. Memory: 8 bytes per tracked series
/// and minute (346 KB per series for 30 days).
public struct Downsampler: Sendable {
    /// Minutes kept per series (30 days).
    public static let maxMinutes = 30 * 24 * 60

    struct Tracked: Sendable {
        var registrations: Set<Int> = []
        var firstMinute: Int64 = 0      // minute index of buckets[0]
        var buckets: [Double] = []
        var last: Double? = nil
    }

    var registrations: [[LabelMatcher]] = []
    var tracked: [Int: Tracked] = [:]

    public init() {}

    mutating func register(_ matchers: [LabelMatcher]) -> Int {
        registrations.append(matchers)
        return registrations.count - 1
    }

    /// Whether any registration exists (new series need a look at their labels).
    var hasRegistrations: Bool { !registrations.isEmpty }

    /// Whether any series is tracked (appended samples need a look).
    var isTracking: Bool { !tracked.isEmpty }

    mutating func track(id: Int, registration: Int) { tracked[id, default: Tracked()].registrations.insert(registration) }

    mutating func seriesCreated(id: Int, labels: Labels) {
        for (r, ms) in registrations.enumerated() where ms.allSatisfy({ $0.matches(labels[$0.name] ?? "") }) {
            track(id: id, registration: r)
        }
    }

    mutating func sampleAppended(id: Int, time: Int64, value: Double, previous: Double?) {
        guard tracked[id] != nil, !value.isNaN else { return }
        let minute = floorDiv(time, 60_000)
        var t = tracked[id]!
        tracked[id] = nil
        if let last = t.last {
            let inc = value >= last ? value - last : value
            if t.buckets.isEmpty { t.firstMinute = minute }
            if minute >= t.firstMinute {
                let index = Int(minute - t.firstMinute)
                if index >= t.buckets.count { t.buckets.append(contentsOf: repeatElement(0, count: index - t.buckets.count + 1)) }
                t.buckets[index] += inc
                if t.buckets.count > Self.maxMinutes {
                    let drop = t.buckets.count - Self.maxMinutes
                    t.buckets.removeFirst(drop)
                    t.firstMinute += Int64(drop)
                }
            }
        }
        t.last = value
        tracked[id] = t
    }

    func seriesIDs(registration: Int) -> [Int] {
        tracked.filter { $0.value.registrations.contains(registration) }.map(\.key).sorted()
    }

    func increases(id: Int, from: Int64, to: Int64) -> [(Int64, Double)] {
        guard let t = tracked[id], !t.buckets.isEmpty else { return [] }
        let lo = max(floorDiv(from, 60_000), t.firstMinute)
        let hi = min(floorDiv(to, 60_000), t.firstMinute + Int64(t.buckets.count) - 1)
        if lo > hi { return [] }
        return (lo...hi).map { ($0 * 60_000, t.buckets[Int($0 - t.firstMinute)]) }
    }

    var estimatedBytes: Int { tracked.values.reduce(0) { $0 + 64 + $1.buckets.capacity * 8 } }
}

@inline(__always) func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
    let q = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
}
