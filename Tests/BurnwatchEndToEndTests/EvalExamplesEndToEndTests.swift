import BurnwatchTestSupport
import Foundation
import Testing

/// The example config and the Sloth and OpenSLO example specs load and evaluate on data made
/// for their queries; check-config accepts them and names file:line:column in errors.
@Suite struct EvalExamplesEndToEndTests {
    let T = 1_767_225_600
    var examples: URL { TestPaths.packageRoot.appendingPathComponent("Examples") }

    /// Traffic for every example SLO: `rps` requests a second with `ratio` failing, for 8 hours.
    func writeData(_ url: URL, ratio: Double) throws {
        let from = T - 8 * 3600
        func counter(_ labels: String, _ perSecond: Double) -> EvalTestData.Counter {
            EvalTestData.Counter(labels: labels) { t in 100 + perSecond * Double(t - from) }
        }
        var requests: [EvalTestData.Counter] = []
        for job in ["checkout", "payments", "search"] {
            requests.append(counter("job=\"\(job)\",code=\"200\"", 10 * (1 - ratio)))
            requests.append(counter("job=\"\(job)\",code=\"500\"", 10 * ratio))
        }
        // 90% of checkout requests are faster than 0.1 s, 97% faster than 0.5 s, all within 1 s
        let buckets = [("0.1", 9.0), ("0.5", 9.7), ("1", 10.0), ("+Inf", 10.0)].map {
            counter("job=\"checkout\",le=\"\($0.0)\"", $0.1)
        }
        try EvalTestData.write(families: [
            ("http_requests", "counter", requests),
            ("http_request_duration_seconds_bucket", "unknown", buckets),
            ("provider_calls", "counter", [counter("job=\"payments\",result=\"ok\"", 9.9), counter("job=\"payments\",result=\"error\"", 0.1)]),
            ("outbox_deliveries", "counter", [counter("job=\"checkout\"", 2)]),
            ("outbox_delivery_failures", "counter", [counter("job=\"checkout\"", 0.002)]),
        ], from: from, to: T, interval: 30, to: url)
    }

    @Test func theExampleConfigEvaluatesEverySLO() throws {
        let dir = try TestPaths.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = dir.appendingPathComponent("examples.om")
        try writeData(data, ratio: 0.02)
        let run = try EvalTestData.eval(["--config", examples.appendingPathComponent("burnwatch.yaml").path, "--metrics", data.path, "--at", "\(T)"])
        #expect(run.status == 2, "\(run.stderr)")  // 2% errors burn a 99.9% budget at 20×
        let slos = try #require(run.objects.first?["slos"] as? [[String: Any]])
        #expect(slos.map { "\($0["service"]!)/\($0["name"]!)" } == [
            "checkout/requests-availability", "checkout/requests-latency", "checkout/outbox-delivery",
            "payments/requests-availability", "payments/provider-calls", "search/search-availability", "search/search-good-ratio"])
        func ratio(_ i: Int, _ w: String = "1h") -> Double? { slos[i].window(w, "error_ratio") }
        #expect(abs(try #require(ratio(0)) - 0.02) < 1e-9)
        #expect(slos[0]["state"] as? String == "page")
        #expect(abs(try #require(ratio(1)) - 0.03) < 1e-9)  // slower than 0.5 s
        #expect(slos[1]["state"] as? String == "ticket")    // 3× a 1% budget: the 1d/2h tier
        #expect(abs(try #require(ratio(2)) - 0.001) < 1e-9)
        #expect(slos[2]["period_seconds"] as? Int == 30 * 86_400)
        #expect((slos[2]["alerts"] as? [Any])?.count == 2)  // page tiers disabled
        #expect(abs(try #require(ratio(3)) - 0.02) < 1e-9)
        #expect(abs(try #require(ratio(4)) - 0.01) < 1e-9)
        #expect(abs(try #require(ratio(5)) - 0.02) < 1e-9)
        #expect(abs(try #require(ratio(6)) - 0.02) < 1e-9)
        #expect(slos[5]["objective"] as? Double == 0.995 && slos[5]["period_seconds"] as? Int == 28 * 86_400)
        // 1h of 5-minute windows is full of events: 10 requests a second
        #expect(abs(try #require(slos[0].window("5m", "events")) - 3000) < 1e-6)
    }

    @Test func slothAndOpenSLOFilesEvaluateAlone() throws {
        let dir = try TestPaths.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = dir.appendingPathComponent("examples.om")
        try writeData(data, ratio: 0)
        let run = try EvalTestData.eval(["--slos", examples.appendingPathComponent("slos/sloth-payments.yaml").path,
                                         "--slos", examples.appendingPathComponent("slos/openslo-search.yaml").path,
                                         "--metrics", data.path, "--at", "\(T)"])
        #expect(run.status == 0, "\(run.stderr)")
        let slos = try #require(run.objects.first?["slos"] as? [[String: Any]])
        #expect(slos.map { $0["service"] as? String } == ["payments", "payments", "search", "search"])
        #expect(slos.map { $0["state"] as? String } == ["ok", "ok", "ok", "ok"])
        #expect(slos[0].window("1h", "error_ratio") == 0)
        #expect(slos[0]["budget_remaining"] as? Double == 1)
        #expect(slos[0]["time_to_exhaustion_seconds"] is NSNull)  // no burn: never exhausted
    }

    @Test func theJSONHasExactlyTheDocumentedShape() throws {
        let dir = try TestPaths.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = dir.appendingPathComponent("examples.om")
        try writeData(data, ratio: 0.001)
        let run = try EvalTestData.eval(["--slos", examples.appendingPathComponent("slos/sloth-payments.yaml").path,
                                         "--metrics", data.path, "--at", "\(T + 86_400 * 40)"])
        let object = try #require(run.objects.first)
        #expect(Set(object.keys) == ["at", "slos", "signals"])
        #expect(object["at"] as? Int == T + 86_400 * 40)
        #expect((object["signals"] as? [Any])?.isEmpty == true)
        let slo = try #require(object.firstSLO)
        #expect(Set(slo.keys) == ["service", "name", "objective", "period_seconds", "windows", "budget_remaining",
                                  "time_to_exhaustion_seconds", "alerts", "state"])
        let windows = try #require(slo["windows"] as? [String: [String: Any]])
        #expect(Set(windows.keys) == ["5m", "30m", "1h", "2h", "6h", "1d", "3d", "period"])
        for (_, w) in windows {
            #expect(Set(w.keys) == ["error_ratio", "burn_rate", "events"])
            #expect(w.values.allSatisfy { $0 is NSNull })  // 40 days later: no data, null not 0
        }
        #expect(slo["state"] as? String == "no_data")
        let alerts = try #require(slo["alerts"] as? [[String: Any]])
        #expect(alerts.map { "\($0["severity"]!) \($0["long"]!) \($0["short"]!) \($0["factor"]!)" }
                == ["page 1h 5m 14.4", "page 6h 30m 6", "ticket 1d 2h 3", "ticket 3d 6h 1"])
        #expect(alerts.allSatisfy { Set($0.keys) == ["severity", "long", "short", "factor", "firing", "since"] && $0["since"] is NSNull })
    }

    @Test func aLatencyThresholdOffTheBucketsIsAnErrorListingTheBounds() throws {
        let dir = try TestPaths.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = dir.appendingPathComponent("examples.om"), config = dir.appendingPathComponent("bw.yaml")
        try writeData(data, ratio: 0)
        try """
        slos:
          - service: checkout
            name: latency
            objective: 99
            sli:
              latency: {histogram: http_request_duration_seconds, selector: 'job="checkout"', threshold: 0.3}
        """.write(to: config, atomically: true, encoding: .utf8)
        let run = try EvalTestData.eval(["--config", config.path, "--metrics", data.path, "--at", "\(T)"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("\(config.path):2:5: latency threshold 0.3 of SLO checkout/latency is not a bucket bound of http_request_duration_seconds; the bounds are 0.1, 0.5, 1, +Inf"))
    }

    @Test func checkConfigAcceptsTheExamplesAndPointsAtErrors() throws {
        for file in ["burnwatch.yaml", "remote.yaml", "slos/sloth-payments.yaml", "slos/openslo-search.yaml"] {
            let r = try ProcessRunner.burnwatch(["check-config", examples.appendingPathComponent(file).path])
            #expect(r.status == 0, "\(file): \(r.stderrText)")
            #expect(r.stdoutText.contains(": ok: "))
            #expect(r.stderrText.isEmpty, "\(file): \(r.stderrText)")  // no warnings either
        }
        let dir = try TestPaths.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let bad = dir.appendingPathComponent("bad.yaml")
        try "services:\n  - name: api\n    query_api:\n      url: 127.0.0.1:9090\n".write(to: bad, atomically: true, encoding: .utf8)
        let r = try ProcessRunner.burnwatch(["check-config", bad.path])
        #expect(r.status == 1)
        #expect(r.stderrText == "burnwatch check-config: \(bad.path):4:12: expected an http:// or https:// URL at `services[0].query_api.url`, found `127.0.0.1:9090`\n")
    }

    @Test func textFormatIsATable() throws {
        let dir = try TestPaths.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = dir.appendingPathComponent("examples.om")
        try writeData(data, ratio: 0.02)
        let r = try ProcessRunner.burnwatch(["eval", "--slos", examples.appendingPathComponent("slos/sloth-payments.yaml").path,
                                             "--metrics", data.path, "--at", "\(T)", "--format", "text"])
        #expect(r.status == 2)
        #expect(r.stdoutText.contains("payments/requests-availability  objective 99.9%  period 30d  state PAGE"))
        #expect(r.stdoutText.contains("  1h      0.02          20x"))
    }

    @Test func theConfigIsFoundInTheFolderThenInXDGConfigHome() throws {
        let dir = try TestPaths.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = dir.appendingPathComponent("examples.om")
        try writeData(data, ratio: 0.02)
        let slo = { (name: String) in """
            slos:
              - service: checkout
                name: \(name)
                objective: 99.9
                sli:
                  events:
                    error_query: sum(rate(http_requests_total{job="checkout",code=~"5.."}[{{.window}}]))
                    total_query: sum(rate(http_requests_total{job="checkout"}[{{.window}}]))
            """ }
        let xdg = dir.appendingPathComponent("xdg/burnwatch"), work = dir.appendingPathComponent("work")
        try FileManager.default.createDirectory(at: xdg, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        try slo("from-xdg").write(to: xdg.appendingPathComponent("config.yaml"), atomically: true, encoding: .utf8)
        var env = ProcessInfo.processInfo.environment
        env["XDG_CONFIG_HOME"] = dir.appendingPathComponent("xdg").path
        func names() throws -> [String] {
            let r = try ProcessRunner.run(TestPaths.binary.path, ["eval", "--metrics", data.path, "--at", "\(T)"],
                                          environment: env, currentDirectory: work)
            let object = try JSONSerialization.jsonObject(with: r.stdout) as? [String: Any]
            return ((object?["slos"] as? [[String: Any]]) ?? []).compactMap { $0["name"] as? String }
        }
        #expect(try names() == ["from-xdg"])
        try slo("from-folder").write(to: work.appendingPathComponent("burnwatch.yaml"), atomically: true, encoding: .utf8)
        #expect(try names() == ["from-folder"])
    }

    @Test func errorsExitWithOne() throws {
        let sloth = examples.appendingPathComponent("slos/sloth-payments.yaml").path
        for arguments in [["--slos", sloth, "--metrics", "/nonexistent/metrics.om"],
                          ["--slos", sloth, "--from", "0"],
                          ["--slos", sloth, "--promql-compat", "4"],
                          ["--slos", sloth, "--format", "yaml"],
                          ["--slos", sloth, "--at", "yesterday"],
                          ["--slos", "/nonexistent/slos.yaml"]] {
            let r = try ProcessRunner.burnwatch(["eval"] + arguments)
            #expect(r.status == 1, "\(arguments)")
            #expect(r.stderrText.hasPrefix("burnwatch eval: "), "\(arguments)")
            #expect(r.stdoutText.isEmpty)
        }
    }
}
