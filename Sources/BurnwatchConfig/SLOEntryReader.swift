import BurnwatchCore

/// What one SLO entry of a Sloth spec (or of burnwatch's own `slos`) reads as.
enum SLOEntry {
    /// An SLO burnwatch evaluates.
    case spec(SLOSpec)
    /// An SLO whose SLI only a Sloth plugin can produce.
    case unevaluable(UnevaluableSLO)

    var service: String {
        switch self { case .spec(let s): s.service; case .unevaluable(let u): u.service }
    }
    var name: String {
        switch self { case .spec(let s): s.name; case .unevaluable(let u): u.name }
    }
    var origin: SourcePosition? {
        switch self { case .spec(let s): s.origin; case .unevaluable(let u): u.origin }
    }
}

/// Reads one SLO entry written with Sloth keys (`prometheus/v1` snake_case or the Kubernetes
/// CRD's camelCase, either spelling accepted) plus burnwatch's own (`service`, `period`,
/// `min_events`, `sli.latency`).
enum SLOEntryReader {
    /// The keys of a Sloth SLO, in snake_case (`info_labels` and `interval` are read and unused).
    static let slothKeys = ["name", "objective", "description", "labels", "info_labels", "sli", "alerting", "plugins", "interval"]
    static let ownKeys = ["service", "period", "min_events"]

    /// Reads an SLO entry.
    ///
    /// - Parameters:
    ///   - node: the entry's mapping.
    ///   - service: the service when the file gives it (a Sloth file's `service`); an entry's own
    ///     `service` key is then not allowed.
    ///   - burnwatchKeys: whether burnwatch's own keys are accepted (not in a plain Sloth file).
    ///   - spelling: how the form spells its keys, for messages (both spellings are read).
    ///   - servicePlugins: the ids of the file's service-level SLO plugin chain.
    /// - Throws: `.config` naming the position of the first problem.
    static func read(_ node: YAMLNode, service: String?, burnwatchKeys: Bool, spelling: KeySpelling = .snake,
                     servicePlugins: [String] = []) throws -> SLOEntry {
        var keys = slothKeys
        if burnwatchKeys { keys += ownKeys.filter { $0 != "service" || service == nil } }
        let m = try node.mapping(keys, spelling: spelling)
        let name = try m.required("name").nonEmptyString()
        let serviceName = try service ?? m.required("service").nonEmptyString()
        let objectiveNode = try m.required("objective")
        let percent = try objectiveNode.double()
        guard percent > 0, percent < 100 else {
            throw objectiveNode.error("expected an objective in percent between 0 and 100 (exclusive) at `\(objectiveNode.path)`, found `\(try objectiveNode.string())`")
        }
        let plugins = try servicePlugins + (m["plugins"].map(SlothPlugins.chain) ?? [])
        if let l = m["labels"] { _ = try l.stringMap() }
        if let l = m["info_labels"] { _ = try l.stringMap() }
        if let i = m["interval"] { try readRuleIntervals(i) }
        let alerting = try m["alerting"].map { try readAlerting($0, spelling: spelling) } ?? (page: true, ticket: true)
        let sli = try readIndicator(try m.required("sli"), latency: burnwatchKeys, spelling: spelling)
        let indicator: SLIndicator
        switch sli {
        case .indicator(let i): indicator = i
        case .plugin(let id):
            return .unevaluable(UnevaluableSLO(service: serviceName, name: name, sliPlugin: id, plugins: plugins, origin: node.position))
        }
        var spec = SLOSpec(service: serviceName, name: name, objective: (percent * 1e10).rounded() / 1e12,
                           description: try m["description"]?.string() ?? "", indicator: indicator,
                           pageAlertsEnabled: alerting.page, ticketAlertsEnabled: alerting.ticket,
                           origin: node.position, plugins: plugins)
        if let p = m["period"] { spec.period = try readPeriod(p) }
        if let e = m["min_events"] {
            let v = try e.double()
            guard v >= 0 else { throw e.error("expected a number of events ≥ 0 at `\(e.path)`") }
            spec.minEvents = v
        }
        return .spec(spec)
    }

    /// Sloth's `alerting`: which severities are on (`page_alert.disable` / `ticket_alert.disable`).
    ///
    /// - Throws: `.config` at an unknown key or a value of the wrong kind.
    static func readAlerting(_ node: YAMLNode, spelling: KeySpelling) throws -> (page: Bool, ticket: Bool) {
        let a = try node.mapping(["name", "labels", "annotations", "page_alert", "ticket_alert"], spelling: spelling)
        if let n = a["name"] { _ = try n.string() }
        if let l = a["labels"] { _ = try l.stringMap() }
        if let l = a["annotations"] { _ = try l.stringMap() }
        return (page: try !disabled(a["page_alert"]), ticket: try !disabled(a["ticket_alert"]))
    }

    /// Whether a Sloth `page_alert` / `ticket_alert` block says `disable: true`.
    static func disabled(_ node: YAMLNode?) throws -> Bool {
        guard let node else { return false }
        let m = try node.mapping(["disable", "labels", "annotations", "for"])
        if let l = m["labels"] { _ = try l.stringMap() }
        if let l = m["annotations"] { _ = try l.stringMap() }
        if let f = m["for"] { _ = try f.duration() }
        return try m["disable"]?.bool() ?? false
    }

    /// Sloth's `interval` (rule group evaluation intervals): checked, not used.
    static func readRuleIntervals(_ node: YAMLNode) throws {
        for (_, value) in try node.mapping(["all", "slierror", "metadata", "alert"]).entries { _ = try value.duration() }
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

    /// An SLI as read: queries burnwatch evaluates, or the id of the Sloth plugin that makes them.
    enum ReadIndicator {
        case indicator(SLIndicator)
        case plugin(String)
    }

    /// `sli.events`, `sli.raw`, `sli.plugin` or (burnwatch) `sli.latency`: exactly one of them.
    ///
    /// - Parameters:
    ///   - node: the `sli` mapping.
    ///   - latency: whether burnwatch's `latency` SLI is accepted.
    ///   - spelling: how the form spells its keys, for messages.
    /// - Throws: `.config` at the first problem.
    static func readIndicator(_ node: YAMLNode, latency: Bool, spelling: KeySpelling = .snake) throws -> ReadIndicator {
        let kinds = ["events", "raw", "plugin"] + (latency ? ["latency"] : [])
        let m = try node.mapping(kinds)
        guard m.entries.count == 1, let (kind, value) = m.entries.first else {
            throw node.error("expected exactly one of \(kinds.joined(separator: ", ")) at `\(node.path)`")
        }
        switch kind {
        case "events":
            let e = try value.mapping(["error_query", "total_query"], spelling: spelling)
            return .indicator(.events(errorQuery: try query(e.required("error_query", spelling)), totalQuery: try query(e.required("total_query", spelling))))
        case "raw":
            let r = try value.mapping(["error_ratio_query"], spelling: spelling)
            return .indicator(.raw(errorRatioQuery: try query(r.required("error_ratio_query", spelling))))
        case "plugin":
            let p = try value.mapping(["id", "options"])
            if let o = p["options"] { _ = try o.stringMap() }
            return .plugin(try p.required("id").nonEmptyString())
        default:
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
            return .indicator(.latency(histogram: histogram, matchers: selector, threshold: threshold))
        }
    }

    /// A query text; it must not be empty.
    static func query(_ node: YAMLNode) throws -> String {
        let q = try node.promQL()
        return q.trimmingCharacters(in: " \n\t")
    }
}

/// Sloth's SLO plugins: `{overridePrevious, chain: [{id, priority, config}]}`, at the service
/// (`slo_plugins` / `sloPlugins`) or on one SLO (`plugins`).
enum SlothPlugins {
    /// The ids of a plugin chain, in the order written.
    ///
    /// - Throws: `.config` at an unknown key, a missing `id` or a priority that is not a number.
    static func chain(_ node: YAMLNode) throws -> [String] {
        let m = try node.mapping(["override_previous", "chain"], spelling: .camel)
        if let o = m["override_previous"] { _ = try o.bool() }
        guard let chain = m["chain"] else { return [] }
        return try chain.sequence().map { item in
            let p = try item.mapping(["id", "priority", "config"])
            if let priority = p["priority"] { _ = try priority.double() }
            return try p.required("id").nonEmptyString()
        }
    }
}

extension YAMLMapping {
    /// The value of a key that must be present, named in the form's spelling when missing.
    func required(_ key: String, _ spelling: KeySpelling) throws -> YAMLNode {
        guard let v = self[key] else {
            throw owner.error("missing key `\(spelling.spell(key))` in `\(owner.path.isEmpty ? "the document" : owner.path)`")
        }
        return v
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
