/// The published defaults of every signal kind: thresholds, hysteresis and named parameters.
///
/// The config may change any of these per service (`signals: {kind: {warn: …, for: …}}`);
/// `check-config` refuses a parameter name that is not listed here. docs/signals.md prints this table.
public enum SignalCatalog {
    /// One kind's defaults and what its thresholds measure.
    public struct Entry: Sendable {
        public var kind: SignalKind
        public var defaults: SignalSettings
        /// What `info`/`warn`/`page` compare against.
        public var measures: String
        /// Every named parameter with what it means.
        public var parameterDocs: [(name: String, meaning: String)]
    }

    private static func minutes(_ m: Double) -> Interval { Interval(seconds: m * 60) }

    /// Every kind, in `SignalKind.allCases` order.
    public static let entries: [Entry] = [
        Entry(kind: .sloBurn, defaults: SignalSettings(for: Interval(milliseconds: 0)),
              measures: "the SLO's multiwindow burn-rate tiers (page and ticket); no thresholds of its own",
              parameterDocs: []),
        Entry(kind: .retryStorm,
              defaults: SignalSettings(warn: 0.10, page: 0.20, for: minutes(1),
                                       parameters: ["amplification_warn": 1.1, "amplification_page": 2, "max_attempts": 3,
                                                    "jitter_cv": 0.1, "retry_success": 0.5, "min_requests": 0.2,
                                                    "retry_rise": 1.5]),
              measures: "retries ÷ original requests over 1m",
              parameterDocs: [("amplification_warn", "attempts ÷ unique requests that warns"),
                              ("amplification_page", "attempts ÷ unique requests that pages"),
                              ("max_attempts", "attempts per request above which a request counts as hammering"),
                              ("jitter_cv", "retry delays with a coefficient of variation below this lack jitter"),
                              ("retry_success", "retries succeeding less often than this do not help"),
                              ("min_requests", "requests per second below which no ratio is judged"),
                              ("retry_rise", "retries over 1m at this multiple of their previous hour are rising (for retry_success)")]),
        Entry(kind: .saturation,
              defaults: SignalSettings(warn: 0.80, page: 0.90, for: minutes(1),
                                       parameters: ["queue_growth_minutes": 5, "goroutines": 1000, "goroutine_growth": 10,
                                                    "gc_fraction": 0.05]),
              measures: "utilization of a known limit (used ÷ limit)",
              parameterDocs: [("queue_growth_minutes", "a queue growing this many minutes warns"),
                              ("goroutines", "goroutines above this warn"),
                              ("goroutine_growth", "goroutines growing faster than this per second (over 5m) warn"),
                              ("gc_fraction", "share of CPU time spent in GC that warns")]),
        Entry(kind: .latency,
              defaults: SignalSettings(warn: 1.5, page: 3, for: minutes(2), parameters: ["min_requests": 0.2]),
              measures: "p99 over 5m ÷ the previous hour's typical p99 (lower quartile of its 5m p99s); p99 above a latency SLO's threshold warns",
              parameterDocs: [("min_requests", "requests per second below which no quantile is judged")]),
        Entry(kind: .dependencyFailure,
              defaults: SignalSettings(warn: 0.05, page: 0.25, for: minutes(5), parameters: ["min_calls": 0.1]),
              measures: "errors and timeouts ÷ calls of one dependency over 5m",
              parameterDocs: [("min_calls", "calls per second below which no ratio is judged")]),
        Entry(kind: .errorTaxonomyShift,
              defaults: SignalSettings(warn: 0.20, for: minutes(5), parameters: ["all_500": 0.9, "min_errors": 0.05]),
              measures: "the largest move of one error class's share, 5m against the previous hour (0.20 = 20 points)",
              parameterDocs: [("all_500", "5xx share of errors above which, with no 4xx, everything is a 500"),
                              ("min_errors", "errors per second below which no share is judged")]),
        Entry(kind: .missingCorrelation,
              defaults: SignalSettings(info: 0.01, for: minutes(5)),
              measures: "request log lines without request_id and trace_id ÷ request lines over 5m",
              parameterDocs: []),
        Entry(kind: .duplicateSideEffect,
              defaults: SignalSettings(warn: 1, page: 10, for: Interval(milliseconds: 0)),
              measures: "successful writes repeating an idempotency key, over 10m",
              parameterDocs: []),
        Entry(kind: .poisonMessage,
              defaults: SignalSettings(warn: 1, page: 20, for: minutes(1), parameters: ["lag_growth_minutes": 10]),
              measures: "messages delivered 3 times or more, plus dead-lettered ones, over 10m",
              parameterDocs: [("lag_growth_minutes", "consumer lag growing this many minutes warns")]),
        Entry(kind: .tenantHotspot,
              defaults: SignalSettings(info: 0.5, warn: 0.5, for: minutes(5), parameters: ["baseline_factor": 10, "min_requests": 0.5]),
              measures: "one tenant's share over 5m: of requests (info), of errors while errors matter (warn)",
              parameterDocs: [("baseline_factor", "a tenant's rate above this multiple of its previous hour warns"),
                              ("min_requests", "requests per second below which no share is judged")]),
        Entry(kind: .deployRegression,
              defaults: SignalSettings(warn: 1.5, for: Interval(milliseconds: 0), parameters: ["window_minutes": 30]),
              measures: "p99 after a version change ÷ p99 before it (a firing burn tier after a change pages)",
              parameterDocs: [("window_minutes", "how long after a version change a regression is blamed on it")]),
        Entry(kind: .scrapeFailure,
              defaults: SignalSettings(warn: 1, for: Interval(seconds: 30), parameters: ["stall_seconds": 120]),
              measures: "targets down or failing (count)",
              parameterDocs: [("stall_seconds", "a log source silent this long after it was writing is stalled")]),
    ]

    /// The defaults of one kind.
    public static func defaults(_ kind: SignalKind) -> SignalSettings {
        entries.first { $0.kind == kind }!.defaults
    }

    /// The parameter names a config may set for `kind`.
    public static func parameterNames(_ kind: SignalKind) -> [String] {
        entries.first { $0.kind == kind }!.parameterDocs.map(\.name)
    }
}

extension SignalCatalog {
    /// The defaults as a Markdown table (docs/signals.md and the README embed it; `burnwatch signals` prints it).
    public static func markdown() -> String {
        var out = "| kind | measures | info | warn | page | for | other thresholds |\n|---|---|---|---|---|---|---|\n"
        for e in entries {
            let d = e.defaults
            let params = e.parameterDocs.map { "`\($0.name)` \(formatted(d.parameters[$0.name])): \($0.meaning)" }.joined(separator: "; ")
            out += "| `\(e.kind.rawValue)` | \(e.measures) | \(formatted(d.info)) | \(formatted(d.warn)) | \(formatted(d.page)) "
            out += "| \(d.forDuration.milliseconds == 0 ? "0s" : d.forDuration.description) | \(params.isEmpty ? "–" : params) |\n"
        }
        return out
    }

    private static func formatted(_ x: Double?) -> String {
        guard let x else { return "–" }
        return x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(x)
    }
}
