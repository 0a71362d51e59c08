import Synchronization

// Caches the engine keeps between queries: parsed texts (process-wide) and selections (per engine).

/// Parsed expressions by their text, shared by every engine: the live console asks the same few
/// thousand queries every second, and parsing is pure, so each text is parsed once.
///
/// Bounded: when `limit` texts are held the cache is emptied and fills again, so a stream of
/// distinct ad-hoc queries cannot grow it. Parse errors are not cached.
final class PromQLParseCache: Sendable {
    static let shared = PromQLParseCache(limit: 20_000)

    private struct Key: Hashable { var text: String; var dotMatchesNewline: Bool }
    private let entries = Mutex<[Key: Expr]>([:])
    private let limit: Int

    init(limit: Int) { self.limit = limit }

    /// The parsed `text`, from the cache or parsed now.
    ///
    /// - Throws: the parser's `BurnwatchError` when `text` is not valid PromQL.
    /// - Complexity: O(text length) on a hit (hashing); a parse on a miss.
    func expression(_ text: String, dotMatchesNewline: Bool) throws -> Expr {
        let key = Key(text: text, dotMatchesNewline: dotMatchesNewline)
        if let hit = entries.withLock({ $0[key] }) { return hit }
        let parsed = try PromQLParser.parse(text, dotMatchesNewline: dotMatchesNewline)
        entries.withLock {
            if $0.count >= limit { $0.removeAll(keepingCapacity: true) }
            $0[key] = parsed
        }
        return parsed
    }
}

/// The series ids each selector's matchers selected in one fixed store: an engine's queries
/// share it, so the eight windows of an SLO look their series up once.
final class SeriesSelections: Sendable {
    private let entries = Mutex<[[LabelMatcher]: [Int]]>([:])

    /// The ids remembered for `matchers`, if any.
    func ids(for matchers: [LabelMatcher]) -> [Int]? { entries.withLock { $0[matchers] } }

    /// Remembers the ids `matchers` selected.
    func remember(_ ids: [Int], for matchers: [LabelMatcher]) { entries.withLock { $0[matchers] = ids } }
}
