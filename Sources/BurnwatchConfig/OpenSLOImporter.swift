import BurnwatchCore

/// OpenSLO v1: `kind: SLO` documents with an inline `indicator` or an `indicatorRef` to a
/// `kind: SLI` document in the same file; ratio metrics from a Prometheus metric source;
/// `budgetingMethod: Occurrences`; a rolling `timeWindow` or a calendar month (`1M`).
/// `openslo/v1alpha` documents of the same file are read by `OpenSLOv1alphaImporter`.
enum OpenSLOImporter {
    static let apiVersion = "openslo/v1"
    static let apiVersions = [apiVersion, OpenSLOv1alphaImporter.apiVersion]

    /// Reads every OpenSLO document of a file, in order.
    ///
    /// - Throws: `.config` at the first problem, or when no document is an SLO.
    static func read(_ docs: [YAMLNode]) throws -> [SLOSpec] {
        var indicators: [String: YAMLNode] = [:]
        var slos: [YAMLNode] = []
        var out: [SLOSpec] = []
        var alphaSLOs = 0
        for doc in docs {
            let m = try doc.mapping(nil)
            let v = try m.required("apiVersion")
            let version = try v.string()
            guard Self.apiVersions.contains(version) else { throw v.error("expected apiVersion `\(apiVersion)`, found \(v.kindDescription)") }
            let kind = try m.required("kind").string()
            if version == OpenSLOv1alphaImporter.apiVersion {
                if kind == "SLO" { alphaSLOs += 1 }
                continue
            }
            switch kind {
            case "SLO": slos.append(doc)
            case "SLI":
                let name = try m.required("metadata").mapping(nil).required("name").nonEmptyString()
                indicators[name] = try m.required("spec")
            default: continue  // Service, AlertPolicy, DataSource…: nothing to evaluate
            }
        }
        if slos.isEmpty && alphaSLOs == 0 { throw docs[0].error("expected at least one OpenSLO document of `kind: SLO`") }
        for doc in docs {
            let m = try doc.mapping(nil)
            if try m.required("apiVersion").string() == OpenSLOv1alphaImporter.apiVersion {
                out += try OpenSLOv1alphaImporter.read(doc)
            } else if try m.required("kind").string() == "SLO" {
                out += try readSLO(doc, indicators: indicators)
            }
        }
        return out
    }

    /// Reads one v1 `kind: SLO` document: one spec per objective.
    ///
    /// - Throws: `.config` at the first problem.
    static func readSLO(_ doc: YAMLNode, indicators: [String: YAMLNode]) throws -> [SLOSpec] {
        var out: [SLOSpec] = []
        let m = try doc.mapping(["apiVersion", "kind", "metadata", "spec"])
        let meta = try m.required("metadata").mapping(nil)
        let name = try meta.required("name").nonEmptyString()
        let specNode = try m.required("spec")
        let spec = try specNode.mapping(["description", "service", "indicator", "indicatorRef", "timeWindow",
                                         "budgetingMethod", "objectives", "alertPolicies"])
        let service = try spec.required("service").nonEmptyString()
        let indicatorSpec: YAMLNode
        if let inline = spec["indicator"] {
            indicatorSpec = try inline.mapping(["metadata", "spec"]).required("spec")
        } else if let ref = spec["indicatorRef"] {
            let refName = try ref.nonEmptyString()
            guard let found = indicators[refName] else { throw ref.error("no `kind: SLI` named `\(refName)` in this file") }
            indicatorSpec = found
        } else {
            throw specNode.error("expected `indicator` or `indicatorRef` in `\(specNode.path)`")
        }
        let indicator = try readIndicator(indicatorSpec)
        let budgeting = try spec.required("budgetingMethod")
        guard try budgeting.string() == "Occurrences" else {
            throw budgeting.error("only `budgetingMethod: Occurrences` is supported (event-weighted), found \(budgeting.kindDescription)")
        }
        let period = try readTimeWindow(try spec.required("timeWindow"))
        let objectives = try spec.required("objectives").sequence()
        if objectives.isEmpty { throw try spec.required("objectives").error("expected at least one objective") }
        for (k, o) in objectives.enumerated() {
            let om = try o.mapping(["displayName", "target", "targetPercent", "op", "value", "timeSliceTarget", "timeSliceWindow", "indicator", "indicatorRef"])
            let objective = try readTarget(om)
            let suffix = objectives.count == 1 ? "" : "-" + (try om["displayName"]?.string() ?? String(k + 1))
            out.append(SLOSpec(service: service, name: name + suffix, objective: objective,
                               description: try spec["description"]?.string() ?? "", indicator: indicator,
                               period: period, origin: doc.position))
        }
        return out
    }

    /// An objective's `target` (a fraction) or `targetPercent`, as a fraction.
    ///
    /// - Throws: `.config` when neither is given or the value is out of range.
    static func readTarget(_ om: YAMLMapping) throws -> Double {
        if let t = om["target"] {
            let objective = try t.double()
            guard objective > 0, objective < 1 else { throw t.error("expected a target between 0 and 1 (exclusive) at `\(t.path)`") }
            return objective
        }
        if let t = om["targetPercent"] {
            let objective = (try t.double() * 1e10).rounded() / 1e12
            guard objective > 0, objective < 1 else { throw t.error("expected a targetPercent between 0 and 100 (exclusive) at `\(t.path)`") }
            return objective
        }
        throw om.owner.error("expected `target` or `targetPercent` in `\(om.owner.path)`")
    }

    /// `[{duration: 30d, isRolling: true}]`, or a calendar month (`duration: 1M` with `calendar`).
    static func readTimeWindow(_ node: YAMLNode) throws -> SLOPeriod {
        let items = try node.sequence()
        guard items.count == 1 else { throw node.error("expected exactly one time window at `\(node.path)`") }
        let w = try items[0].mapping(["duration", "isRolling", "calendar"])
        let d = try w.required("duration")
        let text = try d.string()
        let rolling = try w["isRolling"]?.bool() ?? (w["calendar"] == nil)
        if !rolling {
            guard text == "1M" else { throw d.error("only calendar windows of `1M` (a month) are supported, found `\(text)`") }
            return .calendarMonth
        }
        guard let length = Interval.parse(text), length.milliseconds >= 86_400_000 else {
            throw d.error("expected a rolling duration in days or weeks such as 28d or 4w at `\(d.path)`, found `\(text)`")
        }
        return .rolling(length)
    }

    /// A ratio metric: `good` or `bad` over `total`, or a raw ratio.
    static func readIndicator(_ node: YAMLNode) throws -> SLIndicator {
        let s = try node.mapping(["description", "ratioMetric", "thresholdMetric"])
        guard let ratioNode = s["ratioMetric"] else {
            throw node.error("only `ratioMetric` indicators are supported at `\(node.path)`")
        }
        let r = try ratioNode.mapping(["counter", "good", "bad", "total", "rawType", "raw"])
        let counter = try r["counter"]?.bool() ?? true
        if let raw = r["raw"] {
            let q = try query(raw, counter: false, wrap: false)
            let failure = try (r["rawType"]?.string() ?? "failure") == "failure"
            return .raw(errorRatioQuery: failure ? q : "1 - (\(q))")
        }
        let total = try query(try r.required("total"), counter: counter, wrap: true)
        if let bad = r["bad"] {
            return .events(errorQuery: try query(bad, counter: counter, wrap: true), totalQuery: total)
        }
        guard let good = r["good"] else { throw ratioNode.error("expected `good` or `bad` with `total` in `\(ratioNode.path)`") }
        return .events(errorQuery: "(\(total)) - (\(try query(good, counter: counter, wrap: true)))", totalQuery: total)
    }

    /// The Prometheus query of `{metricSource: {type: Prometheus, spec: {query: …}}}`. A query
    /// without `{{.window}}` is a counter selector and becomes `sum(rate(…[{{.window}}]))`.
    static func query(_ node: YAMLNode, counter: Bool, wrap: Bool) throws -> String {
        let m = try node.mapping(["metricSource"])
        let source = try m.required("metricSource").mapping(["metricSourceRef", "type", "spec"])
        if let t = source["type"] {
            guard try t.string().lowercased() == "prometheus" else { throw t.error("only `type: Prometheus` metric sources are supported, found \(t.kindDescription)") }
        }
        let q = try source.required("spec").mapping(nil).required("query")
        let text = try q.promQL().trimmingCharacters(in: " \n\t")
        if text.contains("{{") || !wrap { return text }
        guard counter else { throw q.error("a query of a non-counter metric must use `{{.window}}` at `\(q.path)`") }
        return "sum(rate(\(text)[{{.window}}]))"
    }
}
