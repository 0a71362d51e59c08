import BurnwatchCore

/// Reads a service's `retries:`, `resources:` and `signals:` keys (docs/signals.md).
enum SignalConfigReader {
    /// The keys of a service mapping this reader handles.
    static let serviceKeys = ["retries", "resources", "signals"]

    /// The signal configuration of service `name` from its mapping.
    ///
    /// - Throws: `.config` at the line and column of a bad entry, query, threshold or kind.
    static func read(_ s: YAMLMapping, service name: String) throws -> ServiceSignalConfig {
        var out = ServiceSignalConfig(service: name)
        if let retries = s["retries"] {
            for item in try retries.sequence() {
                let r = try item.mapping(["name", "retries", "attempts", "requests"])
                let entryName = try r.required("name").nonEmptyString()
                guard (r["retries"] == nil) != (r["attempts"] == nil) else {
                    throw item.error("retry source `\(entryName)` needs exactly one of `retries` and `attempts` (with `requests`)")
                }
                out.retries.append(RetrySourceConfig(name: entryName, retries: try r["retries"]?.promQL(),
                                                     attempts: try r["attempts"]?.promQL(),
                                                     requests: try r.required("requests").promQL(), origin: item.position))
            }
        }
        if let resources = s["resources"] {
            for item in try resources.sequence() {
                let r = try item.mapping(["name", "used", "limit", "queue", "capacity"])
                let entryName = try r.required("name").nonEmptyString()
                let res = ResourceConfig(name: entryName, used: try r["used"]?.promQL(), limit: try r["limit"]?.promQL(),
                                         queue: try r["queue"]?.promQL(), capacity: try r["capacity"]?.promQL(), origin: item.position)
                let pair = res.used != nil && res.limit != nil && res.queue == nil && res.capacity == nil
                guard pair || (res.queue != nil && res.used == nil && res.limit == nil) else {
                    throw item.error("resource `\(entryName)` needs `used` and `limit`, or `queue` (and optionally `capacity`)")
                }
                if res.capacity != nil && res.queue == nil { throw item.error("resource `\(entryName)`: `capacity` goes with `queue`") }
                out.resources.append(res)
            }
        }
        if let signals = s["signals"] {
            let kinds = SignalKind.allCases.map(\.rawValue)
            for (kindName, node) in try signals.mapping(kinds).entries {
                let kind = SignalKind(rawValue: kindName)!
                let params = SignalCatalog.parameterNames(kind)
                let m = try node.mapping(["enabled", "info", "warn", "page", "for"] + params)
                var o = SignalSettingsOverride(origin: node.position)
                if let v = m["enabled"] { o.enabled = try v.bool() }
                if let v = m["info"] { o.info = try threshold(v) }
                if let v = m["warn"] { o.warn = try threshold(v) }
                if let v = m["page"] { o.page = try threshold(v) }
                if let v = m["for"] { o.forDuration = try wait(v) }
                for p in params { if let v = m[p] { o.parameters[p] = try threshold(v) } }
                if let w = o.warn, let p = o.page, p < w {
                    throw (m["page"] ?? node).error("`page` (\(p)) is below `warn` (\(w)) in `\(node.path)`")
                }
                out.overrides[kind] = o
            }
        }
        return out
    }

    /// A `for` wait: a duration, or 0 (`0`, `0s`) to fire in the first round the condition holds.
    static func wait(_ node: YAMLNode) throws -> Interval {
        let text = try node.string()
        if text == "0" { return Interval(milliseconds: 0) }
        guard let d = Interval.parse(text), d.milliseconds >= 0 else {
            throw node.error("expected a duration such as 0s, 30s or 5m at `\(node.path)`, found `\(text)`")
        }
        return d
    }

    /// A threshold: a finite number, not negative.
    static func threshold(_ node: YAMLNode) throws -> Double {
        let v = try node.double()
        guard v.isFinite, v >= 0 else { throw node.error("expected a number ≥ 0 at `\(node.path)`, found \(node.kindDescription)") }
        return v
    }
}
