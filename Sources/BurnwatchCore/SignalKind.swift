/// The stable kinds of signal a detector can raise (DESIGN.md §6).
///
/// Runbook sections name these kinds to say which signals they answer (see `Runbooks/README.md`).
public enum SignalKind: String, CaseIterable, Hashable, Sendable, Codable {
    case sloBurn = "slo_burn"
    case retryStorm = "retry_storm"
    case saturation = "saturation"
    case latency = "latency"
    case dependencyFailure = "dependency_failure"
    case errorTaxonomyShift = "error_taxonomy_shift"
    case missingCorrelation = "missing_correlation"
    case duplicateSideEffect = "duplicate_side_effect"
    case poisonMessage = "poison_message"
    case tenantHotspot = "tenant_hotspot"
    case deployRegression = "deploy_regression"
    case scrapeFailure = "scrape_failure"
}

/// How loudly a signal or alert asks for attention.
public enum Severity: String, CaseIterable, Comparable, Hashable, Sendable, Codable {
    case info, warning, page
    private var rank: Int { switch self { case .info: 0; case .warning: 1; case .page: 2 } }
    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}
