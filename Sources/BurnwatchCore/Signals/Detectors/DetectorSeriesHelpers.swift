/// Small pieces the dependency, taxonomy, correlation, duplicate, poison, tenant and deploy
/// detectors share: strict thresholds, evidence names, error classification of label values.
enum DetectorSeriesHelpers {
    /// The severity of `value` strictly above the thresholds (`value > threshold`), nil below all.
    static func severityAbove(_ value: Double?, _ s: SignalSettings) -> Severity? {
        guard let value, value.isFinite else { return nil }
        if let p = s.page, value > p { return .page }
        if let w = s.warn, value > w { return .warning }
        if let i = s.info, value > i { return .info }
        return nil
    }

    /// The higher of two severities (nil is below all).
    static func worse(_ a: Severity?, _ b: Severity?) -> Severity? {
        guard let a else { return b }
        guard let b else { return a }
        return max(a, b)
    }

    /// A label value as a piece of an evidence name: lowercase letters, digits and `_`.
    static func evidenceName(_ raw: String) -> String {
        let mapped = raw.lowercased().unicodeScalars.map { s -> Character in
            (s >= "a" && s <= "z") || (s >= "0" && s <= "9") ? Character(s) : "_"
        }
        let out = String(mapped.prefix(48))
        return out.isEmpty ? "unnamed" : out
    }

    /// The status class (`5xx`) of a status-code label value (`503`, `5xx`), nil when it is none.
    static func statusClass(_ code: String?) -> String? {
        guard let code, let first = code.first, let d = first.wholeNumberValue, (1...5).contains(d) else { return nil }
        return "\(d)xx"
    }

    /// The first non-empty value among `names` in `labels`.
    static func firstLabel(_ labels: Labels, _ names: [String]) -> String? {
        for n in names { if let v = labels[n], !v.isEmpty { return v } }
        return nil
    }

    /// The labels that carry an HTTP status code in common client and server metrics.
    static let codeLabels = ["code", "status_code", "http_response_status_code", "status"]
}
