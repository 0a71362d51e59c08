import BurnwatchCore

/// Reads one SLO entry written with Sloth `prometheus/v1` keys plus burnwatch's own
/// (`service`, `period`, `min_events`, `sli.latency`).
enum SLOEntryReader {
    static let slothKeys = ["name", "objective", "description", "labels", "sli", "alerting"]
    static let ownKeys = ["service", "period", "min_events"]

    /// Reads an SLO entry.
    ///
    /// - Parameters:
    ///   - node: the entry's mapping.
    ///   - service: the service when the file gives it (a Sloth file's `service`); an entry's own
    ///     `service` key is then not allowed.
    ///   - burnwatchKeys: whether burnwatch's own keys are accepted (not in a plain Sloth file).
    /// - Throws: `.config` naming the position of the first problem.
    static func read(_ node: YAMLNode, service: String?, burnwatchKeys: Bool) throws -> SLOSpec {
        var keys = slothKeys
        if burnwatchKeys { keys += ownKeys.filter { $0 != "service" || service == nil } }
        let m = try node.mapping(keys)
        let name = try m.required("name").nonEmptyString()
        let serviceName = try service ?? m.required("service").nonEmptyString()
        let objectiveNode = try m.required("objective")
        let percent = try objectiveNode.double()
        guard percent > 0, percent < 100 else {
            throw objectiveNode.error("expected an objective in percent between 0 and 100 (exclusive) at `\(objectiveNode.path)`, found `\(try objectiveNode.string())`")
        }
        let indicator = try readIndicator(try m.required("sli"), latency: burnwatchKeys)
        var spec = SLOSpec(service: serviceName, name: name, objective: (percent * 1e10).rounded() / 1e12,
                           description: try m["description"]?.string() ?? "", indicator: indicator,
                           origin: node.position)
        if let p = m["period"] { spec.period = try readPeriod(p) }
        if let e = m["min_events"] {
            let v = try e.double()
            guard v >= 0 else { throw e.error("expected a number of events ≥ 0 at `\(e.path)`") }
            spec.minEvents = v
        }
        if let alerting = m["alerting"] {
            let a = try alerting.mapping(["name", "labels", "annotations", "page_alert", "ticket_alert"])
            if let l = a["labels"] { _ = try l.stringMap() }
            if let l = a["annotations"] { _ = try l.stringMap() }
            spec.pageAlertsEnabled = try !disabled(a["page_alert"])
            spec.ticketAlertsEnabled = try !disabled(a["ticket_alert"])
        }
        if let l = m["labels"] { _ = try l.stringMap() }
        return spec
    }

    /// Whether a Sloth `page_alert` / `ticket_alert` block says `disable: true`.
    static func disabled(_ node: YAMLNode?) throws -> Bool {
        guard let node else { return false }
        let m = try node.mapping(["disable", "labels", "annotations"])
        return try m["disable"]?.bool() ?? false
    }

    /// `30d` (rolling) or `{calendar: month}`.
    static func readPeriod(_ node: YAMLNode) throws -> SLOPeriod {
        if case .mapping = node.node {
            let m = try node.mapping(["calendar"])
            let c = try m.required("calendar")
            guard try c.string() == "month" else { throw c.error("expected `month` at `\(c.path)`, found \(c.kindDescription)") }
            return .calendarMonth
        }
        let text = try node.string()
        if text == "calendar-month" || text == "month" { return .calendarMonth }
        guard let d = Interval.parse(text), d.milliseconds >= 86_400_000 else {
            throw node.error("expected a rolling period such as 7d, 28d or 30d, or {calendar: month}, at `\(node.path)`, found `\(text)`")
        }
        return .rolling(d)
    }

    /// `sli.events`, `sli.raw` or (burnwatch) `sli.latency`: exactly one of them.
    static func readIndicator(_ node: YAMLNode, latency: Bool) throws -> SLIndicator {
        let kinds = ["events", "raw", "plugin"] + (latency ? ["latency"] : [])
        let m = try node.mapping(kinds)
        guard m.entries.count == 1, let (kind, value) = m.entries.first else {
            throw node.error("expected exactly one of \(kinds.filter { $0 != "plugin" }.joined(separator: ", ")) at `\(node.path)`")
        }
        switch kind {
        case "events":
            let e = try value.mapping(["error_query", "total_query"])
            return .events(errorQuery: try query(e.required("error_query")), totalQuery: try query(e.required("total_query")))
        case "raw":
            let r = try value.mapping(["error_ratio_query"])
            return .raw(errorRatioQuery: try query(r.required("error_ratio_query")))
        case "latency":
            let l = try value.mapping(["histogram", "selector", "threshold"])
            let histogram = try l.required("histogram").nonEmptyString()
            guard histogram.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == ":" }), !histogram.hasSuffix("_bucket") else {
                throw try l.required("histogram").error("expected a histogram's base metric name (without `_bucket`) at `\(value.path).histogram`, found `\(histogram)`")
            }
            var selector = try l["selector"]?.string() ?? ""
            selector = selector.trimmingCharacters(in: " ")
            if selector.hasPrefix("{") && selector.hasSuffix("}") { selector = String(selector.dropFirst().dropLast()) }
            let t = try l.required("threshold")
            let threshold = try t.double()
            guard threshold > 0 else { throw t.error("expected a threshold in seconds > 0 at `\(t.path)`") }
            return .latency(histogram: histogram, matchers: selector, threshold: threshold)
        default:
            throw value.error("Sloth SLI plugins are not supported; use `events` or `raw` at `\(node.path)`")
        }
    }

    /// A query text; it must not be empty.
    static func query(_ node: YAMLNode) throws -> String {
        let q = try node.promQL()
        return q.trimmingCharacters(in: " \n\t")
    }
}

extension String {
    /// The text without the given leading and trailing characters.
    func trimmingCharacters(in set: String) -> String {
        let chars = Set(set)
        guard let first = firstIndex(where: { !chars.contains($0) }), let last = lastIndex(where: { !chars.contains($0) }) else { return "" }
        return String(self[first...last])
    }
}
