import BurnwatchConfig
import BurnwatchCore
import BurnwatchTestSupport
import Foundation
import Testing

/// Every spec form Sloth reads loads: `prometheus/v1` with plugins and several documents, the
/// Kubernetes CRD, both key spellings, disabled tiers, OpenSLO v1alpha; unknown keys still fail
/// with file:line:column.
@Suite struct SlothFormsTests {
    func example(_ name: String) throws -> SLOFileContents {
        let url = TestPaths.packageRoot.appendingPathComponent("Examples/slos/\(name)")
        return try SLOFileImporter.read(try String(contentsOf: url, encoding: .utf8), file: url.path)
    }

    func error(_ yaml: String) -> String? {
        do {
            _ = try SLOFileImporter.read(yaml, file: "s.yaml")
            return nil
        } catch let e as BurnwatchError {
            return e.description
        } catch {
            return "\(error)"
        }
    }

    let events = { (job: String) in
        SLIndicator.events(errorQuery: "sum(rate(http_requests_total{job=\"\(job)\",code=~\"5..\"}[{{.window}}]))",
                           totalQuery: "sum(rate(http_requests_total{job=\"\(job)\"}[{{.window}}]))")
    }

    @Test func slothPluginsAndSeveralDocumentsLoad() throws {
        let file = try example("sloth-plugins-multidoc.yaml")
        #expect(file.specs.map { "\($0.service)/\($0.name)" } == [
            "payments-api/charges-availability", "payments-api/charges-error-ratio", "search-api/queries-availability"])
        let charges = file.specs[0]
        #expect(charges.objective == 0.995)
        #expect(charges.indicator == events("payments"))
        #expect(charges.plugins == ["sloth.dev/contrib/info_labels/v1", "sloth.dev/core/debug/v1"])
        #expect(charges.pageAlertsEnabled && !charges.ticketAlertsEnabled)
        #expect(charges.origin?.line == 16 && charges.origin?.column == 5)
        // `errorRatioQuery` in a prometheus/v1 file, and `pageAlert.disable`
        let ratio = file.specs[1]
        #expect(ratio.indicator == .raw(errorRatioQuery: "sum(rate(http_requests_total{job=\"payments\",code=~\"5..\"}[{{.window}}]))\n/\nsum(rate(http_requests_total{job=\"payments\"}[{{.window}}]))"))
        #expect(ratio.plugins == ["sloth.dev/contrib/info_labels/v1"])
        #expect(!ratio.pageAlertsEnabled && ratio.ticketAlertsEnabled)
        // the second document is its own service, without the first one's plugins
        let search = file.specs[2]
        #expect(search.objective == 0.99 && search.indicator == events("search") && search.plugins.isEmpty)
        #expect(search.pageAlertsEnabled && search.ticketAlertsEnabled)
        // the SLI plugin: reported, not evaluated
        #expect(file.unevaluable == [UnevaluableSLO(service: "payments-api", name: "gateway-availability",
                                                     sliPlugin: "sloth-common/kubernetes/apiserver/availability",
                                                     plugins: ["sloth.dev/contrib/info_labels/v1"],
                                                     origin: file.unevaluable.first?.origin)])
        #expect(file.unevaluable.first?.origin?.line == 47)
        #expect(file.unevaluable.first?.reason.contains("sloth-common/kubernetes/apiserver/availability") == true)
    }

    @Test func theKubernetesCRDLoads() throws {
        let file = try example("sloth-crd-checkout.yaml")
        #expect(file.unevaluable.isEmpty)
        #expect(file.specs.map { "\($0.service)/\($0.name)" } == [
            "checkout-web/orders-availability", "checkout-web/orders-error-ratio", "search-web/results-availability"])
        let orders = file.specs[0]
        #expect(orders.objective == 0.999 && orders.description == "Order requests answered without a 5xx.")
        #expect(orders.indicator == events("checkout"))
        #expect(orders.plugins == ["sloth.dev/contrib/rule_intervals/v1"])
        #expect(orders.pageAlertsEnabled && orders.ticketAlertsEnabled)
        let ratio = file.specs[1]
        #expect(ratio.indicator == .raw(errorRatioQuery: "sum(rate(http_requests_total{job=\"checkout\",code=~\"5..\"}[{{.window}}])) / sum(rate(http_requests_total{job=\"checkout\"}[{{.window}}]))"))
        #expect(ratio.plugins == ["sloth.dev/contrib/rule_intervals/v1", "sloth.dev/core/debug/v1"])
        #expect(!ratio.pageAlertsEnabled && ratio.ticketAlertsEnabled)
        let search = file.specs[2]
        #expect(search.objective == 0.98 && search.indicator == events("search") && search.plugins.isEmpty)
        #expect(search.pageAlertsEnabled && !search.ticketAlertsEnabled)
    }

    @Test func bothSpellingsOfEveryMultiWordKeyAreRead() throws {
        let snakeInCRD = """
        apiVersion: sloth.slok.dev/v1
        kind: PrometheusServiceLevel
        metadata: {name: x}
        spec:
          service: svc
          slo_plugins: {chain: [{id: a/b}]}
          slos:
            - name: e
              objective: 99
              sli: {events: {error_query: 'sum(rate(e[{{.window}}]))', totalQuery: 'sum(rate(t[{{.window}}]))'}}
              alerting: {page_alert: {disable: true}, ticketAlert: {disable: true}}
        """
        let crd = try SLOFileImporter.read(snakeInCRD, file: "s.yaml").specs
        #expect(crd.map(\.name) == ["e"] && crd[0].plugins == ["a/b"])
        #expect(crd[0].indicator == .events(errorQuery: "sum(rate(e[{{.window}}]))", totalQuery: "sum(rate(t[{{.window}}]))"))
        #expect(!crd[0].pageAlertsEnabled && !crd[0].ticketAlertsEnabled)
        let camelInSloth = """
        version: prometheus/v1
        service: svc
        sloPlugins: {overridePrevious: true, chain: [{id: c/d, priority: -5}]}
        slos:
          - name: e
            objective: 99.9
            sli: {events: {errorQuery: 'sum(rate(e[{{.window}}]))', total_query: 'sum(rate(t[{{.window}}]))'}}
            alerting: {ticketAlert: {disable: true}}
        """
        let sloth = try SLOFileImporter.read(camelInSloth, file: "s.yaml").specs
        #expect(sloth[0].plugins == ["c/d"] && sloth[0].objective == 0.999)
        #expect(sloth[0].pageAlertsEnabled && !sloth[0].ticketAlertsEnabled)
        // the same key in both spellings is one key given twice
        #expect(error("version: prometheus/v1\nservice: s\nslos:\n  - name: e\n    objective: 99\n    sli:\n      raw: {error_ratio_query: x, errorRatioQuery: y}\n")
                == "s.yaml:7:35: key `errorRatioQuery` appears twice in `slos[0].sli.raw` (as `error_ratio_query` and `errorRatioQuery`)")
    }

    @Test func openSLOv1alphaLoads() throws {
        let file = try example("openslo-v1alpha-checkout.yaml")
        #expect(file.specs.map(\.service) == ["checkout-store", "checkout-store", "checkout-store"])
        #expect(file.specs.map(\.name) == ["store-availability-good", "store-availability-strict", "store-monthly"])
        #expect(file.specs.map(\.objective) == [0.99, 0.999, 0.95])
        #expect(file.specs.map(\.period) == [.rolling(Interval.parse("14d")!), .rolling(Interval.parse("14d")!), .calendarMonth])
        let total = "sum(rate(http_requests_total{job=\"checkout\"}[{{.window}}]))"
        // good/total: errors are total − good; bad/total: errors are bad (bare selectors are counters)
        #expect(file.specs[0].indicator == .events(errorQuery: "(\(total)) - (sum(rate(http_requests_total{job=\"checkout\",code!~\"5..\"}[{{.window}}])))", totalQuery: total))
        #expect(file.specs[1].indicator == events("checkout"))
        #expect(file.specs[2].indicator == .events(errorQuery: "(\(total)) - (sum(rate(http_requests_total{job=\"checkout\",code!~\"5..\"}[{{.window}}])))", totalQuery: total))
        #expect(file.specs[0].description == "Checkout requests that succeed, over 14 days.")
    }

    @Test func openSLOv1alphaTimeWindowsAndDefaults() throws {
        func slo(_ windows: String, budgeting: String = "") -> String {
            """
            apiVersion: openslo/v1alpha
            kind: SLO
            metadata: {name: w}
            spec:
              service: s
            \(budgeting)
              objectives:
                - target: 0.9
                  ratioMetrics:
                    bad: {source: prometheus, queryType: promql, query: 'sum(rate(e[{{.window}}]))'}
                    total: {source: prometheus, queryType: promql, query: 'sum(rate(t[{{.window}}]))'}
            \(windows)
            """
        }
        func period(_ windows: String) throws -> SLOPeriod? { try SLOFileImporter.read(slo(windows), file: "s.yaml").specs.first?.period }
        #expect(try period("  timeWindows: [{count: 28, unit: Day}]") == .rolling(Interval.parse("28d")!))
        #expect(try period("  timeWindows: [{duration: 7d, isRolling: true}]") == .rolling(Interval.parse("7d")!))
        #expect(try period("  timeWindows: [{count: 1, unit: Month}]") == .calendarMonth)
        #expect(try period("") == .rolling(Interval.parse("30d")!))  // Sloth's default when absent
        #expect(error(slo("  timeWindows: [{count: 3, unit: Quarter}]"))
                == "s.yaml:12:34: expected a unit of `Day`, `Week` or (one calendar) `Month` at `spec.timeWindows[0].unit`, found `Quarter`")
        #expect(error(slo("  timeWindows: [{count: 7, unit: Day}]", budgeting: "  budgetingMethod: Timeslices"))
                == "s.yaml:6:20: only `budgetingMethod: Occurrences` is supported (event-weighted), found `Timeslices`")
    }

    @Test func unknownKeysStayErrorsWithPositions() {
        #expect(error("version: prometheus/v1\nservice: s\nslo_plugin: {chain: []}\nslos: []\n")
                == "s.yaml:3:1: unknown key `slo_plugin` in ``; expected one of: version, service, labels, slo_plugins, slos")
        #expect(error("version: prometheus/v1\nservice: s\nslos:\n  - name: e\n    objective: 99\n    sli: {events: {error_query: e, totl_query: t}}\n")
                == "s.yaml:6:36: unknown key `totl_query` in `slos[0].sli.events`; expected one of: error_query, total_query")
        #expect(error("version: prometheus/v1\nservice: s\nslos:\n  - name: e\n    objective: 99\n    sli: {raw: {error_ratio_query: e}}\n    alerting: {page_alert: {disabled: true}}\n")
                == "s.yaml:7:29: unknown key `disabled` in `slos[0].alerting.page_alert`; expected one of: disable, labels, annotations, for")
        #expect(error("version: prometheus/v1\nservice: s\nslos:\n  - name: e\n    objective: 99\n    plugins: {chain: [{id: x, settings: {}}]}\n    sli: {raw: {error_ratio_query: e}}\n")
                == "s.yaml:6:31: unknown key `settings` in `slos[0].plugins.chain[0]`; expected one of: id, priority, config")
        let crd = "apiVersion: sloth.slok.dev/v1\nkind: PrometheusServiceLevel\nspec:\n  service: s\n  slos:\n    - name: e\n      objective: 99\n      sli: {events: {errorQuery: e, totalQuery: t}}\n      alerting: {pageAlerts: {}}\n"
        #expect(error(crd) == "s.yaml:9:18: unknown key `pageAlerts` in `spec.slos[0].alerting`; expected one of: name, labels, annotations, pageAlert, ticketAlert")
        #expect(error("apiVersion: sloth.slok.dev/v1\nkind: ServiceLevel\nspec: {}\n")
                == "s.yaml:2:7: expected `kind: PrometheusServiceLevel` for apiVersion `sloth.slok.dev/v1`, found `ServiceLevel`")
        #expect(error("apiVersion: sloth.slok.dev/v2\nkind: PrometheusServiceLevel\n")
                == "s.yaml:1:13: expected apiVersion `sloth.slok.dev/v1` (Sloth) or `openslo/v1` or `openslo/v1alpha` (OpenSLO), found `sloth.slok.dev/v2`")
        let alpha = "apiVersion: openslo/v1alpha\nkind: SLO\nmetadata: {name: a}\nspec:\n  service: s\n  objectives:\n    - target: 0.9\n      ratioMetrics:\n        good: {source: prometheus, query: g, lang: promql}\n        total: {source: prometheus, query: t}\n"
        #expect(error(alpha) == "s.yaml:9:46: unknown key `lang` in `spec.objectives[0].ratioMetrics.good`; expected one of: source, queryType, query, metricSource")
    }

    @Test func documentsOfOneFileShareNoNamesAndMayMixForms() throws {
        let twice = "version: prometheus/v1\nservice: s\nslos:\n  - {name: e, objective: 99, sli: {raw: {error_ratio_query: e}}}\n---\nversion: prometheus/v1\nservice: s\nslos:\n  - {name: e, objective: 90, sli: {raw: {error_ratio_query: e}}}\n"
        #expect(error(twice) == "s.yaml:9:5: SLO `e` of service `s` is defined twice")
        let mixed = """
        ---
        version: prometheus/v1
        service: a
        slos:
          - {name: e, objective: 99, sli: {raw: {error_ratio_query: e}}}
        ---
        apiVersion: sloth.slok.dev/v1
        kind: PrometheusServiceLevel
        spec:
          service: b
          slos:
            - {name: e, objective: 99, sli: {raw: {errorRatioQuery: e}}}
        ---
        """
        #expect(try SLOFileImporter.read(mixed, file: "s.yaml").specs.map(\.service) == ["a", "b"])
    }

    @Test func aPluginSLIInTheConfigIsReportedNotAnError() throws {
        let config = try ConfigLoader.parse("slos:\n  - service: a\n    name: p\n    objective: 99\n    sli: {plugin: {id: my/plugin, options: {job: x}}}\n", file: "bw.yaml")
        #expect(config.slos.isEmpty)
        #expect(config.unevaluableSLOs.map(\.sliPlugin) == ["my/plugin"])
        #expect(config.unevaluableSLOs.first?.origin?.line == 2)
    }
}
