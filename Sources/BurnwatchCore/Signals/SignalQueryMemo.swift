/// Answers of queries at past instants, kept across rounds while they cannot change: an instant
/// query at a time at least the width of its window back reads only samples that are already in
/// (`SignalContext.stepValues`, for subqueries like the latency baseline's `[1h:5m] offset 5m`).
///
/// Owned by one `SignalEngine` and used by one thread at a time (the engine's rounds are
/// sequential), hence `@unchecked Sendable`. Per expression it keeps only the instants still in
/// the range last asked.
public final class SignalQueryMemo: @unchecked Sendable {
    private var instants: [String: [Int64: [VectorSample]]] = [:]
    private var minutes: [String: (minute: Int64, value: [VectorSample])] = [:]

    public init() {}

    /// A memo of its own holding the same answers (a replay's checkpoint must not share one).
    public func copy() -> SignalQueryMemo {
        let other = SignalQueryMemo()
        other.instants = instants
        other.minutes = minutes
        return other
    }

    /// The remembered answer of `expression` at the past instant `time`, if any.
    func value(_ expression: String, at time: Int64) -> [VectorSample]? { instants[expression]?[time] }

    /// The remembered answer of the baseline `expression` at the whole minute `minute`, if any.
    func baseline(_ expression: String, at minute: Int64) -> [VectorSample]? {
        guard let kept = minutes[expression], kept.minute == minute else { return nil }
        return kept.value
    }

    /// Remembers the answer of the baseline `expression` at `minute` (its only one).
    func storeBaseline(_ expression: String, at minute: Int64, _ value: [VectorSample]) { minutes[expression] = (minute, value) }

    /// Remembers the answer of `expression` at `time`, forgetting its answers before `oldest`.
    func store(_ expression: String, at time: Int64, _ value: [VectorSample], keepingFrom oldest: Int64) {
        var byTime = (instants[expression] ?? [:]).filter { $0.key >= oldest }
        byTime[time] = value
        instants[expression] = byTime
    }
}
