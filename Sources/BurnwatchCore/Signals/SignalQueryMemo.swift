/// Results of slow queries kept across rounds while they cannot change: a query whose answer
/// depends only on which `step`-aligned bucket the evaluation time falls in (a subquery like
/// `(…)[1h:5m] offset 5m`, whose steps sit on absolute multiples of 5m, all at least 5m back).
///
/// Owned by one `SignalEngine` and used by one thread at a time (the engine's rounds are
/// sequential), hence `@unchecked Sendable`. It keeps only the current bucket's results.
public final class SignalQueryMemo: @unchecked Sendable {
    private var entries: [String: (bucket: Int64, value: [VectorSample]?)] = [:]

    public init() {}

    /// The remembered result of `expression` in `bucket`, if any.
    func value(_ expression: String, bucket: Int64) -> [VectorSample]?? {
        guard let e = entries[expression], e.bucket == bucket else { return nil }
        return .some(e.value)
    }

    func store(_ expression: String, bucket: Int64, _ value: [VectorSample]?) {
        entries[expression] = (bucket, value)
    }
}
