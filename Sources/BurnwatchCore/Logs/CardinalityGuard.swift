/// Keeps the number of distinct values of each label bounded: values beyond the limit fold into `other`.
///
/// The first `limit` distinct values seen for a label name pass through unchanged; later new values
/// become `"other"` and are counted in `folded`.
public struct CardinalityGuard: Sendable {
    /// The value that folded label values become.
    public static let otherValue = "other"

    /// The most distinct values kept per label name (the default applies to names not listed).
    public var limits: [String: Int]
    public var defaultLimit: Int
    private var seen: [String: Set<String>] = [:]
    /// How many label values were folded into `other`, by label name.
    public private(set) var folded: [String: Int] = [:]

    /// Creates a guard.
    ///
    /// - Parameters:
    ///   - defaultLimit: distinct values kept per label name.
    ///   - limits: per-name overrides.
    public init(defaultLimit: Int = 100, limits: [String: Int] = [:]) {
        self.defaultLimit = defaultLimit; self.limits = limits
    }

    /// The value to use for `name=value`: `value` itself, or `other` once the limit is reached.
    ///
    /// - Complexity: O(1) amortised.
    public mutating func admit(_ name: String, _ value: String) -> String {
        if value.isEmpty { return value }
        if seen[name]?.contains(value) == true { return value }
        let limit = limits[name] ?? defaultLimit
        if (seen[name]?.count ?? 0) < limit {
            seen[name, default: []].insert(value)
            return value
        }
        folded[name, default: 0] += 1
        return CardinalityGuard.otherValue
    }
}
