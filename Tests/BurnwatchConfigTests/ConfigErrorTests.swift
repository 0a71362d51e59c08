import BurnwatchConfig
import BurnwatchCore
import Testing

/// Every config error names file, line, column and what was expected.
@Suite struct ConfigErrorTests {
    func error(_ yaml: String, sloFile: Bool = false) -> BurnwatchError? {
        do {
            if sloFile { _ = try SLOFileImporter.parse(yaml, file: "slo.yaml") } else { _ = try ConfigLoader.parse(yaml, file: "bw.yaml") }
            return nil
        } catch let e as BurnwatchError {
            return e
        } catch {
            return nil
        }
    }

    @Test(arguments: [
        ("services:\n  - name: api\n    targets:\n      - url: ftp://x\n",
         "bw.yaml:4:14: expected an http:// or https:// URL at `services[0].targets[0].url`, found `ftp://x`"),
        ("slos:\n  - service: a\n    name: b\n    objective: high\n    sli: {raw: {error_ratio_query: x}}\n",
         "bw.yaml:4:16: expected a number at `slos[0].objective`, found `high`"),
        ("slos:\n  - service: a\n    name: b\n    objective: 99.9\n    sli:\n      raw: {error_ratio_query: x}\n    windows: 3\n",
         "bw.yaml:7:5: unknown key `windows` in `slos[0]`; expected one of: name, objective, description, labels, info_labels, sli, alerting, plugins, interval, service, period, min_events"),
        ("slos:\n  - service: a\n    objective: 99.9\n",
         "bw.yaml:2:5: missing key `name` in `slos[0]`"),
        ("slos:\n  - service: a\n    name: b\n    objective: 100\n    sli: {raw: {error_ratio_query: x}}\n",
         "bw.yaml:4:16: expected an objective in percent between 0 and 100 (exclusive) at `slos[0].objective`, found `100`"),
        ("slos:\n  - service: a\n    name: b\n    objective: 99\n    period: 5x\n    sli: {raw: {error_ratio_query: x}}\n",
         "bw.yaml:5:13: expected a rolling period such as 7d, 28d or 30d, or {calendar: month}, at `slos[0].period`, found `5x`"),
        ("services: [\n  {name: a\n", "bw.yaml:3:1: invalid YAML: while parsing a flow mapping: did not find expected ',' or '}'"),
    ])
    func configErrorsNamePositionAndExpectation(_ yaml: String, _ expected: String) {
        #expect(error(yaml)?.description == expected)
    }

    @Test func promQLErrorsPointIntoTheQuery() {
        let plain = "slos:\n  - service: a\n    name: b\n    objective: 99.9\n    sli:\n      raw:\n        error_ratio_query: sum(rate(x[{{.window}}])) / foo{a=}\n"
        // `}` is the 62nd character of line 7; the placeholder keeps its width
        #expect(error(plain)?.description == "bw.yaml:7:62: invalid PromQL at `slos[0].sli.raw.error_ratio_query`: parse error: unexpected \"}\" in label matching, expected string")
        let block = "slos:\n  - service: a\n    name: b\n    objective: 99.9\n    sli:\n      raw:\n        error_ratio_query: |\n          sum(rate(x[{{ .window }}]))\n            / foo{a=}\n"
        #expect(error(block)?.description == "bw.yaml:9:21: invalid PromQL at `slos[0].sli.raw.error_ratio_query`: parse error: unexpected \"}\" in label matching, expected string")
        let quoted = "slos:\n  - service: a\n    name: b\n    objective: 99.9\n    sli: {raw: {error_ratio_query: \"rate(x[{{.window}}]) +\"}}\n"
        #expect(error(quoted)?.description.hasPrefix("bw.yaml:5:59: invalid PromQL") == true)
    }

    @Test func slothAndOpenSLOErrorsNamePositions() {
        #expect(error("version: prometheus/v2\nservice: a\nslos: []\n", sloFile: true)?.description
                == "slo.yaml:1:10: expected Sloth version `prometheus/v1`, found `prometheus/v2`")
        #expect(error("version: prometheus/v1\nservice: a\nslos:\n  - name: x\n    objective: 99\n    sli:\n      events: {error_query: e}\n", sloFile: true)?.description
                == "slo.yaml:7:15: missing key `total_query` in `slos[0].sli.events`")
        let openslo = """
        apiVersion: openslo/v1
        kind: SLO
        metadata: {name: s}
        spec:
          service: a
          indicatorRef: missing
          timeWindow: [{duration: 30d, isRolling: true}]
          budgetingMethod: Occurrences
          objectives: [{target: 0.99}]
        """
        #expect(error(openslo, sloFile: true)?.description == "slo.yaml:6:17: no `kind: SLI` named `missing` in this file")
        #expect(error("kind: x\n", sloFile: true)?.description
                == "slo.yaml:1:1: expected a Sloth file (`version: prometheus/v1`), a Sloth CRD (`apiVersion: sloth.slok.dev/v1`) or an OpenSLO file (`apiVersion: openslo/v1`)")
    }
}
