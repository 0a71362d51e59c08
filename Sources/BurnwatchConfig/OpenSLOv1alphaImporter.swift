import BurnwatchCore

/// OpenSLO `v1alpha` (the version Sloth reads): a `kind: SLO` document whose `objectives[]` each
/// carry `ratioMetrics` (`good` or `bad` with `total`, each `{source, queryType, query}`), or
/// share one given as `spec.indicator.ratioMetrics`; `timeWindows` of `{count, unit}` (or
/// `duration`); `budgetingMethod` `Occurrences` (the default when absent). `kind: Service`
/// documents are skipped.
enum OpenSLOv1alphaImporter {
    static let apiVersion = "openslo/v1alpha"

    /// Reads one v1alpha document: one spec per objective of an SLO, none for another kind.
    ///
    /// - Throws: `.config` at the first problem.
    static func read(_ doc: YAMLNode) throws -> [SLOSpec] {
        let m = try doc.mapping(["apiVersion", "kind", "metadata", "spec"])
        guard try m.required("kind").string() == "SLO" else { return [] }
        let name = try m.required("metadata").mapping(nil).required("name").nonEmptyString()
        let specNode = try m.required("spec")
        let spec = try specNode.mapping(["description", "service", "indicator", "timeWindows", "budgetingMethod", "objectives"])
        let service = try spec.required("service").nonEmptyString()
        if let budgeting = spec["budgetingMethod"], try budgeting.string() != "Occurrences" {
            throw budgeting.error("only `budgetingMethod: Occurrences` is supported (event-weighted), found \(budgeting.kindDescription)")
        }
        var shared: SLIndicator? = nil
        if let inline = spec["indicator"] {
            let i = try inline.mapping(["ratioMetrics", "thresholdMetric"])
            guard let ratio = i["ratioMetrics"] else {
                throw inline.error("only `ratioMetrics` indicators are supported at `\(inline.path)`")
            }
            shared = try readRatioMetrics(ratio)
        }
        let period = try spec["timeWindows"].map(readTimeWindows) ?? .rolling(Interval(milliseconds: 30 * 86_400_000))
        let objectivesNode = try spec.required("objectives")
        let objectives = try objectivesNode.sequence()
        if objectives.isEmpty { throw objectivesNode.error("expected at least one objective") }
        var out: [SLOSpec] = []
        for (k, o) in objectives.enumerated() {
            let om = try o.mapping(["displayName", "target", "targetPercent", "op", "value", "timeSliceTarget", "timeSliceWindow", "ratioMetrics"])
            let objective = try OpenSLOImporter.readTarget(om)
            let indicator: SLIndicator
            if let ratio = om["ratioMetrics"] {
                indicator = try readRatioMetrics(ratio)
            } else if let shared {
                indicator = shared
            } else {
                throw o.error("expected `ratioMetrics` in `\(o.path)` (or `spec.indicator.ratioMetrics`)")
            }
            let suffix = objectives.count == 1 ? "" : "-" + (try om["displayName"]?.string() ?? String(k + 1))
            out.append(SLOSpec(service: service, name: name + suffix, objective: objective,
                               description: try spec["description"]?.string() ?? "", indicator: indicator,
                               period: period, origin: doc.position))
        }
        return out
    }

    /// `ratioMetrics`: `good` or `bad` over `total`; `incremental` (default true) says the
    /// queries are counters, so a bare selector becomes `sum(rate(…[{{.window}}]))`.
    ///
    /// - Throws: `.config` when neither or both of `good` and `bad` are given.
    static func readRatioMetrics(_ node: YAMLNode) throws -> SLIndicator {
        let r = try node.mapping(["good", "bad", "total", "incremental", "counter"])
        let counter = try (r["incremental"] ?? r["counter"])?.bool() ?? true
        let total = try query(try r.required("total"), counter: counter)
        if r["good"] != nil && r["bad"] != nil { throw node.error("expected `good` or `bad` with `total` in `\(node.path)`, not both") }
        if let bad = r["bad"] { return .events(errorQuery: try query(bad, counter: counter), totalQuery: total) }
        guard let good = r["good"] else { throw node.error("expected `good` or `bad` with `total` in `\(node.path)`") }
        return .events(errorQuery: "(\(total)) - (\(try query(good, counter: counter)))", totalQuery: total)
    }

    /// A v1alpha metric, `{source: prometheus, queryType: promql, query}`, or v1's
    /// `{metricSource: {type: Prometheus, spec: {query}}}`.
    ///
    /// - Throws: `.config` for another source or query type, or a bare selector of a non-counter.
    static func query(_ node: YAMLNode, counter: Bool) throws -> String {
        let m = try node.mapping(["source", "queryType", "query", "metricSource"])
        if m["metricSource"] != nil { return try OpenSLOImporter.query(node, counter: counter, wrap: true) }
        if let s = m["source"], try s.string().lowercased() != "prometheus" {
            throw s.error("only `source: prometheus` metrics are supported, found \(s.kindDescription)")
        }
        if let t = m["queryType"], try t.string().lowercased() != "promql" {
            throw t.error("only `queryType: promql` is supported, found \(t.kindDescription)")
        }
        let q = try m.required("query")
        let text = try q.promQL().trimmingCharacters(in: " \n\t")
        if text.contains("{{") { return text }
        guard counter else { throw q.error("a query of a non-incremental metric must use `{{.window}}` at `\(q.path)`") }
        return "sum(rate(\(text)[{{.window}}]))"
    }

    /// `[{count: 28, unit: Day}]` (rolling days or weeks, or one calendar month), or
    /// `[{duration: 28d}]` as in v1.
    ///
    /// - Throws: `.config` for more than one window or a unit burnwatch cannot use.
    static func readTimeWindows(_ node: YAMLNode) throws -> SLOPeriod {
        let items = try node.sequence()
        guard items.count == 1 else { throw node.error("expected exactly one time window at `\(node.path)`") }
        let w = try items[0].mapping(["count", "unit", "duration", "isRolling", "calendar"])
        if w["duration"] != nil {
            if let c = w["count"] ?? w["unit"] { throw c.error("expected `duration` or `count` with `unit` at `\(items[0].path)`, not both") }
            return try OpenSLOImporter.readTimeWindow(node)
        }
        let countNode = try w.required("count")
        let count = try countNode.double()
        guard count >= 1, count == count.rounded() else { throw countNode.error("expected a whole count ≥ 1 at `\(countNode.path)`") }
        let unitNode = try w.required("unit")
        let unit = try unitNode.string()
        let calendar = w["calendar"] != nil
        let rolling = try w["isRolling"]?.bool() ?? !calendar
        switch unit {
        case "Day", "Week":
            let days = unit == "Day" ? count : count * 7
            if !rolling && calendar { throw unitNode.error("only calendar windows of one `Month` are supported, found \(Int(count)) \(unit)") }
            return .rolling(Interval(milliseconds: Int64(days) * 86_400_000))
        case "Month":
            guard count == 1, try w["isRolling"]?.bool() != true else {
                throw unitNode.error("a `Month` window must be one calendar month (`count: 1`, not rolling) at `\(unitNode.path)`")
            }
            return .calendarMonth
        default:
            throw unitNode.error("expected a unit of `Day`, `Week` or (one calendar) `Month` at `\(unitNode.path)`, found `\(unit)`")
        }
    }
}
